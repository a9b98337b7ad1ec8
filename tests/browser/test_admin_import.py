"""A person imports a participants file through the admin: preview, confirm, result."""

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext

from cadres.models import Cadre
from courses.models import Enrolment
from imports.models import ImportBatch
from tests.conftest import login

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module", autouse=True)
def _reference_data_restorable_under_playwright(django_db_setup, django_db_blocker, browser):
    """Let serialized_rollback restore the reference data (localities, ranks, programmes)
    that an earlier transactional test flushed.

    Playwright's sync API marks an event loop as running in this thread; Django then keeps
    its connections per asyncio context (asgiref's Local), so the connection the test uses
    is not the one setup_databases() gave the serialized data to, and serialized_rollback
    restores nothing. Hand the data over, and start from an empty database as it expects:
    a flush by an earlier test let post_migrate recreate content types and permissions
    under other ids, which the restored rows would collide with. (tests/conftest.py's
    `browser` fixture is the better home for this, for every browser test.)
    """
    per_thread = connections._connections._storage  # the connections of plain sync code
    for alias in connections:
        contents = getattr(getattr(per_thread, alias, None), "_test_serialized_contents", None)
        if contents is None:
            continue
        connections[alias]._test_serialized_contents = contents
        with django_db_blocker.unblock():
            call_command(
                "flush",
                database=alias,
                interactive=False,
                verbosity=0,
                inhibit_post_migrate=True,
                reset_sequences=False,  # the restored rows keep their ids; new ones follow
            )
    ContentType.objects.clear_cache()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_imports_a_participants_file_through_the_admin(page, admin_user):
    call_command("import_spreadsheet", "courses", str(FIXTURES / "courses.xlsx"))
    login(page, "admin")
    page.goto("/admin/imports/importbatch/upload/?kind=participants")
    page.set_input_files("#id_file", str(FIXTURES / "participants.xlsx"))
    page.click("input[name=_check]")
    page.wait_for_selector("#import-counts")
    assert page.inner_text("#count-rows") == "7"
    assert page.inner_text("#count-created") == "7"
    assert page.inner_text("#count-people-created") == "5"
    assert "Phó Giám đốc Sở Ngoại vụ" in page.inner_text("#import-sample")
    assert Enrolment.objects.count() == 0
    page.click("#confirm-import")
    page.wait_for_selector(".messagelist")
    with translation.override("vi"):  # the browser asks for Vietnamese
        people = gettext("people: %(matched)s matched, %(new)s created")
    assert people % {"matched": 0, "new": 5} in page.inner_text(".messagelist")
    batch = ImportBatch.objects.get(kind="participants")
    assert (batch.created, batch.user.username) == (7, "admin")
    assert Cadre.objects.count() == 5 and Enrolment.objects.count() == 7
