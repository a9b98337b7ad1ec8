"""The national overview and the programme list show, for every programme, the figures of
that programme's own page: each persona, with and without "as of", on both databases. Their
number of queries does not grow with the number of programmes (one query each for all)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Agency, Rank
from courses.models import Course, CourseType, Enrolment, ParticipantTally, Programme
from reports.figures import health
from tests.access.conftest import lao_cai_clerk, manager, ministry_clerk  # noqa: F401
from tests.reports.conftest import AS_OF_MID, add_baseline, add_skill, add_target

pytestmark = pytest.mark.django_db


def target_figures(targets):
    return [
        (
            t.target.code,
            t.actual,
            t.actual_low,
            t.progress_pct,
            t.status,
            t.estimated,
            list(t.short_localities),
            list(t.short_counts),
            t.note,
        )
        for t in targets
    ]


def nonzero(counts):
    return {status: n for status, n in counts.items() if n}


@pytest.fixture
def programmes(world):
    """TEST-P with a target of every metric, and a second programme with named participants,
    a tally on a course after AS_OF_MID, a course and an enrolment of an agency."""
    add_target(world, "PT15", "participant_times", 15)
    add_target(world, "PEOPLE12", "distinct_cadres", 12)
    add_target(world, "COURSES3", "courses", 3, year_to=2021)
    add_target(world, "LOC1", "per_locality_min", 1)
    add_target(world, "LOCAL50", "coverage_pct", 50, level="local")
    add_target(world, "SIZE3", "avg_class_size", 3)
    add_target(world, "EN3", "qualified_pct", 20, language="en", language_level=3)
    add_baseline(2021, world.vu, world.lao_cai, 40)
    add_skill(world.b, "en", 4)
    second = Programme.objects.create(code="TEST-Q", name="Q", first_year=2021, last_year=2024)
    kind = CourseType.objects.get(code="KY_NANG")
    agency = Agency.objects.get(code="BNG")
    early, late = (
        Course.objects.create(
            code=code,
            title=code,
            programme=second,
            course_type=kind,
            start_date=start,
            organiser=agency if code == "Q1" else None,
        )
        for code, start in [("Q1", datetime.date(2021, 3, 1)), ("Q2", datetime.date(2023, 3, 1))]
    )
    Enrolment.objects.create(course=early, cadre=world.a, status="completed", agency=agency)
    Enrolment.objects.create(course=early, cadre=world.b, status="attended")
    ParticipantTally.objects.create(course=late, rank=world.cv, locality=world.ha_noi, count=4)
    add_target(type("W", (), {"programme": second}), "QPT", "participant_times", 6)
    add_target(type("W", (), {"programme": second}), "QLOC", "per_locality_min", 1)
    return world.programme, second


@pytest.mark.parametrize("query", ["", f"?as_of={AS_OF_MID:%Y-%m-%d}"])
@pytest.mark.parametrize("persona", ["manager", "lao_cai_clerk", "ministry_clerk"])
def test_the_overview_shows_each_programme_page_figures(
    client, programmes, request, persona, query
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("reports:overview") + query)
    assert response.status_code == 200
    rows = {row["programme"].code: row for row in response.context["overview"]["programmes"]}
    assert set(rows) == set(Programme.objects.values_list("code", flat=True))
    for code in ("TEST-P", "TEST-Q"):
        page = client.get(reverse("reports:programme_detail", args=[code]) + query)
        assert page.status_code == 200
        report = page.context["report"]
        assert target_figures(rows[code]["targets"]) == target_figures(report.targets)
        assert nonzero(rows[code]["health"]) == nonzero(health(report.targets))
    if persona == "manager" and not query:
        # Worked by hand: TEST-P counts 15 participant-times (conftest); TEST-Q 2 named in
        # Q1 and 4 tallied in Q2.
        actual = {t.target.code: t.actual for row in rows.values() for t in row["targets"]}
        assert actual["PT15"] == 15
        assert actual["QPT"] == 6


@pytest.mark.parametrize("persona", ["manager", "lao_cai_clerk"])
def test_the_programme_list_shows_each_programme_page_health(client, programmes, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("reports:programme_list"))
    assert response.status_code == 200
    for row in response.context["rows"]:
        code = row["programme"].code
        report = client.get(reverse("reports:programme_detail", args=[code])).context["report"]
        assert nonzero(row["health"]) == nonzero(health(report.targets)), code
        assert row["total"] == len(report.targets)


def overview_queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("reports:overview")).status_code == 200
    return len([q for q in captured.captured_queries if "django_session" not in q["sql"]])


def test_the_overview_queries_do_not_grow_with_the_programmes(client, programmes, manager):  # noqa: F811
    client.force_login(manager)
    overview_queries(client)  # warm the session
    before = overview_queries(client)
    kind = CourseType.objects.get(code="KY_NANG")
    rank = Rank.objects.get(code="CHUYEN_VIEN")
    for i in range(4):
        extra = Programme.objects.create(code=f"X{i}", name="x", first_year=2021, last_year=2022)
        course = Course.objects.create(
            code=f"XC{i}",
            title="x",
            programme=extra,
            course_type=kind,
            start_date=datetime.date(2021, 5, 1),
        )
        ParticipantTally.objects.create(course=course, rank=rank, locality=None, count=3)
        add_target(type("W", (), {"programme": extra}), "PT", "participant_times", 5)
    assert overview_queries(client) == before
