"""Benchmark: the programme page against the best hand-written SQL for the same aggregates.

    .venv/bin/python bench/report_bench.py                       # SQLite in /tmp
    scripts/with-postgres .venv/bin/python bench/report_bench.py # throwaway PostgreSQL

Builds its own database (DATABASE_URL, default sqlite:////tmp/report_bench.sqlite3, which is
deleted first): 1,000,000 enrolments of 200,000 people in 5,000 courses over ten years and
34 localities, 200 a course; programme BENCH holds half the courses (500,000 enrolments).
Then it times, in the same run, (a) hand-written SQL for the same aggregates (year x rank,
locality x rank, type, home/abroad, distinct people, counted tallies) and (b) the programme
page rendered by the test Client, and prints the ratio and the page's query count.
Results are recorded in docs/PERFORMANCE-REPORTS.md.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "/tmp/report_bench.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trainingmgr.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 200_000))
COURSES = int(os.environ.get("BENCH_COURSES", 5_000))
PER_COURSE = int(os.environ.get("BENCH_PER_COURSE", 200))
YEARS = list(range(2016, 2026))
RUNS = 3
COURSE_COLUMNS = [
    "code",
    "title",
    "programme_id",
    "course_type_id",
    "start_date",
    "country",
    "mode",
    "status",
    "budget_planned",
    "budget_spent",
]


def reset_database():
    if os.environ["DATABASE_URL"] == f"sqlite:///{DEFAULT_DB}":
        for suffix in ("", "-wal", "-shm"):
            Path(DEFAULT_DB + suffix).unlink(missing_ok=True)


def best_of(func, runs=RUNS):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    reset_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    programme_id = load(connection)
    print(
        f"database: {connection.vendor}; loaded {COURSES * PER_COURSE:,} enrolments, "
        f"{PEOPLE:,} people, {COURSES:,} courses in {time.perf_counter() - started:.1f} s"
    )
    hand_time, hand_rows = best_of(lambda: hand_sql(connection, programme_id))
    print(f"hand-written SQL (best of {RUNS}): {hand_time:.3f} s, {hand_rows:,} rows fetched")
    page_time, queries, report = time_page()
    print(f"programme page via the test Client (best of {RUNS}): {page_time:.3f} s")
    print(f"queries of the page: {queries}")
    print(
        f"participant-times {report.totals['participant_times']:,}, "
        f"distinct people {report.totals['distinct_cadres']:,}, "
        f"courses {report.totals['courses']:,}"
    )
    ratio = page_time / hand_time
    print(f"ratio page / hand SQL: {ratio:.2f}x (goal <= 1.5x)")


def load(connection):
    """Fill the tables with raw executemany (SQLite) or COPY (PostgreSQL)."""
    from cadres.models import Cadre, Locality, Rank
    from courses.models import Course, CourseType, Enrolment, ParticipantTally, Programme

    programme = Programme.objects.create(
        code="BENCH", name="Benchmark", first_year=YEARS[0], last_year=YEARS[-1]
    )
    other = Programme.objects.create(
        code="OTHER", name="Other", first_year=YEARS[0], last_year=YEARS[-1]
    )
    # Two targets, as a real programme has: one from the grouped rows, one COUNT DISTINCT.
    programme.targets.create(
        code="PT", label="Participant-times", metric="participant_times", value_min=400_000
    )
    programme.targets.create(code="COVER", label="Coverage", metric="coverage_pct", value_min=50)
    ranks = list(Rank.objects.values_list("id", flat=True))
    localities = list(
        Locality.objects.filter(era="current").exclude(code="TW").values_list("id", flat=True)
    )
    types = list(CourseType.objects.values_list("id", flat=True))
    cadre_rows = [
        (f"Người {i}", f"nguoi{i}", "", "", "", "", ranks[i % len(ranks)], localities[i % 34])
        for i in range(PEOPLE)
    ]
    course_rows = []
    for c in range(COURSES):
        year = YEARS[c % len(YEARS)]
        course_rows.append(
            (
                f"K{c:05d}",
                "Khóa",
                programme.id if c % 2 == 0 else other.id,
                types[c % len(types)],
                f"{year}-{1 + c % 12:02d}-10",
                "Lào" if c % 25 == 0 else "",
                "in_person",
                "finished",
                1_000_000,
                900_000,
            )
        )
    statuses = ["attended"] * 18 + ["completed", "withdrawn"]
    with connection.cursor() as cursor:
        copy_or_insert(
            cursor,
            Cadre._meta.db_table,
            [
                "full_name",
                "name_key",
                "id_number",
                "email",
                "position",
                "gender",
                "rank_id",
                "locality_id",
            ],
            cadre_rows,
            extra={"created_at": "now", "updated_at": "now"},
        )
        cursor.execute(f"SELECT MIN(id) FROM {Cadre._meta.db_table}")
        first_cadre = cursor.fetchone()[0]
        copy_or_insert(
            cursor,
            Course._meta.db_table,
            COURSE_COLUMNS,
            course_rows,
            extra={"created_at": "now", "updated_at": "now"},
        )
        cursor.execute(f"SELECT id FROM {Course._meta.db_table} ORDER BY code")
        course_ids = [row[0] for row in cursor.fetchall()]

        def enrolments():
            for c, course_id in enumerate(course_ids):
                for k in range(PER_COURSE):
                    person = (c * PER_COURSE + k) % PEOPLE
                    yield (
                        course_id,
                        first_cadre + person,
                        statuses[(c + k) % len(statuses)],
                        "",
                        ranks[person % len(ranks)],
                        localities[person % 34],
                    )

        copy_or_insert(
            cursor,
            Enrolment._meta.db_table,
            ["course_id", "cadre_id", "status", "certificate_number", "rank_id", "locality_id"],
            enrolments(),
        )
        # 200 more courses without names, counted from their tallies.
        tally_courses = [
            (f"T{c:04d}", "Khóa", programme.id, types[c % len(types)], f"{YEARS[c % 10]}-06-01")
            + ("", "in_person", "finished", 500_000, 400_000)
            for c in range(200)
        ]
        copy_or_insert(
            cursor,
            Course._meta.db_table,
            COURSE_COLUMNS,
            tally_courses,
            extra={"created_at": "now", "updated_at": "now"},
        )
        cursor.execute(f"SELECT id FROM {Course._meta.db_table} WHERE code LIKE %s", ["T%"])
        tally_rows = [
            (course_id, rank, localities[course_id % 34], "", 7)
            for (course_id,) in cursor.fetchall()
            for rank in ranks
        ]
        copy_or_insert(
            cursor,
            ParticipantTally._meta.db_table,
            ["course_id", "rank_id", "locality_id", "gender", "count"],
            tally_rows,
        )
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
    return programme.id


def copy_or_insert(cursor, table, columns, rows, extra=None):
    """COPY on PostgreSQL, executemany elsewhere; extra = constant SQL expressions."""
    from django.db import connection

    extra = extra or {}
    if connection.vendor == "postgresql":
        names = ", ".join(columns + list(extra))
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            stamp = "2025-01-01 00:00:00+00"
            for row in rows:
                copy.write_row(list(row) + [stamp] * len(extra))
        return
    names = ", ".join(columns + list(extra))
    marks = ", ".join(["%s"] * len(columns) + ["CURRENT_TIMESTAMP"] * len(extra))
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == 50_000:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
            batch = []
    if batch:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)


def hand_sql(connection, programme_id):
    """The same aggregates as the page, as plain SQL; returns the number of rows fetched."""
    year = (
        "CAST(strftime('%%Y', c.start_date) AS INTEGER)"
        if connection.vendor == "sqlite"
        else "EXTRACT(YEAR FROM c.start_date)::int"
    )
    queries = [
        # participant-times by year, type, home/abroad, rank and locality: every table is a
        # roll-up of this one (a course count by type/abroad needs the course too).
        f"""SELECT {year}, c.course_type_id, c.country <> '', e.rank_id, e.locality_id,
                   e.course_id, COUNT(*)
            FROM courses_enrolment e JOIN courses_course c ON c.id = e.course_id
            WHERE c.programme_id = %s AND e.status IN ('attended', 'completed')
            GROUP BY 1, 2, 3, 4, 5, 6""",
        """SELECT COUNT(DISTINCT e.cadre_id)
           FROM courses_enrolment e JOIN courses_course c ON c.id = e.course_id
           WHERE c.programme_id = %s AND e.status IN ('attended', 'completed')""",
        """SELECT t.course_id, t.rank_id, t.locality_id, SUM(t.count)
           FROM courses_participanttally t JOIN courses_course c ON c.id = t.course_id
           WHERE c.programme_id = %s AND NOT EXISTS (
               SELECT 1 FROM courses_enrolment e WHERE e.course_id = t.course_id)
           GROUP BY 1, 2, 3""",
    ]
    fetched = 0
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql, [programme_id])
            fetched += len(cursor.fetchall())
    return fetched


def time_page():
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    user = User.objects.create_user("bench", password="x", is_staff=True)
    client = Client()
    client.force_login(user)

    def get():
        response = client.get("/reports/BENCH/?as_of=2025-12-31")
        assert response.status_code == 200, response.status_code
        return response

    page_time, response = best_of(get)
    with CaptureQueriesContext(connection) as captured:
        get()
    return page_time, len(captured), response.context["report"]


if __name__ == "__main__":
    main()
