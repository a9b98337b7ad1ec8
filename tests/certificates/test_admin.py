"""The certificate list in the admin: a clerk replaces a lost certificate and revokes one
(with a reason), within the scope; nobody adds or deletes a certificate by hand."""

import pytest
from django.urls import reverse

from accounts.models import AccessScope
from certificates.models import Certificate
from certificates.services import issue_for_course

from ..access.conftest import current, staff

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:certificates_certificate_changelist"


@pytest.fixture
def clerk_client(client, course_world):
    issue_for_course(course_world.course)
    client.force_login(staff("hvng_clerk", "Clerks"))
    return client


def test_the_list_shows_the_certificates_with_their_links(clerk_client):
    page = clerk_client.get(reverse(CHANGELIST))
    assert page.status_code == 200
    html = page.content.decode()
    for certificate in Certificate.objects.all():
        assert certificate.number in html
        assert f"/v/{certificate.verification_code}/" in html
    one = Certificate.objects.first()
    detail = clerk_client.get(reverse("admin:certificates_certificate_change", args=[one.pk]))
    assert detail.status_code == 200
    assert one.display_code in detail.content.decode()
    assert clerk_client.get(reverse("admin:certificates_certificate_add")).status_code == 403


def test_a_clerk_replaces_a_lost_certificate(clerk_client, course_world):
    original = Certificate.objects.get(enrolment=course_world.enrolments.hang)
    response = clerk_client.post(
        reverse(CHANGELIST),
        {"action": "replace_selected", "_selected_action": [original.pk]},
        follow=True,
    )
    assert response.status_code == 200
    original.refresh_from_db()
    assert original.status == "replaced"
    replacement = Certificate.objects.get(replaces=original)
    assert replacement.status == "valid"
    assert replacement.number in response.content.decode()


def test_a_clerk_revokes_with_a_reason_only(clerk_client, course_world):
    target = Certificate.objects.get(enrolment=course_world.enrolments.duc)
    ask = clerk_client.post(
        reverse(CHANGELIST), {"action": "revoke_selected", "_selected_action": [target.pk]}
    )
    assert ask.status_code == 200
    assert "Lý do thu hồi" in ask.content.decode()
    target.refresh_from_db()
    assert target.status == "valid"
    empty = clerk_client.post(
        reverse(CHANGELIST),
        {
            "action": "revoke_selected",
            "_selected_action": [target.pk],
            "confirm": "yes",
            "reason": " ",
        },
        follow=True,
    )
    assert "Hãy ghi lý do thu hồi" in empty.content.decode()
    target.refresh_from_db()
    assert target.status == "valid"
    clerk_client.post(
        reverse(CHANGELIST),
        {
            "action": "revoke_selected",
            "_selected_action": [target.pk],
            "confirm": "yes",
            "reason": "Cấp nhầm người",
        },
    )
    target.refresh_from_db()
    assert (target.status, target.revocation_reason) == ("revoked", "Cấp nhầm người")


def test_a_scoped_clerk_sees_only_the_certificates_of_their_people(client, course_world):
    issue_for_course(course_world.course)
    lao_cai = staff("laocai", "Clerks", kind=AccessScope.Kind.LOCALITY, locality=current("15"))
    client.force_login(lao_cai)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "Hoàng Thị Yến" in html
    assert "Nguyễn Thị Hằng" not in html
    hang = Certificate.objects.get(enrolment=course_world.enrolments.hang)
    url = reverse("admin:certificates_certificate_change", args=[hang.pk])
    assert client.get(url).status_code == 404
    client.post(reverse(CHANGELIST), {"action": "replace_selected", "_selected_action": [hang.pk]})
    hang.refresh_from_db()
    assert hang.status == "valid"


def test_a_manager_reads_but_does_not_replace(client, course_world):
    issue_for_course(course_world.course)
    client.force_login(staff("boss", "Managers"))
    assert client.get(reverse(CHANGELIST)).status_code == 200
    one = Certificate.objects.first()
    client.post(reverse(CHANGELIST), {"action": "replace_selected", "_selected_action": [one.pk]})
    one.refresh_from_db()
    assert one.status == "valid"
    assert Certificate.objects.count() == 4
