"""The course list's participant-times column counts only the rows the viewer may see (the
hole: 127 shown to a scoped clerk, 87 in scope). Exact figures for each persona, on the small
world of tests/access/conftest.py:

- LC-2024 (Lào Cai): three named participants, of Lào Cai, former Yên Bái and Hà Nội;
- HN-2024 (Hà Nội): one Hà Nội participant;
- HN-2018 (Hà Nội, tallies only): 5 for Lào Cai, 2 for former Yên Bái, 10 without a locality;
- BNG-2023 (the ministry, abroad): one ministry participant and one from Lào Cai.
"""

import pytest

from courses.models import Course, Enrolment, ParticipantTally

EXPECTED = {
    "lao_cai_clerk": {"LC-2024": 2},
    "lao_cai_manager": {"LC-2024": 2},
    "ha_noi_clerk": {"HN-2024": 1, "HN-2018": 10},
    "ministry_clerk": {"BNG-2023": 1},
    "manager": {"LC-2024": 3, "HN-2024": 1, "HN-2018": 17, "BNG-2023": 2},
}


def column(response):
    return {course.code: course.participants for course in response.context["cl"].result_list}


@pytest.mark.parametrize("persona", EXPECTED)
def test_the_participant_times_column_counts_the_viewers_scope_only(
    request, client, world, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get("/admin/courses/course/")
    assert response.status_code == 200
    assert column(response) == EXPECTED[persona]
    # The page's figures and the domain's scoped querysets say the same.
    for code, shown in column(response).items():
        course = Course.objects.visible_to(user).get(code=code)
        named = Enrolment.objects.visible_to(user).counted().filter(course=course).count()
        tallied = sum(
            ParticipantTally.objects.visible_to(user)
            .filter(course=course)
            .values_list("count", flat=True)
        )
        assert shown == (named if course.enrolments.exists() else tallied)


def test_ordering_by_the_column_keeps_the_scoped_figures(client, world, ha_noi_clerk):
    client.force_login(ha_noi_clerk)
    response = client.get("/admin/courses/course/", {"o": "-10"})
    assert response.status_code == 200
    assert list(column(response).items()) == [("HN-2018", 10), ("HN-2024", 1)]
