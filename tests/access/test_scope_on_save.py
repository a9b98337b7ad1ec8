"""A scoped clerk cannot create or move a record out of their scope: the form says which
field is wrong, and the database is left as it was. A manager's POST is refused."""

import pytest
from django.urls import reverse

from cadres.models import Cadre
from courses.models import Course, Enrolment, ParticipantTally

from ..admin.test_access import course_form
from .conftest import current, former


def cadre_form(**fields):
    """The add-cadre form as the admin posts it (a clerk's form: no personal-data fields)."""
    data = {
        "full_name": "Vàng A Sình",
        "gender": "M",
        "birth_year": "1988",
        "position": "Chuyên viên",
        "rank": "",
        "agency": "",
        "locality": "",
        "email": "",
        "languages-TOTAL_FORMS": "0",
        "languages-INITIAL_FORMS": "0",
        "enrolments-TOTAL_FORMS": "0",
        "enrolments-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


@pytest.fixture
def officer(db):
    from cadres.models import Rank

    return Rank.objects.get(code=Rank.OFFICER).pk


def errors_of(response):
    assert response.status_code == 200, response.status_code  # the form again
    return response.context["adminform"].form.errors


def test_a_lao_cai_clerk_cannot_save_a_cadre_in_ha_noi(client, world, lao_cai_clerk, officer):
    client.force_login(lao_cai_clerk)
    before = Cadre.objects.count()
    response = client.post(
        reverse("admin:cadres_cadre_add"),
        cadre_form(rank=officer, locality=current("01").pk),
    )
    assert "locality" in errors_of(response)
    assert Cadre.objects.count() == before


def test_a_cadre_with_neither_locality_nor_agency_is_outside_a_province(
    client, world, lao_cai_clerk, officer
):
    client.force_login(lao_cai_clerk)
    before = Cadre.objects.count()
    response = client.post(reverse("admin:cadres_cadre_add"), cadre_form(rank=officer))
    errors = errors_of(response)
    assert "Lào Cai" in errors["locality"][0]
    assert Cadre.objects.count() == before


def test_a_lao_cai_clerk_saves_a_cadre_of_former_yen_bai(client, world, lao_cai_clerk, officer):
    client.force_login(lao_cai_clerk)
    response = client.post(
        reverse("admin:cadres_cadre_add"), cadre_form(rank=officer, locality=former("15").pk)
    )
    assert response.status_code == 302
    assert Cadre.objects.get(full_name="Vàng A Sình").locality == former("15")


def test_a_clerk_cannot_move_a_cadre_to_another_province(client, world, lao_cai_clerk, officer):
    client.force_login(lao_cai_clerk)
    cadre = world.cadres.yb
    response = client.post(
        reverse("admin:cadres_cadre_change", args=[cadre.pk]),
        cadre_form(
            full_name=cadre.full_name,
            rank=officer,
            locality=current("01").pk,
            **{"enrolments-TOTAL_FORMS": "1", "enrolments-INITIAL_FORMS": "1"},
            **{"enrolments-0-id": world.enrolments.yb_on_lc.pk, "enrolments-0-cadre": cadre.pk},
        ),
    )
    assert "locality" in errors_of(response)
    cadre.refresh_from_db()
    assert cadre.locality == former("15")


def test_the_choices_of_a_lao_cai_clerk_are_lao_cai(client, world, lao_cai_clerk):
    client.force_login(lao_cai_clerk)
    form = client.get(reverse("admin:cadres_cadre_add")).context["adminform"].form
    assert set(form.fields["locality"].queryset) == {current("15"), former("15"), former("10")}
    assert list(form.fields["agency"].queryset) == [world.agencies.lc]


def test_a_ministry_clerk_cannot_save_a_course_of_another_agency(client, world, ministry_clerk):
    client.force_login(ministry_clerk)
    response = client.post(
        reverse("admin:courses_course_add"),
        course_form(code="BNG-X", country="Nhật Bản", organiser=world.agencies.hn.pk),
    )
    assert "organiser" in errors_of(response)
    assert not Course.objects.filter(code="BNG-X").exists()

    # Without an organiser the course would belong to nobody in the ministry's scope.
    response = client.post(
        reverse("admin:courses_course_add"), course_form(code="BNG-X", country="Nhật Bản")
    )
    assert "organiser" in errors_of(response)

    response = client.post(
        reverse("admin:courses_course_add"),
        course_form(code="BNG-X", country="Nhật Bản", organiser=world.agencies.bng.pk),
    )
    assert response.status_code == 302
    assert Course.objects.get(code="BNG-X").organiser == world.agencies.bng


def course_change_form(course, enrolments, **extra):
    """The change form of a course with its (scoped) enrolment rows."""
    data = course_form(
        code=course.code,
        title=course.title,
        start_date=course.start_date.strftime("%d/%m/%Y"),
        end_date="",
        locality=course.locality_id or "",
        organiser=course.organiser_id or "",
        **{"enrolments-TOTAL_FORMS": str(len(enrolments)), "enrolments-INITIAL_FORMS": "0"},
    )
    initial = 0
    for i, (pk, cadre, status) in enumerate(enrolments):
        if pk:
            data[f"enrolments-{i}-id"] = pk
            initial += 1
        data[f"enrolments-{i}-cadre"] = cadre.pk
        data[f"enrolments-{i}-status"] = status
        data[f"enrolments-{i}-course"] = course.pk
    data["enrolments-INITIAL_FORMS"] = str(initial)
    data.update(extra)
    return data


def test_a_lao_cai_clerk_cannot_enrol_a_ha_noi_cadre(client, world, lao_cai_clerk):
    client.force_login(lao_cai_clerk)
    course, e = world.courses.lc, world.enrolments
    rows = [
        (e.lc_on_lc.pk, world.cadres.lc, "completed"),
        (e.yb_on_lc.pk, world.cadres.yb, "attended"),
        (None, world.cadres.mofa, "attended"),
    ]
    response = client.post(
        reverse("admin:courses_course_change", args=[course.pk]), course_change_form(course, rows)
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "cadre" in formset.forms[2].errors
    assert course.enrolments.count() == 3
    e.lc_on_lc.refresh_from_db()
    assert e.lc_on_lc.status == "attended"  # nothing saved


def test_a_lao_cai_clerk_edits_the_lao_cai_rows_and_leaves_the_others(client, world, lao_cai_clerk):
    client.force_login(lao_cai_clerk)
    course, e = world.courses.lc, world.enrolments
    rows = [
        (e.lc_on_lc.pk, world.cadres.lc, "completed"),
        (e.yb_on_lc.pk, world.cadres.yb, "attended"),
    ]
    response = client.post(
        reverse("admin:courses_course_change", args=[course.pk]), course_change_form(course, rows)
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=e.lc_on_lc.pk).status == "completed"
    assert Enrolment.objects.filter(pk=e.hn_on_lc.pk).exists()  # the Hà Nội row, untouched
    assert course.enrolments.count() == 3


def test_a_lao_cai_clerk_cannot_add_a_tally_to_a_ha_noi_course_for_ha_noi(
    client, world, lao_cai_clerk, officer
):
    client.force_login(lao_cai_clerk)
    before = ParticipantTally.objects.count()
    response = client.post(
        reverse("admin:courses_participanttally_add"),
        {
            "course": world.courses.hn_tallied.pk,
            "rank": officer,
            "locality": current("01").pk,
            "gender": "",
            "count": "7",
        },
    )
    errors = errors_of(response)
    assert "course" in errors  # the Hà Nội course is not among the choices
    assert "locality" in errors
    assert ParticipantTally.objects.count() == before


def test_a_manager_may_view_but_a_post_is_refused(client, world, manager):
    client.force_login(manager)
    course = world.courses.lc
    url = reverse("admin:courses_course_change", args=[course.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, course_change_form(course, [], title="Changed by a manager"))
    assert response.status_code == 403
    course.refresh_from_db()
    assert course.title != "Changed by a manager"
    assert client.post(reverse("admin:courses_course_add"), course_form()).status_code == 403
    cadre_url = reverse("admin:cadres_cadre_change", args=[world.cadres.hn.pk])
    assert client.post(cadre_url, cadre_form(full_name="X")).status_code == 403
    assert Cadre.objects.get(pk=world.cadres.hn.pk).full_name == "Nguyễn Văn Hà"
    assert not Course.objects.filter(code="K-CLERK-1").exists()


def test_a_clerk_cannot_delete_a_course_listing_another_provinces_people(world, lao_cai_clerk):
    from django.test import Client
    from django.urls import reverse

    from courses.models import Course, Enrolment

    client = Client()
    client.force_login(lao_cai_clerk)
    course = world.courses.lc  # a Lào Cai course with a Hà Nội person on it
    url = reverse("admin:courses_course_delete", args=[course.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Course.objects.filter(pk=course.pk).exists()
    assert Enrolment.objects.filter(pk=world.enrolments.hn_on_lc.pk).exists()
    changelist = client.get(reverse("admin:courses_course_changelist"))
    actions = [
        value for value, _label in changelist.context["action_form"].fields["action"].choices
    ]
    assert "delete_selected" not in actions  # bulk delete cannot check each course


def test_a_clerk_may_delete_a_course_of_their_own_people(world, lao_cai_clerk):
    from django.test import Client
    from django.urls import reverse

    from courses.models import Course

    world.enrolments.hn_on_lc.delete()
    client = Client()
    client.force_login(lao_cai_clerk)
    url = reverse("admin:courses_course_delete", args=[world.courses.lc.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Course.objects.filter(pk=world.courses.lc.pk).exists()
