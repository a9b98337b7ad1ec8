"""Long work in the background worker (django-tasks): an import's confirm step, a revert, the
file of errors of a large sheet. The admin creates a Job, enqueues its task and shows the
job's page (rows done of total, a bar, time left, the result).

Progress is written to a small file per job, not to the database: on SQLite the import holds
the write lock for its whole transaction, and on PostgreSQL its transaction would hide the
progress until the end. The file's modification time is the worker's heartbeat: a job whose
worker died (killed, machine restarted) is seen as stale and marked failed, and nothing of it
was written (its one transaction never committed); it can be run again.
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
from django.db import IntegrityError, connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ImportBatch, Job

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
    if job.kind == Job.Kind.CERTIFICATES:
        # Each certificate is committed on its own (certificates/tasks.py): those issued stay.
        message = _(
            "The worker stopped during this job (it was killed or the server restarted). "
            "The certificates issued before it stopped are kept: run it again to issue the "
            "rest."
        )
    else:
        message = _(
            "The worker stopped during this job (it was killed or the server restarted). "
            "Nothing of it was written: run it again."
        )
    updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=Job.Status.FAILED, finished_at=timezone.now(), message=message
    )
    if updated:
        job.refresh_from_db()
    return job


# Starting a job --------------------------------------------------------------------------
TASKS = {}


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


def _claim(job_id):
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


def _finish(job, *, ok, message, result=None, batch=None):
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE if ok else Job.Status.FAILED,
        finished_at=timezone.now(),
        message=message,
        result=result or {},
        batch=batch,
    )


def _work(job_id, body):
    job = _claim(job_id)
    if job is None:
        return None
    progress = Progress(job)
    progress.total = job.total
    language = job.params.get("language") or settings.LANGUAGE_CODE
    try:
        with translation.override(language), _Heartbeat(progress):
            body(job, progress)
            progress.update(progress.total or progress.done, force=True)
    except Exception as exc:  # the job's page says what happened, never a traceback
        logger.exception("job %s failed", job.pk)
        _finish(
            job,
            ok=False,
            message=_("The job failed (%(error)s); nothing of it was written: run it again.")
            % {"error": type(exc).__name__},
        )
    return job.pk


# The tasks --------------------------------------------------------------------------------
def _named(job):
    from .admin import _Named

    return _Named(job.params["path"], job.params["name"])


@task()
def import_task(job_id):
    """The confirm step of an upload: the import, all or nothing, in the worker."""
    from .services import run_import

    def body(job, progress):
        result = run_import(
            job.params["kind"],
            _named(job),
            user=job.user,
            course=job.params.get("course") or None,
            progress=lambda number: progress.update(progress.done + 1),
            agency_map=job.params.get("agency_map"),
        )
        payload = {
            "summary": result.summary(),
            "errors": result.error_lines()[:500],
            "error_count": len(result.errors),
            "counts": result.counts(),
        }
        _finish(
            job,
            ok=result.ok,
            message=result.summary() if result.ok else _("The file was not imported."),
            result=payload,
            batch=result.batch,
        )
        if result.ok:
            Path(job.params["path"]).unlink(missing_ok=True)

    return _work(job_id, body)


@task()
def revert_task(job_id):
    """A revert confirmed on its confirmation page."""
    from .services import RevertRefused, plan_revert, revert_batch, revert_state

    def plan_body(job, batch):
        # The confirmation page of a big batch: the plan, read-only, in the worker.
        try:
            state = revert_state(batch)
            plan = plan_revert(batch, user=job.user)
        except RevertRefused as exc:
            _finish(job, ok=False, message=f"{batch}: {exc}", batch=batch)
            return
        _finish(
            job,
            ok=True,
            message=_("%(batch)s: the plan of the revert is ready.") % {"batch": batch},
            result={"plan": plan.as_page(), "state": state, "summary": plan.summary()},
            batch=batch,
        )

    def body(job, progress):
        batch = ImportBatch.objects.get(pk=job.params["batch"])
        if job.params.get("plan_only"):
            return plan_body(job, batch)
        try:
            reverted = revert_batch(
                batch, user=job.user, progress=lambda done, total: progress.update(done, total)
            )
        except RevertRefused as exc:
            _finish(job, ok=False, message=f"{batch}: {exc}", batch=batch)
            return
        except IntegrityError:
            _finish(
                job,
                ok=False,
                message=_(
                    "%(batch)s: the data changed while it was being reverted; nothing was "
                    "reverted: try again."
                )
                % {"batch": batch},
                batch=batch,
            )
            return
        plan = reverted.revert_plan
        _finish(
            job,
            ok=True,
            message=revert_message(reverted),
            result={"summary": plan.summary(done=True), **plan.as_details()},
            batch=reverted,
        )

    return _work(job_id, body)


@task()
def errors_task(job_id):
    """The sheet again with a "Lỗi" column on each bad row, for a large sheet."""
    from .services import run_import
    from .sheets import annotated_file

    def body(job, progress):
        result = run_import(
            job.params["kind"],
            _named(job),
            user=job.user,
            course=job.params.get("course") or None,
            dry_run=True,
            progress=lambda number: progress.update(progress.done + 1),
        )
        content, content_type, name = annotated_file(job.params["path"], job.params["name"], result)
        out = progress_path(job.pk).with_suffix(".errors")
        PROGRESS_DIR.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
        _finish(
            job,
            ok=True,
            message=_("The file of errors is ready."),
            result={"file": str(out), "name": name, "content_type": content_type},
        )

    return _work(job_id, body)


TASKS.update(
    {Job.Kind.IMPORT: import_task, Job.Kind.REVERT: revert_task, Job.Kind.ERRORS: errors_task}
)


# The tasks of other apps (certificates/tasks.py) use the same claim, heartbeat and finish,
# and register themselves in TASKS under their Job.Kind.
run_job = _work
finish_job = _finish


def revert_message(batch):
    plan = batch.revert_plan
    message = _("%(batch)s: reverted, %(removed)s rows removed, %(restored)s put back.") % {
        "batch": batch,
        "removed": plan.total_removed,
        "restored": len(plan.restore),
    }
    if plan.kept:
        message += " " + _("Kept, as changed or used after the import: %(kept)s.") % {
            "kept": "; ".join(f"{e['count']} × {reason}" for reason, e in plan.kept.items())
        }
    return message
