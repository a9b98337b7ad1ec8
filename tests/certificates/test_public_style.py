"""The public pages (verification, the evaluation form) are styled by a stylesheet file: the
Content-Security-Policy allows styles from this site only, so an inline <style> would leave
them bare in every browser."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import issue_for_course
from evaluations.models import EvaluationWindow
from evaluations.services import invitations_for

pytestmark = pytest.mark.django_db


def test_the_public_pages_link_their_stylesheet_and_carry_no_inline_style(client, course_world):
    issue_for_course(course_world.course)
    certificate = Certificate.objects.get(enrolment=course_world.enrolments.hang)
    EvaluationWindow.objects.create(course=course_world.course, days=365)  # the form is open
    invitation = invitations_for(course_world.course)[0]
    stylesheet = static("certificates/public.css")
    assert finders.find("certificates/public.css")
    for url in (
        reverse("certificates:verify", args=[certificate.verification_code]),
        reverse("certificates:verify_form"),
        reverse("evaluations:answer", args=[invitation.token]),
    ):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert f'href="{stylesheet}"' in html, url
        assert "<style" not in html, url
        assert " style=" not in html, url
        policy = response.headers["Content-Security-Policy"]
        assert "style-src 'self'" in policy
        assert "'unsafe-inline'" not in policy
