"""django-simple-history's version pages (``/admin/<app>/<model>/<pk>/history/<version>/``),
tried as the attacks that got through: a Lào Cai clerk moving a Hà Nội cadre (and a Hà Nội
course with its people) to Lào Cai by POSTing the version form, a manager without change
permission renaming a cadre. Version pages are 404 outside the scope and read-only for
everyone: no POST saves, whoever sends it."""

import pytest

from cadres.models import Cadre
from courses.models import Course

from .conftest import current


def version_url(obj):
    opts = obj._meta
    version = obj.history.latest().history_id
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/history/{version}/"


def cadre_post(cadre, **changes):
    data = {
        "full_name": cadre.full_name,
        "gender": cadre.gender,
        "birth_year": cadre.birth_year or "",
        "position": cadre.position,
        "rank": cadre.rank_id,
        "agency": cadre.agency_id or "",
        "locality": cadre.locality_id,
        "email": cadre.email,
        "languages-TOTAL_FORMS": "0",
        "languages-INITIAL_FORMS": "0",
        "enrolments-TOTAL_FORMS": "0",
        "enrolments-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_a_lao_cai_clerk_gets_a_404_for_a_ha_noi_cadres_version_page(client, lao_cai_clerk, world):
    client.force_login(lao_cai_clerk)
    hn = world.cadres.hn
    assert client.get(version_url(hn)).status_code == 404
    assert client.get(f"/admin/cadres/cadre/{hn.pk}/history/").status_code == 404


def test_a_lao_cai_clerk_cannot_move_a_ha_noi_cadre_through_its_version_page(
    client, lao_cai_clerk, ha_noi_clerk, world
):
    hn = world.cadres.hn
    client.force_login(lao_cai_clerk)
    response = client.post(
        version_url(hn), cadre_post(hn, locality=current("15").pk, agency=world.agencies.lc.pk)
    )
    assert response.status_code in (403, 404)
    hn.refresh_from_db()
    assert hn.locality == current("01")
    assert hn.agency == world.agencies.hn
    client.force_login(ha_noi_clerk)
    assert client.get(f"/admin/cadres/cadre/{hn.pk}/change/").status_code == 200


def test_a_lao_cai_clerk_cannot_move_a_ha_noi_course_with_its_people(client, lao_cai_clerk, world):
    course = world.courses.hn
    client.force_login(lao_cai_clerk)
    response = client.post(
        version_url(course),
        {
            "code": course.code,
            "title": course.title,
            "course_type": course.course_type_id,
            "status": course.status,
            "start_date": course.start_date.strftime("%d/%m/%Y"),
            "locality": current("15").pk,
            "organiser": world.agencies.lc.pk,
            "mode": course.mode,
        },
    )
    assert response.status_code in (403, 404)
    course.refresh_from_db()
    assert course.locality == current("01")
    assert course.organiser == world.agencies.hn
    assert Course.objects.visible_to(lao_cai_clerk).filter(pk=course.pk).exists() is False


def test_a_clerk_cannot_save_through_the_version_page_of_their_own_record(
    client, lao_cai_clerk, world
):
    """Even in scope, a version page is for reading: a change goes through the change form."""
    lc = world.cadres.lc
    client.force_login(lao_cai_clerk)
    url = version_url(lc)
    page = client.get(url)
    assert page.status_code == 200
    assert lc.full_name in page.content.decode()
    assert b'name="_save"' not in page.content
    response = client.post(url, cadre_post(lc, full_name="Đã Đổi Tên"))
    assert response.status_code == 403
    lc.refresh_from_db()
    assert lc.full_name == "Lò Văn Páo"
    assert lc.history.count() == 1


@pytest.mark.parametrize("persona", ["manager", "lao_cai_manager"])
def test_a_manager_cannot_rename_a_cadre_through_a_version_page(request, client, world, persona):
    manager = request.getfixturevalue(persona)
    lc = world.cadres.lc  # in both managers' scope
    client.force_login(manager)
    url = version_url(lc)
    assert client.get(url).status_code == 200
    response = client.post(url, cadre_post(lc, full_name="Tên Mới"))
    assert response.status_code == 403
    lc.refresh_from_db()
    assert lc.full_name == "Lò Văn Páo"
    assert Cadre.objects.filter(full_name="Tên Mới").exists() is False


def test_the_history_of_a_cadre_masks_a_changed_id_number(client, lao_cai_clerk, world):
    """The history list shows what changed; an ID number change is shown masked to a user
    without the personal-data permission."""
    lc = world.cadres.lc
    lc.id_number = "010090009999"
    lc.save()
    client.force_login(lao_cai_clerk)
    response = client.get(f"/admin/cadres/cadre/{lc.pk}/history/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "010090001234" not in body
    assert "010090009999" not in body


def test_a_malformed_version_is_a_404_not_a_500(client, lao_cai_clerk, world):
    client.force_login(lao_cai_clerk)
    lc = world.cadres.lc
    for version in ("abc", str(2**70), "-1"):
        assert client.get(f"/admin/cadres/cadre/{lc.pk}/history/{version}/").status_code == 404
    assert client.get("/admin/cadres/cadre/abc/history/1/").status_code == 404


def test_managers_never_write_through_any_change_delete_or_version_page(
    client, manager, lao_cai_manager
):
    """Every change, delete and version URL of every admin, POSTed by a national and a Lào
    Cai manager with the record's own values: refused, and no record or history row written."""
    from django.contrib.auth.models import User

    from . import matrix

    importer = User.objects.create_superuser("importer", "importer@example.vn", "x")
    secret = matrix.secret_records("LC", "15", importer)
    urls = [
        (label, path)
        for label, path in matrix.every_url(secret)
        if label.count(":") == 2 and label.endswith(("_change", "_delete", "_simple_history"))
    ]
    assert len(urls) > 20
    cadre = secret.objects[Cadre]
    post = cadre_post(cadre, full_name="Tên Mới")
    tracked = [Cadre, Course, *(type(obj) for obj in secret.objects.values())]

    def history_rows():
        return sum(model.history.count() for model in set(tracked) if hasattr(model, "history"))

    before = (history_rows(), {type(o): type(o).objects.count() for o in secret.objects.values()})
    for user in (manager, lao_cai_manager):
        client.force_login(user)
        for label, path in urls:
            response = client.post(path, post)
            assert response.status_code in (403, 404, 405), (user, label, response.status_code)
    after = (history_rows(), {type(o): type(o).objects.count() for o in secret.objects.values()})
    assert after == before
    cadre.refresh_from_db()
    assert cadre.full_name == "Bí Mật Nhân LC"


@pytest.mark.urls("tests.access.leaky_urls")
def test_a_form_that_forgot_the_scope_rule_cannot_write_outside_the_scope(
    client, lao_cai_clerk, world
):
    """NetBox's pattern: after the save, the course is read again through visible_to() inside
    the admin's transaction. A Lào Cai clerk moves a Lào Cai course abroad with no organiser
    (out of every locality's scope; the choices allow empty values): the form lets it
    through, the re-read refuses it (403) and the whole save is rolled back."""
    course = world.courses.lc
    client.force_login(lao_cai_clerk)
    url = f"/forgetful-admin/courses/course/{course.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "code": course.code,
        "title": "Đã chuyển ra nước ngoài",
        "course_type": course.course_type_id,
        "status": course.status,
        "start_date": course.start_date.strftime("%d/%m/%Y"),
        "locality": "",
        "organiser": "",
        "country": "Lào",
        "mode": course.mode,
        "enrolments-TOTAL_FORMS": "0",
        "enrolments-INITIAL_FORMS": "0",
        "tallies-TOTAL_FORMS": "0",
        "tallies-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    errors = response.context["adminform"].form.errors if response.status_code == 200 else None
    assert response.status_code == 403, errors
    course.refresh_from_db()
    assert course.locality == current("15")
    assert course.country == ""
    # The same change through the real admin: a form error, nothing saved.
    response = client.post(f"/admin/courses/course/{course.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    course.refresh_from_db()
    assert course.country == ""
    assert course.history.count() == 1
