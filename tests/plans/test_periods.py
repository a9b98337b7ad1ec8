"""Who may move a period, completeness and lateness, reminders, and the approved share on
the programme page; the lock of baselines and tallies for the unit's year only."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from cadres.models import Rank, WorkforceBaseline
from plans import periods
from plans.models import ReportingDeadline, ReportingPeriod

from ..admin.conftest import tally
from .conftest import current
from .helpers import period_url


def approved(locality, year, by):
    period = periods.period_for(year=year, locality=locality)
    period = periods.submit(period, user=by["clerk"], note="xong")
    return periods.approve(period, user=by["manager"])


def test_only_a_clerk_of_the_unit_submits(
    world, lao_cai_clerk, ha_noi_clerk, ministry_clerk, manager
):
    period = periods.period_for(year=2026, locality=current("15"))
    assert periods.may_submit(lao_cai_clerk, period)
    assert not periods.may_submit(ha_noi_clerk, period)
    assert not periods.may_submit(ministry_clerk, period)
    assert not periods.may_submit(manager, period)  # managers read and approve
    with pytest.raises(PermissionDenied):
        periods.submit(period, user=ha_noi_clerk)
    period.refresh_from_db()
    assert period.status == "open"
    assert not period.transitions.exists()


def test_a_ha_noi_clerk_cannot_open_the_lao_cai_period_page(client, world, ha_noi_clerk):
    client.force_login(ha_noi_clerk)
    assert client.get(period_url(2026, current("15"))).status_code == 404
    assert client.post(period_url(2026, current("15")), {"action": "submit"}).status_code == 404
    assert not ReportingPeriod.objects.exists()
    assert client.get("/plans/periods/2026/locality-999999999/").status_code == 404
    assert client.get("/plans/periods/2026/nothing/").status_code == 404


def test_only_an_administrator_reopens(world, lao_cai_clerk, manager, administrator):
    period = approved(current("15"), 2026, {"clerk": lao_cai_clerk, "manager": manager})
    assert not periods.may_reopen(manager, period)
    assert not periods.may_reopen(lao_cai_clerk, period)
    with pytest.raises(ValidationError):
        periods.reopen(period, user=administrator, reason="  ")
    period = periods.reopen(period, user=administrator, reason="sai số liệu")
    assert period.status == "open"
    assert period.approved_by is None


def test_the_lock_covers_baselines_and_tallies_of_that_unit_and_year_only(
    world, year_2026, lao_cai_clerk, manager
):
    approved(current("15"), 2026, {"clerk": lao_cai_clerk, "manager": manager})
    officer = Rank.objects.get(code=Rank.OFFICER)
    with pytest.raises(ValidationError) as refused:
        WorkforceBaseline.objects.create(
            year=2026, rank=officer, locality=current("15"), headcount=3
        )
    shown = " ".join(refused.value.messages)
    assert "approved" in shown or "đã duyệt" in shown
    WorkforceBaseline.objects.create(year=2025, rank=officer, locality=current("15"), headcount=3)
    WorkforceBaseline.objects.create(year=2026, rank=officer, locality=current("01"), headcount=3)
    with pytest.raises(ValidationError):
        tally(year_2026.lc_home, 1, rank_code=Rank.OTHER)
    with pytest.raises(ValidationError):  # a Lào Cai participant's tally on a Hà Nội course
        tally(year_2026.hn, 1, rank_code=Rank.OTHER, locality=current("15"))
    tally(year_2026.hn, 1, rank_code=Rank.OTHER, locality=current("01"))
    year_2026.lc_home.start_date = datetime.date(2025, 12, 1)
    with pytest.raises(ValidationError):  # moving a course out of the locked year
        year_2026.lc_home.save()


def test_a_plans_import_into_an_approved_year_is_refused(world, lao_cai_clerk, manager, tmp_path):
    from .helpers import write_csv

    approved(current("15"), 2026, {"clerk": lao_cai_clerk, "manager": manager})
    path = write_csv(
        tmp_path / "p.csv",
        [
            ["Năm", "Tỉnh/thành", "Loại khóa", "Số lượt"],
            ["2026", "Lào Cai", "KY_NANG", "5"],
            ["2026", "Hà Nội", "KY_NANG", "5"],
        ],
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("import_spreadsheet", "plans", str(path), stdout=out, stderr=err)
    assert exit_code.value.code == 1
    assert "row 2" in err.getvalue()
    assert "approved" in err.getvalue()
    from plans.models import Plan

    assert not Plan.objects.exists()


def test_completeness_counts_submitted_approved_and_late(
    client, world, lao_cai_clerk, ha_noi_clerk, manager
):
    approved(current("15"), 2025, {"clerk": lao_cai_clerk, "manager": manager})
    periods.submit(periods.period_for(year=2025, locality=current("01")), user=ha_noi_clerk)
    ReportingDeadline.objects.create(year=2025, due=datetime.date(2026, 1, 15))
    data = periods.completeness(2025, today=datetime.date(2026, 2, 1))
    counts = data["counts"]
    assert (counts["provinces"], counts["approved"], counts["submitted"]) == (34, 1, 1)
    assert counts["late"] == 32
    assert data["due"] == datetime.date(2026, 1, 15)
    early = periods.completeness(2025, today=datetime.date(2026, 1, 10))
    assert early["counts"]["late"] == 0
    assert periods.approved_share(2025) == (1, 34)
    client.force_login(manager)
    page = client.get(reverse("plans:completeness"), {"year": "2025"}).content.decode()
    assert "1/34" in page
    client.force_login(lao_cai_clerk)
    rows = client.get(reverse("plans:completeness"), {"year": "2025"}).context["data"]["rows"]
    assert [row["unit"].code for row in rows] == ["15"]


def test_reminders_go_to_the_clerks_of_late_units_in_vietnamese(world, lao_cai_clerk, ha_noi_clerk):
    periods.submit(periods.period_for(year=2020, locality=current("01")), user=ha_noi_clerk)
    out = io.StringIO()
    call_command("send_period_reminders", "--year", "2020", stdout=out)
    assert len(mail.outbox) == 1  # Lào Cai is late; Hà Nội submitted; no other clerk
    message = mail.outbox[0]
    assert message.to == [lao_cai_clerk.email]
    assert "2020" in message.subject
    assert "Lào Cai" in message.subject
    assert "33 late units" in out.getvalue()
    mail.outbox.clear()
    call_command("send_period_reminders", "--year", "2020", "--dry-run", stdout=io.StringIO())
    assert not mail.outbox


def test_the_programme_page_shows_the_approved_share(client, world, lao_cai_clerk, manager):
    approved(current("15"), 2020, {"clerk": lao_cai_clerk, "manager": manager})
    client.force_login(manager)
    page = client.get(reverse("reports:programme_detail", args=["QD2007-2015"])).content.decode()
    assert "1/34" in page


def test_a_periods_short_link_outside_the_scope_is_a_404(
    client, world, lao_cai_clerk, ha_noi_clerk
):
    period = periods.period_for(year=2026, locality=current("15"))
    client.force_login(ha_noi_clerk)
    response = client.get(reverse("plans:period", args=[period.pk]))
    assert response.status_code == 404  # as a period that does not exist: no unit, no year
    assert client.get(reverse("plans:period", args=[999999])).status_code == 404
    client.force_login(lao_cai_clerk)
    response = client.get(reverse("plans:period", args=[period.pk]))
    assert response.status_code == 302
    assert response.url == period_url(2026, current("15"))


def test_completeness_lists_the_units_whose_periods_the_user_may_see(
    client, world, lao_cai_clerk, ha_noi_clerk, ministry_clerk
):
    from plans.models import Plan

    Plan.objects.create(agency=world.agencies.lc, year=2025)  # Sở Ngoại vụ Lào Cai
    Plan.objects.create(agency=world.agencies.bng, year=2025)

    def units(user):
        client.force_login(user)
        rows = client.get(reverse("plans:completeness"), {"year": "2025"}).context["data"]["rows"]
        return [str(row["unit"]) for row in rows]

    assert units(lao_cai_clerk) == [str(current("15")), str(world.agencies.lc)]
    assert units(ha_noi_clerk) == [str(current("01"))]
    assert units(ministry_clerk) == [str(world.agencies.bng)]
