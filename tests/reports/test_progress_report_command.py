"""python manage.py progress_report: the JSON contract, csv, text, and exit 1."""

import io
import json

import pytest
from django.core.management import call_command, execute_from_command_line

from tests.reports.conftest import add_target


def run(*args):
    out = io.StringIO()
    call_command("progress_report", *args, stdout=out)
    return out.getvalue()


def test_json_keeps_the_contract(world):
    add_target(world, "PT20", "participant_times", 20)
    report = json.loads(run("TEST-P", "--as-of", "2022-01-01"))
    assert list(report) == [
        "programme",
        "first_year",
        "last_year",
        "totals",
        "by_rank",
        "by_year",
        "by_locality",
        "targets",
        "plan",  # plans.figures.plan_json (issue 14)
    ]
    assert report["targets"] == [
        {
            "code": "PT20",
            "label": "Label PT20",
            "metric": "participant_times",
            "target": 20,
            "actual": 14,  # as of 1/1/2022: C4 (started 1/5/2022) is not counted yet
            "progress_pct": 70.0,
            "status": "on_track",
            "short_localities": [],
        }
    ]
    assert report["by_locality"]["15"] == 6


def test_text_and_csv(world):
    add_target(world, "PT20", "participant_times", 20)
    text = run("TEST-P", "--format", "text", "--as-of", "2023-12-31")
    assert "Participant-times" in text
    assert "15" in text
    assert "[behind] PT20" in text
    csv_text = run("TEST-P", "--format", "csv")
    assert "Participant-times,15" in csv_text


def test_an_unknown_programme_exits_1_with_a_message(world, capsys):
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "progress_report", "NOPE", "--skip-checks"])
    assert exit_info.value.code == 1
    assert "Unknown programme 'NOPE'" in capsys.readouterr().err
