"""The participant's evaluation form (a personal link, no account) and the staff pages:
results (page and xlsx) and the personal links of a course."""

import re

import segno
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from accounts import scoping
from certificates.ratelimit import rate_limited
from courses.models import Course, CourseType, Programme
from trainingmgr.pages import public_base_url, staff_with

from .exports import XLSX_TYPE, results_xlsx
from .models import SCALE_MAX, SCALE_MIN, Invitation, Question
from .results import min_answers, results_for
from .services import EvaluationError, form_items, questions_of, submit, window, window_state

STATUS_OF = {"answered": 409, "closed": 410, "not_open": 403, "invalid": 400}


TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,40}")


def _param(request, name):
    value = request.GET.get(name, "").strip()
    return "" if "\x00" in value else value  # PostgreSQL refuses NUL in text


def _invitation(token):
    if not TOKEN_SHAPE.fullmatch(token or ""):
        return None
    return (
        Invitation.objects.select_related("enrolment__course", "enrolment__cadre")
        .filter(token=token)
        .first()
    )


def _form_context(invitation, data=None, errors=None):
    course = invitation.enrolment.course
    questionnaire, questions = questions_of(course)
    items = []
    for question, lecturer, name in form_items(course, questions):
        items.append(
            {
                "question": question,
                "lecturer": lecturer,
                "name": name,
                "value": (data or {}).get(name, ""),
                "error": (errors or {}).get(name),
                "is_text": question.kind == Question.Kind.TEXT,
            }
        )
    opens, closes = window(course)
    return {
        "course": course,
        "questionnaire": questionnaire,
        "items": items,
        "scale": range(SCALE_MIN, SCALE_MAX + 1),
        "opens": opens,
        "closes": closes,
    }


@require_http_methods(["GET", "POST"])
@rate_limited("evaluate", "EVALUATION_RATE_PER_MINUTE", 60)
def answer(request, token):
    invitation = _invitation(token)
    if invitation is None:
        return render(request, "evaluations/message.html", {"state": "unknown"}, status=404)
    course = invitation.enrolment.course
    if hasattr(invitation, "response"):
        return render(request, "evaluations/message.html", {"state": "answered"}, status=409)
    if request.method == "GET":
        state = window_state(course)
        if state != "open":
            context = {"state": state, "opens": window(course)[0], "closes": window(course)[1]}
            return render(request, "evaluations/message.html", context, status=STATUS_OF[state])
        return render(request, "evaluations/answer.html", _form_context(invitation))
    try:
        submit(invitation, request.POST)
    except EvaluationError as error:
        if error.code == "invalid" and error.field_errors:
            context = _form_context(invitation, request.POST, error.field_errors)
            context["form_error"] = error.message
            return render(request, "evaluations/answer.html", context, status=400)
        context = {"state": error.code, "message": error.message}
        return render(request, "evaluations/message.html", context, status=STATUS_OF[error.code])
    return render(request, "evaluations/message.html", {"state": "thanks"})


def _filtered_courses(request):
    """The courses in the user's scope, narrowed by ?programme=, ?type=, ?year=, ?course=."""
    courses = scoping.courses(Course.objects.all(), request.user)
    chosen = {}
    programme = _param(request, "programme")
    if programme:
        courses = courses.filter(programme__code=programme)
        chosen["programme"] = programme
    course_type = _param(request, "type")
    if course_type:
        courses = courses.filter(course_type__code=course_type)
        chosen["type"] = course_type
    year = _param(request, "year")
    if year.isdigit() and len(year) == 4:
        courses = courses.filter(start_date__year=int(year))
        chosen["year"] = year
    code = _param(request, "course")
    if code:
        courses = courses.filter(code=code)
        chosen["course"] = code
    # Only the courses that were evaluated: personal links handed out, or answers.
    courses = courses.filter(
        Q(evaluations__isnull=False) | Q(enrolments__evaluation_invitation__isnull=False)
    ).distinct()
    return courses, chosen


@staff_with("evaluations.view_response")
def results(request):
    courses, chosen = _filtered_courses(request)
    context = {
        "results": results_for(courses),
        "chosen": chosen,
        "querystring": request.GET.urlencode(),
        "programmes": Programme.objects.order_by("first_year", "code"),
        "types": CourseType.objects.all(),
        "min_answers": min_answers(),
    }
    return render(request, "evaluations/results.html", context)


@staff_with("evaluations.view_response")
def results_download(request):
    courses, _chosen = _filtered_courses(request)
    response = HttpResponse(results_xlsx(results_for(courses)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="danh-gia-khoa-hoc.xlsx"'
    return response


def _qr_svg(url):
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, border=2))  # noqa: S308


@staff_with("evaluations.view_invitation")
def course_links(request, code):
    """The personal links of a course's participants in scope, with a QR code each, to hand
    out or send; a participant's link is theirs alone."""
    from .services import invitations_for

    if "\x00" in code:
        raise Http404
    course = get_object_or_404(scoping.courses(Course.objects.all(), request.user), code=code)
    base = public_base_url(request)
    rows = []
    for invitation in invitations_for(course, request.user):
        url = base + reverse("evaluations:answer", args=[invitation.token])
        rows.append(
            {
                "name": invitation.enrolment.cadre.full_name,
                "url": url,
                "qr": _qr_svg(url),
                "answered": hasattr(invitation, "response"),
            }
        )
    opens, closes = window(course)
    context = {"course": course, "rows": rows, "opens": opens, "closes": closes}
    return render(request, "evaluations/course_links.html", context)
