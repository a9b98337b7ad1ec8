"""The admin index's dashboard: a few totals and the programmes' report links."""

from django import template
from django.db.models import Sum

from cadres.models import Cadre
from courses.models import Course, Enrolment, ParticipantTally, Programme

register = template.Library()


def dashboard_figures():
    """Totals for the admin index, in five queries whatever the size of the data.

    Participant-times follow the counting rule: counted enrolments, plus the tallies of the
    courses that have no enrolment at all.
    """
    tallied = ParticipantTally.objects.counted().aggregate(total=Sum("count"))["total"]
    return {
        "courses": Course.objects.count(),
        "cadres": Cadre.objects.count(),
        "enrolments_counted": Enrolment.objects.counted().count(),
        "tallied_participant_times": tallied or 0,
        "programmes": list(Programme.objects.only("code", "name").order_by("first_year", "code")),
    }


@register.simple_tag
def training_dashboard():
    return dashboard_figures()
