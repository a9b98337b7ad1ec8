"""Provenance: which spreadsheet import created or changed a row, so that a batch can be shown
and reverted as a whole. A bottom app: the domain apps (cadres, courses, plans) point here
through ``BatchTraced``; the import engine (``imports``) writes here. The tables keep their
first names (``imports_importbatch``, ``imports_importchange``): the models moved here from
``imports`` without moving data (migrations provenance 0001 and imports 0004)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trainingmgr.visibility import ScopedQuerySet


class BatchTraced(models.Model):
    """A row that a spreadsheet import may create: it points to the batch that created it,
    so that the batch can be reverted as a whole.

    The link has no foreign-key constraint in the database (``db_constraint=False``; SQLite
    keeps the one its tables were made with: provenance.migration_ops). Only an import sets
    it, to the batch it creates in the same transaction, which no other transaction can see,
    let alone delete, before the commit; a batch deleted later sets it to NULL through
    Django (``on_delete``), as before. The constraint could never fail, and it cost a check
    on every row an import writes: on PostgreSQL a trigger running a query, 1 s of the
    server's 7.5 s for a 50,000-row file (docs/PERFORMANCE.md, round 8)."""

    import_batch = models.ForeignKey(
        "provenance.ImportBatch",
        verbose_name=_("import batch"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
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
        db_table = "imports_importbatch"

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
        db_table = "imports_importchange"
        indexes = [models.Index(fields=["model", "object_id"], name="importchange_object_idx")]

    def __str__(self):
        return f"{self.batch_id} · {self.action} {self.model} #{self.object_id}"
