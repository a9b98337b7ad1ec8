"""A clerk issues the certificates of a course: who gets one, who does not and why, numbers,
issuing twice, replacement and revocation."""

import datetime
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from certificates.models import Certificate, NumberCounter
from certificates.services import (
    CertificateError,
    issue_certificate,
    issue_for_course,
    replace_certificate,
    revoke_certificate,
)
from courses.models import Course

from ..access.conftest import staff
from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """The service's messages in English, as the command prints them by default."""
    with translation.override("en"):
        yield


def issue_command(code, *args):
    out = StringIO()
    call_command("issue_certificates", code, *args, stdout=out)
    return out.getvalue()


def test_the_command_issues_every_eligible_certificate_and_lists_who_is_not(course_world):
    output = issue_command(course_world.course.code, "--date", "2026-10-12")
    lines = output.strip().splitlines()
    assert lines[:2] == [
        "not eligible: Đỗ Quốc Việt: attendance not complete (attended, not completed)",
        "not eligible: Phạm Thị Thủy: withdrew from the course",
    ]
    assert lines[2] == "HVNG-2026-07: 4 issued, 0 already issued, 2 not eligible."
    certificates = Certificate.objects.order_by("number")
    assert certificates.count() == 4
    assert [c.number for c in certificates] == [
        "HVNG/2026/000001",
        "HVNG/2026/000002",
        "HVNG/2026/000003",
        "HVNG/2026/000004",
    ]
    hang = Certificate.objects.get(enrolment=course_world.enrolments.hang)
    assert hang.status == "valid"
    assert hang.holder_name == "Nguyễn Thị Hằng"
    assert hang.issued_on == datetime.date(2026, 10, 12)
    assert hang.signer_title == "Giám đốc Học viện Ngoại giao"
    assert hang.issuer_name == "Học viện Ngoại giao"
    assert not Certificate.objects.filter(
        enrolment__in=[course_world.enrolments.withdrew, course_world.enrolments.attended]
    ).exists()


def test_issuing_twice_writes_nothing_the_second_time(course_world):
    issue_command(course_world.course.code)
    before = list(Certificate.objects.values_list("pk", "number", "verification_code"))
    output = issue_command(course_world.course.code)
    assert "0 issued, 4 already issued, 2 not eligible." in output
    assert list(Certificate.objects.values_list("pk", "number", "verification_code")) == before
    with pytest.raises(CertificateError, match="already issued"):
        issue_certificate(course_world.enrolments.hang)
    assert Certificate.objects.count() == 4


def test_a_withdrawn_or_incomplete_enrolment_gets_no_certificate(course_world):
    with pytest.raises(CertificateError, match="withdrew"):
        issue_certificate(course_world.enrolments.withdrew)
    with pytest.raises(CertificateError, match="attendance not complete"):
        issue_certificate(course_world.enrolments.attended)
    assert not Certificate.objects.exists()
    assert not NumberCounter.objects.exists()


def test_scores_below_the_pass_mark_or_missing_are_refused_when_the_course_records_scores(
    course_world,
):
    e = course_world.enrolments
    for enrolment, score in ((e.hang, "8.5"), (e.duc, "5"), (e.yen, "4.75")):
        enrolment.score = Decimal(score)
        enrolment.save()
    outcome = issue_for_course(course_world.course)
    refused = {r.holder: r.reason for r in outcome.not_eligible}
    assert refused["Hoàng Thị Yến"] == "score 4.75 below the pass mark 5"
    assert refused["Lê Văn Quảng"] == "no score recorded (the course records scores)"
    assert {c.holder_name for c in outcome.issued} == {"Nguyễn Thị Hằng", "Trần Minh Đức"}
    # A course may set its own pass mark.
    Course.objects.filter(pk=course_world.course.pk).update(pass_mark=Decimal("4.5"))
    course = Course.objects.get(pk=course_world.course.pk)
    outcome = issue_for_course(course)
    assert [c.holder_name for c in outcome.issued] == ["Hoàng Thị Yến"]


def test_a_planned_course_issues_nothing(course_world):
    Course.objects.filter(pk=course_world.course.pk).update(status=Course.Status.PLANNED)
    output = issue_command(course_world.course.code)
    assert output.count("not eligible:") == 6
    assert "the course is planned" in output
    assert not Certificate.objects.exists()


def test_an_unknown_course_code_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No course has the code NOPE"):
        issue_command("NOPE")


def test_a_lost_certificate_gets_a_replacement_pointing_to_the_original(course_world):
    issue_for_course(course_world.course)
    original = Certificate.objects.get(enrolment=course_world.enrolments.hang)
    replacement = replace_certificate(original)
    original.refresh_from_db()
    assert original.status == "replaced"
    assert replacement.status == "valid"
    assert replacement.replaces == original
    assert replacement.number != original.number
    assert replacement.verification_code != original.verification_code
    assert replacement.holder_name == "Nguyễn Thị Hằng"
    with pytest.raises(CertificateError, match="Only a valid certificate"):
        replace_certificate(original)
    assert Certificate.objects.filter(enrolment=course_world.enrolments.hang).count() == 2


def test_a_revoked_certificate_says_so_and_needs_a_reason(course_world):
    issue_for_course(course_world.course)
    certificate = Certificate.objects.get(enrolment=course_world.enrolments.duc)
    with pytest.raises(CertificateError, match="reason"):
        revoke_certificate(certificate, reason="  ")
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    revoke_certificate(certificate, reason="Hồ sơ không hợp lệ")
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.revoked_on
    with pytest.raises(CertificateError):
        replace_certificate(certificate)
    with pytest.raises(CertificateError, match="already issued"):
        issue_certificate(course_world.enrolments.duc)


def test_the_database_refuses_a_second_current_certificate(course_world):
    from django.db import IntegrityError, transaction

    issue_for_course(course_world.course)
    first = Certificate.objects.get(enrolment=course_world.enrolments.hang)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            number="X/2026/1",
            enrolment=first.enrolment,
            issued_on=first.issued_on,
            issuer_name="x",
            holder_name="x",
            course_title="x",
        )


def test_verification_codes_are_random_not_derived_from_the_number(course_world):
    issue_for_course(course_world.course)
    codes = list(Certificate.objects.values_list("verification_code", flat=True))
    assert len(set(codes)) == 4
    assert all(len(code) == 12 and code.isalnum() and code.isupper() for code in codes)
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert not any(n.split("/")[-1] in code for n, code in zip(numbers, codes, strict=True))


def test_numbers_are_per_organiser_and_year(course_world):
    issue_for_course(course_world.course, issued_on=datetime.date(2026, 12, 30))
    from ..admin.conftest import enrol, make_cadre, make_course

    other = make_course("HVNG-2027-01", organiser=course_world.academy)
    enrol(other, make_cadre("Vũ Thị Lan"), "completed")
    outcome = issue_for_course(other, issued_on=datetime.date(2027, 1, 4))
    assert [c.number for c in outcome.issued] == ["HVNG/2027/000001"]
    plain = make_course("NO-ORG")
    enrol(plain, make_cadre("Mai Văn Tú"), "completed")
    outcome = issue_for_course(plain, issued_on=datetime.date(2027, 1, 4))
    assert [c.number for c in outcome.issued] == ["CC/2027/000001"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issuers_never_share_a_number(course_world):
    """Two courses of the same organiser issued at once, from two connections."""
    from ..admin.conftest import enrol, make_cadre, make_course

    second = make_course("HVNG-2026-08", organiser=course_world.academy)
    for n in range(4):
        enrol(second, make_cadre(f"Học viên {n}"), "completed")
    errors = []

    def run(course):
        try:
            issue_for_course(course, issued_on=datetime.date(2026, 11, 1))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in (course_world.course, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == 8
    assert sorted(numbers) == [f"HVNG/2026/{n:06d}" for n in range(1, 9)]


def test_a_clerk_issues_from_the_course_list(client, course_world):
    clerk = staff("hvng_clerk", "Clerks")
    client.login(username=clerk.username, password=PASSWORD)
    url = reverse("admin:courses_course_changelist")
    response = client.post(
        url,
        {"action": "issue_certificates", "_selected_action": [course_world.course.pk]},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "HVNG-2026-07" in text
    assert "Phạm Thị Thủy" in text
    assert "Đỗ Quốc Việt" in text
    assert Certificate.objects.count() == 4


def test_a_scoped_clerk_issues_only_for_the_people_in_scope(client, course_world):
    from accounts.models import AccessScope

    from ..access.conftest import current

    clerk = staff("laocai", "Clerks", kind=AccessScope.Kind.LOCALITY, locality=current("15"))
    outcome = issue_for_course(course_world.course, clerk)
    assert [c.holder_name for c in outcome.issued] == ["Hoàng Thị Yến"]
    assert outcome.not_eligible == []


def test_a_manager_may_not_issue(client, course_world):
    manager = staff("boss", "Managers")
    client.login(username=manager.username, password=PASSWORD)
    client.post(
        reverse("admin:courses_course_changelist"),
        {"action": "issue_certificates", "_selected_action": [course_world.course.pk]},
        follow=True,
    )
    assert not Certificate.objects.exists()


def test_progress_is_reported_for_a_background_run(course_world):
    seen = []
    issue_for_course(course_world.course, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 6) for n in range(1, 7)]
