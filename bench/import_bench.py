"""Benchmark of the participants import: floor, stock django-import-export, ours, in one run.

    .venv/bin/python bench/import_bench.py [--rows 50000] [--million]

It builds its own throwaway SQLite databases under /tmp (migrated, 500 courses), writes a
participants .xlsx (50,000 rows, about 35,000 distinct people), then measures:
  floor  python-calamine read + sqlite3 executemany of the cadres and the enrolments;
  stock  a plain django-import-export ModelResource with ForeignKey widgets and a
         get-or-create of the person per row, on a 5,000-row subset, extrapolated per row;
  ours   the real `manage.py import_spreadsheet participants FILE` process (wall time,
         including Django start-up) and its peak memory (ru_maxrss).
With --million it also imports 1,000,000 csv rows and reports the peak memory.
"""

import argparse
import csv
import datetime
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# TRAININGMGR_BENCH_TMP: another directory, so that two work trees can run it at once.
TMP = Path(os.environ.get("TRAININGMGR_BENCH_TMP", "/tmp/trainingmgr-bench"))
BASE_DB = TMP / "base.sqlite3"
ORIGINAL_DATABASE_URL = os.environ.get("DATABASE_URL", "")  # --shared --pg: the PostgreSQL one
os.environ["DATABASE_URL"] = f"sqlite:///{BASE_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trainingmgr.settings")

HEADER = [
    "STT",
    "Mã khóa",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số định danh",
    "Email",
    "Chức vụ",
    "Cấp",
    "Cơ quan",
    "Tỉnh/thành",
    "Kết quả",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Quốc", "Ngọc", "Đức"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hòa", "Hương", "Lan", "Nam", "Tuấn", "Yến", "Bảo"]
TITLES = [
    ("Chuyên viên", ""),
    ("Chuyên viên chính", ""),
    ("Phó Trưởng phòng Hợp tác quốc tế", ""),
    ("Trưởng phòng Lãnh sự", ""),
    ("Phó Giám đốc Sở Ngoại vụ", ""),
    ("", "CHUYEN_VIEN"),
    ("Giám đốc Sở Ngoại vụ", "VU_TRUONG"),
]
PROVINCES = [
    "Hà Giang",
    "Yên Bái",
    "Nghệ An",
    "Thanh Hóa",
    "Quảng Nam",
    "Cần Thơ",
    "Huế",
    "Đà Nẵng",
    "Hà Nội",
    "Bình Dương",
    "Kiên Giang",
    "Lâm Đồng",
]


def setup_django():
    import django

    django.setup()


def build_base(courses):
    TMP.mkdir(exist_ok=True)
    BASE_DB.unlink(missing_ok=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from courses.models import Course, CourseType

    kind = CourseType.objects.get(code="KIEN_THUC")
    Course.objects.bulk_create(
        Course(
            code=f"B{i:04d}",
            title=f"Khóa {i}",
            course_type=kind,
            start_date=datetime.date(2016 + i % 9, 1 + i % 12, 1 + i % 28),
        )
        for i in range(courses)
    )
    from django.db import connection

    connection.close()


def people(count, rng):
    result = []
    for i in range(count):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {i}"
        birth = datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        id_number = f"{i:012d}" if i % 5 else ""  # one in five without an ID number
        email = f"cb{i}@example.gov.vn" if i % 3 else ""
        position, rank = TITLES[i % len(TITLES)]
        result.append(
            (
                name,
                birth,
                "Nữ" if i % 2 else "Nam",
                id_number,
                email,
                position,
                rank,
                rng.choice(PROVINCES),
            )
        )
    return result


def rows(total, distinct, courses, rng):
    pool = people(distinct, rng)
    for n in range(total):
        # Everyone once, then repeats: about `distinct` people over `total` enrolments.
        person = pool[n] if n < distinct else pool[rng.randrange(distinct)]
        name, birth, gender, id_number, email, position, rank, province = person
        course = f"B{(n * 7919) % courses:04d}"
        yield [
            n + 1,
            course,
            name,
            birth,
            gender,
            id_number,
            email,
            position,
            rank,
            "Sở Ngoại vụ",
            province,
            "Hoàn thành",
        ]


def write_xlsx(path, total, distinct, courses):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("DS")
    sheet.append(["DANH SÁCH HỌC VIÊN"])
    sheet.append(HEADER)
    seen = set()
    for row in rows(total, distinct, courses, random.Random(7)):
        key = (row[1], row[2])
        if key in seen:  # one person once per course
            row[1] = f"B{(int(row[1][1:]) + 1) % courses:04d}"
        seen.add((row[1], row[2]))
        sheet.append(row)
    workbook.save(path)


def write_csv(path, total, distinct, courses):
    """Person n % distinct on a course that differs each time they come back."""
    pool = people(distinct, random.Random(11))
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(total):
            name, birth, gender, id_number, email, position, rank, province = pool[n % distinct]
            course = (n // distinct + 5 * (n % 100)) % courses
            writer.writerow(
                [
                    n + 1,
                    f"B{course:04d}",
                    name,
                    birth.strftime("%d/%m/%Y"),
                    gender,
                    id_number,
                    email,
                    position,
                    rank,
                    "Sở Ngoại vụ",
                    province,
                    "Hoàn thành",
                ]
            )


def floor(path, db):
    """calamine read + sqlite3 executemany of cadres and enrolments: nothing faster exists."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[2:]
    connection = sqlite3.connect(db)
    courses = dict(connection.execute("select code, id from courses_course"))
    now = datetime.datetime.now().isoformat()
    people = {}
    cadres = []
    for row in data:
        key = row[5] or row[6] or row[2]
        if key not in people:
            people[key] = len(people) + 1
            cadres.append(
                (people[key], row[2], row[2].lower(), "", row[5], row[6], row[7], 1, now, now)
            )
    connection.executemany(
        "insert into cadres_cadre (id, full_name, name_key, gender, id_number, email, position,"
        " rank_id, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?)",
        cadres,
    )
    connection.executemany(
        "insert into courses_enrolment (course_id, cadre_id, status, certificate_number,"
        " rank_id) values (?,?,?,?,?)",
        [(courses[r[1]], people[r[5] or r[6] or r[2]], "completed", "", 1) for r in data],
    )
    connection.commit()
    connection.close()
    return time.perf_counter() - start, len(data)


def stock(path, subset):
    """A plain django-import-export resource: ForeignKey widgets, a person found or created
    per row. Measured on the first `subset` rows."""
    from import_export import fields, resources, widgets
    from python_calamine import CalamineWorkbook
    from tablib import Dataset

    from cadres.models import Cadre, Rank
    from courses.models import Course, Enrolment

    class CadreWidget(widgets.ForeignKeyWidget):
        def clean(self, value, row=None, **kwargs):
            rank = Rank.objects.get(code=row["Cấp"] or "KHAC")
            if row["Số định danh"]:
                cadre, _ = Cadre.objects.get_or_create(
                    id_number=row["Số định danh"],
                    defaults={"full_name": value, "rank": rank, "email": row["Email"]},
                )
            else:
                cadre = Cadre.objects.filter(full_name=value, email=row["Email"]).first()
                if cadre is None:
                    cadre = Cadre.objects.create(full_name=value, rank=rank, email=row["Email"])
            return cadre

    class EnrolmentResource(resources.ModelResource):
        course = fields.Field("course", "Mã khóa", widgets.ForeignKeyWidget(Course, "code"))
        cadre = fields.Field("cadre", "Họ và tên", CadreWidget(Cadre))
        status = fields.Field("status", "Kết quả")

        class Meta:
            model = Enrolment
            fields = ("course", "cadre", "status")
            import_id_fields = ("course", "cadre")
            clean_model_instances = True

        def before_import_row(self, row, **kwargs):
            row["Kết quả"] = "completed"

    data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    dataset = Dataset(headers=[str(h) for h in data[1]])
    for row in data[2 : 2 + subset]:
        dataset.append(["" if c is None else c for c in row])
    start = time.perf_counter()
    result = EnrolmentResource().import_data(dataset, dry_run=False, use_transactions=True)
    elapsed = time.perf_counter() - start
    if result.has_errors() or result.has_validation_errors():
        print("  stock resource reported errors:", result.totals)
    return elapsed, len(dataset)


def ours(path, db, *, unlimited=False):
    """The real command in its own process. ``unlimited`` lifts the 50 MB upload limit (the
    1,000,000-row csv is 144 MB) by running the command from a child of this script."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    if unlimited:
        argv = [sys.executable, __file__, "--child", str(path)]
    else:
        argv = [
            sys.executable,
            str(ROOT / "manage.py"),
            "import_spreadsheet",
            "participants",
            str(path),
        ]
    done = subprocess.run(
        argv,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        print(done.stderr[-3000:])
        raise SystemExit("our import failed")
    return elapsed, max(peak, before) / 1024, done.stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--people", type=int, default=35_000)
    parser.add_argument("--courses", type=int, default=500)
    parser.add_argument("--stock-rows", type=int, default=5_000)
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--only-million", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument(
        "--shared",
        action="store_true",
        help="the shared floor (/work/shared/bench) on gen_participants.py's file",
    )
    parser.add_argument("--pg", action="store_true", help="with --shared: on PostgreSQL")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="with --shared (SQLite): N pairs of floor and ours, each pair in turn, and the "
        "median ratio (the machine's speed changes by a third from one minute to the next)",
    )
    parser.add_argument(
        "--error-file", type=int, default=0, help="time the error file of an N-row .xlsx"
    )
    parser.add_argument("--error-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.error_child:
        return error_file_child(*args.error_child)
    if args.shared:
        return shared(args)
    if args.error_file:
        return error_file(args.error_file)
    if args.child:
        setup_django()
        from django.conf import settings
        from django.core.management import call_command

        settings.IMPORT_MAX_UPLOAD_BYTES = 1 << 40
        call_command("import_spreadsheet", "participants", args.child)
        return

    setup_django()
    print(f"setting up {BASE_DB} ({args.courses} courses)...")
    build_base(args.courses)
    if args.only_million:
        return million(args)
    sheet = TMP / "participants.xlsx"
    start = time.perf_counter()
    write_xlsx(sheet, args.rows, args.people, args.courses)
    print(f"wrote {sheet} ({args.rows:,} rows) in {time.perf_counter() - start:.1f} s")
    for name in ("floor", "ours"):
        shutil.copy(BASE_DB, TMP / f"{name}.sqlite3")

    floor_s, n = floor(sheet, TMP / "floor.sqlite3")
    print(f"floor: {floor_s:.2f} s for {n:,} rows ({n / floor_s:,.0f} rows/s)")
    ours_s, peak_mb, summary = ours(sheet, TMP / "ours.sqlite3")
    print(
        f"ours:  {ours_s:.2f} s for {args.rows:,} rows ({args.rows / ours_s:,.0f} rows/s), "
        f"peak {peak_mb:.0f} MB"
    )
    print(f"       {summary}")
    stock_s, m = stock(sheet, args.stock_rows)
    stock_full = stock_s / m * args.rows
    print(
        f"stock: {stock_s:.2f} s for {m:,} rows ({m / stock_s:,.0f} rows/s), "
        f"extrapolated {stock_full:.0f} s for {args.rows:,}"
    )
    print(
        f"ratios: ours / floor = {ours_s / floor_s:.2f}x (goal <= 4); "
        f"stock / ours = {stock_full / ours_s:.0f}x (goal >= 25); peak {peak_mb:.0f} MB "
        "(goal < 400)"
    )

    if args.million:
        million(args)


def million(args):
    """1,000,000 csv rows (200,000 people): memory stays flat because rows are streamed."""
    big = TMP / "participants-1m.csv"
    write_csv(big, 1_000_000, 200_000, args.courses)
    shutil.copy(BASE_DB, TMP / "million.sqlite3")
    big_s, big_peak, summary = ours(big, TMP / "million.sqlite3", unlimited=True)
    print(f"1,000,000 csv rows: {big_s:.0f} s, peak {big_peak:.0f} MB")
    print(f"       {summary}")


SHARED = Path(os.environ.get("TRAININGMGR_SHARED_BENCH", "/work/shared/bench"))


def _timed(argv, env, cpu=None):
    """Wall time and peak RSS (MB) of one child process, with /usr/bin/time; its CPU seconds
    (user + system) go to ``cpu[0]`` when a list is given."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", *argv], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(argv)}")
    peak_kb, user, system = done.stderr.strip().splitlines()[-1].split()
    if cpu is not None:
        cpu.append(float(user) + float(system))
    return elapsed, int(peak_kb) / 1024, done.stdout.strip()


def shared(args):
    """The 50,000-row file of gen_participants.py through `manage.py import_spreadsheet`
    against import_floor.py (SQLite) or import_floor_pg.py (PostgreSQL, --pg), same run.
    The import includes every file check (zip entries, sheet extent) and Django's start-up."""
    # Each database its own folder: a PostgreSQL run does not delete the SQLite run's files.
    out = TMP / ("shared-pg" if args.pg else "shared")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "gen_participants.py"),
            str(out),
            str(args.courses),
            str(args.rows),
        ],
        check=True,
    )
    sheet = out / "participants.xlsx"
    if args.pg:
        if not ORIGINAL_DATABASE_URL.startswith("postgres"):
            raise SystemExit("--pg: run under scripts/with-postgres (DATABASE_URL=postgres://...)")
        env = {**os.environ, "DATABASE_URL": ORIGINAL_DATABASE_URL}
    else:
        db = out / "ours.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    # The tree byte-compiled, as `make install` and `make run` leave it (`make compile`):
    # where PYTHONDONTWRITEBYTECODE is set, no command writes its own .pyc files.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-x", r"/\.(venv|git)/", str(ROOT)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [*manage, "import_spreadsheet", "courses", str(out / "courses.csv")], env=env, check=True
    )
    if args.pg:
        floor_argv = [sys.executable, str(SHARED / "import_floor_pg.py"), str(sheet)]
    else:
        floor_argv = [
            sys.executable,
            str(SHARED / "import_floor.py"),
            str(sheet),
            str(out / "floor.sqlite3"),
        ]
    where = "PostgreSQL" if args.pg else "SQLite"
    goal = 5 if args.pg else 3.5
    runs = 1 if args.pg else max(args.repeat, 1)  # PostgreSQL: one pair (a fresh cluster each)
    if runs > 1:
        shutil.copy(db, out / "courses.sqlite3")  # the command closed it: no write-ahead log
    ratios = []
    for run in range(runs):
        if run:
            for name in ("ours.sqlite3", "ours.sqlite3-wal", "ours.sqlite3-shm"):
                (out / name).unlink(missing_ok=True)
            shutil.copy(out / "courses.sqlite3", db)
        (out / "floor.sqlite3").unlink(missing_ok=True)  # the floor creates its tables
        ratios.append(_shared_pair(where, goal, floor_argv, manage, sheet, env))
    if runs > 1:
        ratios.sort()
        print(
            f"{where}: {runs} pairs, ours / floor: {', '.join(f'{r:.2f}' for r in ratios)}; "
            f"median {statistics.median(ratios):.2f}x (goal <= {goal})"
        )


def _shared_pair(where, goal, floor_argv, manage, sheet, env):
    """One run of the floor, then one of ours, timed in the same run; returns the ratio."""
    floor_cpu, ours_cpu = [], []
    floor_wall, _floor_peak, floor_out = _timed(floor_argv, env, floor_cpu)
    floor_s = float(floor_out.splitlines()[-1])
    ours_s, peak, summary = _timed(
        [*manage, "import_spreadsheet", "participants", str(sheet)], env, ours_cpu
    )
    print(f"{where}: floor {floor_s:.2f} s (its own timer; {floor_wall:.2f} s wall)")
    print(f"{where}: ours  {ours_s:.2f} s wall (Django start-up included), peak {peak:.0f} MB")
    print(f"       {summary}")
    print(f"{where}: ours / floor = {ours_s / floor_s:.2f}x (goal <= {goal}); peak goal <= 200 MB")
    # On a loaded machine the wall times mostly measure the wait for a core; the CPU seconds
    # of the two processes (start-up included on both sides) do not.
    load = Path("/proc/loadavg").read_text().strip()
    print(
        f"{where}: CPU seconds: floor {floor_cpu[0]:.2f}, ours {ours_cpu[0]:.2f}: "
        f"{ours_cpu[0] / floor_cpu[0]:.2f}x; load average {load}"
    )
    return ours_s / floor_s


def error_file(rows):
    """The error file of an N-row participants .xlsx (gen_participants.py), one row in ten
    bad: time and peak memory of imports.sheets.annotated_file in its own process."""
    out = TMP / "errors"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    subprocess.run(
        [sys.executable, str(SHARED / "gen_participants.py"), str(out), "500", str(rows)],
        check=True,
    )
    env = {**os.environ}
    elapsed, peak, summary = _timed(
        [sys.executable, __file__, "--error-child", str(out / "participants.xlsx"), str(rows)], env
    )
    print(f"error file of {rows:,} rows: {elapsed:.1f} s wall, peak {peak:.0f} MB ({summary})")


def error_file_child(path, rows):
    setup_django()
    from imports.services import ImportResult
    from imports.sheets import annotated_file

    result = ImportResult(kind="participants", header_row=1)
    for row in range(2, int(rows) + 2, 10):
        result.add_error(row, "Ngày sinh", "31/02/1980 is not a valid date.")
    start = time.perf_counter()
    content, _type, name = annotated_file(path, "participants.xlsx", result)
    print(f"{name}, {len(content) / 1048576:.1f} MB in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
