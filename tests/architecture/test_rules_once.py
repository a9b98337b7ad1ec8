"""Each rule once: the admin's sums, the dashboard, the report's JSON and the QuerySet methods
agree on generated data.

- The counting rule: a course counts its named list (enrolments attended or completed) if it
  has any enrolment, else its tallies (``Enrolment.objects.counted()``,
  ``ParticipantTally.objects.counted()``, ``Course.objects.with_participant_times()``).
- The roll-up: a former province counts for the current unit that took it in
  (``Locality.objects.unit_map()``, ``unit_ids()``, ``Locality.unit_of()``, ``in_unit()``).
"""

import datetime
import random
from collections import Counter

import pytest
from django.db.models import Sum
from django.urls import reverse

from cadres.models import Locality, Rank
from courses.models import Course, Enrolment
from reports.report import ReportFilters, build_report
from reports.templatetags.dashboard import dashboard_figures
from trainingmgr.visibility import scope_of

from ..access.conftest import staff
from ..admin.conftest import enrol, make_cadre, make_course, programme, tally

COUNTED = {Enrolment.Status.ATTENDED, Enrolment.Status.COMPLETED}


def generate(seed, courses=12):
    """Courses of one programme: some with a named list, some with tallies, some with both
    (their tallies do not count); participants from current units and former provinces.
    Returns the participant-times a person would count by hand, and by current unit code."""
    rnd = random.Random(seed)
    localities = list(Locality.objects.exclude(code=Locality.CENTRAL_CODE))
    ranks = list(Rank.objects.all())
    unit_code = {loc.pk: loc.current_unit.code for loc in localities}
    total, by_unit = 0, Counter()
    for _n in range(courses):
        course = make_course(
            programme=programme(),
            start=datetime.date(rnd.randint(2008, 2014), rnd.randint(1, 12), 1),
            locality=rnd.choice([loc for loc in localities if loc.era == "current"]),
        )
        shape = rnd.choice(["named", "tallies", "both"])
        named = []
        if shape in ("named", "both"):
            for _ in range(rnd.randint(1, 6)):
                where = rnd.choice(localities)
                status = rnd.choice(Enrolment.Status.values)
                cadre = make_cadre(locality=where, rank_code=rnd.choice(ranks).code)
                enrol(course, cadre, status=status)
                named.append((status, where))
        tallied = []
        if shape in ("tallies", "both"):
            for rank in rnd.sample(ranks, rnd.randint(1, 3)):
                where = rnd.choice(localities)
                count = rnd.randint(0, 30)
                tally(course, count, rank_code=rank.code, locality=where)
                tallied.append((count, where))
        if named:
            counted = [where for status, where in named if status in COUNTED]
            total += len(counted)
            by_unit.update(unit_code[where.pk] for where in counted)
        else:
            total += sum(count for count, _where in tallied)
            for count, where in tallied:
                by_unit[unit_code[where.pk]] += count
    return total, +by_unit


def admin_participant_times(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:courses_course_changelist"))
    assert response.status_code == 200
    courses = response.context["cl"].result_list
    assert len(courses) == Course.objects.visible_to(user).count()  # one page holds them all
    return sum(course.participants for course in courses)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_counting_rule_gives_one_figure_everywhere(db, client, admin_user, seed):
    expected, _by_unit = generate(seed)

    by_method = Course.objects.with_participant_times().aggregate(n=Sum("participant_times"))
    assert by_method["n"] == expected
    assert admin_participant_times(client, admin_user) == expected
    dashboard = dashboard_figures(admin_user)
    assert dashboard["enrolments_counted"] + dashboard["tallied_participant_times"] == expected
    report = build_report(programme(), ReportFilters()).as_json()
    assert report["totals"]["participant_times"] == expected


@pytest.mark.parametrize("seed", [4, 5])
def test_a_scoped_clerk_sees_one_figure_in_the_admin_and_the_dashboard(db, client, seed):
    generate(seed)
    lao_cai = Locality.objects.get(code="15", era=Locality.Era.CURRENT)
    clerk = staff("lc_clerk", "Clerks", kind="locality", locality=lao_cai)

    by_method = Course.objects.visible_to(clerk).with_participant_times(clerk)
    dashboard = dashboard_figures(clerk)
    assert (
        admin_participant_times(client, clerk)
        == by_method.aggregate(n=Sum("participant_times"))["n"]
        or 0
    )
    assert dashboard["enrolments_counted"] == (
        Enrolment.objects.visible_to(clerk).counted().count()
    )


@pytest.mark.parametrize("seed", [6, 7])
def test_former_provinces_roll_up_to_one_unit_everywhere(db, client, admin_user, seed):
    _total, by_unit = generate(seed)

    unit_map = Locality.objects.unit_map()
    for loc in Locality.objects.select_related("successor"):
        assert unit_map[loc.pk] == loc.current_unit.pk == loc.unit_id
    report = build_report(programme(), ReportFilters()).as_json()
    assert {code: n for code, n in report["by_locality"].items() if n} == dict(by_unit)

    client.force_login(admin_user)
    for unit in Locality.objects.current().exclude(code=Locality.CENTRAL_CODE)[:6]:
        members = Locality.objects.unit_ids(unit.pk)
        assert members == {pk for pk, u in unit_map.items() if u == unit.pk}
        expected = Enrolment.objects.filter(locality__in=members).count()
        assert Enrolment.objects.filter(Locality.in_unit("locality", unit.pk)).count() == expected
        response = client.get(
            reverse("admin:courses_enrolment_changelist"), {"locality_unit": unit.pk}
        )
        assert response.context["cl"].result_count == expected
        clerk = staff(f"clerk_{unit.code}", "Clerks", kind="locality", locality=unit)
        assert scope_of(clerk).locality_ids == members
