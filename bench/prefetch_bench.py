"""The participants importer's set-up against a database of many people, in one process.

    .venv/bin/python bench/prefetch_bench.py [--people 1000000]

Builds a throwaway SQLite database under /tmp (migrated, then N generated people written by
one INSERT ... SELECT), then times, twice: the importer's set-up (its prefetch of every person,
in the order they were recorded, and the dicts it builds), and the prefetch's columns read
alone in that order and in Cadre.Meta.ordering (by name, what the prefetch did before round
10). With DATABASE_URL set to PostgreSQL (scripts/with-postgres) it runs there instead.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(os.environ.get("TRAININGMGR_BENCH_TMP", "/tmp/trainingmgr-bench"))
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
if not POSTGRES:
    DB = TMP / "prefetch.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trainingmgr.settings")
sys.path.insert(0, str(ROOT))


def build(people):
    if not POSTGRES:
        TMP.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-logins"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, env=os.environ
    )
    import django

    django.setup()
    from django.db import connection, transaction

    series = (
        f"generate_series(1, {int(people)}) AS n(i)"
        if POSTGRES
        else f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s "
        f"WHERE i < {int(people)}) SELECT i FROM s) AS n"
    )
    id_number = "'9' || LPAD(CAST(i AS TEXT), 11, '0')" if POSTGRES else "printf('9%011d', i)"
    from reports import summaries

    # The summary triggers paused, the summaries rebuilt once: a million row triggers on one
    # key (every generated person has the same rank) took over 18 minutes on PostgreSQL.
    with transaction.atomic(), summaries.paused(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cadres_cadre (full_name, name_key, gender, birth_date, birth_year, "
            "id_number, email, position, created_at, updated_at, rank_id) "
            "SELECT 'Người ' || i, 'nguoi' || ((CAST(i AS BIGINT) * 7919) % 1000003), 'M', "
            "'1980-01-01', 1980, "
            f"{id_number}, '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
            f"(SELECT MIN(id) FROM cadres_rank) FROM {series}"
        )
    summaries.recompute()
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cadres_cadre")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.perf_counter()
    build(args.people)
    from cadres.models import Cadre
    from imports.kinds import KINDS
    from imports.matching import Lookups
    from imports.services import ImportResult

    print(f"{Cadre.objects.count():,} people written in {time.perf_counter() - started:.1f} s")
    importer = KINDS["participants"]
    for run in range(2):
        start = time.perf_counter()
        importer(Lookups(), ImportResult(kind="participants"))
        setup = time.perf_counter() - start
        read = {}
        for label, rows in (
            ("in recorded order (the prefetch's)", Cadre.objects.order_by("pk")),
            ("by name (Cadre.Meta.ordering, before round 10)", Cadre.objects.all()),
        ):
            start = time.perf_counter()
            for _row in rows.values_list(*importer.KNOWN_PERSON_VALUES).iterator(chunk_size=5000):
                pass
            read[label] = time.perf_counter() - start
        print(
            f"run {run + 1}: the importer's set-up {setup:.2f} s; its columns read "
            + "; ".join(f"{label} {seconds:.2f} s" for label, seconds in read.items())
        )


if __name__ == "__main__":
    main()
