#!/usr/bin/env python3
"""Back up or restore the database named by DATABASE_URL (the same default as the settings).

    scripts/dbbackup.py backup FILE     # SQLite: online backup API; PostgreSQL: pg_dump -Fc
    scripts/dbbackup.py restore FILE    # replaces the database's content with FILE's

SQLite's online backup copies a consistent snapshot while the app keeps running (WAL mode);
a plain file copy of db.sqlite3 without its -wal file can lose the last transactions.

On SQLite the logins file (sessions, lock-outs, the login log and the personal-data access
log: trainingmgr/routers.py) is backed up too, beside FILE as FILE-logins, and restored from
there. A restore then ends every session and clears the lock-out counters, on SQLite and on
PostgreSQL alike: a restored session would bring back a login ended since the backup, so
everyone logs in again. The logs stay as they were at the backup.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def database():
    return dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )


# Emptied after every restore: sessions (everyone logs in again) and lock-out counters.
ENDED_AT_RESTORE = ("django_session", "axes_accessattemptexpiration", "axes_accessattempt")


def logins_path(db):
    """The SQLite logins file, named as trainingmgr/settings.py names it."""
    return os.environ.get("DJANGO_LOGINS_DATABASE", "").strip() or f"{db['NAME']}-logins"


def end_sessions_sqlite(path):
    target = sqlite3.connect(path)
    try:
        present = {name for (name,) in target.execute("SELECT name FROM sqlite_master")}
        with target:
            for table in ENDED_AT_RESTORE:
                if table in present:
                    target.execute(f'DELETE FROM "{table}"')
    finally:
        target.close()


def pg_env(db):
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def pg_args(db):
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args


def sqlite_copy(source_path, target_path):
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def backup(path):
    db = database()
    if db["ENGINE"].endswith("sqlite3"):
        sqlite_copy(db["NAME"], path)
        if Path(logins_path(db)).exists():
            sqlite_copy(logins_path(db), f"{path}-logins")
    else:
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", path, *pg_args(db)],
            check=True,
            env=pg_env(db),
        )


def restore(path):
    if not Path(path).exists():
        sys.exit(f"No backup file at {path}.")
    db = database()
    if db["ENGINE"].endswith("sqlite3"):
        # The backup API also writes into a live database, so running processes see the
        # restored content instead of a file replaced under their feet.
        sqlite_copy(path, db["NAME"])
        if Path(f"{path}-logins").exists():  # older backups have no logins file
            sqlite_copy(f"{path}-logins", logins_path(db))
        if Path(logins_path(db)).exists():
            end_sessions_sqlite(logins_path(db))
    else:
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *pg_args(db),
                path,
            ],
            check=True,
            env=pg_env(db),
        )
        ended = "; ".join(f"DELETE FROM {table}" for table in ENDED_AT_RESTORE)
        psql = ["psql", "--quiet", "--no-psqlrc", "--set", "ON_ERROR_STOP=1", *pg_args(db)]
        subprocess.run(
            [*psql, "--command", f"BEGIN; {ended}; COMMIT"],
            check=True,
            env=pg_env(db),
        )


def main(argv):
    if len(argv) != 3 or argv[1] not in {"backup", "restore"}:
        sys.exit(__doc__)
    {"backup": backup, "restore": restore}[argv[1]](argv[2])
    print(f"{argv[1]}: {argv[2]}")


if __name__ == "__main__":
    main(sys.argv)
