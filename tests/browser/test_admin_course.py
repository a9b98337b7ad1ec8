"""A person adds a course with one participant through the admin, in a real Chromium."""

import datetime

import pytest

from courses.models import Course

from ..admin.conftest import make_cadre
from ..conftest import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_adds_a_course_with_an_enrolment_through_the_admin(page, admin_user):
    cadre = make_cadre(full_name="Trần Thị Lan", rank_code="CAP_PHONG")
    login(page, "admin")

    page.goto("/admin/courses/course/add/")
    page.fill("#id_code", "QD2007-2019-KN01")
    page.fill("#id_title", "Bồi dưỡng kỹ năng đàm phán quốc tế")
    page.select_option("#id_course_type", label="Bồi dưỡng kỹ năng")
    page.fill("#id_start_date", "16/11/2019")
    page.fill("#id_end_date", "18/11/2019")

    # The cadre's autocomplete (select2): open it, type without diacritics, pick the result.
    page.click("#enrolments-0 .field-cadre .select2-selection")
    page.keyboard.type("tran thi lan")
    page.click(".select2-results__option >> text=Trần Thị Lan")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/courses/course/")

    course = Course.objects.get(code="QD2007-2019-KN01")
    assert (course.start_date, course.end_date) == (
        datetime.date(2019, 11, 16),
        datetime.date(2019, 11, 18),
    )
    enrolment = course.enrolments.get()
    assert enrolment.cadre == cadre
    assert enrolment.rank.code == "CAP_PHONG"  # copied from the cadre
