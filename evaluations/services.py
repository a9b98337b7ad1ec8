"""Personal links, the answering window, and submitting an evaluation."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from courses.models import Enrolment

from .models import (
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    Invitation,
    Question,
    Questionnaire,
    Response,
    window_days,
)


class EvaluationError(Exception):
    """An evaluation that cannot be written; ``code`` tells the view which page to show."""

    def __init__(self, message, code="invalid", field_errors=None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field_errors = field_errors or {}


def window(course):
    """(first day, last day) on which the participants may answer."""
    opens = course.end_date or course.start_date
    return opens, opens + datetime.timedelta(days=window_days(course))


def window_state(course, today=None):
    today = today or timezone.localdate()
    opens, closes = window(course)
    if today < opens:
        return "not_open"
    if today > closes:
        return "closed"
    return "open"


def invitations_for(course, user=None):
    """The personal links of the course's participants (attended or completed) in the user's
    scope, created on first use."""
    enrolments = scoping.enrolments(
        Enrolment.objects.counted().filter(course=course), user
    ).select_related("cadre")
    missing = [e for e in enrolments if not Invitation.objects.filter(enrolment=e).exists()]
    for enrolment in missing:
        try:
            with transaction.atomic():
                Invitation.objects.create(enrolment=enrolment)
        except IntegrityError:  # created meanwhile
            pass
    return list(
        Invitation.objects.filter(enrolment__in=enrolments)
        .select_related("enrolment__cadre", "response")
        .order_by("enrolment__cadre__name_key")
    )


def questions_of(course):
    questionnaire = Questionnaire.for_course(course)
    if questionnaire is None:
        return None, []
    return questionnaire, list(questionnaire.questions.all())


def field_name(question, lecturer=None):
    return f"q{question.pk}" + (f"_l{lecturer.pk}" if lecturer else "")


def form_items(course, questions):
    """(question, lecturer or None, field name) for every input of the form."""
    lecturers = list(course.lecturers.all())
    items = []
    for question in questions:
        if question.kind == Question.Kind.LECTURER and lecturers:
            items += [
                (question, lecturer, field_name(question, lecturer)) for lecturer in lecturers
            ]
        else:
            items.append((question, None, field_name(question)))
    return items


def _rating(raw):
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValueError from None
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise ValueError
    return value


def submit(invitation, data, today=None):
    """Write the answers of one participant, all or nothing. ``data`` is the posted form."""
    enrolment = invitation.enrolment
    course = enrolment.course
    state = window_state(course, today)
    if Response.objects.filter(invitation=invitation).exists():
        raise EvaluationError(_("You have already answered this evaluation."), "answered")
    if state == "not_open":
        raise EvaluationError(
            _("The evaluation opens on %(date)s, when the course ends.")
            % {"date": window(course)[0].strftime("%d/%m/%Y")},
            "not_open",
        )
    if state == "closed":
        raise EvaluationError(
            _("The evaluation closed on %(date)s.")
            % {"date": window(course)[1].strftime("%d/%m/%Y")},
            "closed",
        )
    if enrolment.status not in Enrolment.COUNTED_STATUSES:
        raise EvaluationError(_("This link is not valid for an evaluation."), "invalid")
    questionnaire, questions = questions_of(course)
    if questionnaire is None:
        raise EvaluationError(_("This course has no questionnaire."), "invalid")

    answers, errors = [], {}
    limit = getattr(settings, "EVALUATION_COMMENT_MAX_CHARS", 4000)
    for question, lecturer, name in form_items(course, questions):
        raw = data.get(name, "")
        if question.kind == Question.Kind.TEXT:
            text = (raw or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL
            if len(text) > limit:
                errors[name] = _("At most %(n)s characters.") % {"n": limit}
            elif text:
                answers.append(Answer(question=question, text=text))
            elif question.required:
                errors[name] = _("Please answer this question.")
            continue
        try:
            value = _rating(raw)
        except ValueError:
            errors[name] = _("Choose a rating from %(low)s to %(high)s.") % {
                "low": SCALE_MIN,
                "high": SCALE_MAX,
            }
            continue
        if value is None:
            if question.required:
                errors[name] = _("Please answer this question.")
            continue
        answers.append(Answer(question=question, lecturer=lecturer, value=value))
    if errors:
        raise EvaluationError(
            _("Some answers are missing or not valid: nothing was saved."),
            "invalid",
            field_errors=errors,
        )
    try:
        with transaction.atomic():
            response = Response.objects.create(
                invitation=invitation, course=course, questionnaire=questionnaire
            )
            for answer in answers:
                answer.response = response
            Answer.objects.bulk_create(answers)
    except IntegrityError:
        raise EvaluationError(_("You have already answered this evaluation."), "answered") from None
    return response
