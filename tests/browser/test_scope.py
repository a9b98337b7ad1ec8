"""A Lào Cai clerk, in a real Chromium: another province's course is not in the list and its
address gives a 404, while the Lào Cai course is listed."""

import datetime

import pytest
from django.contrib.auth.models import Group, User

from accounts.models import AccessScope
from cadres.models import Agency, Level, Locality

from ..admin.conftest import make_course
from ..conftest import PASSWORD, login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_hides_another_provinces_course_from_the_lao_cai_clerk(page):
    lao_cai = Locality.objects.get(code="15", era=Locality.Era.CURRENT)
    ha_noi = Locality.objects.get(code="01", era=Locality.Era.CURRENT)
    clerk = User.objects.create_user("laocai", password=PASSWORD, is_staff=True)
    clerk.groups.add(Group.objects.get(name="Clerks"))
    AccessScope.objects.create(user=clerk, kind="locality", locality=lao_cai)
    so_lc = Agency.objects.create(name="Sở Ngoại vụ Lào Cai", level=Level.LOCAL, locality=lao_cai)
    ours = make_course("LC-2024-KN", locality=lao_cai, organiser=so_lc)
    theirs = make_course("HN-2024-KN", locality=ha_noi, start=datetime.date(2024, 3, 1))

    login(page, "laocai")
    page.goto("/admin/courses/course/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("th a, td a").first.inner_text() == ours.code
    assert page.locator(f"#result_list a[href$='/{theirs.pk}/change/']").count() == 0

    response = page.goto(f"/admin/courses/course/{theirs.pk}/change/")
    assert response.status == 404
    response = page.goto(f"/admin/courses/course/{ours.pk}/change/")
    assert response.status == 200
    assert page.input_value("#id_code") == ours.code
