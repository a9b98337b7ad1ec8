"""A scoped clerk's report shows the figures of their scope only, and says so."""

import pytest
from django.contrib.auth.models import User

from accounts.models import AccessScope
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def scoped_user(username, locality):
    user = User.objects.create_user(username, f"{username}@example.vn", PASSWORD, is_staff=True)
    AccessScope.objects.create(user=user, kind="locality", locality=locality)
    return user


def report_for(client, user):
    client.force_login(user)
    response = client.get("/reports/TEST-P/")
    assert response.status_code == 200
    return response


def test_a_lao_cai_clerk_sees_lao_cai_figures_with_former_yen_bai(client, world):
    response = report_for(client, scoped_user("laocai", world.lao_cai))
    totals = response.context["report"].totals
    # C1: A (former Yên Bái) + B; C2: A; C3: the Lào Cai tally of 3.
    assert totals["participant_times"] == 6
    assert totals["courses"] == 3
    assert "Lào Cai" in str(response.context["report"].filter_lines)


def test_a_ha_noi_clerk_sees_ha_noi_figures_only(client, world):
    response = report_for(client, scoped_user("hanoi", world.ha_noi))
    totals = response.context["report"].totals
    # C3: the Hà Nội tally of 5; C4: F attended (C's C1 enrolment is only registered).
    assert totals["participant_times"] == 6
    assert totals["courses"] == 2


def test_a_scoped_clerk_cannot_widen_the_report_with_a_filter(client, world):
    client.force_login(scoped_user("laocai", world.lao_cai))
    response = client.get("/reports/TEST-P/?locality=01")
    assert response.context["report"].totals["participant_times"] == 0


def test_a_national_manager_sees_the_whole_programme(client, world, manager):
    assert report_for(client, manager).context["report"].totals["participant_times"] == 15
