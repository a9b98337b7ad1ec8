"""Staff type amounts and head counts the Vietnamese way (150.000.000) in every money and
count field; nothing is silently cut (150.000.000 was saved as 150 by the number input)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from cadres.models import WorkforceBaseline
from courses.models import Course, ParticipantTally
from trainingmgr.forms import AmountField, group_thousands, parse_amount

from ..admin.conftest import make_course, tally

# (model, field) of every money and count field staff type in the admin.
FIELDS = [
    (Course, "budget_planned"),
    (Course, "budget_spent"),
    (Course, "planned_participants"),
    (ParticipantTally, "count"),
    (WorkforceBaseline, "headcount"),
]


def admin_form_field(model, name, user):
    request = RequestFactory().get("/")
    request.user = user
    form_class = admin.site._registry[model].get_form(request)
    return form_class.base_fields[name]


@pytest.mark.parametrize(("model", "name"), FIELDS)
def test_it_reads_an_amount_written_with_dots_spaces_or_nothing(model, name, admin_user):
    field = admin_form_field(model, name, admin_user)
    assert isinstance(field, AmountField)
    for typed in ["150.000.000", "150000000", "150 000 000", "150\u00a0000\u00a0000"]:
        assert field.clean(typed) == 150_000_000, typed


@pytest.mark.parametrize(("model", "name"), FIELDS)
def test_it_refuses_what_it_cannot_read_for_sure_with_a_message(model, name, admin_user):
    from django.core.exceptions import ValidationError

    field = admin_form_field(model, name, admin_user)
    for typed in ["150.000,5", "1.50", "1,000", "15.0000", "12a", "1.000 000", "-5"]:
        with pytest.raises(ValidationError) as refused:
            field.clean(typed)
        assert refused.value.messages[0], typed


@pytest.mark.parametrize(("model", "name"), FIELDS)
def test_it_shows_the_stored_value_with_dots_in_a_text_input(model, name, admin_user):
    field = admin_form_field(model, name, admin_user)
    html = field.widget.render(name, 192_500_000)
    assert 'value="192.500.000"' in html
    assert 'inputmode="numeric"' in html
    assert 'type="text"' in html


def test_money_and_counts_parse_as_whole_numbers():
    assert parse_amount("150.000.000 ₫") == 150_000_000
    assert parse_amount("7") == 7
    assert group_thousands(192500000) == "192.500.000"
    with pytest.raises(ValueError):  # noqa: PT011 (the parser's one error type; the form names it)
        parse_amount("150.000,5")


def test_a_clerk_adds_a_course_with_a_budget_typed_with_dots(client, admin_user):
    client.force_login(admin_user)
    from courses.models import CourseType

    response = client.post(
        "/admin/courses/course/add/",
        {
            "code": "K-TIEN-01",
            "title": "Bồi dưỡng kỹ năng đàm phán",
            "course_type": CourseType.objects.get(code="KY_NANG").pk,
            "status": "planned",
            "start_date": "16/11/2019",
            "mode": "in_person",
            "planned_participants": "1.200",
            "budget_planned": "150.000.000",
            "budget_spent": "150 000 000",
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
            "tallies-TOTAL_FORMS": "0",
            "tallies-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    course = Course.objects.get(code="K-TIEN-01")
    assert (course.budget_planned, course.budget_spent) == (150_000_000, 150_000_000)
    assert course.planned_participants == 1200
    page = client.get(f"/admin/courses/course/{course.pk}/change/").content.decode()
    assert 'value="150.000.000"' in page
    assert "₫" in page


def test_a_budget_with_a_decimal_comma_is_refused_on_the_field_and_nothing_saved(
    client, admin_user
):
    client.force_login(admin_user)
    course = make_course(code="K-TIEN-02", budget_planned=5)
    page = client.get(f"/admin/courses/course/{course.pk}/change/")
    data = {
        k: v
        for k, v in page.context["adminform"].form.initial.items()
        if v is not None and not isinstance(v, list)
    }
    data.update(
        {
            "code": course.code,
            "title": course.title,
            "course_type": course.course_type_id,
            "start_date": "01/03/2019",
            "budget_planned": "150.000,5",
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
            "tallies-TOTAL_FORMS": "0",
            "tallies-INITIAL_FORMS": "0",
        }
    )
    response = client.post(f"/admin/courses/course/{course.pk}/change/", data)
    assert response.status_code == 200
    assert "budget_planned" in response.context["adminform"].form.errors
    course.refresh_from_db()
    assert course.budget_planned == 5


def test_an_amount_too_big_for_the_field_is_refused_not_cut(admin_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        admin_form_field(ParticipantTally, "count", admin_user).clean("3.000.000.000")
    with pytest.raises(ValidationError):
        admin_form_field(Course, "budget_planned", admin_user).clean("10" + ".000" * 7)
    assert admin_form_field(Course, "budget_planned", admin_user).clean("9.000.000.000") == 9e9


def test_the_tally_list_shows_counts_with_dots(client, admin_user, settings):
    settings.LANGUAGE_CODE = "vi"  # the interface's language
    client.force_login(admin_user)
    tally(make_course(code="K-TIEN-04"), 192_500)
    page = client.get("/admin/courses/participanttally/").content.decode()
    assert "192.500" in page
