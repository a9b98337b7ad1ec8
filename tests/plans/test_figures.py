"""Plan against actual, checked against figures computed by hand (see each comment), on the
page, in the downloads and in the progress JSON; the page's queries do not grow with data."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Agency, Locality, Rank
from courses.models import CourseType, Programme
from plans.figures import compare, plans_queryset
from plans.models import Plan, PlanLine

from ..admin.conftest import make_course, tally
from .conftest import current, staff


def line(plan, type_code, *, abroad=False, rank=None, courses=0, times=0, budget=0, source=""):
    return PlanLine.objects.create(
        plan=plan,
        course_type=CourseType.objects.get(code=type_code),
        abroad=abroad,
        rank=Rank.objects.get(code=rank) if rank else None,
        courses=courses,
        participant_times=times,
        budget=budget,
        funding_source=source or ("local" if budget else ""),
    )


@pytest.fixture
def planned(world, year_2026):
    lc = current("15")
    bng = Agency.objects.get(code="BNG")
    nq26 = Programme.objects.get(code="NQ26-2018")
    # Courses besides year_2026's (LC-2026-01 at home: 20 officers + 5 division, 150 M spent;
    # LC-2026-02 abroad from Sở Ngoại vụ Lào Cai: 2 named officers, 80 M; HN-2026-01).
    bng_in_lc = make_course(
        "BNG-LC-2026",
        start=datetime.date(2026, 5, 4),
        locality=lc,
        organiser=bng,
        programme=nq26,
        budget_spent=30_000_000,
    )
    tally(bng_in_lc, 12)
    bng_abroad = make_course(
        "BNG-SG-2026",
        start=datetime.date(2026, 9, 7),
        type_code="KIEN_THUC",
        country="Singapore",
        organiser=bng,
        programme=nq26,
        budget_spent=500_000_000,
    )
    tally(bng_abroad, 8)
    yen_bai = make_course(
        "YB-2026",
        start=datetime.date(2026, 2, 2),
        locality=Locality.objects.get(code="15", era=Locality.Era.FORMER),
    )
    tally(yen_bai, 3)
    make_course("LC-2025", start=datetime.date(2025, 5, 5), locality=lc)  # another year

    a = Plan.objects.create(locality=lc, year=2026)
    line(a, "KY_NANG", rank="CHUYEN_VIEN", courses=2, times=50, budget=200_000_000)
    line(a, "KY_NANG", rank="CAP_PHONG", times=10)
    line(a, "KIEN_THUC", abroad=True, courses=1, times=4, budget=100_000_000)
    b = Plan.objects.create(locality=lc, year=2026, programme=nq26)
    line(b, "KY_NANG", courses=1, times=30)
    c = Plan.objects.create(agency=bng, year=2026, programme=nq26)
    line(c, "KIEN_THUC", abroad=True, courses=2, times=20)
    return a, b, c


def by_plan(comparison):
    return {item.plan.pk: item for item in comparison.plans}


def test_plan_against_actual_by_hand(planned):
    a, b, c = planned
    found = by_plan(compare(plans_queryset(year=2026)))
    rows = {(r.course_type.code, r.abroad): r for r in found[a.pk].rows}
    skills = rows[("KY_NANG", False)]
    # LC-2026-01, BNG-LC-2026 (held in Lào Cai) and YB-2026 (former Yên Bái): 3 courses,
    # 25 + 12 + 3 = 40 participant-times, 150 + 30 + 0 = 180 M spent.
    assert (skills.planned.courses, skills.actual.courses) == (2, 3)
    assert (skills.planned.times, skills.actual.times) == (60, 40)
    assert (skills.planned.budget, skills.actual.budget) == (200_000_000, 180_000_000)
    officer, division = Rank.objects.get(code="CHUYEN_VIEN"), Rank.objects.get(code="CAP_PHONG")
    assert skills.actual.times_by_rank[officer.pk] == 35
    assert skills.actual.times_by_rank[division.pk] == 5
    assert skills.planned.times_by_rank[officer.pk] == 50
    assert (skills.times_rate, skills.times_gap, skills.courses_gap) == (66.7, 20, -1)
    abroad = rows[("KIEN_THUC", True)]
    # LC-2026-02 only: BNG-SG-2026 is organised from central level.
    assert (abroad.actual.courses, abroad.actual.times, abroad.actual.budget) == (1, 2, 80_000_000)
    total = found[a.pk].total
    assert (total.planned.courses, total.actual.courses, total.courses_rate) == (3, 4, 133.3)
    assert (total.planned.times, total.actual.times, total.times_rate) == (64, 42, 65.6)
    assert (total.planned.budget, total.actual.budget, total.budget_rate) == (
        300_000_000,
        260_000_000,
        86.7,
    )
    # The programme plan of Lào Cai counts NQ26 courses only: BNG-LC-2026.
    only = found[b.pk].total
    assert (only.actual.courses, only.actual.times, only.times_rate) == (1, 12, 40.0)
    # The ministry's plan: BNG-SG-2026 as planned, BNG-LC-2026 as an unplanned row.
    rows = {(r.course_type.code, r.abroad): r for r in found[c.pk].rows}
    assert rows[("KIEN_THUC", True)].actual.times == 8
    assert rows[("KY_NANG", False)].planned.courses == 0
    assert rows[("KY_NANG", False)].courses_rate is None
    assert (found[c.pk].total.actual.times, found[c.pk].total.times_rate) == (20, 100.0)


def test_the_progress_json_has_the_plan_part(planned):
    out = io.StringIO()
    call_command("progress_report", "NQ26-2018", "--format", "json", stdout=out)
    plan = json.loads(out.getvalue())["plan"]
    assert (plan["courses"], plan["participant_times"], plan["budget"]) == (3, 50, 0)
    assert list(plan["by_year"]) == [str(y) for y in range(2018, 2031)]
    assert plan["by_year"]["2026"] == {"planned": 50, "actual": 20}  # 12 + 8, NQ26 courses
    assert plan["by_year"]["2019"] == {"planned": 0, "actual": 0}


def test_a_programme_without_plans_gets_zeros(db):
    out = io.StringIO()
    call_command("progress_report", "QD2007-2015", "--format", "json", stdout=out)
    plan = json.loads(out.getvalue())["plan"]
    assert (plan["courses"], plan["participant_times"], plan["budget"]) == (0, 0, 0)
    assert set(plan["by_year"]) == {str(y) for y in range(2016, 2021)}


def test_the_plans_page_filters_and_downloads(client, planned, lao_cai_clerk, manager):
    a, b, c = planned
    client.force_login(manager)
    page = client.get(reverse("plans:plans"), {"year": "2026", "programme": "NQ26-2018"})
    assert {item.plan.pk for item in page.context["comparison"].plans} == {b.pk, c.pk}
    page = client.get(reverse("plans:plans"), {"unit": f"agency-{c.agency_id}"})
    assert [item.plan.pk for item in page.context["comparison"].plans] == [c.pk]
    assert client.get(reverse("plans:plans"), {"year": "abc", "unit": "x-1"}).status_code == 200
    response = client.get(reverse("plans:plans_csv"), {"year": "2026"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    totals = [r for r in rows[1:] if r[4] == ""]  # a plan's total has no place
    assert len(totals) == 3
    lao_cai_total = next(r for r in totals if r[0] == "Lào Cai" and r[2] == "")
    assert lao_cai_total[9:12] == ["64", "42", "65.6"]
    response = client.get(reverse("plans:plans_xlsx"), {"year": "2026"})
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    # A Lào Cai clerk sees the plans of Lào Cai only.
    client.force_login(lao_cai_clerk)
    page = client.get(reverse("plans:plans"))
    assert {item.plan.pk for item in page.context["comparison"].plans} == {a.pk, b.pk}


def test_an_outsider_and_an_anonymous_visitor_are_kept_out(client, outsider):
    assert client.get(reverse("plans:plans")).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("plans:plans")).status_code == 403
    assert client.get(reverse("plans:completeness")).status_code == 403


def many_plans(n, year):
    types = list(CourseType.objects.all())
    ranks = list(Rank.objects.all())
    localities = list(Locality.objects.current())
    for i in range(n):
        plan = Plan.objects.create(locality=localities[i % len(localities)], year=year + i // 30)
        PlanLine.objects.bulk_create(
            PlanLine(
                plan=plan,
                course_type=types[k % len(types)],
                rank=ranks[k % len(ranks)],
                abroad=bool(k % 2),
                courses=k,
                participant_times=10 * k,
            )
            for k in range(6)
        )
        make_course(
            f"Q{year}-{i}",
            start=datetime.date(year + i // 30, 3, 1),
            locality=localities[i % len(localities)],
        )


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_the_plans_and_completeness_pages_make_as_many_queries_for_more_data(client, manager):
    client.force_login(manager)
    many_plans(3, 2024)
    small = queries(client, reverse("plans:plans")), queries(client, reverse("plans:completeness"))
    many_plans(40, 2021)
    big = queries(client, reverse("plans:plans")), queries(client, reverse("plans:completeness"))
    assert small == big


def test_the_plan_part_of_the_api_counts_the_plans_of_the_callers_scope(planned):
    from ..api.conftest import caller

    url = "/api/programmes/NQ26-2018/progress"

    def plan_of(user):
        response = caller(user).get(url)
        assert response.status_code == 200
        plan = response.json()["plan"]
        return plan["courses"], plan["participant_times"], plan["by_year"]["2026"]["planned"]

    # Lào Cai's NQ26 plan: 1 course, 30 participant-times; the ministry's: 2 and 20.
    assert plan_of(staff("laocai", "Clerks", kind="locality", locality=current("15"))) == (
        1,
        30,
        30,
    )
    assert plan_of(staff("hanoi", "Clerks", kind="locality", locality=current("01"))) == (0, 0, 0)
    ministry = staff("bng", "Clerks", kind="agency", agency=Agency.objects.get(code="BNG"))
    assert plan_of(ministry) == (2, 20, 20)
    assert plan_of(staff("manager", "Managers")) == (3, 50, 50)  # national, as the command
