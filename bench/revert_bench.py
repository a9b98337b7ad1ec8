"""Import vs revert of the same participants file, each as the real command in its process.

    .venv/bin/python bench/revert_bench.py [--rows 50000] [--people 35000]

Builds a throwaway SQLite database under /tmp (as bench/import_bench.py does), writes a
participants .csv, then times `import_spreadsheet participants FILE --max-rows ...` and
`revert_batch ID --yes`. The goal (issue 10): the revert takes the same order of time as the
import (it wrote 50,000 history rows one by one and took 13x the import before).
With DATABASE_URL set to PostgreSQL (scripts/with-postgres) it runs there instead.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
saved_url = os.environ.get("DATABASE_URL")
import import_bench  # noqa: E402  (sets DATABASE_URL to its SQLite file)

if POSTGRES:
    os.environ["DATABASE_URL"] = saved_url


def run(argv, env):
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(argv)}")
    return elapsed, done.stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--people", type=int, default=35_000)
    parser.add_argument("--courses", type=int, default=500)
    args = parser.parse_args()
    import_bench.setup_django()
    import_bench.build_base(args.courses)
    db = import_bench.TMP / "revert.sqlite3"
    env = dict(os.environ)
    if not POSTGRES:
        shutil.copy(import_bench.BASE_DB, db)
        env["DATABASE_URL"] = f"sqlite:///{db}"
    sheet = import_bench.TMP / f"revert-{args.rows}.csv"
    import_bench.write_csv(sheet, args.rows, args.people, args.courses)
    manage = [sys.executable, str(ROOT / "manage.py")]
    import_s, summary = run(
        [
            *manage,
            "import_spreadsheet",
            "participants",
            str(sheet),
            "--max-rows",
            str(args.rows + 1),
            "--max-megabytes",
            "100000",
        ],
        env,
    )
    print(f"import: {import_s:.1f} s for {args.rows:,} rows  ({summary})")
    batch_id = summary.rsplit("batch ", 1)[1].strip()
    revert_s, out = run([*manage, "revert_batch", batch_id, "--yes"], env)
    print(f"revert: {revert_s:.1f} s  ({out.splitlines()[1]})")
    print(f"revert / import = {revert_s / import_s:.2f}x (goal: same order, <= 2x)")


if __name__ == "__main__":
    main()
