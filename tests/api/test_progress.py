# ruff: noqa: F811 (pytest fixtures imported from the persona modules)
"""GET /api/programmes/<code>/progress: the progress_report JSON for the caller's scope, on
the hand-made programme TEST-P (tests/reports/conftest.py)."""

import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.models import AccessScope
from api.models import ApiToken, hash_key
from tests.access.conftest import staff
from tests.reports.conftest import add_target, world  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/programmes/TEST-P/progress"


def test_without_a_token_or_with_a_wrong_one_the_answer_is_401(world):
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert client.get(URL).status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token")
    assert client.get(URL).status_code == 401


def test_an_account_without_a_role_is_refused(world, outsider, api):
    assert api(outsider).get(URL).status_code == 403


def test_a_national_manager_gets_exactly_the_command_json(world, api):
    add_target(world, "PT20", "participant_times", 20)
    manager = staff("manager", "Managers")
    response = api(manager).get(URL + "?as_of=2022-01-01")
    assert response.status_code == 200
    out = io.StringIO()
    call_command("progress_report", "TEST-P", "--as-of", "2022-01-01", stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["totals"]["participant_times"] == 14  # C4 starts 1/5/2022


def test_a_lao_cai_clerk_gets_lao_cai_figures_only(world, api):
    clerk = staff("laocai", "Clerks", kind="locality", locality=world.lao_cai)
    body = api(clerk).get(URL).json()
    # A twice (former Yên Bái) + B on C1/C2, the Lào Cai tally of 3 on C3
    assert body["totals"]["participant_times"] == 6
    assert body["by_locality"] == {"15": 6}
    assert body["totals"]["courses"] == 3


def test_a_ha_noi_clerk_gets_ha_noi_figures_only(world, api):
    clerk = staff("hanoi", "Clerks", kind="locality", locality=world.ha_noi)
    body = api(clerk).get(URL).json()
    assert body["by_locality"] == {"01": 6}  # tally of 5 on C3, F on C4


def test_an_agency_clerk_gets_the_agency_figures_only(world, api):
    from cadres.models import Agency

    bng = Agency.objects.get(code="BNG")
    clerk = staff("bng", "Clerks", kind="agency", agency=bng)
    assert api(clerk).get(URL).json()["totals"]["participant_times"] == 0
    world.c2.enrolments.filter(cadre=world.e).update(agency=bng)
    body = api(clerk).get(URL).json()
    assert body["totals"]["participant_times"] == 1  # E on C2, now of BNG
    assert body["by_locality"] == {"unknown": 1}


def test_bad_input_is_a_400_naming_the_field_and_an_unknown_programme_404(world, api):
    manager = staff("manager", "Managers")
    client = api(manager)
    response = client.get(URL + "?as_of=soon")
    assert response.status_code == 400
    assert "as_of" in response.json()
    assert client.get("/api/programmes/NOPE/progress").status_code == 404


def test_counts_by_year_and_rank_in_scope(world, api):
    clerk = staff("laocai", "Clerks", kind="locality", locality=world.lao_cai)
    body = api(clerk).get("/api/programmes/TEST-P/counts?by=year&by=rank").json()
    assert body["total"] == 6
    assert body["rows"] == [
        {"year": 2020, "rank": "CHUYEN_VIEN", "participant_times": 1},
        {"year": 2020, "rank": "VU_TRUONG", "participant_times": 1},
        {"year": 2021, "rank": "VU_TRUONG", "participant_times": 4},
    ]
    bad = api(clerk).get("/api/programmes/TEST-P/counts?by=colour")
    assert bad.status_code == 400
    assert "colour" in str(bad.json()["by"])


def test_create_api_token_prints_a_key_that_works(world):
    manager = staff("manager", "Managers")
    out = io.StringIO()
    call_command("create_api_token", "manager", stdout=out)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=manager)
    assert token.key_hash == hash_key(key)
    assert key not in token.key_hash
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/programmes/").status_code == 200


def test_the_openapi_schema_is_served(db):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/programmes/{code}/progress" in text


def test_a_scope_row_changed_applies_at_the_next_call(world, api):
    clerk = staff("scoped", "Managers", kind="locality", locality=world.lao_cai)
    client = api(clerk)
    assert client.get(URL).json()["totals"]["participant_times"] == 6
    AccessScope.objects.filter(user=clerk).update(locality=world.ha_noi)
    assert client.get(URL).json()["totals"]["participant_times"] == 6
    assert client.get(URL).json()["by_locality"] == {"01": 6}


def test_requests_beyond_the_rate_are_refused_with_429(world, api, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min", "anon": "3/min"})
    client = api(staff("manager", "Managers"))
    codes = [client.get("/api/programmes/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = api(staff("other", "Managers"))
    assert other.get("/api/programmes/").status_code == 200  # counted per user
