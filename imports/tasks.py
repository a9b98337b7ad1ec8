"""The import engine's background work, on the one job mechanism (jobs/runner.py: a Job row,
a django-tasks task, a progress file with its heartbeat and the job's page): an import's
confirm step, a revert, the file of errors of a large sheet. An import's job that stops half
way wrote nothing (its one transaction never committed); it can be run again.

The mechanism's names are re-exported here (``imports.tasks.start``, ``run_job``, ``Job``...)
for the callers that use them from here.
"""

from pathlib import Path

from django.db import IntegrityError
from django.utils.translation import gettext as _
from django_tasks import task

from jobs.runner import (  # noqa: F401  (re-exported)
    HEARTBEAT_SECONDS,
    PROGRESS_DIR,
    TASKS,
    WRITE_EVERY_SECONDS,
    Progress,
    finish_job,
    mark_stale,
    progress_path,
    read_progress,
    register,
    run_again,
    run_job,
    start,
)

from .models import ImportBatch, Job


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
        finish_job(
            job,
            ok=result.ok,
            message=result.summary() if result.ok else _("The file was not imported."),
            result=payload,
            batch=result.batch,
        )
        if result.ok:
            Path(job.params["path"]).unlink(missing_ok=True)

    return run_job(job_id, body)


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
            finish_job(job, ok=False, message=f"{batch}: {exc}", batch=batch)
            return
        finish_job(
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
            finish_job(job, ok=False, message=f"{batch}: {exc}", batch=batch)
            return
        except IntegrityError:
            finish_job(
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
        finish_job(
            job,
            ok=True,
            message=revert_message(reverted),
            result={"summary": plan.summary(done=True), **plan.as_details()},
            batch=reverted,
        )

    return run_job(job_id, body)


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
        finish_job(
            job,
            ok=True,
            message=_("The file of errors is ready."),
            result={"file": str(out), "name": name, "content_type": content_type},
        )

    return run_job(job_id, body)


register(Job.Kind.IMPORT, import_task)
register(Job.Kind.REVERT, revert_task)
register(Job.Kind.ERRORS, errors_task)


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
