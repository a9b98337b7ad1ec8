"""Every change to the records staff edit is kept with who and when, visible from the
record's admin page, and within the viewer's scope only."""

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Course

pytestmark = pytest.mark.django_db


def test_a_change_through_the_admin_is_kept_with_who_and_when(world, lao_cai_clerk):
    course = Course.objects.get(code="LC-2024")
    client = Client()
    client.force_login(lao_cai_clerk)
    change_url = reverse("admin:courses_course_change", args=[course.pk])
    form = client.get(change_url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        title="Kỹ năng lễ tân đối ngoại (đổi tên)",
        start_date="06/05/2024",
        end_date="",
        course_type=course.course_type_id,
        locality=course.locality_id,
        organiser=course.organiser_id,
        **{
            f"{prefix}-{field}": "0"
            for prefix in ("enrolments", "tallies")
            for field in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    )
    data = {key: value for key, value in data.items() if key not in {"programme", "country"}}
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    latest = course.history.latest()
    assert latest.title == "Kỹ năng lễ tân đối ngoại (đổi tên)"
    assert latest.history_user == lao_cai_clerk
    assert latest.history_type == "~"

    page = client.get(reverse("admin:courses_course_history", args=[course.pk]))
    assert page.status_code == 200
    assert next(record.pk for record in page.context["page_obj"]) == latest.pk
    assert lao_cai_clerk.username in page.content.decode()


def test_another_provinces_history_is_a_404(world, lao_cai_clerk):
    course = Course.objects.get(code="HN-2024")
    course.title = "Đổi tên"
    course.save()
    client = Client()
    client.force_login(lao_cai_clerk)
    response = client.get(reverse("admin:courses_course_history", args=[course.pk]))
    assert response.status_code == 404
