"""A login does not outlive a working day of inactivity, nor the browser."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def setting_under(name, **environ):
    env = {**os.environ, **environ}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "trainingmgr.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def log_in(client):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD}
    )
    assert response.status_code == 302
    return Session.objects.get(session_key=client.session.session_key)


@pytest.mark.django_db
def test_a_login_lasts_a_working_day_and_ends_with_the_browser(client, admin_user, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_SAVE_EVERY_REQUEST
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    session = Session.objects.get(session_key=cookie.value)
    left = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < left <= datetime.timedelta(hours=8)


@pytest.mark.django_db
def test_each_request_moves_the_idle_expiry_on(client, admin_user):
    session = log_in(client)
    # As if the clerk had last done something seven hours ago.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + datetime.timedelta(hours=1)
    )
    assert client.get("/admin/").status_code == 200
    session.refresh_from_db()
    assert session.expire_date - timezone.now() > datetime.timedelta(hours=7, minutes=59)


@pytest.mark.django_db
def test_an_idle_session_has_expired(client, admin_user):
    session = log_in(client)
    # Eight hours and a minute without a request.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/reports/").status_code == 302


def test_the_idle_time_and_browser_close_come_from_the_environment():
    assert setting_under("SESSION_COOKIE_AGE", DJANGO_SESSION_IDLE_HOURS="2") == "7200"
    assert setting_under("SESSION_COOKIE_AGE") == str(8 * 3600)
    assert (
        setting_under("SESSION_EXPIRE_AT_BROWSER_CLOSE", DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE="0")
        == "False"
    )
