"""The admin index's dashboard, by task: for a clerk the two things they come to do
(import a list, add a course), their recent imports and the figures of their scope; for a
manager the reports; for everyone the programmes by their full titles."""

from django import template
from django.db.models import Sum
from django.urls import NoReverseMatch, reverse

from accounts import scoping
from cadres.models import Cadre
from courses.models import Course, Enrolment, ParticipantTally, Programme

register = template.Library()

RECENT_BATCHES = 5


def dashboard_figures(user=None):
    """Totals for the admin index, narrowed to the user's scope (a Lào Cai clerk sees Lào
    Cai's figures, not the national ones); five queries whatever the size of the data, plus
    the scope's own when it is not cached on the user.

    Participant-times follow the counting rule: counted enrolments, plus the tallies of the
    courses that have no enrolment at all.
    """
    tallies = scoping.tallies(ParticipantTally.objects.counted(), user)
    tallied = tallies.aggregate(total=Sum("count"))["total"]
    return {
        "scope": scoping.scope_of(user),
        "courses": scoping.courses(Course.objects.all(), user).count(),
        "cadres": scoping.cadres(Cadre.objects.all(), user).count(),
        "enrolments_counted": scoping.enrolments(Enrolment.objects.counted(), user).count(),
        "tallied_participant_times": tallied or 0,
        "programmes": list(
            Programme.objects.only("code", "name", "first_year", "last_year").order_by(
                "first_year", "code"
            )
        ),
    }


def _url(name, query=""):
    try:
        return reverse(name) + query
    except NoReverseMatch:  # an app that is not installed
        return None


def dashboard_tasks(user):
    """The shortcuts a user may follow, in the order of the work."""
    tasks = []
    if user.has_perm("imports.import_spreadsheet"):
        url = _url("admin:imports_importbatch_upload", "?kind=participants")
        if url:
            tasks.append({"id": "task-import", "url": url, "kind": "import"})
    if user.has_perm("courses.add_course"):
        tasks.append(
            {"id": "task-add-course", "url": _url("admin:courses_course_add"), "kind": "add"}
        )
    return tasks


def recent_batches(user):
    """The user's own latest imports."""
    try:
        from imports.models import ImportBatch
    except ImportError:  # pragma: no cover - the imports app is part of the project
        return []
    if not user.has_perm("imports.view_importbatch") and not user.has_perm(
        "imports.import_spreadsheet"
    ):
        return []
    return list(
        ImportBatch.objects.filter(user=user).order_by("-created_at", "-id")[:RECENT_BATCHES]
    )


@register.simple_tag(takes_context=True)
def training_dashboard(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    figures = dashboard_figures(user)
    if user is None or not user.is_authenticated:
        return {**figures, "tasks": [], "batches": [], "is_clerk": False}
    tasks = dashboard_tasks(user)
    return {
        **figures,
        "tasks": tasks,
        "batches": recent_batches(user),
        "is_clerk": bool(tasks),
    }
