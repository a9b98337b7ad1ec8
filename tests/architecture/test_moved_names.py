"""What moved in round 4 is still there under its old names, and the one job mechanism knows
a task for every kind of job (a kind without one would fail when a user starts it)."""

from imports import tasks as import_tasks
from imports.contract import SHEETS
from imports.kinds import KINDS
from imports.models import Job as ImportsJob
from jobs import runner
from jobs.models import Job


def test_every_kind_of_job_has_its_task():
    assert set(runner.TASKS) == set(Job.Kind.values)


def test_the_job_keeps_its_table_and_its_old_import_paths():
    assert ImportsJob is Job
    assert Job._meta.db_table == "imports_job"
    for name in ("start", "run_job", "finish_job", "mark_stale", "read_progress", "Progress"):
        assert getattr(import_tasks, name) is getattr(runner, name)
    assert import_tasks.TASKS is runner.TASKS


def test_the_plans_kind_is_one_of_the_engines_kinds_after_the_other_four():
    assert list(SHEETS) == ["courses", "participants", "tallies", "baselines", "plans"]
    assert KINDS["plans"].__module__ == "imports.kinds.plans"


def test_the_personal_data_rule_is_one_rule():
    from api import permissions
    from trainingmgr import admin_kit, personal

    for name in ("may_see_personal_data", "masked_id_number", "id_number_for", "birth_for"):
        assert getattr(admin_kit, name) is getattr(personal, name)
    assert permissions.may_see_personal_data is personal.may_see_personal_data
