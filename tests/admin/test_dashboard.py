"""The admin index shows the totals by the counting rule and links to the reports."""

from django.urls import reverse

from cadres.templatetags.dashboard import dashboard_figures
from courses.models import Enrolment, Programme

from .conftest import enrol, make_cadre, make_course, tally


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
