"""Importing a sheet and reverting an import: the two writes the admin and the command call."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import covers, scope_of
from cadres.models import Agency, Cadre, WorkforceBaseline
from courses.models import Course, Enrolment, ParticipantTally

from .kinds import KINDS
from .matching import Lookups
from .models import ImportBatch, ImportChange
from .reading import FileRejected, checksum, open_sheet
from .values import BadValue

# Staged rows are written every CHUNK rows: memory stays flat however long the file.
CHUNK = 5000
SAMPLE_ROWS = 20
# Any fixed number: the advisory lock that lets one import write at a time on PostgreSQL.
IMPORT_LOCK_KEY = 20151116


@dataclass
class ImportResult:
    """What an import found and did; errors are (row, column, message), row None for the file."""

    kind: str
    file_name: str = ""
    checksum: str = ""
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    people_matched: int = 0
    people_created: int = 0
    agencies_created: int = 0
    header_row: int | None = None
    encoding: str = ""  # of a CSV file: the one assumed ("UTF-8", "Windows-1258"...)
    csv_format: object = None  # reading.CsvFormat of a CSV file, for the file of errors
    footer_rows: list = field(default_factory=list)  # rows skipped as the list's footer
    columns: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    sample: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    batch: ImportBatch | None = None

    @property
    def ok(self):
        return not self.errors

    def add_error(self, row, column, message):
        self.errors.append((row, column, message))

    def column_label(self, field_name):
        return self._labels.get(field_name, field_name)

    _labels: dict = field(default_factory=dict)

    def error_lines(self):
        """Every error as `row R, column C: message` (file-wide problems as plain sentences)."""
        lines = []
        for row, column, message in self.errors:
            if row is None:
                lines.append(message)
            else:
                lines.append(f"row {row}, column {column}: {message}")
        return lines

    def counts(self):
        counts = {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.kind == ImportBatch.Kind.PARTICIPANTS:
            counts.update(
                people_matched=self.people_matched,
                people_created=self.people_created,
                agencies_created=self.agencies_created,
            )
        return counts

    def summary(self):
        """The one line the command prints on success."""
        parts = [
            _(
                "%(kind)s %(file)s: %(rows)s rows, %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged"
            )
            % {
                "kind": self.kind,
                "file": self.file_name,
                "rows": self.rows,
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
            }
        ]
        if self.kind == ImportBatch.Kind.PARTICIPANTS:
            parts.append(
                _("people: %(matched)s matched, %(new)s created")
                % {"matched": self.people_matched, "new": self.people_created}
            )
        if self.encoding:
            parts.append(_("encoding: %(encoding)s") % {"encoding": self.encoding})
        if self.footer_rows:
            parts.append(
                _("footer rows skipped: %(rows)s")
                % {"rows": ", ".join(str(r) for r in self.footer_rows[:20])}
            )
        if self.ignored_columns:
            parts.append(
                _("ignored columns: %(columns)s") % {"columns": ", ".join(self.ignored_columns)}
            )
        if self.dry_run:
            parts.append(_("dry run, nothing written"))
        elif self.ok and not (self.created or self.updated):
            parts.append(_("nothing to change, no batch recorded"))
        elif self.batch is not None:
            parts.append(_("batch %(id)s") % {"id": self.batch.pk})
        return "; ".join(str(p) for p in parts)


def lock_imports():
    """One import writes at a time, so that two overlapping lists sent at the same moment
    cannot both create the same person: the second waits, then matches the people the first
    created (its look-ups are read after the lock). PostgreSQL: a transaction-level advisory
    lock; SQLite: the IMMEDIATE transaction (settings) already holds the write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def run_import(kind, source, *, user=None, course=None, dry_run=False, progress=None):
    """Import one sheet (a path or an uploaded file) of the given kind.

    Every row is read, matched and validated and every error collected; the rows are written
    in chunks inside ONE transaction that is rolled back when any row is invalid (or on a dry
    run, which stages nothing), so a file is imported whole or not at all. ``course`` is a
    course code for sheets without a course column. ``user`` is who imports (recorded on
    the batch); a user with a scope (accounts.scoping) gets an error on every row outside
    it. No user (the command) is national. ``progress`` is called with each row number (a
    progress bar). Returns an ImportResult; ``result.batch`` is the saved batch.
    """
    importer_class = KINDS[kind]
    result = ImportResult(kind=kind, dry_run=dry_run)
    try:
        result.checksum = checksum(source)
        lookups = Lookups()
        default_course = None
        if course:
            try:
                default_course = lookups.course(course)
            except BadValue as exc:
                raise FileRejected("--course: " + str(exc)) from None
            if kind == ImportBatch.Kind.PARTICIPANTS and not covers(user, default_course):
                raise FileRejected(
                    "--course: "
                    + _("No course in your scope has the code '%(value)s'.") % {"value": course}
                )
        sheet = open_sheet(
            source,
            importer_class.header_map(),
            importer_class.required_fields(default_course=default_course),
            importer_class.display_names(),
        )
        result.file_name = sheet.file_name
        result.header_row = sheet.header_row
        result.columns = [(c.field, c.label) for c in sheet.columns]
        result.ignored_columns = sheet.ignored
        result.encoding = sheet.encoding_label
        result.csv_format = sheet.csv_format
        result.footer_rows = sheet.footer_rows  # filled while the rows are read
        result._labels = dict(sheet.labels)
        with transaction.atomic():
            lock_imports()
            _import_rows(importer_class, sheet, lookups, result, user, default_course, progress)
            # A file that changes nothing (imported before) leaves no batch behind either.
            if not result.ok or dry_run or not (result.created or result.updated):
                transaction.set_rollback(True)
                result.batch = None
    except FileRejected as exc:
        result.batch = None
        result.add_error(None, None, str(exc))
    except IntegrityError as exc:
        # Another import or an edit made the same person or row meanwhile (PostgreSQL).
        result.batch = None
        result.add_error(
            None,
            None,
            _(
                "The database changed during the import (%(reason)s); nothing was written: "
                "import the file again."
            )
            % {"reason": str(exc).splitlines()[0]},
        )
    return result


def _import_rows(importer_class, sheet, lookups, result, user, default_course, progress):
    if not result.dry_run:
        result.batch = ImportBatch.objects.create(
            kind=importer_class.kind,
            file_name=sheet.file_name,
            checksum=result.checksum,
            user=user,
        )
    importer = importer_class(
        lookups,
        result,
        batch=result.batch,
        default_course=default_course,
        columns=[c.field for c in sheet.columns],
        user=user,
    )
    max_rows = settings.IMPORT_MAX_ROWS
    for number, row in sheet:
        result.rows += 1
        if result.rows > max_rows:
            result.rows -= 1
            raise FileRejected(
                _("%(name)s has more than %(max)s rows: split it into several files.")
                % {"name": sheet.file_name, "max": f"{max_rows:,}".replace(",", ".")}
            )
        if len(result.sample) < SAMPLE_ROWS:
            result.sample.append((number, row))
        importer.handle(number, row)
        if importer.writing and importer.pending >= CHUNK:
            importer.flush()
        if progress is not None:
            progress(number)
    importer.finish()
    if result.rows == 0:
        result.add_error(
            None, None, _("%(name)s has a header row but no data rows.") % {"name": sheet.file_name}
        )
    if importer.writing:
        importer.flush()
        batch = result.batch
        batch.rows = result.rows
        batch.created = result.created
        batch.updated = result.updated
        batch.unchanged = result.unchanged
        batch.details = {
            **result.counts(),
            "header_row": result.header_row,
            "ignored_columns": result.ignored_columns,
            "encoding": result.encoding,
            "footer_rows": result.footer_rows,
        }
        batch.save()


# Reverting ----------------------------------------------------------------------------------
class RevertRefused(Exception):
    pass


CREATED_MODELS = [Enrolment, ParticipantTally, WorkforceBaseline, Cadre, Course]


def revert_batch(batch, *, user=None):
    """Undo an import: delete what it created, put back what it updated.

    Refused (RevertRefused) when something newer depends on it: rows of another import or
    edit that point to a person, course or agency this batch created, or a later import that
    changed a row this batch created or changed. A user with a scope may revert only their
    own imports: every row of those was checked against their scope when imported, while
    another user's import may reach outside it.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not scope_of(user).is_national and batch.user_id != user.pk:
            raise RevertRefused(_("You may revert only your own imports."))
        if batch.status != ImportBatch.Status.APPLIED:
            raise RevertRefused(_("This import was already reverted."))
        _check_revertable(batch)
        changes = list(batch.changes.order_by("-id"))
        for change in changes:
            if change.action == ImportChange.Action.UPDATED:
                _restore(change)
        for model in CREATED_MODELS:
            model.objects.filter(import_batch=batch).delete()
        agency_ids = [
            c.object_id
            for c in changes
            if c.action == ImportChange.Action.CREATED and c.model == "cadres.agency"
        ]
        Agency.objects.filter(pk__in=agency_ids).delete()
        batch.status = ImportBatch.Status.REVERTED
        batch.reverted_at = timezone.now()
        batch.details = {**batch.details, "reverted_by": getattr(user, "username", None)}
        batch.save(update_fields=["status", "reverted_at", "details"])
    return batch


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def _restore(change):
    model = _model(change.model)
    values = {}
    for name, raw in change.old_values.items():
        model_field = model._meta.get_field(name.removesuffix("_id"))
        values[model_field.attname] = None if raw is None else model_field.to_python(raw)
    model.objects.filter(pk=change.object_id).update(**values)


def _check_revertable(batch):
    problems = []
    others = ~Q(import_batch=batch) | Q(import_batch__isnull=True)
    if Enrolment.objects.filter(others, cadre__import_batch=batch).exists():
        problems.append(_("people it created are enrolled by another import or by hand"))
    if Enrolment.objects.filter(others, course__import_batch=batch).exists() or (
        ParticipantTally.objects.filter(others, course__import_batch=batch).exists()
    ):
        problems.append(_("courses it created have participants from elsewhere"))
    agency_ids = list(
        batch.changes.filter(action=ImportChange.Action.CREATED, model="cadres.agency").values_list(
            "object_id", flat=True
        )
    )
    if agency_ids:
        used = (
            Cadre.objects.filter(others, agency_id__in=agency_ids).exists()
            or Enrolment.objects.filter(others, agency_id__in=agency_ids).exists()
            or Course.objects.filter(organiser_id__in=agency_ids).exists()
            or WorkforceBaseline.objects.filter(agency_id__in=agency_ids).exists()
        )
        if used:
            problems.append(_("agencies it created are used elsewhere"))
    later = ImportChange.objects.filter(
        batch__gt=batch.pk, batch__status=ImportBatch.Status.APPLIED
    )
    touched = Q(pk__in=[])
    updated = batch.changes.filter(action=ImportChange.Action.UPDATED)
    for label in updated.values_list("model", flat=True).distinct():
        ids = updated.filter(model=label).values("object_id")
        touched |= Q(model=label, object_id__in=ids)
    for model in CREATED_MODELS:
        label = model._meta.label_lower
        ids = model.objects.filter(import_batch=batch).values("pk")
        touched |= Q(model=label, object_id__in=ids)
    if later.filter(touched).exists():
        problems.append(_("a later import changed rows it created or changed"))
    if problems:
        raise RevertRefused(
            _("This import cannot be reverted: %(problems)s. Revert the newer changes first.")
            % {"problems": "; ".join(problems)}
        )
