"""A clerk trusted with personal data reads cadres' ID numbers while an import holds SQLite's
write lock, and the viewing is still logged.

Showing unmasked ID numbers or birth dates is logged first (accounts/audit.py): a viewing
that cannot be logged is not shown. The log lives in the logins file on SQLite
(trainingmgr/routers.py), so writing its entry never waits for the import's lock on the main
file. Here another connection holds ``BEGIN IMMEDIATE`` on the main file, exactly as an
import does, while the clerk logs in through the real login form of a live server and opens
a cadre list, a cadre's page and a training record.
"""

import contextlib
import io
import sqlite3

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import connections

from accounts.models import PersonalDataAccess
from cadres.models import Cadre

from ..access.conftest import current, staff
from ..access.test_personal_data import ID
from .test_login_under_lock import Browser, the_main_database_is_locked

pytestmark = pytest.mark.skipif(
    "logins" not in connections.databases,
    reason="the logins database exists on SQLite only (PostgreSQL locks rows, not the file)",
)


@pytest.fixture
def trusted_clerk(world):
    """A Lào Cai clerk who was given the personal-data permission."""
    user = staff("laocai_hr", "Clerks", kind="locality", locality=current("15"))
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    return user


@contextlib.contextmanager
def write_lock_held():
    """Another connection on the main SQLite file holds its write lock, as an import does."""
    holder = sqlite3.connect(
        connections["default"].settings_dict["NAME"], timeout=0, isolation_level=None
    )
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield holder
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.fixture
def an_import_runs(world, trusted_clerk):
    """The write lock, taken once the records and the clerk are in the database."""
    with write_lock_held() as holder:
        yield holder


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cadre_list_shows_id_numbers_and_logs_them_during_an_import(
    live_server, world, trusted_clerk, an_import_runs
):
    browser = Browser(live_server.url)
    assert the_main_database_is_locked()
    status, _headers, _page = browser.log_in("laocai_hr")
    assert status == 302

    status, _headers, page = browser.open("/admin/cadres/cadre/")
    assert status == 200
    assert ID in page  # unmasked: the clerk has the permission
    assert the_main_database_is_locked()  # it all happened under the import's lock
    entry = PersonalDataAccess.objects.get()  # logged while the lock was held
    assert entry.username == "laocai_hr"
    assert entry.user_id == trusted_clerk.pk
    assert entry.channel == "page"
    assert entry.model == "cadres.Cadre"
    in_scope = Cadre.objects.filter(pk__in=[world.cadres.lc.pk, world.cadres.yb.pk])
    assert sorted(entry.object_ids) == sorted(in_scope.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_the_import_the_entry_is_still_in_the_log(live_server, world, trusted_clerk):
    browser = Browser(live_server.url)
    with write_lock_held():
        assert browser.log_in("laocai_hr")[0] == 302
        assert browser.open("/admin/cadres/cadre/")[0] == 200
        assert the_main_database_is_locked()
    # The import ends (here: gives up its lock); the entry written under it is still there.
    assert not the_main_database_is_locked()
    status, _headers, _page = browser.open("/admin/cadres/cadre/?q=L%C3%B2")
    assert status == 200
    assert list(PersonalDataAccess.objects.order_by("id").values_list("username", "path")) == [
        ("laocai_hr", "/admin/cadres/cadre/"),
        ("laocai_hr", "/admin/cadres/cadre/?q=L%C3%B2"),
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cadre_page_and_the_training_record_during_an_import(
    live_server, world, trusted_clerk, an_import_runs
):
    browser = Browser(live_server.url)
    assert browser.log_in("laocai_hr")[0] == 302
    cadre = world.cadres.lc
    status, _headers, page = browser.open(f"/admin/cadres/cadre/{cadre.pk}/change/")
    assert status == 200
    assert ID in page
    with browser.opener.open(f"{live_server.url}/records/cadre/{cadre.pk}.xlsx") as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"].startswith("application/vnd.openxmlformats")
        assert ID in sheet_text(answer.read())
    assert the_main_database_is_locked()
    logged = PersonalDataAccess.objects.order_by("id").values_list("channel", "object_ids")
    assert list(logged) == [("page", [cadre.pk]), ("document", [cadre.pk])]


def sheet_text(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(str(v) for row in workbook.active.values for v in row if v is not None)
