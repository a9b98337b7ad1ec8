"""The server is safe to put on a network: deploy checks, login rate limiting, CSRF."""

import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from tests.conftest import PASSWORD


def test_the_deploy_check_passes_with_production_settings():
    env = dict(os.environ)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser fixture
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="daotao.example.gov.vn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.axes
@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_out(admin_user, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    response = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    assert response.status_code == 429
    # Locked out now: even the right password is refused.
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.axes
@pytest.mark.django_db
def test_a_correct_login_is_not_hindered(admin_user):
    client = Client()
    client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/courses/course/add/",
        "/admin/cadres/cadre/add/",
        "/admin/courses/enrolment/add/",
        "/admin/imports/importbatch/upload/",
        "/admin/cadres/cadre/duplicates/",
        "/admin/auth/user/add/",
        "/admin/logout/",
        "/i18n/setlang/",
    ],
)
def test_a_post_without_csrf_token_is_refused(admin_user, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(url, {"code": "X", "language": "en"})
    assert response.status_code == 403
