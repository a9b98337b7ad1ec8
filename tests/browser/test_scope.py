"""A Lào Cai clerk, in a real Chromium: another province's course is not in the list and its
address gives a 404, while the Lào Cai course is listed; a Hà Nội cadre's version page and a
lookup on its ID number are refused."""

import datetime

import pytest
from django.contrib.auth.models import Group, User

from accounts.models import AccessScope
from cadres.models import Agency, Cadre, Level, Locality, Rank

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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_refuses_the_lao_cai_clerk_a_ha_noi_cadres_version_page_and_lookups(page):
    """The two attacks of the access issue, in a real browser: the version page of a Hà Nội
    cadre (404, as if it did not exist) and a lookup oracle on a cadre's ID number (400)."""
    lao_cai = Locality.objects.get(code="15", era=Locality.Era.CURRENT)
    ha_noi = Locality.objects.get(code="01", era=Locality.Era.CURRENT)
    clerk = User.objects.create_user("laocai", password=PASSWORD, is_staff=True)
    clerk.groups.add(Group.objects.get(name="Clerks"))
    AccessScope.objects.create(user=clerk, kind="locality", locality=lao_cai)
    hn = Cadre.objects.create(
        full_name="Nguyễn Thị Hà Nội",
        rank=Rank.objects.get(code=Rank.OFFICER),
        locality=ha_noi,
        id_number="001089672161",
    )
    version = hn.history.latest().history_id

    login(page, "laocai")
    response = page.goto(f"/admin/cadres/cadre/{hn.pk}/history/{version}/")
    assert response.status == 404
    assert "Nguyễn Thị Hà Nội" not in page.content()
    for lookup in ("id_number__startswith=0", "id_number__startswith=9"):
        response = page.goto(f"/admin/cadres/cadre/?pk={hn.pk}&{lookup}")
        assert response.status == 400
        assert "Nguyễn Thị Hà Nội" not in page.content()
    response = page.goto("/admin/cadres/cadre/")
    assert response.status == 200
    assert "Nguyễn Thị Hà Nội" not in page.content()
    hn.refresh_from_db()
    assert hn.locality == ha_noi
