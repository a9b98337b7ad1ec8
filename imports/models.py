"""Import batches: who imported which file, when, and what it did."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trainingmgr.visibility import ScopedQuerySet


class BatchTraced(models.Model):
    """A row that a spreadsheet import may create: it points to the batch that created it,
    so that the batch can be reverted as a whole."""

    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("import batch"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class ImportBatchQuerySet(ScopedQuerySet):
    def scope_condition(self, scope, user):
        """A user with a scope sees (and reverts) only their own imports."""
        return Q(user_id=user.pk)


class ImportBatch(models.Model):
    """One spreadsheet import: the file, its checksum, the counts, and whether it was reverted.

    Rows it created point back to it (``import_batch``), so a batch can be reverted whole.
    """

    class Kind(models.TextChoices):
        COURSES = "courses", _("Courses")
        PARTICIPANTS = "participants", _("Participants")
        TALLIES = "tallies", _("Tallies")
        BASELINES = "baselines", _("Baselines")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REVERTED = "reverted", _("Reverted")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    details = models.JSONField(_("details"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    reverted_at = models.DateTimeField(_("reverted at"), null=True, blank=True)
    # The one history entry of a revert: who, when (reverted_at), what (details["revert"]).
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reverted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]
        permissions = [("import_spreadsheet", _("Can import spreadsheets"))]

    def __str__(self):
        # The user's clock (Asia/Ho_Chi_Minh), as on every page: never UTC.
        when = f"{timezone.localtime(self.created_at):%H:%M %d/%m/%Y}" if self.created_at else ""
        return f"{self.get_kind_display()} · {self.file_name} · {when}"


class ImportChange(models.Model):
    """What a batch did to a row it did not create: the values before, so a revert can put
    them back. Agencies a batch created are logged here too (they carry no batch field)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")

    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import batch"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    model = models.CharField(_("model"), max_length=64)
    object_id = models.BigIntegerField(_("object id"))
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    old_values = models.JSONField(_("values before"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import change")
        verbose_name_plural = _("import changes")
        ordering = ["batch", "id"]
        indexes = [models.Index(fields=["model", "object_id"], name="importchange_object_idx")]

    def __str__(self):
        return f"{self.batch_id} · {self.action} {self.model} #{self.object_id}"


class Job(models.Model):
    """A long piece of work run in the background worker (django-tasks): an import's confirm
    step, a revert, a file of errors. Its progress (rows done of total) is kept outside the
    database (imports.tasks.Progress), because the import holds the write lock meanwhile;
    this row says what it is, where it stands, and its result."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("Import")
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
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        when = f"{timezone.localtime(self.created_at):%H:%M %d/%m/%Y}" if self.created_at else ""
        return f"{self.get_kind_display()} · {self.title} · {when}"
