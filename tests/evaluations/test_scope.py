"""Lecturers, answering windows and certificate numbering patterns are scoped at the queryset
(their course's or organiser's rule through the FK), like every kit model: a clerk sees,
opens and writes only those of the courses and organisers in scope."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from certificates.models import Certificate, NumberingPattern
from certificates.services import certificates_for, issue_for_course
from courses.models import Enrolment
from evaluations.models import EvaluationWindow, Lecturer

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated_world(world):
    lecturers = {
        "lc": Lecturer.objects.create(course=world.courses.lc, full_name="Giàng A Lử"),
        "hn": Lecturer.objects.create(course=world.courses.hn, full_name="Đặng Thị Hạnh"),
        "bng": Lecturer.objects.create(course=world.courses.bng, full_name="Vũ Minh Khôi"),
    }
    windows = {
        "lc": EvaluationWindow.objects.create(course=world.courses.lc, days=10),
        "hn": EvaluationWindow.objects.create(course=world.courses.hn, days=20),
    }
    patterns = {
        "lc": NumberingPattern.objects.create(agency=world.agencies.lc, prefix="SNVLC"),
        "hn": NumberingPattern.objects.create(agency=world.agencies.hn, prefix="SNVHN"),
    }
    return world, lecturers, windows, patterns


def test_each_persona_sees_the_rows_of_its_own_courses(
    evaluated_world, lao_cai_clerk, ha_noi_clerk, ministry_clerk
):
    _world, _lecturers, _windows, _patterns = evaluated_world

    def names(user):
        return (
            set(Lecturer.objects.visible_to(user).values_list("full_name", flat=True)),
            set(EvaluationWindow.objects.visible_to(user).values_list("days", flat=True)),
            set(NumberingPattern.objects.visible_to(user).values_list("prefix", flat=True)),
        )

    assert names(lao_cai_clerk) == ({"Giàng A Lử"}, {10}, {"SNVLC"})
    assert names(ha_noi_clerk) == ({"Đặng Thị Hạnh"}, {20}, {"SNVHN"})
    assert names(ministry_clerk) == ({"Vũ Minh Khôi"}, set(), set())
    assert names(None)[0] == {"Giàng A Lử", "Đặng Thị Hạnh", "Vũ Minh Khôi"}  # the command line


def test_a_clerk_lists_and_opens_only_the_lecturers_and_windows_in_scope(
    client, evaluated_world, lao_cai_clerk
):
    _world, lecturers, windows, patterns = evaluated_world
    client.force_login(lao_cai_clerk)
    lecturer_list = client.get(reverse("admin:evaluations_lecturer_changelist"))
    assert lecturer_list.status_code == 200
    html = lecturer_list.content.decode()
    assert "Giàng A Lử" in html
    assert "Đặng Thị Hạnh" not in html
    assert "Vũ Minh Khôi" not in html
    window_list = client.get(reverse("admin:evaluations_evaluationwindow_changelist"))
    assert "LC-2024" in window_list.content.decode()
    assert "HN-2024" not in window_list.content.decode()
    for url in (
        reverse("admin:evaluations_lecturer_change", args=[lecturers["hn"].pk]),
        reverse("admin:evaluations_evaluationwindow_change", args=[windows["hn"].pk]),
        reverse("admin:certificates_numberingpattern_change", args=[patterns["hn"].pk]),
    ):
        assert client.get(url).status_code == 404, url
    patterns_page = client.get(reverse("admin:certificates_numberingpattern_changelist"))
    assert "SNVLC" in patterns_page.content.decode()
    assert "SNVHN" not in patterns_page.content.decode()


def test_a_clerk_cannot_write_a_window_or_lecturer_on_a_course_outside_the_scope(
    client, evaluated_world, lao_cai_clerk
):
    world, lecturers, windows, _patterns = evaluated_world
    client.force_login(lao_cai_clerk)
    refused = client.post(
        reverse("admin:evaluations_evaluationwindow_add"),
        {"course": world.courses.hn_tallied.pk, "days": 5},
    )
    assert refused.status_code == 200  # the form again, with the error on the course
    assert "course" in refused.context["adminform"].form.errors
    assert not EvaluationWindow.objects.filter(course=world.courses.hn_tallied).exists()
    moved = client.post(
        reverse("admin:evaluations_lecturer_change", args=[lecturers["lc"].pk]),
        {"course": world.courses.hn.pk, "full_name": "Giàng A Lử", "role": "lecturer", "order": 0},
    )
    assert moved.status_code == 200
    assert Lecturer.objects.get(pk=lecturers["lc"].pk).course == world.courses.lc
    # Within the scope it works.
    changed = client.post(
        reverse("admin:evaluations_evaluationwindow_change", args=[windows["lc"].pk]),
        {"course": world.courses.lc.pk, "days": 15},
    )
    assert changed.status_code == 302
    assert EvaluationWindow.objects.get(pk=windows["lc"].pk).days == 15


def test_certificates_for_is_visible_to(world, lao_cai_clerk, client):
    """The old helper is a thin wrapper: same rows as Certificate.objects.visible_to, and an
    anonymous user sees none."""
    for enrolment in Enrolment.objects.all():
        enrolment.status = Enrolment.Status.COMPLETED
        enrolment.save()
    for course in (world.courses.lc, world.courses.hn, world.courses.bng):
        issue_for_course(course)
    mine = set(Certificate.objects.visible_to(lao_cai_clerk).values_list("pk", flat=True))
    assert set(certificates_for(lao_cai_clerk).values_list("pk", flat=True)) == mine
    holders = set(Certificate.objects.filter(pk__in=mine).values_list("holder_name", flat=True))
    assert holders == {"Lò Văn Páo", "Hoàng Thị Yến"}
    assert not certificates_for(AnonymousUser()).exists()
