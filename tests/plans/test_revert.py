"""Reverting a plans import (issue 14): the plans and lines it created go, the lines it
updated get their values back, and a line changed by hand after the import is kept and named
(the rule of every kind, imports.services)."""

from django.utils import translation

from imports.models import ImportBatch
from imports.services import plan_revert, revert_batch, run_import
from plans.models import Plan, PlanLine

from .helpers import write_csv
from .test_rules import HEADER

ROWS = [
    ["2026", "Lào Cai", "", "", "KIEN_THUC", "2", "CHUYEN_VIEN", "60", "150.000.000", "NSĐP", "2"],
    ["2026", "Lào Cai", "", "", "KY_NANG", "1", "", "30", "", "", ""],
    ["2026", "", "BNG", "NQ26-2018", "KY_NANG", "1", "", "40", "0", "", ""],
]


def imported(tmp_path, rows, name="plans.csv"):
    result = run_import("plans", str(write_csv(tmp_path / name, [HEADER, *rows])))
    assert result.ok, result.errors
    return result.batch


def test_reverting_a_plans_import_leaves_nothing_of_it(db, tmp_path, admin_user):
    batch = imported(tmp_path, ROWS)
    assert Plan.objects.count() == 2
    assert PlanLine.objects.count() == 3

    reverted = revert_batch(batch, user=admin_user)

    assert not Plan.objects.exists()
    assert not PlanLine.objects.exists()
    assert reverted.status == ImportBatch.Status.REVERTED
    removed = reverted.details["revert"]["removed"]
    assert sorted(removed.values()) == [2, 3]  # 3 lines, 2 plans


def test_reverting_an_update_puts_the_planned_figures_back(db, tmp_path, admin_user):
    imported(tmp_path, ROWS)
    changed = [list(row) for row in ROWS]
    changed[1][7] = "45"  # Lào Cai's skills line: 30 → 45 participant-times
    update = imported(tmp_path, changed, "plans-2.csv")
    line = PlanLine.objects.get(plan__locality__code="15", course_type__code="KY_NANG")
    assert line.participant_times == 45
    assert update.updated == 1

    revert_batch(update, user=admin_user)

    line.refresh_from_db()
    assert line.participant_times == 30
    assert Plan.objects.count() == 2
    assert PlanLine.objects.count() == 3


def test_a_line_changed_by_hand_after_the_import_is_kept_and_named(db, tmp_path, admin_user):
    batch = imported(tmp_path, ROWS)
    line = PlanLine.objects.get(plan__locality__code="15", course_type__code="KY_NANG")
    line.participant_times = 35
    line._history_user = admin_user  # as the admin saves it: the history says who
    line.save()

    with translation.override("en"):
        lines = "\n".join(plan_revert(batch, user=admin_user).summary())
    assert "changed by admin" in lines
    assert "plan line Lào Cai · 2026 · " in lines
    revert_batch(batch, user=admin_user)

    line.refresh_from_db()
    assert line.participant_times == 35
    assert list(PlanLine.objects.all()) == [line]
    # Its plan stays with it (the kept line refers to it); the other plan is gone.
    assert list(Plan.objects.values_list("locality__code", flat=True)) == ["15"]
