"""In Chromium: the QR link of a downloaded certificate opens the verification page, which
says "valid"; the evaluation form at 375 px has no horizontal scroll and can be sent."""

import io

import pytest
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.services import issue_for_course
from evaluations.models import Response
from evaluations.services import invitations_for
from tests.browser.conftest import _reference_data_restorable_under_playwright  # noqa: F401
from tests.conftest import login

from ..access.conftest import staff


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_qr_link_of_a_downloaded_certificate_says_valid(page, course_world, tmp_path):
    issue_for_course(course_world.course)
    certificate = Certificate.objects.get(enrolment=course_world.enrolments.hang)
    staff("hvng_clerk", "Clerks")
    login(page, "hvng_clerk")
    pdf = page.request.get(f"/certificates/{certificate.number}/pdf/")
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.body()))
    (annotation,) = reader.pages[0]["/Annots"]
    url = annotation.get_object()["/A"]["/URI"]
    assert url.endswith(f"/v/{certificate.verification_code}/")

    visitor = page.context.browser.new_context(  # no login, a phone
        locale="vi-VN", viewport={"width": 375, "height": 740}
    )
    phone = visitor.new_page()
    phone.goto(url)
    assert phone.locator("#status").get_attribute("data-status") == "valid"
    assert phone.locator("#status").inner_text().strip() == "Hợp lệ"
    assert phone.locator("#holder").inner_text() == "Nguyễn Thị Hằng"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    # Styled: the stylesheet is a file the Content-Security-Policy allows (no inline style).
    assert phone.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(244, 244, 242)"
    phone.screenshot(path=str(tmp_path / "verification.png"), full_page=True)

    # Typed by hand on the form, in lower case with spaces.
    phone.goto(url.split("/v/")[0] + "/v/")
    phone.fill("#code", certificate.display_code.lower().replace("-", " "))
    phone.click("button[type=submit]")
    assert phone.locator("#status").get_attribute("data-status") == "valid"
    visitor.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_evaluation_form_fits_a_phone_and_can_be_sent(page, course_world, tmp_path):
    import datetime

    from django.utils import timezone

    from evaluations.models import Lecturer

    course = course_world.course
    course.start_date = timezone.localdate() - datetime.timedelta(days=3)
    course.end_date = timezone.localdate() - datetime.timedelta(days=1)
    course.save()
    Lecturer.objects.create(course=course, full_name="Nguyễn Văn Giảng")
    Lecturer.objects.create(course=course, full_name="Trần Thị Báo", role="speaker")
    invitation = invitations_for(course)[0]

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/e/{invitation.token}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    groups = page.locator(".scale")
    assert groups.first.evaluate("element => getComputedStyle(element).display") == "grid"
    assert groups.count() == 6  # content, usefulness, two lecturers, organisation, materials
    for index in range(groups.count()):
        groups.nth(index).locator("label").nth(3).click()  # a 4
    page.fill("textarea", "Nội dung thiết thực, giảng viên nhiệt tình.")
    page.screenshot(path=str(tmp_path / "evaluation.png"), full_page=True)
    page.click("#submit")
    assert page.locator("#message").get_attribute("data-state") == "thanks"
    response = Response.objects.get(invitation=invitation)
    values = sorted(a.value for a in response.answers.exclude(value=None))
    assert values == [4] * 6
    assert response.answers.get(value=None).text == "Nội dung thiết thực, giảng viên nhiệt tình."
