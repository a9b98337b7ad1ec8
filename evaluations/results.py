"""Evaluation results per course, per lecturer, per course type and per programme.

One place computes them; the results page, the programme page's block and the xlsx download
all call results_for(). A group with fewer answers than EVALUATION_MIN_ANSWERS shows its
counts (participants, answers, response rate) but no mean and no comment: with two or
three answers, a mean tells who said what."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count

from courses.models import Enrolment

from .models import Answer, Question, Response


def min_answers():
    return getattr(settings, "EVALUATION_MIN_ANSWERS", 5)


@dataclass
class Group:
    key: object
    label: str
    participants: int = 0
    responses: int = 0
    means: dict = field(default_factory=dict)  # question code -> mean (only when shown)
    comments: list = field(default_factory=list)
    courses: int = 0
    extra: str = ""

    @property
    def shown(self):
        return self.responses >= min_answers()

    @property
    def rate(self):
        """Response rate in percent (None without participants)."""
        if not self.participants:
            return None
        return round(100 * self.responses / self.participants, 1)

    @property
    def overall(self):
        values = [v for v in self.means.values() if v is not None]
        return round(sum(values) / len(values), 2) if values and self.shown else None


@dataclass
class Results:
    questions: list  # [(code, text)] of the rating questions, in order
    by_course: list
    by_lecturer: list
    by_course_type: list
    by_programme: list
    total: Group


def rating_questions(course_ids):
    """The rating questions used by these courses' answers, as (code, text), in order."""
    seen = {}
    rows = (
        Question.objects.exclude(kind=Question.Kind.TEXT)
        .filter(answers__response__course_id__in=course_ids)
        .order_by("order", "pk")
        .values_list("code", "text")
        .distinct()
    )
    for code, text in rows:
        seen.setdefault(code, text)
    if not seen:
        from .models import Questionnaire

        default = Questionnaire.objects.filter(course_type__isnull=True).first()
        if default:
            for question in default.questions.exclude(kind=Question.Kind.TEXT):
                seen.setdefault(question.code, question.text)
    return list(seen.items())


def _grouped(courses, key, label_of, course_ids):
    participants = dict(
        Enrolment.objects.counted()
        .filter(course_id__in=course_ids)
        .values_list(key)
        .annotate(n=Count("pk"))
        .order_by()
    )
    response_key = f"course__{key.removeprefix('course__')}" if key != "course" else "course"
    responses = dict(
        Response.objects.filter(course_id__in=course_ids)
        .values_list(response_key)
        .annotate(n=Count("pk"))
        .order_by()
    )
    answer_key = f"response__{response_key}"
    means = {}
    for group_key, code, mean in (
        Answer.objects.filter(response__course_id__in=course_ids, value__isnull=False)
        .values_list(answer_key, "question__code")
        .annotate(mean=Avg("value"))
        .order_by()
    ):
        means.setdefault(group_key, {})[code] = round(float(mean), 2)
    groups = {}
    for course in courses:
        group_key = label_of(course)[0]
        if group_key not in groups:
            groups[group_key] = Group(key=group_key, label=label_of(course)[1])
        groups[group_key].courses += 1
    for group_key, group in groups.items():
        group.participants = participants.get(group_key, 0)
        group.responses = responses.get(group_key, 0)
        if group.shown:
            group.means = means.get(group_key, {})
    return list(groups.values())


def results_for(courses):
    """Results of the given courses (a queryset, already narrowed to the user's scope)."""
    courses = list(courses.select_related("course_type", "programme"))
    course_ids = [c.pk for c in courses]
    questions = rating_questions(course_ids)

    by_course = _grouped(courses, "course", lambda c: (c.pk, f"{c.code} · {c.title}"), course_ids)
    comments = {}
    for course_id, text in (
        Answer.objects.filter(response__course_id__in=course_ids)
        .exclude(text="")
        .order_by("response__course_id", "response__submitted_at")
        .values_list("response__course_id", "text")
    ):
        comments.setdefault(course_id, []).append(text)
    for group in by_course:
        if group.shown:
            group.comments = comments.get(group.key, [])

    by_type = _grouped(
        courses,
        "course__course_type",
        lambda c: (c.course_type_id, c.course_type.name),
        course_ids,
    )
    by_programme = _grouped(
        [c for c in courses if c.programme_id],
        "course__programme",
        lambda c: (c.programme_id, c.programme.code),
        course_ids,
    )

    by_lecturer = []
    rows = (
        Answer.objects.filter(response__course_id__in=course_ids, lecturer__isnull=False)
        .exclude(value=None)
        .values("lecturer__name_key")
        .annotate(
            mean=Avg("value"),
            responses=Count("response", distinct=True),
            courses=Count("response__course", distinct=True),
        )
        .order_by("lecturer__name_key")
    )
    names = {}
    from .models import Lecturer

    for name_key, full_name, role in Lecturer.objects.filter(course_id__in=course_ids).values_list(
        "name_key", "full_name", "role"
    ):
        names.setdefault(name_key, (full_name, Lecturer.Role(role).label))
    for row in rows:
        full_name, role = names.get(row["lecturer__name_key"], (row["lecturer__name_key"], ""))
        group = Group(
            key=row["lecturer__name_key"],
            label=full_name,
            responses=row["responses"],
            courses=row["courses"],
            extra=str(role),
        )
        if group.shown:
            group.means = {"lecturers": round(float(row["mean"]), 2)}
        by_lecturer.append(group)

    total = Group(key="all", label="")
    total.courses = len(courses)
    total.participants = sum(g.participants for g in by_course)
    total.responses = sum(g.responses for g in by_course)
    if total.shown:
        total.means = {
            code: round(float(mean), 2)
            for code, mean in Answer.objects.filter(
                response__course_id__in=course_ids, value__isnull=False
            )
            .values_list("question__code")
            .annotate(mean=Avg("value"))
            .order_by()
        }
    return Results(
        questions=questions,
        by_course=by_course,
        by_lecturer=by_lecturer,
        by_course_type=by_type,
        by_programme=by_programme,
        total=total,
    )
