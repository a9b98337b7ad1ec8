"""Importing a sheet and reverting an import: the two writes the admin and the command call."""

import logging
import time
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import CASCADE as models_CASCADE
from django.db.models import DO_NOTHING as models_DO_NOTHING
from django.db.models import PROTECT as models_PROTECT
from django.db.models import RESTRICT as models_RESTRICT
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccessScope
from accounts.scoping import covers, scope_of
from cadres.models import Agency, Cadre, LanguageSkill, WorkforceBaseline
from courses.models import Course, Enrolment, ParticipantTally, Programme
from plans.locks import refuse_locked_batch
from plans.models import Plan, PlanLine, ReportingPeriod

from .bulk import batch_writes, copies_behind
from .kinds import KINDS
from .matching import Lookups
from .models import ImportBatch, ImportChange
from .reading import FileRejected, checksum, limit, open_sheet, too_many_rows
from .values import BadValue, no_course_in_scope

logger = logging.getLogger(__name__)

# A kind that is flushed as it is read (not WRITES_AFTER_READING) writes every CHUNK rows.
CHUNK = 5000
SAMPLE_ROWS = 20
# Any fixed number: the advisory lock that lets one import write at a time on PostgreSQL.
IMPORT_LOCK_KEY = 20151116
SQLITE_WRITE_CACHE_KB = 32768  # the default is 2,000 KB


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
    sheet_note: str = ""  # of an .xlsx whose first sheet is not the one read: which one is
    csv_format: object = None  # reading.CsvFormat of a CSV file, for the file of errors
    footer_rows: list = field(default_factory=list)  # rows skipped as the list's footer
    columns: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    sample: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    batch: ImportBatch | None = None
    lock_seconds: float | None = None  # how long the write transaction held the lock
    matches: object = None  # imports.preview.Matches: what a dry run's rows matched
    agency_map: dict = field(default_factory=dict)  # chosen at the preview (imports.preview)
    agencies_mapped: dict = field(default_factory=dict)  # sheet name -> existing agency pk

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
        if self.sheet_note:
            parts.append(self.sheet_note)
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
    lock; SQLite: the IMMEDIATE transaction (settings) already holds the write lock, and
    a larger page cache (SQLITE_WRITE_CACHE_KB) keeps the indexes being written in memory
    rather than spilling them to the WAL page by page, which shortens the time it is held."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        elif connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_WRITE_CACHE_KB:d}")


def run_import(
    kind, source, *, user=None, course=None, dry_run=False, progress=None, agency_map=None
):
    """Import one sheet (a path or an uploaded file) of the given kind.

    Every row is read, matched and validated and every error collected; the rows are written
    inside ONE transaction that is rolled back when any row is invalid (a dry run stages
    nothing), so a file is imported whole or not at all. ``course`` is a course code for
    sheets without a course column. ``user`` is who imports (recorded on the batch); a user
    with a scope (accounts.scoping) gets an error on every row outside it. No user (the
    command) is national. ``progress`` is called with each row number (a progress bar).
    ``agency_map`` ({"folded name|locality pk": agency pk}) names the existing agency that
    stands for a new one, as chosen at the preview (imports.preview). Returns an
    ImportResult; ``result.batch`` is the saved batch.

    The write lock is held only for the writes: a kind that can (WRITES_AFTER_READING) is
    read, matched and staged whole first, outside any transaction; then the transaction
    takes the import lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock) and
    writes. If an import or a revert finished while the file was being read, what was
    matched may be stale (the same new agency or person): the file is read again inside
    the lock, so that the second of two overlapping imports matches what the first created.
    """
    importer_class = KINDS[kind]
    result = ImportResult(kind=kind, dry_run=dry_run, agency_map=dict(agency_map or {}))
    try:
        result.checksum = checksum(source)
        if dry_run:
            # The preview writes nothing: it reads outside any transaction, so that on
            # SQLite it does not hold the write lock (logins and edits go on meanwhile).
            _read_rows(importer_class, source, result, user, course, progress)
            return result
        importer = None
        if _reads_first(importer_class):
            seen = _imports_state()
            importer = _read_rows(
                importer_class, source, result, user, course, progress, stage=True
            )
            if not (result.ok and (result.created or result.updated)):
                return result  # nothing to write: no lock taken, no batch recorded
        with transaction.atomic():
            lock_imports()
            locked_at = time.monotonic()
            # The summary triggers are off for this transaction's bulk writes; the keys
            # the batch touched are refreshed set-based before the commit (bulk.batch_writes).
            with batch_writes() as writes:
                if importer is None or _imports_state() != seen:
                    # Read after the lock: what an import that finished meanwhile created
                    # (the same new agency, person or course) is matched, not created twice.
                    result = ImportResult(
                        kind=kind, checksum=result.checksum, agency_map=result.agency_map
                    )
                    with copies_behind():  # PostgreSQL: the COPYs run behind the reading
                        importer = _read_rows(
                            importer_class, source, result, user, course, progress, in_lock=True
                        )
                if result.ok and (result.created or result.updated):
                    _write(importer, result, user, locked_at, writes)
                else:
                    # A file that changes nothing (imported before) leaves no batch behind.
                    transaction.set_rollback(True)
                    result.batch = None
        result.lock_seconds = time.monotonic() - locked_at
        logger.info(
            "import of %s (%s rows): write lock held %.2f s",
            result.file_name,
            result.rows,
            result.lock_seconds,
        )
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


def _imports_state():
    """What changes when an import is applied or reverted: compared before the file is
    read and once the lock is taken."""
    return ImportBatch.objects.aggregate(
        count=Count("pk"), last=Max("pk"), reverted=Max("reverted_at")
    )


def _read_rows(
    importer_class, source, result, user, course, progress, *, stage=False, in_lock=False
):
    """Open the sheet, then read, match and validate every row into ``result``; a real run
    stages the writes (``stage``). ``in_lock``: inside the write transaction, where a kind
    that needs its batch while it reads (not WRITES_AFTER_READING) gets it at once and is
    flushed every CHUNK rows. Returns the importer."""
    lookups = Lookups()
    default_course = None
    if course:
        try:
            default_course = lookups.course(course)
        except BadValue as exc:
            words = str(exc) if scope_of(user).is_national else no_course_in_scope(course)
            raise FileRejected("--course: " + words) from None
        if importer_class.kind == ImportBatch.Kind.PARTICIPANTS and not covers(
            user, default_course
        ):
            raise FileRejected("--course: " + no_course_in_scope(course))
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
    result.sheet_note = sheet.sheet_note
    result.csv_format = sheet.csv_format
    result.footer_rows = sheet.footer_rows  # filled while the rows are read
    result._labels = dict(sheet.labels)
    batch = None
    if in_lock and not _reads_first(importer_class):
        batch = _new_batch(importer_class.kind, result, user)
    importer = importer_class(
        lookups,
        result,
        batch=batch,
        default_course=default_course,
        columns=[c.field for c in sheet.columns],
        user=user,
        stage=stage or in_lock,
    )
    chunked = batch is not None
    max_rows = limit("MAX_ROWS")
    for number, row in sheet:
        result.rows += 1
        if result.rows > max_rows:
            result.rows -= 1
            raise too_many_rows(sheet.file_name)
        if len(result.sample) < SAMPLE_ROWS:
            result.sample.append((number, row))
        importer.handle(number, row)
        if chunked and importer.writing and importer.pending >= CHUNK:
            importer.flush()
        if progress is not None:
            progress(number)
    importer.finish()
    if result.rows == 0:
        result.add_error(
            None, None, _("%(name)s has a header row but no data rows.") % {"name": sheet.file_name}
        )
    return importer


def _reads_first(importer_class):
    """Whether a kind's file is read, matched and staged whole before its write transaction
    (WRITES_AFTER_READING): on SQLite, whose write lock stops every other writer, always. On
    PostgreSQL the lock is an advisory one that only other imports wait for, so a kind that
    STREAMS (participants) is read inside the transaction and written as it is read, chunk
    by chunk, its COPYs running behind the reading (bulk.copies_behind)."""
    if importer_class.STREAMS and connection.vendor == "postgresql":
        return False
    return importer_class.WRITES_AFTER_READING


def _new_batch(kind, result, user):
    return ImportBatch.objects.create(
        kind=kind, file_name=result.file_name, checksum=result.checksum, user=user
    )


def _write(importer, result, user, locked_at, writes=None):
    """Inside the write transaction: the batch, every staged row, the derived tables of what
    it touched (``writes``: bulk.batch_writes), the batch's counts (and how long the lock has
    been held so far: the commit that follows is not counted)."""
    batch = importer.batch
    if batch is None:
        batch = _new_batch(importer.kind, result, user)
        importer.attach(batch)
    importer.flush()
    if writes is not None:
        writes.note(batch.pk, inserted=True)
        writes.refresh()
    batch.rows = result.rows
    batch.created = result.created
    batch.updated = result.updated
    batch.unchanged = result.unchanged
    batch.details = {
        **result.counts(),
        "header_row": result.header_row,
        "ignored_columns": result.ignored_columns,
        "encoding": result.encoding,
        "sheet": result.sheet_note,
        "footer_rows": result.footer_rows,
    }
    if result.agencies_mapped:
        batch.details["agencies_mapped"] = result.agencies_mapped
    batch.details["write_lock_seconds"] = round(time.monotonic() - locked_at, 2)
    batch.save()
    result.batch = batch


# Reverting ----------------------------------------------------------------------------------
# The rule (README, docs/IMPORTS.md): a revert undoes what the batch did and nothing that
# happened after it. A row the batch created or updated that was changed afterwards (by hand,
# by a later import, by a merge), or that later data refers to (a language skill, another
# enrolment, a programme's lead agency, a user's scope), is KEPT as it is now; the rest is
# reverted, and the revert reports what it kept and why. Nothing is ever deleted by cascade.
class RevertRefused(Exception):
    pass


# Deleted in this order: what refers to a row goes before it.
CREATED_MODELS = [Enrolment, ParticipantTally, WorkforceBaseline, PlanLine, Plan, Cadre, Course]
DELETE_ORDER = [*CREATED_MODELS, Agency]
DELETE_CHUNK = 500
EXAMPLES = 10


@dataclass
class RevertPlan:
    """What reverting a batch would do: rows removed (per model), values put back, and rows
    kept with the reason (``kept``: reason -> {"count", "examples"}). ``protected`` are the
    reasons that are references the database protects (lead agency, scope agency)."""

    batch: ImportBatch
    remove: dict = field(default_factory=dict)  # model label -> set of ids
    created_ids: dict = field(default_factory=dict)  # model label -> set of ids
    kept_rows: set = field(default_factory=set)  # (model label, id)
    _seen: set = field(default_factory=set)
    restore: list = field(default_factory=list)  # ImportChange ids to put back
    kept: dict = field(default_factory=dict)
    protected: list = field(default_factory=list)

    def keep(self, model, pk, reason, *, protected=False):
        """Keep a row for ``reason`` (a row may be kept for several); its label is read for
        the first few examples only."""
        self.kept_rows.add((model._meta.label_lower, pk))
        if (model._meta.label_lower, pk, str(reason)) in self._seen:
            return
        self._seen.add((model._meta.label_lower, pk, str(reason)))
        entry = self.kept.setdefault(str(reason), {"count": 0, "examples": []})
        entry["count"] += 1
        label = _labeller(model, pk)
        if label is not None and len(entry["examples"]) < EXAMPLES:
            entry["examples"].append(str(label()))
        if protected and str(reason) not in self.protected:
            self.protected.append(str(reason))

    @property
    def removed_counts(self):
        """(verbose name plural, count) of what would be deleted, in a stable order."""
        counts = []
        for model in DELETE_ORDER:
            n = len(self.remove.get(model._meta.label_lower, ()))
            if n:
                counts.append((str(model._meta.verbose_name_plural), n))
        return counts

    @property
    def total_removed(self):
        return sum(len(ids) for ids in self.remove.values())

    @property
    def kept_count(self):
        return len(self.kept_rows)

    def summary(self, *, done=False):
        """Plain lines for the command: removed, put back, kept and why (``done``: after the
        revert, else what it would do)."""
        removed = ", ".join(f"{n} {name}" for name, n in self.removed_counts) or _("nothing")
        if done:
            lines = [
                _("Removed: %(what)s") % {"what": removed},
                _("Put back the values before the import of %(n)s rows") % {"n": len(self.restore)},
                _("Kept: %(n)s rows changed or used after the import") % {"n": self.kept_count},
            ]
        else:
            lines = [
                _("Would remove: %(what)s") % {"what": removed},
                _("Would put back the values before the import of %(n)s rows")
                % {"n": len(self.restore)},
                _("Would keep: %(n)s rows changed or used after the import")
                % {"n": self.kept_count},
            ]
        lines.insert(0, _("Batch %(id)s (%(batch)s)") % {"id": self.batch.pk, "batch": self.batch})
        for reason, entry in self.kept.items():
            examples = "; ".join(entry["examples"])
            line = f"  - {entry['count']} × {reason}"
            lines.append(f"{line} ({examples})" if examples else line)
        return lines

    def as_page(self):
        """What the confirmation page shows, as JSON (a plan job keeps it in its result)."""
        return {
            "removed_counts": [[name, n] for name, n in self.removed_counts],
            "restored_count": len(self.restore),
            "kept_count": self.kept_count,
            "kept": self.kept,
            "protected": list(self.protected),
        }

    def as_details(self):
        return {
            "removed": {name: n for name, n in self.removed_counts},
            "restored": len(self.restore),
            "kept": {reason: entry["count"] for reason, entry in self.kept.items()},
        }


def check_may_revert(batch, user, *, periods=True):
    """RevertRefused when ``user`` may not revert ``batch`` at all (not theirs, not applied,
    or in an approved period; ``periods=False`` leaves that last check out: revert_batch,
    whose revert_state covers the approved periods)."""
    if user is not None and not scope_of(user).is_national and batch.user_id != user.pk:
        raise RevertRefused(_("You may revert only your own imports."))
    if batch.status == ImportBatch.Status.REVERTED:
        raise RevertRefused(_("This import was already reverted."))
    if batch.status != ImportBatch.Status.APPLIED:
        raise RevertRefused(
            _("This import is %(status)s: only an applied import can be reverted.")
            % {"status": batch.get_status_display()}
        )
    if periods:
        refuse_locked_batch(batch, error=RevertRefused)  # plans.locks: approved periods


def plan_revert(batch, *, user=None):
    """What a revert of ``batch`` would remove, put back and keep (and why); writes nothing.
    Raises RevertRefused when the user may not revert it at all."""
    check_may_revert(batch, user)
    plan = RevertPlan(batch=batch)
    since = batch.created_at
    later = ImportChange.objects.filter(
        batch_id__gt=batch.pk, batch__status=ImportBatch.Status.APPLIED
    )
    # Rows it created: candidates for removal, minus those changed afterwards ...
    created = {}
    for model in DELETE_ORDER:
        label = model._meta.label_lower
        if model is Agency:
            queryset = Agency.objects.filter(
                pk__in=batch.changes.filter(action=ImportChange.Action.CREATED, model=label).values(
                    "object_id"
                )
            )
        else:
            queryset = model._base_manager.filter(import_batch=batch)
        created[model] = queryset
        ids = set(queryset.values_list("pk", flat=True))
        plan.created_ids[label] = set(ids)
        for pk, reason in _changed_after(model, queryset.values("pk"), since, later):
            if pk in ids:
                ids.discard(pk)
                plan.keep(model, pk, reason)
        plan.remove[label] = ids
    # ... and minus those that something outside the removal still refers to. Models are
    # visited leaves first, so the rows that refer to a model are settled before it is.
    for model in DELETE_ORDER:
        label = model._meta.label_lower
        ids = plan.remove[label]
        if not ids:
            continue
        changed = set(plan.created_ids[label]) - ids  # kept already, as changed since
        for pk, reason, protected in _referred_to(model, created[model], batch, plan):
            if pk not in changed:
                ids.discard(pk)
                plan.keep(model, pk, reason, protected=protected)
    # Values it updated: put back, unless changed again since.
    updated = batch.changes.filter(action=ImportChange.Action.UPDATED)
    for label in updated.values_list("model", flat=True).distinct():
        model = _model(label)
        of_model = updated.filter(model=label)
        existing = set(
            model._base_manager.filter(pk__in=of_model.values("object_id")).values_list(
                "pk", flat=True
            )
        )
        changed = dict(_changed_after(model, of_model.values("object_id"), since, later))
        for change_id, pk in of_model.values_list("pk", "object_id"):
            if pk not in existing:
                continue  # deleted since: nothing to put back
            if pk in changed:
                plan.keep(model, pk, changed[pk])
                continue
            plan.restore.append(change_id)
    return plan


def _changed_after(model, ids, since, later):
    """(pk, reason) of the rows among ``ids`` changed after ``since``: by hand or by a merge
    (their history, django-simple-history) or by a later import still applied."""
    label = model._meta.label_lower
    found = {}
    history = getattr(model, "history", None)
    if history is not None:
        rows = (
            history.model.objects.filter(id__in=ids, history_date__gt=since)
            .exclude(history_type="-")
            .order_by("history_date")
            .values_list("id", "history_date", "history_user__username")
        )
        for pk, when, who in rows:
            found[pk] = _("changed by %(who)s on %(when)s, after the import") % {
                "who": who or _("someone"),
                "when": format_local(when),
            }
    for pk, batch_id in later.filter(model=label, object_id__in=ids).values_list(
        "object_id", "batch_id"
    ):
        found.setdefault(pk, _("changed by a later import (batch %(id)s)") % {"id": batch_id})
    return found.items()


def _relations(model):
    """The relations of other rows to ``model``'s rows (related_objects would leave out the
    hidden ones, related_name="+": the scope agency)."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one or f.many_to_many)
    ]


def _referred_to(model, candidates, batch, plan):
    """(pk, reason, protected) of the rows of ``candidates`` that a row outside the removal
    refers to: deleting them would cascade into it, or the database would refuse."""
    relations = _relations(model)
    for relation in relations:
        related = relation.related_model
        field_name = relation.field.name
        if related._meta.app_label == "history" or related is ImportChange:
            continue  # history rows keep what was deleted; the log goes with its batch
        on_delete = models_CASCADE if relation.many_to_many else relation.on_delete
        if on_delete is models_DO_NOTHING:
            continue
        protected = on_delete is models_PROTECT or on_delete is models_RESTRICT
        referring = related._base_manager.filter(**{f"{field_name}__in": candidates.values("pk")})
        target = field_name if relation.many_to_many else relation.field.attname
        if related in CREATED_MODELS:
            # Rows of this batch that go too are no reference; look at the others only,
            # and at the few rows of this batch that are kept.
            label = related._meta.label_lower
            kept = plan.created_ids[label] - plan.remove[label]
            sources = [(referring.exclude(import_batch=batch), False)]
            sources += [
                (referring.filter(pk__in=chunk), True) for chunk in _chunks(kept, DELETE_CHUNK)
            ]
        else:
            sources = [(referring, False)]
        for source, of_kept_rows in sources:
            for other_pk, pk in source.values_list("pk", target).iterator(chunk_size=2000):
                if of_kept_rows:
                    reason = _("%(what)s of this import that are kept refer to it") % {
                        "what": related._meta.verbose_name_plural
                    }
                else:
                    reason = _reference_reason(model, related, other_pk)
                yield pk, reason, protected


def _reference_reason(model, related, other_pk):
    if related is AccessScope:
        user = AccessScope.objects.filter(pk=other_pk).values_list("user__username", flat=True)
        return _("the scope agency of user %(user)s") % {"user": user.first()}
    if related is Programme:
        code = Programme.objects.filter(pk=other_pk).values_list("code", flat=True).first()
        return _("the lead agency of programme %(code)s") % {"code": code}
    if related is LanguageSkill:
        return _("language skills were added to this person after the import")
    if related is Enrolment and model is Cadre:
        return _("this person is enrolled on a course by hand or by another import")
    if related is Enrolment or related is ParticipantTally:
        return _("this course has participants added by hand or by another import")
    if model is Agency:
        return _("%(what)s added by hand or by another import refer to this agency") % {
            "what": related._meta.verbose_name_plural
        }
    return _("%(what)s added after the import refer to it") % {
        "what": related._meta.verbose_name_plural
    }


def _labeller(model, pk):
    """What the page shows of a kept row (its name, never an ID number), read when needed."""

    def label():
        obj = model._base_manager.filter(pk=pk).first()
        name = model._meta.verbose_name
        return f"{name} {obj} (#{pk})" if obj is not None else f"{name} #{pk}"

    return label


def format_local(moment):
    """A moment as users read it: in their time zone (Asia/Ho_Chi_Minh), 16:53 01/12/2026."""
    from django.utils import formats

    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def revert_state(batch):
    """What a revert's plan depends on, cheap to read (the newest row of each table the plan
    looks at, through an index): if it is the same once the lock is taken, nothing was
    imported, reverted, edited (history) or added that refers to the batch's rows since the
    plan was made, and the plan stands. JSON (a plan job keeps it with its result)."""
    models = set(DELETE_ORDER)
    models |= {
        _model(label)
        for label in batch.changes.filter(action=ImportChange.Action.UPDATED)
        .values_list("model", flat=True)
        .distinct()
    }
    for model in list(models):
        models |= {relation.related_model for relation in _relations(model)}
    tables = set()
    for model in models:
        tables.add(model)
        history = getattr(model, "history", None)
        if history is not None:
            tables.add(history.model)
    state = {key: str(value) for key, value in _imports_state().items()}
    approved = ReportingPeriod.objects.filter(status=ReportingPeriod.Status.APPROVED)
    state["approved periods"] = str(
        sorted(approved.values_list("pk", "approved_at").order_by("pk"))
    )
    for model in sorted(tables, key=lambda m: m._meta.label_lower):
        newest = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
        state[model._meta.label_lower] = str(newest)
    return state


def revert_batch(batch, *, user=None, progress=None, plan=None, state=None):
    """Undo an import as the rule above says: delete the rows it created and put back the
    values it updated, keeping every row changed or used since (RevertPlan says which and
    why; it is returned on ``batch.revert_plan``). Refused (RevertRefused) when the user may
    not revert it: a user with a scope may revert only their own imports (every row of those
    was checked against their scope when imported). ``progress(done, total)`` is called as
    rows go. Writes one history entry for the whole revert (who, when, how many rows, on the
    batch) rather than one per row, so it takes the time of the import, not ten times it.

    The plan is made before the write lock is taken, reading only (``plan`` and ``state``:
    one made already, with the revert_state() read before it); once the lock is held the
    revert checks cheaply that nothing it depends on changed meanwhile (revert_state()) and
    plans again inside the lock only if something did. The writes are set-based: chunked
    deletes and one UPDATE per chunk of values put back."""
    if plan is None:
        state = revert_state(batch)
        plan = plan_revert(batch, user=user)  # read-only: no lock held
    with transaction.atomic():
        lock_imports()
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if state is None or revert_state(batch) != state:
            # Something was imported, reverted, edited or added meanwhile: plan again, now
            # that nothing else can write.
            plan = plan_revert(batch, user=user)
        else:
            check_may_revert(batch, user, periods=False)  # no period approved since: state
            plan.batch = batch
        total = plan.total_removed + len(plan.restore)
        done = 0

        def advance(n):
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        with batch_writes() as writes:
            # Triggers off; what the batch touched is noted before its rows go, and
            # refreshed set-based after (bulk.batch_writes).
            writes.note(batch.pk)
            for chunk in _chunks(plan.restore, DELETE_CHUNK):
                _restore_all(ImportChange.objects.filter(pk__in=chunk).order_by("pk"))
                advance(len(chunk))
            for model in DELETE_ORDER:
                ids = sorted(plan.remove.get(model._meta.label_lower, ()))
                for chunk in _chunks(ids, DELETE_CHUNK):
                    # A raw delete: no per-row signals (history), no cascade. The plan made
                    # sure nothing outside the removal refers to these rows; a row added
                    # meanwhile would make the database refuse, and the whole revert roll
                    # back.
                    queryset = model._base_manager.filter(pk__in=chunk)
                    queryset._raw_delete(queryset.db)
                    advance(len(chunk))
        batch.status = ImportBatch.Status.REVERTED
        batch.reverted_at = timezone.now()
        batch.reverted_by = user if getattr(user, "pk", None) else None
        batch.details = {
            **batch.details,
            "reverted_by": getattr(user, "username", None),
            "revert": plan.as_details(),
        }
        batch.save(update_fields=["status", "reverted_at", "reverted_by", "details"])
    batch.revert_plan = plan
    return batch


def _chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def _old_values(model, change):
    values = {}
    for name, raw in change.old_values.items():
        model_field = model._meta.get_field(name.removesuffix("_id"))
        values[model_field.attname] = None if raw is None else model_field.to_python(raw)
    return values


def _restore(change):
    model = _model(change.model)
    model._base_manager.filter(pk=change.object_id).update(**_old_values(model, change))


def _restore_all(changes):
    """Put back the old values of ``changes``: one UPDATE per model and set of fields
    (bulk_update), not one per row."""
    groups = {}
    for change in changes:
        model = _model(change.model)
        values = _old_values(model, change)
        if not values:
            continue
        obj = model(pk=change.object_id)
        for attname, value in values.items():
            setattr(obj, attname, value)
        groups.setdefault((model, tuple(sorted(values))), []).append(obj)
    for (model, attnames), objs in groups.items():
        fields = [model._meta.get_field(attname).name for attname in attnames]
        model._base_manager.bulk_update(objs, fields, batch_size=DELETE_CHUNK)
