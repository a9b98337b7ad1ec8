"""A manager logs in and reads the report while an import holds SQLite's write lock.

The import takes the main database's write lock with ``BEGIN IMMEDIATE`` for as long as its
writes last (minutes for a big sheet). Here another connection holds that lock on the main
file, exactly as the import does, while a person logs in through the real login form of a
live server: the login succeeds, the report page answers, and logging out still ends the
session (sessions are rows in the logins database, not signed cookies).
"""

import http.cookiejar
import logging
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connections

from tests.conftest import PASSWORD

pytestmark = pytest.mark.skipif(
    "logins" not in connections.databases,
    reason="the logins database exists on SQLite only (PostgreSQL locks rows, not the file)",
)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    """A person's browser: cookies kept, redirects not followed, so each answer is seen."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def cookie(self, name):
        return next((c.value for c in self.cookies if c.name == name), None)

    def open(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)  # noqa: S310 (http)
        if data is not None:
            request.add_header("Referer", self.base_url + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers, answer.read().decode()

    def post_form(self, path, fields):
        status, _headers, page = self.open(path)
        assert status == 200, (path, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.open(path, {"csrfmiddlewaretoken": token, **fields})

    def post(self, path, fields):
        """A form of the page just shown: the CSRF token is the cookie's."""
        return self.open(path, {"csrfmiddlewaretoken": self.cookie("csrftoken"), **fields})

    def log_in(self, username, password=PASSWORD):
        return self.post_form(
            "/admin/login/?next=/reports/", {"username": username, "password": password}
        )


@pytest.fixture
def import_holds_the_write_lock(transactional_db):
    """Another connection on the main SQLite file holds its write lock, as an import does."""
    holder = sqlite3.connect(
        connections["default"].settings_dict["NAME"], timeout=0, isolation_level=None
    )
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


def the_main_database_is_locked():
    probe = sqlite3.connect(connections["default"].settings_dict["NAME"], timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        return "locked" in str(error)
    finally:
        probe.close()
    return False


@pytest.mark.axes
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_manager_logs_in_and_reads_the_report_during_an_import(
    live_server, manager, caplog, import_holds_the_write_lock
):
    browser = Browser(live_server.url)
    assert the_main_database_is_locked()
    with caplog.at_level(logging.WARNING, logger="accounts.logins"):
        status, headers, _page = browser.log_in("manager")
    assert status == 302, status
    assert headers["Location"] == "/reports/"
    session_key = browser.cookie("sessionid")
    assert Session.objects.filter(session_key=session_key).exists()

    status, _headers, page = browser.open("/reports/")
    assert status == 200
    assert "manager" in page
    status, _headers, _page = browser.open("/admin/")  # the admin's pages read only, too
    assert status == 200
    assert the_main_database_is_locked()  # all of it happened under the import's lock
    # The login did not wait for the lock: last_login was skipped, and said so in the log.
    assert User.objects.get(username="manager").last_login is None
    assert "last_login not recorded" in caplog.text

    # Logging out deletes the session row: the old cookie no longer opens anything.
    status, _headers, _page = browser.post("/admin/logout/", {})
    assert status in (200, 302)
    assert not Session.objects.filter(session_key=session_key).exists()
    copied = with_session_cookie(Browser(live_server.url), session_key)
    status, headers, _page = copied.open("/reports/")
    assert status == 302
    assert headers["Location"].startswith("/admin/login/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_an_import_the_login_records_last_login(live_server, manager):
    browser = Browser(live_server.url)
    status, _headers, _page = browser.log_in("manager")
    assert status == 302
    assert User.objects.get(username="manager").last_login is not None


@pytest.mark.axes
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wrong_passwords_during_an_import_still_lock_the_account_out(
    live_server, manager, import_holds_the_write_lock
):
    browser = Browser(live_server.url)
    for _attempt in range(4):
        status, _headers, _page = browser.log_in("manager", "not-the-password")
        assert status == 200  # the form again, with its error
    status, _headers, _page = browser.log_in("manager", "not-the-password")
    assert status == 429  # the fifth wrong password
    assert AccessAttempt.objects.get(username="manager").failures_since_start == 5
    # Locked out: even the right password is refused now.
    status, _headers, _page = browser.log_in("manager")
    assert status == 429
    assert browser.cookie("sessionid") is None


def with_session_cookie(browser, session_key):
    """``browser`` given the session cookie copied from another (logged-out) browser."""
    domain = urllib.parse.urlsplit(browser.base_url).hostname
    cookie = http.cookiejar.Cookie(
        version=0,
        name="sessionid",
        value=session_key,
        port=None,
        port_specified=False,
        domain=domain,
        domain_specified=False,
        domain_initial_dot=False,
        path="/",
        path_specified=True,
        secure=False,
        expires=None,
        discard=True,
        comment=None,
        comment_url=None,
        rest={},
    )
    browser.cookies.set_cookie(cookie)
    return browser
