"""A cadre's training record (PDF and xlsx), checked against the enrolments; masking of
personal data, scope, and the file for a whole agency or province."""

import io
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cadres.models import Cadre
from courses.models import Enrolment

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def squeeze(text):
    return re.sub(r"\s+", "", text)


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def sheet_rows(content, index=0):
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[index].values)


def test_a_demo_cadres_record_lists_every_course_attended(client, admin_user):
    call_command("load_demo", stdout=StringIO())
    cadre = (
        Cadre.objects.annotate(n=Count("enrolments"))
        .filter(enrolments__status="completed")
        .order_by("-n", "pk")
        .first()
    )
    expected = list(
        Enrolment.objects.counted()
        .filter(cadre=cadre)
        .select_related("course__organiser", "course__course_type")
        .order_by("course__start_date", "course__code")
    )
    assert len(expected) >= 2
    client.force_login(admin_user)

    rows = sheet_rows(client.get(reverse("certificates:cadre_xlsx", args=[cadre.pk])).content)
    assert rows[0][:4] == ("Họ và tên", "Ngày sinh", "Số định danh", "Cơ quan")
    assert rows[0][4:] == (
        "Tên trường / đơn vị tổ chức",
        "Chuyên ngành đào tạo, bồi dưỡng",
        "Từ tháng, năm",
        "Đến tháng, năm",
        "Hình thức đào tạo",
        "Văn bằng, chứng chỉ",
    )
    body = rows[1:]
    assert len(body) == len(expected)
    for row, enrolment in zip(body, expected, strict=True):
        course = enrolment.course
        assert row[0] == cadre.full_name
        assert row[1] == cadre.birth_date.strftime("%d/%m/%Y")  # an administrator
        assert row[4] == course.organiser.name
        assert row[5] == f"{course.title} ({course.course_type.name})"
        assert row[6] == course.start_date.strftime("%m/%Y")
        assert row[7] == (course.end_date or course.start_date).strftime("%m/%Y")
        if enrolment.status == "completed":
            certificate = enrolment.certificates.exclude(status="replaced").first()
            number = certificate.number if certificate else enrolment.certificate_number
            assert number in row[9]
    totals = sheet_rows(
        client.get(reverse("certificates:cadre_xlsx", args=[cadre.pk])).content, index=1
    )
    by_year = Counter(e.course.start_date.year for e in expected)
    assert {row[1]: row[2] for row in totals[1:]} == dict(by_year)
    languages = sheet_rows(
        client.get(reverse("certificates:cadre_xlsx", args=[cadre.pk])).content, index=2
    )
    assert len(languages) - 1 == cadre.languages.count()

    response = client.get(reverse("certificates:cadre_pdf", args=[cadre.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = squeeze(pdf_text(response.content))
    assert squeeze("QUÁ TRÌNH ĐÀO TẠO, BỒI DƯỠNG") in text
    assert squeeze(cadre.full_name) in text
    for enrolment in expected:
        assert squeeze(enrolment.course.title) in text
        assert enrolment.course.start_date.strftime("%m/%Y") in text


def test_personal_data_is_masked_without_the_permission(client, world, lao_cai_clerk):
    cadre = world.cadres.lc  # ID 010090001234, born 05/04/1990
    client.force_login(lao_cai_clerk)
    rows = sheet_rows(client.get(reverse("certificates:cadre_xlsx", args=[cadre.pk])).content)
    assert rows[1][1] == "1990"
    assert rows[1][2] in (None, "")
    text = pdf_text(client.get(reverse("certificates:cadre_pdf", args=[cadre.pk])).content)
    assert "010090001234" not in text
    assert "05/04/1990" not in text
    assert "Lò Văn Páo" in text
    from accounts.models import PersonalDataAccess

    assert not PersonalDataAccess.objects.exists()  # nothing personal was shown


def test_an_administrator_sees_the_personal_data(client, world, admin_user):
    client.force_login(admin_user)
    rows = sheet_rows(
        client.get(reverse("certificates:cadre_xlsx", args=[world.cadres.lc.pk])).content
    )
    assert rows[1][1] == "05/04/1990"
    assert rows[1][2] == "010090001234"
    from accounts.models import PersonalDataAccess

    logged = PersonalDataAccess.objects.get()  # who saw it, in the log (accounts/audit.py)
    assert (logged.channel, logged.object_ids) == ("document", [world.cadres.lc.pk])


def test_a_record_outside_the_scope_is_a_404(client, world, lao_cai_clerk, outsider):
    client.force_login(lao_cai_clerk)
    assert (
        client.get(reverse("certificates:cadre_pdf", args=[world.cadres.hn.pk])).status_code == 404
    )
    assert client.get(reverse("certificates:cadre_xlsx", args=[999999])).status_code == 404
    client.force_login(outsider)
    assert (
        client.get(reverse("certificates:cadre_pdf", args=[world.cadres.lc.pk])).status_code == 403
    )
    client.logout()
    assert (
        client.get(reverse("certificates:cadre_pdf", args=[world.cadres.lc.pk])).status_code == 302
    )


def test_the_record_lists_only_the_enrolments_in_scope(client, world, lao_cai_clerk):
    # Lò Văn Páo is on the Lào Cai course and on the ministry's course abroad; both
    # enrolments were recorded with his Lào Cai locality, so both are in scope.
    client.force_login(lao_cai_clerk)
    rows = sheet_rows(
        client.get(reverse("certificates:cadre_xlsx", args=[world.cadres.lc.pk])).content
    )
    assert len(rows) - 1 == Enrolment.objects.counted().filter(cadre=world.cadres.lc).count() == 2
    assert any("Singapore" in (row[8] or "") for row in rows[1:])


def test_a_whole_province_in_one_file(client, world, lao_cai_clerk):
    client.force_login(lao_cai_clerk)
    response = client.get(reverse("certificates:group_record_xlsx"), {"locality": "15"})
    assert response.status_code == 200
    rows = sheet_rows(response.content)
    names = {row[0] for row in rows[1:]}
    assert names == {"Lò Văn Páo", "Hoàng Thị Yến"}  # Yến was recorded in former Yên Bái
    assert not any(row[0] == "Nguyễn Văn Hà" for row in rows)
    pdf = client.get(reverse("certificates:group_record_pdf"), {"locality": "15"})
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 2
    # Hà Nội is outside this clerk's scope: the file is empty of people, not an error.
    other = sheet_rows(
        client.get(reverse("certificates:group_record_xlsx"), {"locality": "01"}).content
    )
    assert len(other) == 1


def test_a_whole_agency_in_one_file_and_bad_choices(client, world, admin_user):
    client.force_login(admin_user)
    rows = sheet_rows(
        client.get(
            reverse("certificates:group_record_xlsx"), {"agency": world.agencies.bng.pk}
        ).content
    )
    assert {row[0] for row in rows[1:]} == {"Trần Quốc Bảo"}
    assert client.get(reverse("certificates:records_index")).status_code == 200
    assert client.get(reverse("certificates:group_record_xlsx"), {"agency": "x"}).status_code == 400
    assert (
        client.get(reverse("certificates:group_record_xlsx"), {"locality": "ZZ"}).status_code == 404
    )
    assert (
        client.get(reverse("certificates:group_record_xlsx"), {"agency": "9" * 30}).status_code
        == 400
    )
    nul = client.get(reverse("certificates:group_record_xlsx"), {"locality": "01\x00"})
    assert nul.status_code == 200  # no choice made: the form again


def test_the_cadre_page_links_to_the_record(client, world, lao_cai_clerk):
    client.force_login(lao_cai_clerk)
    page = client.get(reverse("admin:cadres_cadre_change", args=[world.cadres.lc.pk]))
    html = page.content.decode()
    assert reverse("certificates:cadre_pdf", args=[world.cadres.lc.pk]) in html
    assert reverse("certificates:cadre_xlsx", args=[world.cadres.lc.pk]) in html


def test_login_works_for_personas(client, lao_cai_clerk):
    assert client.login(username=lao_cai_clerk.username, password=PASSWORD)
