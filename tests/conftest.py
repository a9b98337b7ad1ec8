"""Shared fixtures: the personas, and a real Chromium driven by Playwright.

Personas: a ministry clerk (staff who enters data), a manager (reads reports),
an administrator, and an outsider (a logged-in account with no role).
"""

import os
import shutil

import pytest
from django.contrib.auth.models import Group, User
from pytest_django.fixtures import validate_django_db

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery-staple"


def under_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("admin", "admin@example.vn", PASSWORD)


@pytest.fixture
def clerk(db):
    """A ministry clerk: staff who enters courses, cadres, enrolments and tallies and imports
    spreadsheets, with exactly the permissions of the migrated Clerks group (national scope)."""
    user = User.objects.create_user("clerk", "clerk@mofa.gov.vn", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Clerks"))
    return User.objects.get(pk=user.pk)  # no cached permissions


@pytest.fixture
def outsider(db):
    return User.objects.create_user("outsider", "outsider@example.vn", PASSWORD)


@pytest.fixture(scope="session")
def chromium_path():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if under_ci():
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}: browser tests must run.")
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: browser tests skipped "
            "(install Debian's 'chromium' package to run them)."
        )
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


@pytest.fixture(scope="session")
def browser(chromium_path):
    # Playwright's sync API runs an event loop; Django refuses ORM calls from a thread with a
    # running loop unless told that this is intended (the test thread is synchronous).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page, username, password=PASSWORD):
    """Log in through the admin's login form, as a person would."""
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state()


@pytest.fixture(autouse=True)
def _no_login_lockout(request, settings):
    """django-axes needs a request to authenticate, which the test client's login() does not
    pass; it is switched on only in the tests about login rate limiting (marker `axes`)."""
    settings.AXES_ENABLED = bool(request.node.get_closest_marker("axes"))


@pytest.fixture(autouse=True)
def _summaries_exact_after_a_flush(request):
    """A transactional test starts from a flushed database, and Django's flush DELETEs table
    by table with the triggers on: deleting the previous test's people and enrolments after
    the summary tables leaves summary rows of -1 behind. Each such test starts with the
    summaries recomputed from the rows, as after a restore (the import's refresh used to hide
    this: it recomputed the keys it touched; an import that only adds rows now adds to them)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in (
        request.fixturenames
    )
    if marker is not None and validate_django_db(marker)[0]:
        transactional = True
    if transactional:
        request.getfixturevalue("transactional_db")
        from reports.summaries import recompute

        recompute()


def pytest_collection_modifyitems(items):
    """On SQLite, sessions and django-axes live in a second database (``logins``,
    trainingmgr/routers.py): every test that uses the database may use both, so that a test
    that logs in needs nothing more than the ``db`` fixture or its django_db marker."""
    from django.conf import settings
    from django.test import TransactionTestCase

    from trainingmgr.routers import LOGINS

    if LOGINS not in settings.DATABASES:
        return
    for item in items:
        marker = item.get_closest_marker("django_db")
        uses_db = {"db", "transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        cls = getattr(item, "cls", None)
        if cls is not None and issubclass(cls, TransactionTestCase):
            # Django's own test classes: their ``databases`` (only "default" by default).
            if cls.databases != "__all__" and LOGINS not in cls.databases:
                cls.databases = {*cls.databases, LOGINS}
            continue
        if not marker and not uses_db:
            continue
        transaction, reset_sequences, databases, serialized_rollback, available_apps = (
            validate_django_db(marker) if marker else (False, False, None, False, None)
        )
        if databases == "__all__":
            continue
        item.add_marker(
            pytest.mark.django_db(
                transaction=transaction,
                reset_sequences=reset_sequences,
                databases=sorted({"default", LOGINS, *(databases or ())}),
                serialized_rollback=serialized_rollback,
                available_apps=available_apps,
            ),
            append=False,
        )


def logins_database_env():
    """For a process the tests start on their databases (gunicorn, a worker): the logins
    file of this test run (its name carries pytest-xdist's suffix, so it is not the one the
    child would derive from DATABASE_URL). Empty where there is no logins database."""
    from django.db import connections

    from trainingmgr.routers import LOGINS

    if LOGINS not in connections:
        return {}
    return {"DJANGO_LOGINS_DATABASE": str(connections[LOGINS].settings_dict["NAME"])}
