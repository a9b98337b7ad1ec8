"""Browser tests: transactional tests in a real Chromium, driven by Playwright."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections


@pytest.fixture(scope="module", autouse=True)
def _reference_data_restorable_under_playwright(django_db_setup, django_db_blocker, browser):
    """Let serialized_rollback restore the reference data (localities, ranks, programmes)
    that an earlier transactional test flushed.

    Playwright's sync API marks an event loop as running in this thread; Django then keeps
    its connections per asyncio context (asgiref's Local), so the connection the test uses
    is not the one setup_databases() gave the serialized data to, and serialized_rollback
    restores nothing. Hand the data over, and start from an empty database as it expects:
    a flush by an earlier test let post_migrate recreate content types and permissions
    under other ids, which the restored rows would collide with."""
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
