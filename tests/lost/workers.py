"""Helpers for the tests that run the real database backend and its worker process."""

import csv
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from courses.models import Course, CourseType
from tests.conftest import logins_database_env

ROOT = Path(__file__).resolve().parent.parent.parent
HEADER = ["Mã khóa", "Họ và tên", "Ngày sinh", "Cơ quan", "Tỉnh/thành"]


def database_url():
    """The URL of the database this test runs on (the test database), for a child process."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def child_env(**extra):
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_TASKS_BACKEND": "database",
        "PYTHONUNBUFFERED": "1",
        **logins_database_env(),
        **extra,
    }


def start_worker(*args):
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "db_worker",
            "--backend",
            "database",
            "--no-startup-delay",
            "--no-reload",  # one process: the one the test kills
            "--interval",
            "0.2",
            *args,
        ],
        env=child_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, timeout=240, step=0.2):
    """Poll until ``condition()`` is true (a bounded wait, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"still not true after {timeout} s: {condition.__doc__ or condition}")


def course(code="K-BG"):
    return Course.objects.get_or_create(
        code=code,
        defaults={
            "title": "Khóa nền",
            "course_type": CourseType.objects.get(code="KY_NANG"),
            "start_date": datetime.date(2026, 3, 2),
        },
    )[0]


def people_sheet(path, count, code="K-BG", agency="Sở Ngoại vụ"):
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for n in range(count):
            writer.writerow(
                [
                    code,
                    f"Người Nền Số {n}",
                    f"{1 + n % 28:02d}/0{1 + n % 9}/1985",
                    agency,
                    "Lào Cai",
                ]
            )
    return path
