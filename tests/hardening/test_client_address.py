"""Which address a login attempt (and a personal-data log entry) is charged to."""

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.test import Client

from tests.conftest import PASSWORD
from tests.hardening.test_sessions import setting_under

ATTACKER = "203.0.113.66"


def address(rf, **meta):
    return get_client_ip_address(rf.post("/admin/login/", **meta))


def test_directly_on_the_network_a_forwarded_header_is_ignored(rf, settings):
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)
    assert address(rf, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="198.51.100.7") == ATTACKER


@pytest.mark.parametrize(
    ("count", "trusted", "header", "expected"),
    [
        # nginx alone: the last entry is the address nginx saw; the client's own are ignored.
        (0, None, ATTACKER, ATTACKER),
        (0, None, f"198.51.100.7, {ATTACKER}", ATTACKER),
        (0, None, f"1.1.1.1, 198.51.100.7, {ATTACKER}", ATTACKER),
        # A load balancer, then nginx: one entry more on the right.
        (1, None, f"198.51.100.7, {ATTACKER}, 10.0.0.2", ATTACKER),
        # Pinned by the balancer's address instead.
        (None, ["10.0.0.0/24"], f"198.51.100.7, {ATTACKER}, 10.0.0.2", ATTACKER),
    ],
)
def test_behind_proxies_the_address_comes_from_the_right(
    rf, settings, count, trusted, header, expected
):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = count
    settings.AXES_IPWARE_PROXY_TRUSTED_IPS = trusted
    settings.IPWARE_STRICT = False
    assert address(rf, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=header) == expected


def test_the_proxy_settings_come_from_the_environment():
    assert setting_under("AXES_IPWARE_META_PRECEDENCE_ORDER") == "('REMOTE_ADDR',)"
    behind = {"DJANGO_BEHIND_PROXY": "1"}
    assert setting_under("AXES_IPWARE_PROXY_COUNT", **behind) == "0"
    assert setting_under("AXES_IPWARE_PROXY_COUNT", DJANGO_PROXY_COUNT="2", **behind) == "1"
    assert (
        setting_under(
            "AXES_IPWARE_PROXY_TRUSTED_IPS",
            DJANGO_TRUSTED_PROXIES="10.0.0.0/24, 10.1.0.5",
            **behind,
        )
        == "['10.0.0.0/24', '10.1.0.5']"
    )
    assert setting_under("AXES_LOCKOUT_PARAMETERS") == "[['username', 'ip_address']]"


@pytest.mark.axes
@pytest.mark.django_db
def test_a_forged_header_does_not_move_a_direct_attempt(admin_user):
    client = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]
    other = Client(REMOTE_ADDR="198.51.100.7")
    response = other.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302  # logged in: the lock-out is the attacker's address only
