#!/usr/bin/env python
"""Print one line per table of the database named by DATABASE_URL: its name, its row count
and a SHA-256 of its rows (every column, rows in a fixed order). Two runs print the same
lines exactly when every table holds the same data: scripts/check-backup-restore compares
them before the backup and after the restore (history, batches, users and scopes included).
``scripts/table_checksums.py logins`` lists the SQLite logins file instead.
"""

import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trainingmgr.settings")


def main(alias="default"):
    """``alias``: the database to list (``logins``: the SQLite logins file)."""
    import django

    django.setup()
    from django.db import connections

    connection = connections[alias]

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            description = connection.introspection.get_table_description(cursor, table)
            columns = ", ".join(quote(c.name) for c in description)
            order = ", ".join(str(i) for i in range(1, len(description) + 1))
            cursor.execute(f"SELECT {columns} FROM {quote(table)} ORDER BY {order}")
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                count += 1
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
            print(f"{table} {count} {digest.hexdigest()}")


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    return value


if __name__ == "__main__":
    main(*sys.argv[1:2])
