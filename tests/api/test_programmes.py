# ruff: noqa: F811 (pytest fixtures imported from the persona modules)
"""GET /api/programmes/ and /api/programmes/<code>/: every programme with its period and
targets, for any staff token; an unknown code is 404; no token is 401."""

import pytest
from rest_framework.test import APIClient

from courses.models import Programme, Target
from tests.access.conftest import lao_cai_clerk, manager  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_manager_lists_every_programme_with_its_targets(api, manager):
    response = api(manager).get("/api/programmes/")
    assert response.status_code == 200
    listed = {row["code"]: row for row in response.json()}
    assert set(listed) == set(Programme.objects.values_list("code", flat=True))
    shipped = Programme.objects.get(code="QD2007-2015")
    row = listed["QD2007-2015"]
    assert (row["first_year"], row["last_year"]) == (shipped.first_year, shipped.last_year)
    assert [t["code"] for t in row["targets"]] == list(
        Target.objects.filter(programme=shipped).values_list("code", flat=True)
    )
    assert {"label", "metric", "value_min"} <= set(row["targets"][0])


def test_a_scoped_clerk_reads_one_programme_and_an_unknown_code_is_404(api, lao_cai_clerk):
    client = api(lao_cai_clerk)
    response = client.get("/api/programmes/QD2007-2015/")
    assert response.status_code == 200
    assert response.json()["code"] == "QD2007-2015"
    assert client.get("/api/programmes/NO-SUCH/").status_code == 404


def test_without_a_token_the_programmes_are_401(db):
    assert APIClient().get("/api/programmes/").status_code == 401
