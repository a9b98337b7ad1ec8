"""The background job row. The table keeps its first name, ``imports_job`` (the model moved
here from the import engine by state-only migrations: jobs 0001, imports 0006)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from provenance.models import ImportBatch


class Job(models.Model):
    """A long piece of work run in the background worker (django-tasks): an import's confirm
    step, a revert, a file of errors, issuing certificates. Its progress (rows done of total)
    is kept outside the database (jobs.runner.Progress), because an import holds the write
    lock meanwhile; this row says what it is, where it stands, and its result."""

    class Kind(models.TextChoices):
        # The kinds of the apps that run jobs; each registers its task (jobs.runner.register).
        IMPORT = "import", _("Import")  # imports/tasks.py
        REVERT = "revert", _("Revert")
        ERRORS = "errors", _("File of errors")
        CERTIFICATES = "certs", _("Issuing certificates")  # certificates/tasks.py

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    total = models.PositiveBigIntegerField(_("total rows"), default=0)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        db_table = "imports_job"
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        when = f"{timezone.localtime(self.created_at):%H:%M %d/%m/%Y}" if self.created_at else ""
        return f"{self.get_kind_display()} · {self.title} · {when}"
