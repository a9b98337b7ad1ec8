"""The admin index shows the totals by the counting rule and links to the reports."""

import re

from django.urls import reverse

from courses.models import Enrolment, Programme
from imports.models import ImportBatch
from reports.templatetags.dashboard import dashboard_figures

# The personas with a scope (fixtures of tests/access/conftest.py).
from ..access import conftest as access_personas
from .conftest import enrol, make_cadre, make_course, tally

lao_cai_clerk = access_personas.lao_cai_clerk
manager = access_personas.manager
world = access_personas.world


def build_data():
    named = make_course()
    enrol(named, make_cadre())
    enrol(named, make_cadre())
    enrol(named, make_cadre(), status=Enrolment.Status.WITHDRAWN)
    tally(named, 500)  # not counted: the course has a named list
    tallied = make_course()
    tally(tallied, 1200)
    tally(tallied, 34, rank_code="VU_TRUONG")


def test_the_dashboard_counts_by_the_counting_rule(db, django_assert_num_queries):
    build_data()
    with django_assert_num_queries(5):
        figures = dashboard_figures()
    assert figures["courses"] == 2
    assert figures["cadres"] == 3
    assert figures["enrolments_counted"] == 2
    assert figures["tallied_participant_times"] == 1234
    assert [p.code for p in figures["programmes"]] == list(
        Programme.objects.order_by("first_year", "code").values_list("code", flat=True)
    )


def test_the_admin_index_shows_the_dashboard_and_report_links(admin_client_for, admin_user):
    build_data()
    response = admin_client_for(admin_user).get(reverse("admin:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>1.234</strong>" in html  # Vietnamese thousand separator
    assert f'href="{reverse("reports:programme_list")}"' in html
    for code in Programme.objects.values_list("code", flat=True):
        assert f'href="{reverse("reports:programme_detail", args=[code])}"' in html


def test_the_clerk_sees_the_dashboard_too(admin_client_for, clerk):
    response = admin_client_for(clerk).get(reverse("admin:index"))
    assert 'id="training-dashboard"' in response.content.decode()


# The dashboard by task, per persona (tests/access/conftest.py: a world in Lào Cai, Hà Nội
# and the ministry).


def figure(html, name):
    match = re.search(rf'<li id="dashboard-{name}"><strong>([\d.]+)</strong>', html)
    return match.group(1)


def test_a_lao_cai_clerk_sees_lao_cai_figures_not_the_country(
    admin_client_for, lao_cai_clerk, world
):
    html = admin_client_for(lao_cai_clerk).get(reverse("admin:index")).content.decode()
    # Lào Cai's course; its two people (one recorded in former Yên Bái); their three counted
    # enrolments (one on the ministry's course abroad); 5 + 2 tallied heads of Lào Cai.
    assert figure(html, "courses") == "1"
    assert figure(html, "cadres") == "2"
    assert figure(html, "enrolments") == "3"
    assert figure(html, "tallies") == "7"
    assert "Tổng quan: Tỉnh Lào Cai" in html or "Tổng quan: Lào Cai" in html


def test_the_clerk_starts_from_importing_a_list_or_adding_a_course(
    admin_client_for, lao_cai_clerk, world
):
    html = admin_client_for(lao_cai_clerk).get(reverse("admin:index")).content.decode()
    upload = reverse("admin:imports_importbatch_upload") + "?kind=participants"
    assert (
        f'id="task-import" class="dashboard-task" href="{upload}">Nhập danh sách học viên</a>'
        in html
    )
    add = reverse("admin:courses_course_add")
    assert f'id="task-add-course" class="dashboard-task" href="{add}">Thêm khóa học</a>' in html
    # The tasks come first, before the figures and the admin's sections.
    assert html.index('id="task-import"') < html.index('id="dashboard-courses"')
    assert html.index('id="dashboard-courses"') < html.index('id="content-main"')


def test_the_clerk_sees_their_own_recent_imports(admin_client_for, lao_cai_clerk, manager, world):
    mine = ImportBatch.objects.create(
        kind="participants",
        file_name="lao-cai-2025.xlsx",
        checksum="1" * 64,
        rows=1234,
        user=lao_cai_clerk,
    )
    ImportBatch.objects.create(
        kind="courses", file_name="someone-else.xlsx", checksum="2" * 64, user=manager
    )
    html = admin_client_for(lao_cai_clerk).get(reverse("admin:index")).content.decode()
    assert "lao-cai-2025.xlsx" in html
    assert reverse("admin:imports_importbatch_change", args=[mine.pk]) in html
    assert ">1.234<" in html
    assert "someone-else.xlsx" not in html


def test_the_manager_sees_the_reports_first_and_national_figures(admin_client_for, manager, world):
    html = admin_client_for(manager).get(reverse("admin:index")).content.decode()
    assert 'id="task-import"' not in html and 'id="task-add-course"' not in html
    assert html.index('id="dashboard-reports-title"') < html.index('id="dashboard-figures-title"')
    assert figure(html, "courses") == "4"
    assert figure(html, "cadres") == "4"
    assert figure(html, "enrolments") == "6"
    assert figure(html, "tallies") == "17"
    assert "Tổng quan: toàn quốc" in html


def test_programmes_are_listed_by_their_full_titles(admin_client_for, manager, world):
    html = admin_client_for(manager).get(reverse("admin:index")).content.decode()
    for programme in Programme.objects.all():
        assert programme.name in html


def test_technical_sections_are_for_administrators_only(
    admin_client_for, manager, lao_cai_clerk, admin_user, world
):
    for user in (manager, lao_cai_clerk):
        html = admin_client_for(user).get(reverse("admin:index")).content.decode()
        assert 'class="app-axes' not in html and "/admin/axes/" not in html
        assert "/admin/auth/" not in html
    html = admin_client_for(admin_user).get(reverse("admin:index")).content.decode()
    assert "/admin/axes/" in html and "/admin/auth/group/" in html
    # The main section first, the technical ones last.
    assert html.index('class="app-courses') < html.index('class="app-cadres')
    assert html.index('class="app-cadres') < html.index('class="app-axes')


def test_the_login_pages_first_button_logs_in(client, db):
    html = client.get(reverse("admin:login")).content.decode()
    first_button = re.search(r'<(input|button)[^>]*type="submit"[^>]*>', html).group(0)
    assert 'value="Đăng nhập"' in first_button
    assert html.index('id="login-form"') < html.index('id="language-switch"')


def test_the_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
