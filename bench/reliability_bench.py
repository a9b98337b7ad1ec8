"""Reliability bench: a large import and its revert run as background jobs while a bounded loop
of logins and report requests runs against gunicorn on 127.0.0.1.

    .venv/bin/python bench/reliability_bench.py [--rows 1000000] [--max-requests 5000]
    scripts/with-postgres .venv/bin/python bench/reliability_bench.py      # on PostgreSQL

It builds a throwaway database (SQLite under /tmp unless DATABASE_URL names PostgreSQL),
loads the demo, writes a participants .csv, starts gunicorn (2 workers) and the django-tasks
worker (`db_worker`), queues the import as a Job (the admin's confirm step), then its revert,
and meanwhile logs in and reads /reports/ and a programme page in a loop, bounded by
--max-requests and by the two jobs' end. It prints the requests made, the errors (a 5xx or a
failed connection; the goal is 0), p50/p95 latency, and the import and revert times.
"""

import argparse
import csv
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-1234"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, capture=True):
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=capture,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def write_sheet(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Mã khóa", "Họ và tên", "Ngày sinh", "Cơ quan", "Tỉnh/thành"])
        for n in range(rows):
            writer.writerow(
                [
                    f"BENCH-{n % 200:03d}",
                    # Short cells: 1,000,000 rows stay under the upload limit (50 MB).
                    f"Thử {n // 3}",
                    f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1960 + n % 40}",
                    "SNV",
                    ["Lào Cai", "Hà Nội", "Đà Nẵng", "Cần Thơ"][n % 4],
                ]
            )


SHELL_SETUP = """
import datetime
from django.contrib.auth.models import User
from courses.models import Course, CourseType
User.objects.filter(username="bench").delete()
User.objects.create_superuser("bench", "bench@example.vn", "{password}")
kind = CourseType.objects.get(code="KY_NANG")
Course.objects.bulk_create(
    [Course(code=f"BENCH-{{i:03d}}", title=f"Khóa thử {{i}}", course_type=kind,
            start_date=datetime.date(2024, 1 + i % 12, 1 + i % 28)) for i in range(200)],
    ignore_conflicts=True,
)
"""

SHELL_QUEUE_IMPORT = """
from django.contrib.auth.models import User
from imports import tasks
from imports.models import Job
job = Job.objects.create(kind="import", user=User.objects.get(username="bench"), title="bench",
    total={rows}, params={{"kind": "participants", "path": "{path}", "name": "bench.csv",
    "course": "", "language": "en"}})
tasks.start(job)
print(job.pk)
"""

SHELL_QUEUE_REVERT = """
from django.contrib.auth.models import User
from imports import tasks
from imports.models import Job
batch = Job.objects.get(pk={job}).batch
job = Job.objects.create(kind="revert", user=User.objects.get(username="bench"),
    title=str(batch), batch=batch, total=0, params={{"batch": batch.pk, "language": "en"}})
tasks.start(job)
print(job.pk)
"""

SHELL_STATUS = """
from imports.models import Job
job = Job.objects.get(pk={job})
took = ""
if job.finished_at and job.started_at:
    took = (job.finished_at - job.started_at).total_seconds()
lock = (job.batch.details or dict()).get("write_lock_seconds", "-") if job.batch_id else "-"
print(job.status, took, "[import lock held %s s]" % lock, job.message[:300].replace(chr(10), " "))
"""


def job_status(env, job_id):
    out = manage(env, "shell", "-v", "0", "-c", SHELL_STATUS.format(job=job_id)).strip()
    status, _, rest = out.partition(" ")
    seconds, _, message = rest.partition(" ")
    return status, seconds, message


class Load:
    """Logins and report requests in a loop until stopped or --max-requests are made."""

    def __init__(self, base, max_requests):
        self.base = base
        self.max_requests = max_requests
        self.latencies = []
        self.load = []  # the 1-minute load average at each answer
        self.errors = []
        self.stop = threading.Event()

    def get(self, opener, url, data=None, expect=None):
        """The page's text; a 5xx, a failed connection, or (``expect``) landing elsewhere
        than ``expect`` after the redirects (a login that did not log in) is an error."""
        start = time.perf_counter()
        landed = url
        try:
            with opener.open(self.base + url, data=data, timeout=60) as response:
                body = response.read().decode("utf-8", "replace")
                status = response.status
                landed = urllib.parse.urlsplit(response.geturl()).path
        except urllib.error.HTTPError as exc:
            body, status = exc.read().decode("utf-8", "replace"), exc.code
        except OSError as exc:
            self.errors.append(f"{url}: {exc}")
            return ""
        self.latencies.append(time.perf_counter() - start)
        self.load.append(os.getloadavg()[0])
        if status >= 500:
            self.errors.append(f"{url}: HTTP {status}")
        elif expect is not None and (status != 200 or landed != expect):
            self.errors.append(f"{url}: HTTP {status} at {landed}, not {expect}")
        return body

    def run(self):
        while not self.stop.is_set() and len(self.latencies) < self.max_requests:
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            page = self.get(opener, "/admin/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if token:
                data = urllib.parse.urlencode(
                    {
                        "csrfmiddlewaretoken": token.group(1),
                        "username": "bench",
                        "password": PASSWORD,
                        "next": "/reports/",
                    }
                ).encode()
                self.get(opener, "/admin/login/", data, expect="/reports/")
            for url in ("/reports/", "/reports/QD2007-2015/"):
                self.get(opener, url)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--max-seconds", type=int, default=3600)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="trainingmgr-reliability-"))
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_TASKS_BACKEND": "database",
        "DJANGO_LOGIN_FAILURE_LIMIT": "1000000",
    }
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = f"sqlite:///{work / 'db.sqlite3'}"
    print(f"database: {env['DATABASE_URL'].split('@')[-1]}")
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo")
    manage(env, "shell", "-v", "0", "-c", SHELL_SETUP.format(password=PASSWORD))
    sheet = work / "bench.csv"
    write_sheet(sheet, args.rows)
    print(f"sheet: {args.rows:,} rows, {sheet.stat().st_size / 1048576:.0f} MB")

    port = free_port()
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "trainingmgr.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/admin/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        load = Load(base, args.max_requests)
        # A daemon: an interrupted run does not leave the loop requesting a dead server.
        loop = threading.Thread(target=load.run, daemon=True)
        loop.start()
        deadline = time.monotonic() + args.max_seconds
        times = {}
        job = None
        for kind, script in (("import", SHELL_QUEUE_IMPORT), ("revert", SHELL_QUEUE_REVERT)):
            source = script.format(rows=args.rows, path=sheet, job=job)
            job = int(manage(env, "shell", "-v", "0", "-c", source).strip().splitlines()[-1])
            while time.monotonic() < deadline:
                status, seconds, message = job_status(env, job)
                if status in ("done", "failed"):
                    break
                time.sleep(2)
            times[kind] = (status, seconds, message)
            print(f"{kind}: {status} in {seconds} s: {message}")
            if status != "done":
                break
        load.stop.set()
        loop.join()
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    made = len(load.latencies)
    print(f"requests: {made} (logins and report pages), errors: {len(load.errors)}")
    for line in load.errors[:10]:
        print("  " + line)
    if made >= 2:
        cuts = statistics.quantiles(load.latencies, n=100)
        print(f"latency: p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms")
    if load.load:
        print(
            f"load average (1 min) during the run: min {min(load.load):.1f}, "
            f"median {statistics.median(load.load):.1f}, max {max(load.load):.1f}"
        )
    return 1 if load.errors or any(t[0] != "done" for t in times.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
