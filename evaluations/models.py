"""Course evaluations: a questionnaire per course type, the lecturers of each course, one
personal link per participant, and the answers."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import Course, CourseType, Enrolment
from trainingmgr.text import fold
from trainingmgr.visibility import ScopedQuerySet, prefixed

SCALE_MIN, SCALE_MAX = 1, 5


def new_token():
    return secrets.token_urlsafe(18)  # 24 characters, 144 random bits


class Questionnaire(models.Model):
    """The questions asked after a course. The one without a course type is the default, used
    for every course type that has none of its own."""

    name = models.CharField(_("name"), max_length=200)
    course_type = models.OneToOneField(
        CourseType,
        verbose_name=_("course type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaire",
        help_text=_("Empty: the default questionnaire, for course types without their own."),
    )
    introduction = models.TextField(_("introduction"), blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["course_type__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(course_type__isnull=True), name="one_default_name"
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def for_course(cls, course):
        own = cls.objects.filter(course_type_id=course.course_type_id).first()
        return own or cls.objects.filter(course_type__isnull=True).order_by("pk").first()


class Question(models.Model):
    """One question: a 1-5 rating, a 1-5 rating of each lecturer of the course, or text."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Rating 1-5")
        LECTURER = "lecturer", _("Rating 1-5 of each lecturer")
        TEXT = "text", _("Open comment")

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_unique_code"),
        ]

    def __str__(self):
        return self.text

    @property
    def is_rating(self):
        return self.kind != self.Kind.TEXT


class ThroughCourseQuerySet(ScopedQuerySet):
    """Rows that belong to one course (its lecturers, its answering window): Course's own
    scope rule, through the FK, as CertificateQuerySet does through the enrolment."""

    def scope_condition(self, scope, user):
        condition = Course.objects.all().scope_condition(scope, user)
        return None if condition is None else prefixed(condition, "course__")


class Lecturer(models.Model):
    """A lecturer (giảng viên) or speaker (báo cáo viên) of a course. The same person on
    several courses is recognised by the folded name, for results per lecturer."""

    class Role(models.TextChoices):
        LECTURER = "lecturer", _("Lecturer")
        SPEAKER = "speaker", _("Speaker")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="lecturers"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    name_key = models.CharField(_("folded name"), max_length=150, editable=False, db_index=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.LECTURER)
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # A lecturer is a row of one course (name, role, affiliation as on that course), not a
    # shared person: a clerk sees those of the courses in scope. Results per lecturer group
    # the rows by the folded name.
    objects = ThroughCourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["course", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "name_key"], name="lecturer_once_a_course"),
            models.CheckConstraint(condition=~Q(full_name=""), name="lecturer_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        self.full_name = " ".join((self.full_name or "").split())
        self.name_key = fold(self.full_name)
        super().save(*args, **kwargs)


class EvaluationWindow(models.Model):
    """A course's own answering period, when it differs from the global one (the course's
    end, then EVALUATION_WINDOW_DAYS days)."""

    course = models.OneToOneField(
        Course,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="evaluation_window",
    )
    days = models.PositiveSmallIntegerField(
        _("days open after the course ends"),
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    objects = ThroughCourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation window")
        verbose_name_plural = _("evaluation windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=365), name="evaluationwindow_days_1_365"
            ),
        ]

    def __str__(self):
        return f"{self.course.code}: {self.days}"


class Invitation(models.Model):
    """The personal link of one participant: a random token, no account."""

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="evaluation_invitation",
    )
    token = models.CharField(_("token"), max_length=40, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation link")
        verbose_name_plural = _("evaluation links")

    def __str__(self):
        return str(self.enrolment)


class Response(models.Model):
    """One participant's answers. One per invitation (the database says so); the results
    never show who answered, and hide groups under the anonymity threshold."""

    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("evaluation link"),
        on_delete=models.CASCADE,
        related_name="response",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="evaluations"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        ordering = ["course", "submitted_at"]

    def __str__(self):
        return f"{self.course.code} · {self.submitted_at:%Y-%m-%d}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    lecturer = models.ForeignKey(
        Lecturer,
        verbose_name=_("lecturer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    value = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )
    text = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX),
                name="answer_value_1_5",
            ),
        ]

    def __str__(self):
        return f"{self.question.code}: {self.value if self.value is not None else self.text}"


def window_days(course):
    window = EvaluationWindow.objects.filter(course=course).first()
    return window.days if window else settings.EVALUATION_WINDOW_DAYS
