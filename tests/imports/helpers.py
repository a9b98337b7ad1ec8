"""Helpers for the import tests: fixture paths, running the command as a user would."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture(name):
    return FIXTURES / name


def command(*args):
    """Run import_spreadsheet; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_spreadsheet", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def write_csv(tmp_path, name, rows):
    import csv

    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


@pytest.fixture
def courses(db):
    code, _out, err = command("courses", fixture("courses.xlsx"))
    assert code == 0, err
    code, _out, err = command("courses", fixture("courses_en.csv"))
    assert code == 0, err
