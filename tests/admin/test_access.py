"""Who may do what in the admin: the clerk enters courses, the outsider gets nothing, and the
"Import" button shows only to those allowed to import spreadsheets."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from courses.models import Course, CourseType, Enrolment

from ..conftest import PASSWORD
from .conftest import make_cadre


def course_form(code="K-CLERK-1", **extra):
    """The add-course form as the admin posts it, with its two inline formsets."""
    data = {
        "code": code,
        "title": "Bồi dưỡng kỹ năng đàm phán",
        "course_type": CourseType.objects.get(code="KY_NANG").pk,
        "status": Course.Status.FINISHED,
        "start_date": "16/11/2019",
        "end_date": "18/11/2019",
        "country": "",
        "mode": Course.Mode.IN_PERSON,
        "enrolments-TOTAL_FORMS": "0",
        "enrolments-INITIAL_FORMS": "0",
        "tallies-TOTAL_FORMS": "0",
        "tallies-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_the_clerk_adds_a_course_with_an_enrolment(admin_client_for, clerk):
    cadre = make_cadre(full_name="Lê Thị Mai", rank_code="CAP_PHONG")
    data = course_form(
        **{
            "enrolments-TOTAL_FORMS": "1",
            "enrolments-0-cadre": cadre.pk,
            "enrolments-0-status": Enrolment.Status.COMPLETED,
        }
    )

    response = admin_client_for(clerk).post(reverse("admin:courses_course_add"), data)

    assert response.status_code == 302
    course = Course.objects.get(code="K-CLERK-1")
    assert course.start_date == datetime.date(2019, 11, 16)
    enrolment = course.enrolments.get()
    assert (enrolment.cadre, enrolment.status) == (cadre, Enrolment.Status.COMPLETED)
    assert enrolment.rank.code == "CAP_PHONG"  # copied from the cadre
    assert enrolment.locality == cadre.locality


def test_the_outsider_is_sent_to_log_in(admin_client_for, outsider):
    client = admin_client_for(outsider)
    response = client.get(reverse("admin:courses_course_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    response = client.post(reverse("admin:courses_course_add"), course_form())
    assert response.status_code == 302
    assert not Course.objects.exists()


def test_staff_without_permissions_are_refused(client, db):
    client.force_login(User.objects.create_user("intern", password=PASSWORD, is_staff=True))
    assert client.get(reverse("admin:courses_course_changelist")).status_code == 403
    assert client.post(reverse("admin:courses_course_add"), course_form()).status_code == 403
    assert client.get(reverse("admin:courses_course_export")).status_code == 403
    assert not Course.objects.exists()


def test_the_clerk_cannot_change_reference_data(admin_client_for, clerk):
    client = admin_client_for(clerk)
    assert client.get(reverse("admin:cadres_rank_changelist")).status_code == 200
    assert client.get(reverse("admin:cadres_rank_add")).status_code == 403


IMPORT_LISTS = [
    ("admin:courses_course_changelist", "courses"),
    ("admin:courses_enrolment_changelist", "participants"),
    ("admin:courses_participanttally_changelist", "tallies"),
    ("admin:cadres_workforcebaseline_changelist", "baselines"),
]


@pytest.mark.urls("tests.admin.urls_with_upload")
@pytest.mark.parametrize(("changelist", "kind"), IMPORT_LISTS)
def test_the_import_button_shows_to_those_who_may_import(
    admin_client_for, clerk, manager_user, changelist, kind
):
    """The Clerks role imports (its migrated group holds the import permission); a manager,
    who may list the same rows, has no import button."""
    link = f'href="/admin/imports/importbatch/upload/?kind={kind}"'
    assert clerk.has_perm("imports.import_spreadsheet")
    assert link in admin_client_for(clerk).get(reverse(changelist)).content.decode()
    assert not manager_user.has_perm("imports.import_spreadsheet")
    response = admin_client_for(manager_user).get(reverse(changelist))
    assert response.status_code == 200
    assert link not in response.content.decode()


@pytest.fixture
def manager_user(db):
    user = User.objects.create_user("manager", "manager@example.vn", "x", is_staff=True)
    user.groups.add(Group.objects.get(name="Managers"))
    return User.objects.get(pk=user.pk)


@pytest.mark.urls("tests.admin.urls_with_upload")
def test_lists_without_an_import_have_no_import_button(admin_client_for, admin_user):
    response = admin_client_for(admin_user).get(reverse("admin:cadres_cadre_changelist"))
    assert "import_link" not in response.content.decode()


def test_the_lists_open_whether_or_not_the_upload_view_exists(admin_client_for, admin_user):
    client = admin_client_for(admin_user)
    for changelist, _kind in IMPORT_LISTS:
        assert client.get(reverse(changelist)).status_code == 200
