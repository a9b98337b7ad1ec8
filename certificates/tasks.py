"""Issuing the certificates of whole courses in the background worker, on the project's one
job mechanism (jobs/runner.py: a Job row, a django-tasks task, a progress file and the
job's page with its bar). The admin action enqueues; the worker calls issue_for_course().

Each certificate is written in its own transaction (services.issue_for_course): a job that
stops half way keeps what it issued, and running it again issues the rest, never twice."""

from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_tasks import task

from courses.models import Course, Enrolment
from jobs import runner as jobs
from jobs.models import Job

from .services import issue_for_course

ISSUE_PERMISSION = "certificates.add_certificate"
MAX_LISTED = 2000  # participants not eligible listed on the job's page


def course_summary(course, outcome):
    return _(
        "%(course)s: %(issued)s certificates issued, %(already)s already issued, "
        "%(refused)s not eligible."
    ) % {
        "course": course.code,
        "issued": len(outcome.issued),
        "already": len(outcome.already),
        "refused": len(outcome.not_eligible),
    }


def start_issuing(courses, *, user):
    """A job issuing every certificate the courses owe, within the user's scope, queued on
    the default backend (the worker; at once in tests). Returns the job."""
    courses = list(courses.order_by("code"))
    total = Enrolment.objects.visible_to(user).filter(course__in=courses).count()
    if len(courses) == 1:
        title = f"{courses[0].code} · {courses[0].title}"[:300]
    else:
        title = ", ".join(course.code for course in courses)[:300]
    job = Job.objects.create(
        kind=Job.Kind.CERTIFICATES,
        user=user,
        title=title,
        total=total,
        params={"courses": [course.pk for course in courses], "language": get_language()},
    )
    return jobs.start(job)


@task()
def issue_task(job_id):
    """The certificates of the job's courses, issued as its user (scope and permission)."""

    def body(job, progress):
        user = job.user
        if user is None or not user.is_active or not user.has_perm(ISSUE_PERMISSION):
            jobs.finish_job(job, ok=False, message=_("You may not issue certificates."))
            return
        courses = Course.objects.visible_to(user).filter(pk__in=job.params.get("courses", []))
        lines, refused, counts = [], [], {"issued": 0, "already": 0, "refused": 0}
        offset = 0
        for course in courses.order_by("code"):
            outcome = issue_for_course(
                course,
                user,
                progress=lambda done, total, start=offset: progress.update(start + done),
            )
            offset += len(outcome.issued) + len(outcome.already) + len(outcome.not_eligible)
            counts["issued"] += len(outcome.issued)
            counts["already"] += len(outcome.already)
            counts["refused"] += len(outcome.not_eligible)
            has_pdf = bool(outcome.issued or outcome.already)
            lines.append(
                {
                    "summary": course_summary(course, outcome),
                    "pdf": reverse("certificates:course_pdf", args=[course.code])
                    if has_pdf
                    else "",
                }
            )
            refused += [
                f"{course.code}: {item.holder}: {item.reason}" for item in outcome.not_eligible
            ]
        progress.update(offset, offset, force=True)
        jobs.finish_job(
            job,
            ok=True,
            message=_(
                "%(issued)s certificates issued, %(already)s already issued, "
                "%(refused)s not eligible."
            )
            % counts,
            result={
                "courses": lines,
                "not_eligible": refused[:MAX_LISTED],
                "not_eligible_count": len(refused),
                **counts,
            },
        )

    return jobs.run_job(job_id, body)


# Each certificate is committed on its own (services.issue_for_course): those issued stay.
jobs.register(
    Job.Kind.CERTIFICATES,
    issue_task,
    stale_message=gettext_lazy(
        "The worker stopped during this job (it was killed or the server restarted). "
        "The certificates issued before it stopped are kept: run it again to issue the "
        "rest."
    ),
)
