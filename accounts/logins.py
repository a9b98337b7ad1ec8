"""A login never waits for an import: what it writes, and where (trainingmgr/routers.py).

A login writes three things: the session row and django-axes' records, which the router
keeps in the ``logins`` database on SQLite (a second file no import locks), and
``auth_user.last_login``, which has to be on the main database with the user. While an
import or a revert holds SQLite's write lock (minutes for a big sheet), that last write
would wait for the busy timeout and fail the login with "database is locked".

So ``last_login`` is written with a short wait, and skipped with a warning in the log when
the main database is still locked: the login itself goes on. Skipped, not deferred: a later
write would need the same lock (a queue row in the main database waits just as long), and a
write kept in memory is lost with the process. Nothing in the app reads ``last_login`` for
security (no password-reset links, whose tokens would include it); it only shows in the
user admin when a person last logged in, so a missing update during an import is harmless.
On PostgreSQL rows lock one by one, an import never locks ``auth_user``, and the write is
the plain one.
"""

import contextlib
import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.management import call_command
from django.db import OperationalError, connections, router
from django.utils import timezone

from trainingmgr.routers import LOGINS

log = logging.getLogger(__name__)

# How long a login waits for the main SQLite file's write lock before it skips last_login.
LAST_LOGIN_WAIT_MS = 1000


@contextlib.contextmanager
def busy_timeout(connection, milliseconds):
    """SQLite's busy timeout set to ``milliseconds`` for the statements in the block."""
    configured = int(float(connection.settings_dict["OPTIONS"].get("timeout", 5)) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {configured}")


def record_last_login(sender, user, **kwargs):
    """user_logged_in: Django's update_last_login, which never fails the login on SQLite."""
    model = type(user)
    now = timezone.now()
    using = router.db_for_write(model, instance=user)
    connection = connections[using]
    rows = model._default_manager.using(using).filter(pk=user.pk)
    on_sqlite = connection.vendor == "sqlite"
    try:
        with (
            busy_timeout(connection, LAST_LOGIN_WAIT_MS) if on_sqlite else contextlib.nullcontext()
        ):
            rows.update(last_login=now)
    except OperationalError as error:
        if not on_sqlite or "locked" not in str(error):
            raise
        log.warning(
            "Login of user %s: last_login not recorded, the database is locked by a long "
            "write (an import or a revert); the login goes on.",
            user.pk,
        )
        return
    user.last_login = now


def connect():
    """From AccountsConfig.ready(): take over django.contrib.auth's last_login receiver."""
    if not hasattr(get_user_model(), "last_login"):
        return
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    user_logged_in.connect(record_last_login, dispatch_uid="update_last_login")


def migrate_logins_database(sender, using="default", verbosity=1, **kwargs):
    """post_migrate of the main database: ``manage.py migrate`` also creates and migrates
    the logins file (SQLite only), so that no deployment step can forget it. The test
    runner creates each test database itself, and is left to do so."""
    if using != "default" or LOGINS not in connections.databases:
        return
    main = connections["default"]
    if main.settings_dict["NAME"] == main.creation._get_test_db_name():
        return
    call_command("migrate", database=LOGINS, interactive=False, verbosity=max(verbosity - 1, 0))
