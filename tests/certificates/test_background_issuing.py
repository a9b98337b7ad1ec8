"""A clerk issues the certificates of a whole course from the course list: the action queues a
background job (the project's one job mechanism, imports/tasks.py), the worker issues them,
and the job's page shows the progress, then who was not eligible and why, and the PDF."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from certificates.models import Certificate
from certificates.tasks import start_issuing
from courses.models import Course
from imports.models import Job

from ..access.conftest import staff
from ..conftest import PASSWORD
from ..lost.workers import start_worker

ACTION_URL = "admin:courses_course_changelist"


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def issue_from_the_course_list(client, course):
    return client.post(
        reverse(ACTION_URL),
        {"action": "issue_certificates", "_selected_action": [course.pk]},
    )


def job_page(client, job):
    return client.get(reverse("admin:imports_importbatch_job", args=[job.pk]))


def log_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the clerk chose English


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_action_queues_a_job_and_the_worker_issues_the_certificates(
    client, course_world, settings
):
    # The real database backend: the job waits for the worker.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    clerk = staff("hvng_clerk", "Clerks")
    log_in(client, clerk)
    response = issue_from_the_course_list(client, course_world.course)
    job = Job.objects.get(kind=Job.Kind.CERTIFICATES)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:imports_importbatch_job", args=[job.pk])
    assert (job.status, job.total, job.user) == ("queued", 6, clerk)
    assert job.params["courses"] == [course_world.course.pk]
    assert not Certificate.objects.exists()
    waiting = job_page(client, job).content.decode()
    assert 'id="job-bar"' in waiting
    assert 'max="6"' in waiting
    assert "0 of 6" in waiting
    assert 'http-equiv="refresh"' in waiting

    worker = start_worker("--batch", "--backend", "default")
    output, _ = worker.communicate(timeout=300)
    assert worker.returncode == 0, output

    job.refresh_from_db()
    assert job.status == "done", (job.message, output)
    assert Certificate.objects.filter(enrolment__course=course_world.course).count() == 4
    assert {c.issued_by for c in Certificate.objects.all()} == {clerk}
    assert job.result["issued"] == 4
    assert job.result["refused"] == 2
    page = job_page(client, job).content.decode()
    assert "6 of 6" in page
    assert "http-equiv" not in page
    assert "HVNG-2026-07: 4 certificates issued, 0 already issued, 2 not eligible." in page
    assert "2 participants not eligible" in page
    assert "HVNG-2026-07: Đỗ Quốc Việt: attendance not complete (attended, not completed)" in page
    assert "HVNG-2026-07: Phạm Thị Thủy: withdrew from the course" in page
    pdf_url = reverse("certificates:course_pdf", args=[course_world.course.code])
    assert f'href="{pdf_url}"' in page
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_a_small_course_goes_through_the_same_job_and_its_page(client, course_world):
    """The suite's backend runs the job at once: the redirect lands on the finished job."""
    clerk = staff("hvng_clerk", "Clerks")
    log_in(client, clerk)
    response = issue_from_the_course_list(client, course_world.course)
    job = Job.objects.get(kind=Job.Kind.CERTIFICATES)
    assert response.status_code == 302
    assert job.status == "done"
    assert Certificate.objects.count() == 4
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in page
    assert "Phạm Thị Thủy" in page


def test_a_second_run_issues_nothing_twice(client, course_world):
    clerk = staff("hvng_clerk", "Clerks")
    log_in(client, clerk)
    issue_from_the_course_list(client, course_world.course)
    first = list(
        Certificate.objects.order_by("pk").values_list("pk", "number", "verification_code")
    )
    assert len(first) == 4
    issue_from_the_course_list(client, course_world.course)
    again = Job.objects.filter(kind=Job.Kind.CERTIFICATES).order_by("-pk").first()
    assert again.status == "done"
    assert (again.result["issued"], again.result["already"], again.result["refused"]) == (0, 4, 2)
    after = list(
        Certificate.objects.order_by("pk").values_list("pk", "number", "verification_code")
    )
    assert after == first
    page = job_page(client, again).content.decode()
    assert "0 certificates issued, 4 already issued, 2 not eligible." in page


def test_the_job_page_is_its_owners_only(client, course_world):
    clerk = staff("hvng_clerk", "Clerks")
    other = staff("other_clerk", "Clerks")
    log_in(client, clerk)
    issue_from_the_course_list(client, course_world.course)
    job = Job.objects.get(kind=Job.Kind.CERTIFICATES)
    assert job_page(client, job).status_code == 200
    client.logout()
    log_in(client, other)
    refused = job_page(client, job)
    assert refused.status_code == 404
    assert "Phạm Thị Thủy" not in refused.content.decode()
    client.logout()
    assert job_page(client, job).status_code == 302  # to the login page


def test_a_manager_queues_nothing(client, course_world):
    manager = staff("boss", "Managers")
    log_in(client, manager)
    issue_from_the_course_list(client, course_world.course)
    assert not Job.objects.exists()
    assert not Certificate.objects.exists()


def test_a_job_whose_user_may_no_longer_issue_writes_nothing(course_world):
    manager = staff("boss", "Managers")
    job = start_issuing(Course.objects.filter(pk=course_world.course.pk), user=manager)
    assert job.status == "failed"
    assert job.message == "You may not issue certificates."
    assert not Certificate.objects.exists()


def test_a_scoped_clerks_job_issues_only_for_the_people_in_scope(course_world, ha_noi_clerk):
    """The course is held in Hà Nội; Hoàng Thị Yến is from Lào Cai, outside the clerk's scope."""
    job = start_issuing(Course.objects.filter(pk=course_world.course.pk), user=ha_noi_clerk)
    assert job.status == "done"
    assert job.total == 5
    holders = sorted(Certificate.objects.values_list("holder_name", flat=True))
    assert holders == ["Lê Văn Quảng", "Nguyễn Thị Hằng", "Trần Minh Đức"]
    assert not any("Hoàng Thị Yến" in line for line in job.result["not_eligible"])


def test_the_job_page_speaks_vietnamese_by_default(client, course_world):
    clerk = staff("hvng_clerk", "Clerks")
    assert client.login(username=clerk.username, password=PASSWORD)  # no language chosen
    response = issue_from_the_course_list(client, course_world.course)
    page = client.get(response["Location"]).content.decode()
    assert "Cấp giấy chứng nhận" in page
    assert "2 học viên không đủ điều kiện" in page
    assert "Phạm Thị Thủy: đã rút khỏi khóa học" in page
    assert "giấy chứng nhận của khóa học (PDF)" in page
    # Counted in participants, not rows, and the way back is the course list.
    assert re.search(r"\d+/\d+ học viên", page)
    assert " dòng" not in page
    assert f'href="{reverse("admin:courses_course_changelist")}"' in page


def test_a_certificates_job_whose_worker_died_says_what_was_kept(course_world):
    """Each certificate is committed on its own: the stale message must not say that nothing
    was written (as it rightly does for an import)."""
    import datetime

    from django.utils import timezone

    from imports.models import Job
    from imports.tasks import mark_stale

    long_ago = timezone.now() - datetime.timedelta(seconds=settings.TASK_STALE_SECONDS + 60)
    job = Job.objects.create(
        kind=Job.Kind.CERTIFICATES, status=Job.Status.RUNNING, title="x", started_at=long_ago
    )
    with translation.override("en"):
        job = mark_stale(job)
    assert job.status == Job.Status.FAILED
    assert "certificates issued before it stopped are kept" in job.message
    assert "Nothing of it was written" not in job.message
