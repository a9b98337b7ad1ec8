"""A clerk types 150.000.000 into the budget of the real Add course page and reads it back."""

import pytest

from courses.models import Course

from ...conftest import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_budget_typed_with_dots_is_saved_whole(page, admin_user):
    login(page, "admin")
    page.goto("/admin/courses/course/add/")
    page.fill("#id_code", "QD2007-2019-TIEN")
    page.fill("#id_title", "Bồi dưỡng kỹ năng đàm phán quốc tế")
    page.select_option("#id_course_type", label="Bồi dưỡng kỹ năng")
    page.fill("#id_start_date", "16/11/2019")
    page.fill("#id_budget_planned", "150.000.000")
    page.fill("#id_budget_spent", "150 000 000")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/courses/course/")

    course = Course.objects.get(code="QD2007-2019-TIEN")
    assert course.budget_planned == 150_000_000
    assert course.budget_spent == 150_000_000

    page.goto(f"/admin/courses/course/{course.pk}/change/")
    assert page.input_value("#id_budget_planned") == "150.000.000"
    shown = page.inner_text(".field-budget_planned")
    assert "₫" in shown
    assert f"{page.input_value('#id_budget_planned')} ₫" == "150.000.000 ₫"
