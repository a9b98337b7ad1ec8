"""Two clerks import, at the same moment and in two processes, lists that name the same new
agency: one agency is created, and both imports are applied (issue 10, item 5)."""

import subprocess
import sys

import pytest

from cadres.models import Agency
from courses.models import Enrolment
from imports.models import ImportBatch

from .workers import ROOT, child_env, course, people_sheet


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_imports_naming_the_same_new_agency_at_once_both_apply(tmp_path):
    course("K-A")
    course("K-B")
    first = people_sheet(tmp_path / "a.csv", 300, code="K-A", agency="Sở Hợp tác Quốc tế Mới")
    second = people_sheet(tmp_path / "b.csv", 300, code="K-B", agency="Sở Hợp tác Quốc tế Mới")
    command = [sys.executable, str(ROOT / "manage.py"), "import_spreadsheet", "participants"]
    processes = [
        subprocess.Popen(
            [*command, str(path)],
            env=child_env(),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in (first, second)
    ]
    outputs = [process.communicate(timeout=600) for process in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "batch" in out
    assert Agency.objects.filter(name="Sở Hợp tác Quốc tế Mới").count() == 1
    assert ImportBatch.objects.filter(status="applied").count() == 2
    assert Enrolment.objects.filter(course__code="K-A").count() == 300
    assert Enrolment.objects.filter(course__code="K-B").count() == 300
