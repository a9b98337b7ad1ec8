"""An installation from before the personal-data log lived in the logins file is upgraded:
``manage.py migrate`` moves every entry there, timestamps and user ids as they were, and
leaves one log, in the logins file; a new installation starts with the log there.

Round 4 kept the log in the main SQLite file, and its logins file had the accounts
migrations recorded without the log's table. The test builds exactly that state on files of
its own (a fresh ``migrate``, then the table of migration 0004 in the main file with entries,
and migration 0005 unrecorded in both files), runs ``migrate`` as an administrator would,
and reads both files.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
TABLE = "accounts_personaldataaccess"
MIGRATION = "0005_personal_data_access_plain_user_id"

pytestmark = pytest.mark.skipif(
    "logins" not in settings.DATABASES,
    reason="the logins database exists on SQLite only (PostgreSQL keeps one database)",
)

# Migration 0004's table (a foreign key to auth_user), made from the migrations' own state.
OLD_TABLE = """
from django.db import connections
from django.db.migrations.loader import MigrationLoader
loader = MigrationLoader(connections["default"])
state = loader.project_state(("accounts", "0004_personal_data_access"))
with connections["default"].schema_editor() as editor:
    editor.create_model(state.apps.get_model("accounts", "PersonalDataAccess"))
"""
COLUMNS = ("id", "at", "user_id", "username", "model", "object_ids", "count", "channel", "path")


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def files(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_LOGINS_DATABASE"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    main = tmp_path / "db.sqlite3"
    env["DATABASE_URL"] = f"sqlite:///{main}"
    return env, main, Path(f"{main}-logins")


def tables(path):
    with sqlite3.connect(path) as db:
        return {name for (name,) in db.execute("SELECT name FROM sqlite_master")}


def insert(path, rows):
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys = ON")  # as Django has it: the old user_id must hold
        db.executemany(
            f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
            rows,
        )


def entries(path):
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE} ORDER BY id").fetchall()


def test_a_new_installation_keeps_the_log_in_the_logins_file(files):
    env, main, logins = files
    manage(env, "migrate", "--noinput")
    assert TABLE not in tables(main)
    assert TABLE in tables(logins)
    with sqlite3.connect(logins) as db:  # the user id is a plain number, no foreign key
        assert db.execute(f"PRAGMA foreign_key_list({TABLE})").fetchall() == []


def test_an_upgrade_moves_every_entry_to_the_logins_file(files):
    env, main, logins = files
    manage(env, "migrate", "--noinput")
    manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.contrib.auth.models import User; User.objects.create_user('hr')",
    )
    # The state round 4 left: the log in the main file, none in the logins file, 0005 not run.
    with sqlite3.connect(logins) as db:
        db.execute(f"DROP TABLE {TABLE}")
        db.execute("DELETE FROM django_migrations WHERE app = 'accounts' AND name = ?", [MIGRATION])
    with sqlite3.connect(main) as db:
        db.execute("DELETE FROM django_migrations WHERE app = 'accounts' AND name = ?", [MIGRATION])
    manage(env, "shell", "-c", OLD_TABLE)
    old = [
        (1, "2025-03-04 01:02:03.000004", 1, "hr", "cadres.Cadre", "[7]", 1, "page", "/a/7/"),
        (2, "2025-06-07 08:09:10.000011", 1, "hr", "courses.Enrolment", "[]", 40, "export", "/e/"),
        (3, "2025-12-31 23:59:59", None, "", "cadres.Cadre", "[8, 9]", 2, "api", "/api/c/LC/p"),
    ]
    insert(main, old)

    output = manage(env, "migrate", "--noinput")

    assert "Moved 3 personal-data log entries" in output
    assert TABLE not in tables(main)  # one log, in the logins file
    assert entries(logins) == old  # every column as it was
    # The admin and the purge read the moved entries through the app.
    shown = manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from accounts.models import PersonalDataAccess as P; "
        "print(P.objects.count(), P.objects.get(pk=1).user.username, P.objects.get(pk=3).user)",
    )
    assert shown.split() == ["3", "hr", "None"]
    assert "Deleted 3 personal" in manage(env, "purge_personal_data_log", "--days", "0")
    assert entries(logins) == []


def test_a_move_cut_short_is_finished_by_the_next_migrate(files):
    env, main, logins = files
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", OLD_TABLE)  # entries left in the main file by a move cut short
    first = (1, "2025-03-04 01:02:03.000004", None, "hr", "cadres.Cadre", "[7]", 1, "page", "/p")
    second = (2, "2025-03-05 00:00:00", None, "hr", "cadres.Cadre", "[8]", 1, "page", "/q")
    insert(main, [first, second])
    # Entry 1 was copied before the cut; id 2 was taken since by a new viewing.
    newer = (2, "2026-12-01 10:00:00", None, "newer", "courses.Enrolment", "[]", 3, "export", "/e")
    insert(logins, [first, newer])

    manage(env, "migrate", "--noinput")

    assert TABLE not in tables(main)
    assert entries(logins) == [first, newer, (3, *second[1:])]  # not twice; kept; a new id
