"""Data-quality checks: each kind of doubtful record is listed with a link to fix it, on the
page (scoped) and by the command; a submission shows the unit's warnings."""

import datetime
import io
import json

from django.core.management import call_command
from django.urls import reverse

from accounts.scoping import NATIONAL
from cadres.models import Rank, WorkforceBaseline
from plans.models import ReportingPeriod
from plans.quality import run_checks, unit_scope

from ..admin.conftest import enrol, make_cadre, make_course, tally
from .conftest import current
from .helpers import period_url


def doubtful(world):
    lc = current("15")
    empty = make_course("EMPTY-1", start=datetime.date(2024, 1, 8), locality=lc)
    both = world.courses.lc  # has a named list: add a tally
    tally(both, 3, locality=lc)
    big = make_course(
        "BIG-1", start=datetime.date(2024, 2, 1), locality=lc, planned_participants=10
    )
    tally(big, 31, locality=lc)
    nowhere = make_cadre("Không Rõ Nơi", locality=None)
    twin_a = make_cadre("Lý Thị Mai", locality=lc, birth_date=datetime.date(1985, 1, 1))
    twin_b = make_cadre("Lý Thị Mai", locality=lc, birth_date=datetime.date(1985, 1, 1))
    officer = Rank.objects.get(code=Rank.OFFICER)
    WorkforceBaseline.objects.filter(locality=lc).delete()
    WorkforceBaseline.objects.create(year=2024, rank=officer, locality=lc, headcount=1)
    enrol(big, twin_a)
    return empty, both, big, nowhere, twin_a, twin_b


def test_every_check_finds_its_record(world):
    empty, both, _big, _nowhere, _twin_a, _twin_b = doubtful(world)
    found = run_checks(NATIONAL, today=datetime.date(2026, 12, 1))
    texts = {code: " ".join(w.text for w in items) for code, items in found.items()}
    assert "EMPTY-1" in texts["empty_course"]
    assert both.code in texts["both_lists"]
    assert "BIG-1" in texts["tally_oversize"]
    assert "31" in texts["tally_oversize"]
    assert "Không Rõ Nơi" in texts["cadre_incomplete"]
    assert "Lý Thị Mai" in texts["duplicate"]
    assert "Lào Cai" in texts["above_baseline"]  # 3 distinct officers of Lào Cai, baseline 1
    assert found["empty_course"][0].url == reverse("admin:courses_course_change", args=[empty.pk])


def test_the_page_is_scoped_and_the_period_page_shows_the_units_warnings(
    client, world, lao_cai_clerk, ha_noi_clerk
):
    doubtful(world)
    client.force_login(ha_noi_clerk)
    page = client.get(reverse("plans:quality")).content.decode()
    assert "EMPTY-1" not in page
    assert "BIG-1" not in page
    client.force_login(lao_cai_clerk)
    page = client.get(reverse("plans:quality")).content.decode()
    assert "EMPTY-1" in page
    assert "BIG-1" in page
    page = client.get(period_url(2024, current("15")))
    assert page.context["warning_count"] >= 2
    assert "BIG-1" in page.content.decode()
    period = ReportingPeriod(locality=current("01"), year=2024)
    assert not run_checks(unit_scope(period), year=2024)["tally_oversize"]


def test_the_command_lists_them_as_text_and_json(world):
    doubtful(world)
    out = io.StringIO()
    call_command("data_quality", stdout=out)
    assert "EMPTY-1" in out.getvalue()
    assert "/admin/courses/course/" in out.getvalue()
    out = io.StringIO()
    call_command("data_quality", "--format", "json", "--year", "2024", stdout=out)
    payload = json.loads(out.getvalue())
    assert any("BIG-1" in w["text"] for w in payload["tally_oversize"])
