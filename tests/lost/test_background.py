"""Long work runs in the background worker, with a page that shows its progress.

Most tests run the tasks at once (the suite's default backend is "immediate"); the tests
marked here with a worker start the real database backend's `db_worker` process."""

import os
import signal
import sqlite3

import pytest
from django.db import connection
from django.urls import reverse

from cadres.models import Cadre
from courses.models import Enrolment
from imports.models import ImportBatch, Job
from imports.services import run_import
from imports.tasks import import_task, read_progress

from .workers import course, people_sheet, start_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def upload_and_preview(client, path):
    with open(path, "rb") as stream:
        page = client.post(
            reverse("admin:imports_importbatch_upload"), {"kind": "participants", "file": stream}
        )
    assert page.status_code == 200
    return page.context["token"]


def queued_import_job(client, admin_user, path):
    """Upload, preview, and a job on the real database backend (queued, not yet run)."""
    token = upload_and_preview(client, path)
    upload = client.session["imports_uploads"][token]
    job = Job.objects.create(
        kind=Job.Kind.IMPORT,
        user=admin_user,
        title=upload["name"],
        total=upload["rows"],
        params={**upload, "language": "en"},
    )
    result = import_task.using(backend="database").enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    return job


def test_the_job_page_shows_rows_done_of_total_and_a_bar(client, admin_user, tmp_path):
    course()
    client.force_login(admin_user)
    job = queued_import_job(client, admin_user, people_sheet(tmp_path / "a.csv", 30))
    page = client.get(reverse("admin:imports_importbatch_job", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="job-bar"' in html
    assert 'max="30"' in html
    assert "0 of 30 rows" in html
    assert 'http-equiv="refresh"' in html
    assert Job.objects.get(pk=job.pk).status == "queued"


def test_an_import_runs_in_the_real_worker_and_its_page_shows_the_result(
    client, admin_user, tmp_path
):
    course()
    client.force_login(admin_user)
    job = queued_import_job(client, admin_user, people_sheet(tmp_path / "b.csv", 40))
    worker = start_worker("--batch")
    output, _ = worker.communicate(timeout=300)
    assert worker.returncode == 0, output
    job.refresh_from_db()
    assert job.status == "done", (job.message, output)
    assert job.batch is not None
    assert job.batch.created == 40
    assert Enrolment.objects.filter(course__code="K-BG").count() == 40
    html = client.get(reverse("admin:imports_importbatch_job", args=[job.pk])).content.decode()
    assert "40 of 40 rows" in html
    assert "40 created" in html
    assert "http-equiv" not in html


def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_runs_again(
    client, admin_user, tmp_path, settings
):
    settings.TASK_STALE_SECONDS = 2
    course()
    client.force_login(admin_user)
    job = queued_import_job(client, admin_user, people_sheet(tmp_path / "big.csv", 20_000))
    worker = start_worker()
    try:
        wait_for(lambda: read_progress(job)[0] > 0)  # rows are going in
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=60)
    assert (Cadre.objects.count(), Enrolment.objects.count(), ImportBatch.objects.count()) == (
        0,
        0,
        0,
    )
    # The page finds the worker gone: the job is marked failed, with the reason.
    job_url = reverse("admin:imports_importbatch_job", args=[job.pk])

    def failed():
        page = client.get(job_url)
        return "failed" if 'data-status="failed"' in page.content.decode() else ""

    wait_for(failed, timeout=60)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "worker stopped" in job.message
    assert "Nothing of it was written" in job.message
    # Run it again (here the default backend runs it at once).
    again = client.post(reverse("admin:imports_importbatch_job_retry", args=[job.pk]))
    assert again.status_code == 302
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert Enrolment.objects.count() == 20_000
    assert job.attempts == 2


def test_a_revert_confirmed_in_the_admin_runs_as_a_job(client, admin_user, tmp_path):
    course()
    assert run_import("participants", people_sheet(tmp_path / "c.csv", 12), user=admin_user).ok
    batch = ImportBatch.objects.get()
    client.force_login(admin_user)
    client.post(
        reverse("admin:imports_importbatch_changelist"),
        {"action": "revert_selected", "_selected_action": [batch.pk], "post": "yes"},
    )
    job = Job.objects.get(kind="revert")
    assert job.status == "done"
    assert job.batch == batch
    assert job.total == 12
    assert Cadre.objects.count() == 0
    html = client.get(reverse("admin:imports_importbatch_job", args=[job.pk])).content.decode()
    assert "Removed: 12 enrolments, 12 cadres, 1 agencies" in html


def test_the_file_of_errors_of_a_large_sheet_comes_from_a_job(
    client, admin_user, tmp_path, settings
):
    settings.IMPORT_TASK_MIN_ROWS = 5
    course()
    path = people_sheet(tmp_path / "d.csv", 8, code="K-NOWHERE")
    client.force_login(admin_user)
    token = upload_and_preview(client, path)
    response = client.get(reverse("admin:imports_importbatch_errors", args=[token]))
    job = Job.objects.get(kind="errors")
    assert response.status_code == 302
    assert job.status == "done"
    download = client.get(response["Location"])
    assert download.status_code == 200
    assert "Lỗi" in download.content.decode("utf-8-sig")


def test_another_user_cannot_see_a_job(client, admin_user, clerk, tmp_path):
    course()
    client.force_login(admin_user)
    job = queued_import_job(client, admin_user, people_sheet(tmp_path / "e.csv", 3))
    client.force_login(clerk)
    assert client.get(reverse("admin:imports_importbatch_job", args=[job.pk])).status_code in (
        403,
        404,
    )


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')")
def test_on_sqlite_the_dry_run_does_not_hold_the_write_lock(tmp_path):
    """While the preview reads the sheet, another connection can write at once."""
    course()
    path = people_sheet(tmp_path / "f.csv", 50)
    database = connection.settings_dict["NAME"]
    wrote = []

    def write_meanwhile(number):
        if number == 10:
            other = sqlite3.connect(database, timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                wrote.append(True)
            finally:
                other.close()

    result = run_import("participants", path, dry_run=True, progress=write_meanwhile)
    assert result.ok
    assert result.created == 50
    assert wrote == [True]
    assert Cadre.objects.count() == 0
