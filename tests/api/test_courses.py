# ruff: noqa: F811 (pytest fixtures imported from the persona modules)
"""GET /api/courses/ and /api/courses/<code>/participants: the caller's scope, and personal
data only with cadres.view_personal_data (the world of tests/access/conftest.py)."""

import pytest
from django.contrib.auth.models import Permission

from tests.access.conftest import (  # noqa: F401
    ha_noi_clerk,
    lao_cai_clerk,
    manager,
    ministry_clerk,
    world,
)

pytestmark = pytest.mark.django_db


def codes(client, query=""):
    response = client.get("/api/courses/" + query)
    assert response.status_code == 200
    return sorted(course["code"] for course in response.json()["results"])


def test_each_persona_lists_the_courses_of_its_scope(
    world, api, lao_cai_clerk, ha_noi_clerk, ministry_clerk, manager
):
    assert codes(api(lao_cai_clerk)) == ["LC-2024"]
    assert codes(api(ha_noi_clerk)) == ["HN-2018", "HN-2024"]
    assert codes(api(ministry_clerk)) == ["BNG-2023"]
    assert set(codes(api(manager))) >= {"LC-2024", "HN-2024", "HN-2018", "BNG-2023"}
    assert codes(api(ha_noi_clerk), "?year=2018") == ["HN-2018"]
    assert api(ha_noi_clerk).get("/api/courses/?year=last").status_code == 400


def test_participants_in_scope_without_personal_data(world, api, lao_cai_clerk, ha_noi_clerk):
    body = api(lao_cai_clerk).get("/api/courses/LC-2024/participants").json()
    names = sorted(row["full_name"] for row in body["results"])
    # Lào Cai people (one recorded in former Yên Bái); the Hà Nội participant is not shown
    assert names == ["Hoàng Thị Yến", "Lò Văn Páo"]
    assert all("id_number" not in row and "birth_date" not in row for row in body["results"])
    assert "010090001234" not in str(body)
    # the Hà Nội clerk sees only the Hà Nội participant of the Lào Cai course
    body = api(ha_noi_clerk).get("/api/courses/LC-2024/participants").json()
    assert [row["full_name"] for row in body["results"]] == ["Nguyễn Văn Hà"]


def test_a_course_outside_the_scope_is_404(world, api, lao_cai_clerk):
    client = api(lao_cai_clerk)
    assert client.get("/api/courses/HN-2024/participants").status_code == 404
    assert client.get("/api/courses/NOPE/participants").status_code == 404


def test_personal_data_only_with_the_permission(world, api, lao_cai_clerk):
    lao_cai_clerk.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    from django.contrib.auth.models import User

    user = User.objects.get(pk=lao_cai_clerk.pk)
    body = api(user).get("/api/courses/LC-2024/participants").json()
    row = next(r for r in body["results"] if r["full_name"] == "Lò Văn Páo")
    assert (row["id_number"], row["birth_date"]) == ("010090001234", "1990-04-05")
    # and the response is in the log of who saw personal data (accounts/audit.py)
    from accounts.models import PersonalDataAccess

    logged = PersonalDataAccess.objects.get(user_id=user.pk)
    assert logged.channel == "api"
    assert len(body["results"]) == len(logged.object_ids) == 2


def test_without_the_permission_the_api_logs_nothing(world, api, lao_cai_clerk):
    from accounts.models import PersonalDataAccess

    api(lao_cai_clerk).get("/api/courses/LC-2024/participants")
    assert not PersonalDataAccess.objects.exists()


def test_the_api_is_read_only(world, api, manager):
    client = api(manager)
    assert client.post("/api/courses/", {"code": "X"}, format="json").status_code == 405
    assert client.delete("/api/programmes/QD2007-2015/").status_code == 405
