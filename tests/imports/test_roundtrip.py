"""Export -> import is lossless for every kind (issue 9, found 1): the demo's data, exported
through the admin as a clerk would, imports back in a dry run with every row "unchanged";
and imported into a database emptied of courses, enrolments, tallies and baselines, it gives
the same progress_report JSON for every programme."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from cadres.models import WorkforceBaseline
from cadres.resources import WorkforceBaselineExportResource
from courses.models import Course, Enrolment, ParticipantTally, Programme
from courses.resources import (
    CourseExportResource,
    EnrolmentExportResource,
    ParticipantTallyExportResource,
)
from imports.services import run_import

KINDS = {
    "courses": ("admin:courses_course_changelist", CourseExportResource),
    "participants": ("admin:courses_enrolment_changelist", EnrolmentExportResource),
    "tallies": ("admin:courses_participanttally_changelist", ParticipantTallyExportResource),
    "baselines": ("admin:cadres_workforcebaseline_changelist", WorkforceBaselineExportResource),
}
FORMATS = {"xlsx": "0", "csv": "1"}


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def export(client, kind, file_format, tmp_path):
    changelist, resource = KINDS[kind]
    data = {"format": FORMATS[file_format], "resource": "0"}
    for field in resource().get_export_order():
        data[f"{resource.__name__.lower()}_{field}"] = "on"
    response = client.post(reverse(changelist.replace("changelist", "export")), data)
    assert response.status_code == 200, response.content[:300]
    path = tmp_path / f"{kind}.{file_format}"
    path.write_bytes(response.content)
    return path


def progress():
    out = {}
    for code in Programme.objects.order_by("code").values_list("code", flat=True):
        stream = io.StringIO()
        call_command("progress_report", code, "--format", "json", stdout=stream)
        out[code] = json.loads(stream.getvalue())
    return out


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_exported_file_imports_back_unchanged(
    kind, file_format, demo, client, admin_user, tmp_path
):
    client.force_login(admin_user)
    path = export(client, kind, file_format, tmp_path)
    result = run_import(kind, path, user=admin_user, dry_run=True)
    assert result.ok, result.error_lines()[:5]
    assert result.rows > 0
    assert (result.created, result.updated, result.unchanged) == (0, 0, result.rows)


def test_the_exports_rebuild_the_same_progress_in_an_empty_database(
    demo, client, admin_user, tmp_path
):
    client.force_login(admin_user)
    # Emptying the database deletes the demo's approved year too: an administrator reopens it.
    from plans import periods
    from plans.models import ReportingPeriod

    for period in ReportingPeriod.objects.filter(status=ReportingPeriod.Status.APPROVED):
        periods.reopen(period, user=admin_user, reason="round trip")
    before = progress()
    files = {kind: export(client, kind, "xlsx", tmp_path) for kind in KINDS}
    from certificates.models import Certificate

    Certificate.objects.all().delete()  # certificates protect the enrolments they certify
    Enrolment.objects.all().delete()
    ParticipantTally.objects.all().delete()
    WorkforceBaseline.objects.all().delete()
    Course.objects.all().delete()
    for kind in ["courses", "participants", "tallies", "baselines"]:
        result = run_import(kind, files[kind], user=admin_user)
        assert result.ok, (kind, result.error_lines()[:5])
    assert progress() == before
