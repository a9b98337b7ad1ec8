"""Programmes with their targets, and the courses that carry them out."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cadres.models import Agency, Cadre, Gender, Level, Locality, Rank, placed_condition
from provenance.models import BatchTraced
from trainingmgr.constraints import COUNT_VALIDATORS, unique_with_or_without
from trainingmgr.visibility import ScopedQuerySet

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
DEFAULT_PASS_MARK = 5  # out of 10, for certificates when a course records scores


class Programme(models.Model):
    """A scheme (đề án, chương trình) with a legal basis, a period and targets."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=500)
    legal_number = models.CharField(_("legal document number"), max_length=100, blank=True)
    legal_date = models.DateField(_("legal document date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("lead agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_programmes",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["first_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_year__lte=F("last_year")), name="programme_years_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    @property
    def legal_basis(self):
        parts = [self.legal_number]
        if self.legal_date:
            parts.append(self.legal_date.strftime("%d/%m/%Y"))
        if self.issuer:
            parts.append(self.issuer)
        return ", ".join(p for p in parts if p)

    def clean(self):
        if self.first_year and self.last_year and self.first_year > self.last_year:
            raise ValidationError({"last_year": _("The last year is before the first year.")})


class CourseType(models.Model):
    """A kind of course: knowledge, skills, trainers, update, workshop, seminar, language..."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    aliases = models.TextField(_("aliases"), blank=True, help_text=_("One per line."))

    class Meta:
        verbose_name = _("course type")
        verbose_name_plural = _("course types")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Target(models.Model):
    """What a programme promises, as a measurable indicator with a scope and a value."""

    class Metric(models.TextChoices):
        PARTICIPANT_TIMES = "participant_times", _("Participant-times")
        DISTINCT_CADRES = "distinct_cadres", _("Distinct cadres trained")
        COURSES = "courses", _("Courses")
        COVERAGE_PCT = "coverage_pct", _("Coverage of the workforce (%)")
        PER_LOCALITY_MIN = "per_locality_min", _("Minimum trained in every locality")
        AVG_CLASS_SIZE = "avg_class_size", _("Average class size")
        QUALIFIED_PCT = "qualified_pct", _("Share holding a qualification (%)")

    PERCENT_METRICS = {Metric.COVERAGE_PCT, Metric.QUALIFIED_PCT}

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="targets"
    )
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=300)
    metric = models.CharField(_("metric"), max_length=24, choices=Metric.choices)
    value_min = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    value_max = models.DecimalField(
        _("upper bound"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a range such as 50-60%: the upper end."),
    )
    year_from = models.PositiveSmallIntegerField(
        _("from year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    year_to = models.PositiveSmallIntegerField(
        _("to year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    ranks = models.ManyToManyField(Rank, verbose_name=_("ranks"), blank=True)
    course_types = models.ManyToManyField(CourseType, verbose_name=_("course types"), blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, blank=True)
    localities = models.ManyToManyField(
        Locality, verbose_name=_("localities"), blank=True, limit_choices_to={"era": "current"}
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("For qualification targets: en, fr... Empty means any foreign language."),
    )
    language_level = models.PositiveSmallIntegerField(
        _("minimum language level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    source_quote = models.TextField(_("source sentence"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["programme", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="target_unique_code"),
            models.CheckConstraint(condition=Q(value_min__gte=0), name="target_value_gte_0"),
            models.CheckConstraint(
                condition=Q(value_max__isnull=True) | Q(value_max__gte=F("value_min")),
                name="target_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(year_from__isnull=True)
                | Q(year_to__isnull=True)
                | Q(year_from__lte=F("year_to")),
                name="target_years_ordered",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_percent(self):
        return self.metric in self.PERCENT_METRICS

    def clean(self):
        errors = {}
        if (
            self.value_max is not None
            and self.value_min is not None
            and self.value_max < self.value_min
        ):
            errors["value_max"] = _("The upper bound is below the target value.")
        if self.is_percent and self.value_min is not None and self.value_min > 100:
            errors["value_min"] = _("A percentage is at most 100.")
        if self.year_from and self.year_to and self.year_from > self.year_to:
            errors["year_to"] = _("The end year is before the start year.")
        if self.metric == self.Metric.QUALIFIED_PCT and not self.language_level:
            errors["language_level"] = _("A qualification target needs a minimum language level.")
        if errors:
            raise ValidationError(errors)


def course_condition(scope, course=""):
    """The scope rule of a course (``course`` is the path to it, as ``course__``): the rule
    of a placed row (cadres.models.placed_condition), its place the course's locality and its
    agency the organiser."""
    return placed_condition(scope, f"{course}locality", f"{course}organiser")


class CourseQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        return course_condition(scope)

    def with_participant_times(self, user=None, name="participant_times"):
        """Each course annotated with its participant-times (``name``), by the counting rule
        of ``Enrolment.objects.counted()`` and ``ParticipantTally.objects.counted()``."""
        return self.annotate(**{name: participant_times(user)})

    def in_period(self, first_year, last_year):
        return self.filter(start_date__year__gte=first_year, start_date__year__lte=last_year)

    def abroad(self):
        return self.exclude(country="")

    def at_home(self):
        return self.filter(country="")


class Course(BatchTraced):
    """One course (khóa, lớp) held at home in a locality or abroad in a country."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=500)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    course_type = models.ForeignKey(
        CourseType, verbose_name=_("course type"), on_delete=models.PROTECT, related_name="courses"
    )
    organiser = models.ForeignKey(
        Agency,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organised_courses",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("held in (locality)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses_held",
    )
    country = models.CharField(
        _("held abroad in (country)"),
        max_length=100,
        blank=True,
        help_text=_("Empty when the course is held in Viet Nam."),
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    planned_participants = models.PositiveIntegerField(
        _("planned participants"), null=True, blank=True, validators=COUNT_VALIDATORS
    )
    budget_planned = models.PositiveBigIntegerField(
        _("planned budget (VND)"), null=True, blank=True
    )
    budget_spent = models.PositiveBigIntegerField(_("spent budget (VND)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FINISHED
    )
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=4,
        decimal_places=2,
        default=DEFAULT_PASS_MARK,
        blank=True,  # left empty in a form: the default
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("On a 10-point scale; used when the course records scores."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__lte=F("end_date")),
                name="course_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(locality__isnull=True) | Q(country=""),
                name="course_home_or_abroad",
            ),
        ]
        indexes = [models.Index(fields=["programme", "start_date"], name="course_prog_start_idx")]

    def __str__(self):
        return f"{self.code} · {self.title}"

    @property
    def is_abroad(self):
        return bool(self.country)

    @property
    def year(self):
        return self.start_date.year

    def clean(self):
        errors = {}
        if self.pass_mark is None:
            self.pass_mark = DEFAULT_PASS_MARK
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.country and self.locality_id:
            errors["country"] = _(
                "A course is held either in a locality at home or in a country abroad."
            )
        if errors:
            raise ValidationError(errors)


class EnrolmentQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        """Enrolments whose participant was, at the course, of a locality in scope (or, for an
        agency scope, of that agency); the course's own place does not matter."""
        if scope.kind == "locality":
            return Q(locality_id__in=scope.locality_ids)
        if scope.kind == "agency":
            return Q(agency_id=scope.agency_id)
        return None

    def counted(self):
        """Enrolments that count as participant-times: attended or completed."""
        return self.filter(status__in=Enrolment.COUNTED_STATUSES)


class Enrolment(BatchTraced):
    """A cadre on a course. Rank, agency and locality are kept as they were at the course,
    so a later promotion never rewrites a past report."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Attended")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    COUNTED_STATUSES = (Status.ATTENDED, Status.COMPLETED)

    # No index of its own: the unique (course, cadre) constraint's index leads with the
    # course and serves every look-up by course; a second index cost each insert its write.
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="enrolments",
        db_index=False,
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ATTENDED
    )
    certificate_number = models.CharField(_("certificate number"), max_length=50, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("Final score on a 10-point scale, when the course records scores."),
    )
    rank = models.ForeignKey(
        Rank,
        verbose_name=_("rank at the course"),
        on_delete=models.PROTECT,
        related_name="enrolments",
        blank=True,
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency at the course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("locality at the course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "cadre__name_key"]
        constraints = [
            models.UniqueConstraint(fields=["course", "cadre"], name="enrolment_unique_cadre"),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.course.code}"

    def fill_from_cadre(self):
        """Take rank, agency and locality from the cadre where they were not given."""
        cadre = self.cadre
        if not self.rank_id:
            self.rank_id = cadre.rank_id
        if not self.agency_id:
            self.agency_id = cadre.agency_id
        if not self.locality_id:
            self.locality_id = cadre.locality_id

    def clean(self):
        if self.cadre_id:
            self.fill_from_cadre()

    def save(self, *args, **kwargs):
        if self.cadre_id:
            self.fill_from_cadre()
        super().save(*args, **kwargs)


class ParticipantTallyQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        """Tallies counted for a locality in scope, or without a locality on a course in scope;
        for an agency scope, the tallies of the courses it organises."""
        if scope.kind == "locality":
            return Q(locality_id__in=scope.locality_ids) | (
                Q(locality_id__isnull=True) & course_condition(scope, "course__")
            )
        if scope.kind == "agency":
            return course_condition(scope, "course__")
        return None

    def counted(self):
        """Tallies of courses that have no named enrolment: a course counts one or the other."""
        return self.exclude(Exists(Enrolment.objects.filter(course_id=OuterRef("course_id"))))


class ParticipantTally(BatchTraced):
    """A head count by rank (and optionally locality and gender) for a course whose named
    list is not available, as with most 2016-2020 records."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="tallies"
    )
    rank = models.ForeignKey(
        Rank, verbose_name=_("rank"), on_delete=models.PROTECT, related_name="tallies"
    )
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tallies",
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    count = models.PositiveIntegerField(_("participant-times"), validators=COUNT_VALIDATORS)

    objects = ParticipantTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant tally")
        verbose_name_plural = _("participant tallies")
        ordering = ["course", "rank__order"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=0), name="tally_count_gte_0"),
            *unique_with_or_without(
                ["course", "rank", "locality", "gender"],
                "locality",
                name_with="tally_unique_with_locality",
                name_without="tally_unique_without_locality",
            ),
        ]

    def __str__(self):
        return f"{self.course.code} · {self.rank}: {self.count}"


def participant_times(user=None):
    """The participant-times of a course (an expression over Course): its counted enrolments
    plus its counted tallies. The counting rule itself (a course counts its named list if it
    has one, else its tallies) lives in the two ``counted()`` methods; subqueries rather than
    joins, so that neither list multiplies the other.

    With a user, only the rows that user may see are counted (a Lào Cai clerk's figure for a
    course is its Lào Cai participants); whether the course counts its named list or its
    tallies stays a property of the course, decided on all its rows."""
    enrolled = (
        Enrolment.objects.visible_to(user)
        .counted()
        .filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    tallied = (
        ParticipantTally.objects.visible_to(user)
        .counted()
        .filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(n=Sum("count"))
        .values("n")
    )
    return Coalesce(Subquery(enrolled, IntegerField()), 0) + Coalesce(
        Subquery(tallied, IntegerField()), 0
    )
