"""The lock refuses what would change an approved year, not what would leave it as it is
(issue 14): a file imported before the approval goes in again as "unchanged"; a file that
changes a row of the approved unit and year is refused whole, the row named, with who
approved it."""

import pytest

from cadres.models import WorkforceBaseline
from imports.services import run_import
from plans import periods
from plans.models import Plan, PlanLine

from .conftest import current
from .helpers import write_csv

PLANS = [
    ["Năm", "Tỉnh/thành", "Loại khóa", "Số lượt"],
    ["2026", "Lào Cai", "KY_NANG", "5"],
    ["2026", "Lào Cai", "KIEN_THUC", "12"],
]
BASELINES = [
    ["Năm", "Tỉnh/thành", "Cấp", "Số lượng"],
    ["2026", "Lào Cai", "CHUYEN_VIEN", "40"],
]


@pytest.fixture
def approved_lao_cai(world, lao_cai_clerk, manager, tmp_path):
    """Lào Cai's 2026 plan and baseline imported by its clerk, then the year approved."""
    for kind, rows in (("plans", PLANS), ("baselines", BASELINES)):
        result = run_import(
            kind, str(write_csv(tmp_path / f"{kind}.csv", rows)), user=lao_cai_clerk
        )
        assert result.ok, result.error_lines()
    period = periods.submit(
        periods.period_for(year=2026, locality=current("15")), user=lao_cai_clerk, note="xong"
    )
    return periods.approve(period, user=manager)


@pytest.mark.parametrize(("kind", "rows"), [("plans", PLANS), ("baselines", BASELINES)])
def test_the_same_file_imported_again_into_the_approved_year_changes_nothing(
    kind, rows, approved_lao_cai, lao_cai_clerk, tmp_path
):
    result = run_import(kind, str(write_csv(tmp_path / "again.csv", rows)), user=lao_cai_clerk)
    assert result.ok, result.error_lines()
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(rows) - 1)
    assert result.batch is None  # nothing to change, no batch recorded


def test_a_changed_line_of_the_approved_year_refuses_the_whole_file(
    approved_lao_cai, lao_cai_clerk, tmp_path
):
    rows = [*PLANS, ["2026", "Lào Cai", "TAP_HUAN", "7"]]  # a new line: refused
    rows[2] = ["2026", "Lào Cai", "KIEN_THUC", "13"]  # 12 → 13: refused
    result = run_import("plans", str(write_csv(tmp_path / "changed.csv", rows)), user=lao_cai_clerk)
    assert not result.ok
    refused = {row: message for row, _column, message in result.errors}
    assert sorted(refused) == [3, 4]  # row 2 is unchanged and passes
    assert "approved" in refused[3] or "đã duyệt" in refused[3]
    assert "manager" in refused[3]
    assert "Lào Cai" in refused[3]
    line = PlanLine.objects.get(course_type__code="KIEN_THUC")
    assert line.participant_times == 12
    assert PlanLine.objects.count() == 2
    assert Plan.objects.count() == 1


def test_a_changed_baseline_of_the_approved_year_is_refused_and_another_year_is_not(
    approved_lao_cai, lao_cai_clerk, tmp_path
):
    rows = [*BASELINES, ["2027", "Lào Cai", "CHUYEN_VIEN", "45"]]
    rows[1] = ["2026", "Lào Cai", "CHUYEN_VIEN", "41"]
    result = run_import("baselines", str(write_csv(tmp_path / "b.csv", rows)), user=lao_cai_clerk)
    assert [row for row, _column, _message in result.errors] == [2]
    assert not WorkforceBaseline.objects.filter(year=2027).exists()  # the whole file refused

    del rows[1]
    result = run_import("baselines", str(write_csv(tmp_path / "c.csv", rows)), user=lao_cai_clerk)
    assert result.ok
    assert result.created == 1
    assert WorkforceBaseline.objects.get(year=2026).headcount == 40
