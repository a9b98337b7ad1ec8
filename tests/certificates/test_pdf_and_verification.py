"""The certificate as PDF (Vietnamese text intact, QR code to the verification page) and the
public verification page: valid, replaced, revoked, unknown; no personal data; rate limit."""

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.pdf import qr_code, verification_url
from certificates.services import issue_for_course, replace_certificate, revoke_certificate

from ..access.conftest import current, staff
from ..conftest import PASSWORD
from .conftest import COURSE_TITLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(course_world):
    issue_for_course(course_world.course)
    return Certificate.objects.get(enrolment=course_world.enrolments.hang)


@pytest.fixture
def clerk_client(client):
    clerk = staff("hvng_clerk", "Clerks")
    client.login(username=clerk.username, password=PASSWORD)
    return client


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def link_targets(reader):
    targets = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                targets.append(action["/URI"])
    return targets


def test_a_clerk_downloads_the_pdf_and_its_qr_code_leads_to_valid(clerk_client, issued):
    response = clerk_client.get(reverse("certificates:certificate_pdf", args=[issued.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader, text = pdf_text(response.content)
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert width > height  # A4 landscape
    assert round(width) == 842
    assert round(height) == 595
    for expected in (
        "Nguyễn Thị Hằng",
        COURSE_TITLE,
        "GIẤY CHỨNG NHẬN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "HỌC VIỆN NGOẠI GIAO",
        "Phạm Lan Dung",
        issued.number,
        issued.display_code,
    ):
        assert expected in text, expected
    assert "001190012345" not in text
    assert "1990" not in text

    # What the QR code encodes, checked before it is drawn, then followed.
    url = verification_url(issued, "http://testserver")
    assert url == f"http://testserver/v/{issued.verification_code}/"
    assert qr_code(url).designator  # a real QR symbol (version-errorlevel) for that URL
    assert link_targets(reader) == [url]
    assert url in text
    clerk_client.logout()
    page = clerk_client.get(url.removeprefix("http://testserver"))
    assert page.status_code == 200
    assert 'data-status="valid"' in page.content.decode()


def test_the_pdf_is_reachable_by_id_and_the_base_url_can_be_set(clerk_client, issued, settings):
    settings.PUBLIC_BASE_URL = "https://daotao.example.gov.vn"
    response = clerk_client.get(reverse("certificates:certificate_pdf", args=[issued.pk]))
    reader, _text = pdf_text(response.content)
    assert link_targets(reader) == [f"https://daotao.example.gov.vn/v/{issued.verification_code}/"]


def test_a_course_pdf_has_every_certificate(clerk_client, issued, course_world):
    response = clerk_client.get(reverse("certificates:course_pdf", args=[course_world.course.code]))
    reader, text = pdf_text(response.content)
    assert len(reader.pages) == 4
    for name in ("Nguyễn Thị Hằng", "Trần Minh Đức", "Hoàng Thị Yến", "Lê Văn Quảng"):
        assert name in text
    assert "Phạm Thị Thủy" not in text


def test_the_pdf_needs_a_login_a_role_and_the_scope(client, issued, course_world):
    url = reverse("certificates:certificate_pdf", args=[issued.number])
    assert client.get(url).status_code == 302  # to the login page
    outsider = staff("nobody", "Managers")
    outsider.is_staff = False
    outsider.save()
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    from accounts.models import AccessScope

    lao_cai = staff("laocai", "Clerks", kind=AccessScope.Kind.LOCALITY, locality=current("15"))
    client.force_login(lao_cai)
    assert client.get(url).status_code == 404  # Hằng is from Hà Nội
    yen = Certificate.objects.get(enrolment=course_world.enrolments.yen)
    ok = client.get(reverse("certificates:certificate_pdf", args=[yen.number]))
    assert ok.status_code == 200
    assert client.get(reverse("certificates:certificate_pdf", args=["NOPE/1"])).status_code == 404
    assert client.get("/certificates/HVNG%00/pdf/").status_code == 404
    assert client.get("/certificates/course/HVNG-2026-07%00/pdf/").status_code == 404


def test_the_verification_page_shows_name_course_dates_issuer_and_nothing_more(client, issued):
    response = client.get(reverse("certificates:verify", args=[issued.verification_code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="valid"' in html
    assert "Hợp lệ" in html
    for expected in (
        "Nguyễn Thị Hằng",
        COURSE_TITLE,
        "05/10/2026",
        "09/10/2026",
        "Học viện Ngoại giao",
    ):
        assert expected in html
    for private in ("001190012345", "03/02/1990", "1990", "Trần Minh Đức"):
        assert private not in html
    data = client.get(reverse("certificates:verify_json", args=[issued.verification_code])).json()
    assert data["status"] == "valid"
    assert data["holder"] == "Nguyễn Thị Hằng"
    assert data["course"] == COURSE_TITLE
    assert data["issued"] == issued.issued_on.isoformat()
    assert set(data) == {
        "status",
        "number",
        "holder",
        "course",
        "course_start",
        "course_end",
        "issued",
        "issuer",
        "replaces",
        "revoked_on",
    }
    assert "1990" not in json.dumps(data)


def test_a_replacement_and_a_revocation_change_what_the_page_shows(client, issued):
    replacement = replace_certificate(issued)
    old = client.get(reverse("certificates:verify", args=[issued.verification_code]))
    assert 'data-status="replaced"' in old.content.decode()
    assert "Đã cấp lại" in old.content.decode()
    new = client.get(reverse("certificates:verify_json", args=[replacement.verification_code]))
    assert new.json()["status"] == "valid"
    assert new.json()["replaces"] == issued.number
    revoke_certificate(replacement, reason="Cấp nhầm")
    page = client.get(reverse("certificates:verify", args=[replacement.verification_code]))
    assert 'data-status="revoked"' in page.content.decode()
    assert "Cấp nhầm" not in page.content.decode()
    data = client.get(reverse("certificates:verify_json", args=[replacement.verification_code]))
    assert data.json()["status"] == "revoked"


@pytest.mark.parametrize(
    "code", ["AAAAAAAAAAAA", "x", "ABCD-EFGH-JKLM", "ABC.DEF", "..%2Fetc", "0" * 500, "%00", "ĐĐĐ"]
)
def test_an_unknown_code_is_a_404_that_looks_the_same_whatever_the_code(client, issued, code):
    response = client.get(f"/v/{code}/")
    assert response.status_code == 404
    reference = client.get("/v/ZZZZZZZZZZZZ/")
    assert response.content == reference.content
    assert client.get(f"/v/{code}.json").status_code == 404


def test_a_code_typed_by_hand_is_found_whatever_its_case_spaces_and_dashes(client, issued):
    typed = " " + issued.display_code.lower().replace("-", " - ") + " "
    response = client.get(reverse("certificates:verify_form"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verify", args=[issued.verification_code])
    assert client.get(f"/v/{issued.display_code.lower()}/").status_code == 200
    missing = client.get(reverse("certificates:verify_form"), {"code": "nope-nope"})
    assert missing.status_code == 404
    empty = client.get(reverse("certificates:verify_form"), {"code": " - "})
    assert empty.status_code == 400
    assert client.get(reverse("certificates:verify_form")).status_code == 200


def test_the_page_is_rate_limited_per_address(client, issued, settings):
    settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE = 5
    url = reverse("certificates:verify", args=[issued.verification_code])
    statuses = [client.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    refused = client.get(url, REMOTE_ADDR="203.0.113.7")
    assert "Vui lòng chờ một phút" in refused.content.decode()
    assert "Nguyễn Thị Hằng" not in refused.content.decode()
    # Another address is not held back by the first one.
    assert client.get(url, REMOTE_ADDR="198.51.100.2").status_code == 200
    guess = client.get("/v/AAAAAAAAAAAA.json", REMOTE_ADDR="203.0.113.7")
    assert guess.status_code == 429
