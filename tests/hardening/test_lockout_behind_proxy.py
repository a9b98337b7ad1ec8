"""An attacker cannot lock a user out from another address, behind the documented proxy.

gunicorn serves the app as docs/DEPLOY.md runs it, with DJANGO_BEHIND_PROXY=1; the test speaks
to it as nginx does (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`: the
client's own header, if any, then the address nginx saw, last). The connection itself always
comes from 127.0.0.1, the proxy.
"""

import http.client
import http.cookies
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.db import connection

from tests.conftest import PASSWORD, logins_database_env

ROOT = Path(__file__).resolve().parents[2]
ATTACKER = "203.0.113.66"
USER_ADDRESS = "198.51.100.7"


def database_url():
    """The test database, for the gunicorn process (SQLite file or PostgreSQL)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(transactional_db, django_db_serialized_rollback):
    # Serialized rollback: the flush after this test keeps post_migrate from recreating
    # content types under new ids, which the next serialized test would collide with.
    port = free_port()
    env = dict(os.environ)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DATABASE_URL=database_url(),
        DJANGO_DEBUG="1",  # static files without collectstatic; axes behaves the same
        DJANGO_BEHIND_PROXY="1",
        DJANGO_PROXY_COUNT="1",  # nginx alone, as in docs/DEPLOY.md
        DJANGO_SSL_REDIRECT="0",
        DJANGO_LOGIN_FAILURE_LIMIT="5",
        **logins_database_env(),
    )
    env.pop("DJANGO_TRUSTED_PROXIES", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "trainingmgr.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.2)
    yield port
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Browser:
    """One client behind nginx: its own cookies, the X-Forwarded-For nginx would send."""

    def __init__(self, port, forwarded_for):
        self.port = port
        self.forwarded_for = forwarded_for
        self.cookies = {}

    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"X-Forwarded-For": self.forwarded_for, "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}/admin/login/"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        conn.close()
        return response.status, content

    def log_in(self, username, password):
        status, page = self.request("GET", "/admin/login/?next=/admin/")
        assert status == 200, page[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": username,
                "password": password,
                "next": "/admin/",
            }
        )
        status, _page = self.request("POST", "/admin/login/?next=/admin/", body)
        return status


@pytest.mark.axes
def test_wrong_passwords_from_one_address_do_not_lock_the_user_out_elsewhere(gunicorn):
    User.objects.create_superuser("admin", "admin@example.vn", PASSWORD)
    attacker = Browser(gunicorn, ATTACKER)
    statuses = [attacker.log_in("admin", f"guess-{n}") for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    attempt = AccessAttempt.objects.get(username="admin")
    assert attempt.ip_address == ATTACKER
    assert attempt.failures_since_start == 5

    # The attacker's address stays locked, even with the right password.
    assert Browser(gunicorn, ATTACKER).log_in("admin", PASSWORD) == 429

    # The real user, from their own address, logs in.
    user = Browser(gunicorn, USER_ADDRESS)
    assert user.log_in("admin", PASSWORD) == 302
    assert user.request("GET", "/admin/")[0] == 200


@pytest.mark.axes
def test_an_attacker_cannot_borrow_the_users_address_through_the_header(gunicorn):
    """The attacker writes the user's address into X-Forwarded-For himself; nginx appends the
    attacker's real address, and that one is what counts."""
    User.objects.create_superuser("admin", "admin@example.vn", PASSWORD)
    forged = Browser(gunicorn, f"{USER_ADDRESS}, {ATTACKER}")
    statuses = [forged.log_in("admin", f"guess-{n}") for n in range(5)]
    assert statuses[-1] == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert Browser(gunicorn, USER_ADDRESS).log_in("admin", PASSWORD) == 302
