"""Benchmark: the plans page (plan against actual) at 34 units x 10 years x 50 plan lines.

    .venv/bin/python bench/plans_bench.py                       # SQLite in /tmp
    scripts/with-postgres .venv/bin/python bench/plans_bench.py # throwaway PostgreSQL

Builds its own database (DATABASE_URL, default sqlite:////tmp/plans_bench.sqlite3, deleted
first): 340 plans (34 current provincial units x 2016-2025) of 50 lines each (17,000 lines),
and 20 courses per unit and year (6,800 courses) with 5 rank tallies each (34,000 tallies).
Times, in the same run, (a) the floor: raw SQL for the same aggregates (lines by plan, type,
place and rank; courses; tallies by course and rank) and (b) the whole page rendered by the
test Client, and prints both, their ratio and the page's query count. Recorded in
docs/PERFORMANCE.md ("Plans").
"""

import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "/tmp/plans_bench.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trainingmgr.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")

YEARS = list(range(2016, 2026))
LINES = 50
COURSES_PER_UNIT_YEAR = 20
RUNS = 3


def reset_database():
    if os.environ["DATABASE_URL"] == f"sqlite:///{DEFAULT_DB}":
        for suffix in ("", "-wal", "-shm"):
            Path(DEFAULT_DB + suffix).unlink(missing_ok=True)


def build():
    from cadres.models import Locality, Rank
    from courses.models import Course, CourseType, ParticipantTally
    from plans.models import FundingSource, Plan, PlanLine

    units = list(Locality.objects.current().exclude(code="TW").order_by("code"))
    types = list(CourseType.objects.all())
    ranks = list(Rank.objects.all())[:5]
    sources = list(FundingSource.values)
    # 50 distinct line keys: 8 types x home/abroad x 5 ranks = 80 > 50.
    keys = [(t, abroad, r) for t in types for abroad in (False, True) for r in ranks][:LINES]
    plans = Plan.objects.bulk_create(Plan(locality=u, year=y) for u in units for y in YEARS)
    PlanLine.objects.bulk_create(
        (
            PlanLine(
                plan=plan,
                course_type=t,
                abroad=abroad,
                rank=r,
                courses=1,
                participant_times=30,
                budget=50_000_000,
                funding_source=sources[i % 3],
                quarter=i % 5,
            )
            for plan in plans
            for i, (t, abroad, r) in enumerate(keys)
        ),
        batch_size=2000,
    )
    courses = Course.objects.bulk_create(
        (
            Course(
                code=f"B{u.code}-{y}-{n}",
                title="bench",
                course_type=types[n % len(types)],
                start_date=datetime.date(y, 1 + n % 12, 1),
                locality=None if n % 4 == 0 else u,
                country="Lào" if n % 4 == 0 else "",
                budget_spent=40_000_000,
            )
            for u in units
            for y in YEARS
            for n in range(COURSES_PER_UNIT_YEAR)
        ),
        batch_size=2000,
    )
    ParticipantTally.objects.bulk_create(
        (ParticipantTally(course=c, rank=r, count=6) for c in courses for r in ranks),
        batch_size=5000,
    )
    return len(plans), PlanLine.objects.count(), len(courses)


def floor():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT plan_id, course_type_id, abroad, rank_id, SUM(courses), "
            "SUM(participant_times), SUM(budget) FROM plans_planline "
            "GROUP BY plan_id, course_type_id, abroad, rank_id"
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT id, start_date, course_type_id, country, locality_id, organiser_id, "
            "budget_spent FROM courses_course"
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT course_id, rank_id, SUM(count) FROM courses_participanttally "
            "GROUP BY course_id, rank_id"
        )
        cursor.fetchall()


def best(fn):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    reset_database()
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    plans, lines, courses = build()
    print(
        f"built {plans} plans, {lines} lines, {courses} courses in "
        f"{time.perf_counter() - started:.1f} s ({connection.vendor})"
    )
    admin = User.objects.create_superuser("bench", "b@example.vn", "x")
    client = Client()
    request_started.disconnect(reset_queries)  # so that the page's queries can be counted
    client.force_login(admin)

    def page():
        response = client.get("/plans/")
        assert response.status_code == 200

    connection.queries_log.clear()  # DEBUG logs the build's queries; the log is bounded
    with CaptureQueriesContext(connection) as captured:
        page()
    sql = best(floor)
    whole = best(page)
    print(f"floor (raw SQL of the aggregates): {sql:.3f} s")
    print(f"plans page (all {plans} plans, {lines} lines): {whole:.3f} s")
    print(f"ratio page/floor: {whole / sql:.1f}x; queries: {len(captured)}")

    def one_year():
        assert client.get("/plans/", {"year": "2025"}).status_code == 200

    print(f"plans page, one year (34 plans, 1,700 lines): {best(one_year):.3f} s")


if __name__ == "__main__":
    main()
