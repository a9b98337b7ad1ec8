"""The import command's read-ahead (imports/read_ahead.py): manage.py checks and parses the
workbook while Django starts, and the import uses that sheet only when it is the same file,
unchanged, checked under the limits in force; a hostile file still gets its message."""

import shutil
import subprocess
import sys

import pytest

from cadres.models import Cadre
from courses.models import Enrolment
from imports import read_ahead

from ..lost.workers import ROOT, child_env
from .helpers import command, fixture
from .test_odd_files import REFUSED


def manage(*args):
    """``manage.py ARGS`` in its own process, on this test's database."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *map(str, args)],
        env=child_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "participants.xlsx"
    shutil.copy(fixture("participants.xlsx"), path)
    return path


@pytest.fixture(autouse=True)
def _nothing_left_started():
    yield
    read_ahead._started.clear()


def rows_of(sheet):
    return [list(cells) for cells in sheet.iter_rows()]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_process_imports_a_workbook_it_read_ahead(workbook):
    for name in ("courses.xlsx", "courses_en.csv"):
        assert command("courses", fixture(name))[0] == 0
    done = manage("import_spreadsheet", "participants", workbook)
    assert done.returncode == 0, done.stderr
    assert "7 created" in done.stdout
    assert Cadre.objects.count() == 5
    assert Enrolment.objects.count() == 7


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_hostile_workbook_given_to_the_command_process_gets_its_message(name, tmp_path):
    path = tmp_path / name
    shutil.copy(fixture(name), path)
    done = manage("import_spreadsheet", "participants", path)
    assert done.returncode == 1
    assert REFUSED[name] in done.stderr
    assert "Traceback" not in done.stderr
    assert not Cadre.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_lower_row_limit_given_to_the_command_process_still_applies(workbook):
    for name in ("courses.xlsx", "courses_en.csv"):
        assert command("courses", fixture(name))[0] == 0
    done = manage("import_spreadsheet", "participants", workbook, "--max-rows", "2")
    assert done.returncode == 1
    assert "more than 2 rows" in done.stderr
    assert not Cadre.objects.exists()


def test_the_sheet_read_ahead_is_the_file_as_calamine_reads_it(workbook):
    from python_calamine import CalamineWorkbook

    read_ahead.start(["participants", str(workbook), "--dry-run"])
    sheet = read_ahead.take(str(workbook))
    assert sheet is not None
    assert rows_of(sheet) == rows_of(CalamineWorkbook.from_path(workbook).get_sheet_by_index(0))
    assert read_ahead.take(str(workbook)) is None  # taken once: a second reading parses again


def test_a_file_changed_after_it_was_read_ahead_is_read_again(workbook):
    read_ahead.start([str(workbook)])
    read_ahead._started[str(workbook.resolve())].join()
    shutil.copy(fixture("baselines.xlsx"), workbook)
    assert read_ahead.take(str(workbook)) is None


def test_a_sheet_read_ahead_under_other_limits_is_not_used(workbook, settings):
    read_ahead.start([str(workbook)])
    settings.IMPORT_MAX_ROWS = 2  # what --max-rows 2 does once Django has started
    assert read_ahead.take(str(workbook)) is None


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_hostile_workbook_is_never_parsed_ahead(name, tmp_path):
    path = tmp_path / name
    shutil.copy(fixture(name), path)
    read_ahead.start([str(path)])
    assert read_ahead.take(str(path)) is None  # the import checks it and says why


def test_only_existing_workbooks_are_read_ahead(tmp_path):
    csv = tmp_path / "list.csv"
    csv.write_text("a,b\n", encoding="utf-8")
    read_ahead.start(["participants", str(csv), str(tmp_path / "missing.xlsx"), "--course"])
    assert read_ahead._started == {}
    assert read_ahead.take(str(csv)) is None


def test_the_workbook_is_checked_before_django_is_even_imported(workbook):
    # The check runs under the default limits (reading.DEFAULT_LIMITS) in a process that has
    # not imported Django yet: importing django.conf with the settings costs a tenth of a second.
    script = (
        "import sys\n"
        "from imports import read_ahead\n"
        f"read_ahead.start([{str(workbook)!r}])\n"
        "print(sorted(read_ahead._started) != [], any(m.split('.')[0] == 'django' "
        "for m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.split() == ["True", "False"], done.stderr


def test_the_limits_a_workbook_is_read_ahead_under_are_the_defaults_settings_may_change(
    workbook, settings
):
    read_ahead.start([str(workbook)])
    settings.IMPORT_MAX_COLUMNS = 50  # a deployment's own limit: checked again, by the import
    assert read_ahead.take(str(workbook)) is None
