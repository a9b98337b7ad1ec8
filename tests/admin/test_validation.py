"""Invalid data is refused: through the admin's forms with a message on the field, and by the
database constraints when forms are bypassed."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cadres.models import Cadre, WorkforceBaseline
from courses.models import Course, Enrolment, ParticipantTally, Target

from .conftest import enrol, locality, make_agency, make_cadre, make_course, programme, rank
from .test_access import course_form


def form_errors(response):
    assert response.status_code == 200  # the form again, not a redirect
    return response.context["adminform"].form.errors


def test_a_course_cannot_end_before_it_starts(admin_client_for, admin_user):
    response = admin_client_for(admin_user).post(
        reverse("admin:courses_course_add"),
        course_form(start_date="10/05/2020", end_date="09/05/2020"),
    )
    assert "end_date" in form_errors(response)
    assert not Course.objects.exists()


def test_a_course_is_held_at_home_or_abroad_not_both(admin_client_for, admin_user):
    response = admin_client_for(admin_user).post(
        reverse("admin:courses_course_add"),
        course_form(locality=locality("04").pk, country="Singapore"),
    )
    assert "country" in form_errors(response)
    assert not Course.objects.exists()


def test_a_date_that_is_not_day_month_year_is_refused(admin_client_for, admin_user):
    response = admin_client_for(admin_user).post(
        reverse("admin:courses_course_add"), course_form(start_date="2019/31/12")
    )
    assert "start_date" in form_errors(response)
    assert not Course.objects.exists()


def test_a_target_range_must_be_ordered(admin_client_for, admin_user):
    response = admin_client_for(admin_user).post(
        reverse("admin:courses_target_add"),
        {
            "programme": programme("NQ26-2018").pk,
            "code": "LEADERS",
            "label": "Lãnh đạo làm việc trong môi trường quốc tế",
            "metric": Target.Metric.COVERAGE_PCT,
            "value_min": "60",
            "value_max": "50",
            "order": "0",
        },
    )
    assert "value_max" in form_errors(response)
    assert not Target.objects.filter(code="LEADERS").exists()


def test_an_id_number_has_digits_only(admin_client_for, admin_user):
    response = admin_client_for(admin_user).post(
        reverse("admin:cadres_cadre_add"),
        {
            "full_name": "Phạm Thu Trang",
            "id_number": "00107A",
            "rank": rank().pk,
            "languages-TOTAL_FORMS": "0",
            "languages-INITIAL_FORMS": "0",
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
        },
    )
    assert "id_number" in form_errors(response)
    assert not Cadre.objects.exists()


def test_a_baseline_names_a_locality_or_an_agency_not_both(admin_client_for, admin_user):
    response = admin_client_for(admin_user).post(
        reverse("admin:cadres_workforcebaseline_add"),
        {
            "year": "2020",
            "rank": rank().pk,
            "locality": locality("04").pk,
            "agency": make_agency().pk,
            "headcount": "10",
        },
    )
    assert form_errors(response).get("__all__")
    assert not WorkforceBaseline.objects.exists()


def test_the_same_cadre_twice_on_a_course_is_refused_in_the_inline(admin_client_for, admin_user):
    cadre = make_cadre()
    data = course_form(
        **{
            "enrolments-TOTAL_FORMS": "2",
            "enrolments-0-cadre": cadre.pk,
            "enrolments-0-status": Enrolment.Status.ATTENDED,
            "enrolments-1-cadre": cadre.pk,
            "enrolments-1-status": Enrolment.Status.ATTENDED,
        }
    )
    response = admin_client_for(admin_user).post(reverse("admin:courses_course_add"), data)
    assert response.status_code == 200
    inline_errors = [
        inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]
    ]
    assert any(inline_errors)
    assert not Course.objects.exists()


def refused(create):
    """Whether the database refuses a row (inside a savepoint, so PostgreSQL goes on)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_the_database_refuses_a_course_ending_before_it_starts(db):
    refused(
        lambda: make_course(start=datetime.date(2020, 5, 10), end_date=datetime.date(2020, 5, 9))
    )


def test_the_database_refuses_a_duplicate_enrolment(db):
    course, cadre = make_course(), make_cadre()
    enrol(course, cadre)
    refused(lambda: enrol(course, cadre))
    assert Enrolment.objects.count() == 1


def test_the_database_refuses_a_duplicate_id_number_but_not_two_empty_ones(db):
    make_cadre(id_number="001080000001")
    refused(lambda: make_cadre(id_number="001080000001"))
    make_cadre(id_number="")
    make_cadre(id_number="")
    assert Cadre.objects.filter(id_number="").count() == 2


def test_the_database_refuses_a_negative_tally(db):
    course = make_course()
    refused(lambda: ParticipantTally.objects.create(course=course, rank=rank(), count=-1))


def test_the_database_refuses_a_baseline_with_locality_and_agency(db):
    refused(
        lambda: WorkforceBaseline.objects.create(
            year=2020, rank=rank(), locality=locality("04"), agency=make_agency(), headcount=5
        )
    )
