"""The one job mechanism: long work in the background worker (django-tasks). An app creates a
Job, enqueues its task with start() and shows the job's page (rows done of total, a bar, time
left, the result); the task's body runs inside run_job() and ends with finish_job().

Progress is written to a small file per job, not to the database: on SQLite an import holds
the write lock for its whole transaction, and on PostgreSQL its transaction would hide the
progress until the end. The file's modification time is the worker's heartbeat: a job whose
worker died (killed, machine restarted) is seen as stale and marked failed; it can be run
again. Nothing here knows a kind: the apps register their tasks (register()).
"""

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trainingmgr.collector import fewer_collections

from .models import Job

logger = logging.getLogger(__name__)
PROGRESS_DIR = Path(tempfile.gettempdir()) / "trainingmgr-progress"
HEARTBEAT_SECONDS = 1.0
WRITE_EVERY_SECONDS = 0.5


class Progress:
    """Rows done of total for one job, in ``PROGRESS_DIR/<id>.json``; its mtime is the
    heartbeat of the worker running the job."""

    def __init__(self, job):
        self.path = progress_path(job.pk)
        self.stamp = job.created_at.isoformat()
        self.done = 0
        self.total = 0
        self.phase = ""
        self._written = 0.0
        self._lock = threading.Lock()

    def update(self, done, total=None, *, force=False):
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if force or now - self._written >= WRITE_EVERY_SECONDS:
            self.write()

    def write(self):
        with self._lock:
            self._written = time.monotonic()
            PROGRESS_DIR.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(
                json.dumps(
                    {"job": self.stamp, "done": self.done, "total": self.total, "phase": self.phase}
                )
            )
            os.replace(tmp, self.path)

    def beat(self):
        with self._lock:
            if self.path.exists():
                os.utime(self.path)


def progress_path(job_id):
    """One file per job and database (the test suites of several work trees share /tmp)."""
    database = connection.settings_dict
    key = hashlib.sha1(
        f"{database['HOST']}:{database['PORT']}:{database['NAME']}".encode(), usedforsecurity=False
    )
    return PROGRESS_DIR / f"{key.hexdigest()[:12]}-{job_id}.json"


def read_progress(job):
    """(done, total, seconds since the last heartbeat or None) of a job."""
    path = progress_path(job.pk)
    try:
        data = json.loads(path.read_text())
        age = time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        return 0, job.total, None
    if data.get("job") != job.created_at.isoformat():
        return 0, job.total, None  # a file left by an earlier job of the same id
    return data.get("done", 0), data.get("total") or job.total, age


class _Heartbeat:
    """Touches the progress file every second while the work runs, including the long
    stretches that report no rows (planning a revert, committing)."""

    def __init__(self, progress):
        self.progress = progress
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            self.progress.beat()

    def __enter__(self):
        self.progress.write()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=5)
        return False


def mark_stale(job):
    """A running job whose worker stopped beating is failed, with the reason; returns it."""
    if job.status != Job.Status.RUNNING:
        return job
    _done, _total, age = read_progress(job)
    if age is not None and age < settings.TASK_STALE_SECONDS:
        return job
    if (
        age is None
        and job.started_at
        and ((timezone.now() - job.started_at).total_seconds() < settings.TASK_STALE_SECONDS)
    ):
        return job
    message = STALE_MESSAGES.get(job.kind) or _(
        "The worker stopped during this job (it was killed or the server restarted). "
        "Nothing of it was written: run it again."
    )
    updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=Job.Status.FAILED, finished_at=timezone.now(), message=message
    )
    if updated:
        job.refresh_from_db()
    return job


# The kinds -------------------------------------------------------------------------------
# Job.Kind → the django-tasks task that runs it, filled by the apps that run jobs
# (imports/tasks.py, certificates/tasks.py) with register().
TASKS = {}
# Job.Kind → what a job's page says when its worker stopped, when that differs from the
# default ("nothing of it was written").
STALE_MESSAGES = {}


def register(kind, task, *, stale_message=None):
    """The task that runs jobs of ``kind`` (a Job.Kind), and what to say if its worker dies."""
    TASKS[kind] = task
    if stale_message is not None:
        STALE_MESSAGES[kind] = stale_message


# Starting a job --------------------------------------------------------------------------


def start(job):
    """Enqueue the job's task (on the default backend: the worker, or at once in tests)."""
    result = TASKS[job.kind].enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def run_again(job):
    """A failed job, queued again with the same file and parameters."""
    Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
        status=Job.Status.QUEUED, message="", result={}, started_at=None, finished_at=None
    )
    progress_path(job.pk).unlink(missing_ok=True)
    job.refresh_from_db()
    return start(job)


def claim(job_id):
    """The job, marked running, or None when it is not waiting (already done, run twice)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now
    )
    if not claimed:
        return None
    job = Job.objects.select_related("user").get(pk=job_id)
    Job.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
    return job


def finish_job(job, *, ok, message, result=None, batch=None):
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE if ok else Job.Status.FAILED,
        finished_at=timezone.now(),
        message=message,
        result=result or {},
        batch=batch,
    )


def run_job(job_id, body):
    """Run ``body(job, progress)`` for a queued job in the worker: claim it (once), keep its
    heartbeat, finish it as failed if the body raises. The body calls finish_job()."""
    job = claim(job_id)
    if job is None:
        return None
    progress = Progress(job)
    progress.total = job.total
    language = job.params.get("language") or settings.LANGUAGE_CODE
    try:
        with translation.override(language), _Heartbeat(progress), fewer_collections():
            body(job, progress)
            progress.update(progress.total or progress.done, force=True)
    except Exception as exc:  # the job's page says what happened, never a traceback
        logger.exception("job %s failed", job.pk)
        finish_job(
            job,
            ok=False,
            message=_("The job failed (%(error)s); nothing of it was written: run it again.")
            % {"error": type(exc).__name__},
        )
    return job.pk
