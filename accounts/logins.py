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
from django.db import OperationalError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext

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
    the logins file (SQLite only), so that no deployment step can forget it, and moves the
    personal-data log's rows still in the main file there (move_personal_data_log). The
    test runner creates each test database itself, and is left to do so."""
    if using != "default" or LOGINS not in connections.databases:
        return
    main = connections["default"]
    if main.settings_dict["NAME"] == main.creation._get_test_db_name():
        return
    call_command("migrate", database=LOGINS, interactive=False, verbosity=max(verbosity - 1, 0))
    moved = move_personal_data_log()
    if moved is not None and verbosity:
        print(
            "  "
            + gettext("Moved %(count)d personal-data log entries to the logins database.")
            % {"count": moved}
        )


# Rows read from the main file and written to the logins file per transaction.
MOVE_CHUNK = 2000


def move_personal_data_log(source="default", target=LOGINS):
    """Move the personal-data log written before it lived in the logins file (an upgraded
    SQLite database) from the main file to the logins file, then drop the old table; returns
    how many rows were copied, or None when the main file has no such table (nothing to do).

    Every column is copied as stored (``at`` included), in chunks, each one transaction of
    the logins file; only then is the old table dropped. A run cut short is simply run again
    (the next ``migrate``): a row already copied (the same id and the same content) is not
    copied twice, and a row whose id was taken by a newer entry gets a new id. Nothing is
    lost on the way: the old table goes only once all its rows are in the logins file."""
    from .models import PersonalDataAccess

    main, logins = connections[source], connections[target]
    table = PersonalDataAccess._meta.db_table
    with main.cursor() as cursor:
        if table not in main.introspection.table_names(cursor):
            return None
    # Raw SQL, so that every value is copied as stored (the ORM would stamp ``at`` anew);
    # the names are the model's own, quoted, and every value is a parameter.
    quote = main.ops.quote_name
    columns = [field.column for field in PersonalDataAccess._meta.concrete_fields]
    pk = columns.index(PersonalDataAccess._meta.pk.column)
    listed = ", ".join(quote(column) for column in columns)
    others = ", ".join(quote(column) for i, column in enumerate(columns) if i != pk)
    places = ", ".join(["%s"] * len(columns))
    select = f"SELECT {listed} FROM {quote(table)} WHERE {quote(columns[pk])}"  # noqa: S608
    insert = f"INSERT INTO {quote(table)} ({listed}) VALUES ({places})"  # noqa: S608
    renumber = (
        f"INSERT INTO {quote(table)} ({others}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * (len(columns) - 1))})"
    )
    moved, last = 0, None
    while True:
        with main.cursor() as cursor:
            cursor.execute(
                f"{select} > %s ORDER BY {quote(columns[pk])} LIMIT %s",
                [-1 if last is None else last, MOVE_CHUNK],
            )
            rows = [tuple(row) for row in cursor.fetchall()]
        if not rows:
            break
        last = rows[-1][pk]
        with transaction.atomic(using=target), logins.cursor() as cursor:
            cursor.execute(f"{select} IN ({', '.join(['%s'] * len(rows))})", [r[pk] for r in rows])
            there = {tuple(row)[pk]: tuple(row) for row in cursor.fetchall()}
            fresh = [row for row in rows if row[pk] not in there]
            # An id taken by another entry (written there since): this one gets a new id.
            taken = [row[:pk] + row[pk + 1 :] for row in rows if there.get(row[pk], row) != row]
            if fresh:
                cursor.executemany(insert, fresh)
            if taken:
                cursor.executemany(renumber, taken)
        moved += len(fresh) + len(taken)
    with main.cursor() as cursor:
        cursor.execute(f"DROP TABLE {quote(table)}")
    log.info("Moved %s personal-data log entries from %s to %s.", moved, source, target)
    return moved
