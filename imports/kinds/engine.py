"""The engine every kind of sheet runs on: one row at a time, its errors, and the staged writes.

One importer class per kind (imports.kinds.courses, .participants, .tallies, .baselines;
plans registers its own), used by both the admin and the import_spreadsheet command
(through services.run_import). An importer sees rows one at a time: it reports every error
of a row, stages what the row creates or changes, and writes staged rows when ``flush`` is
called. Whether anything is kept is decided by services.run_import, which writes the whole
file in one transaction and rolls it back on any error (a dry run stages nothing).

A kind with ``WRITES_AFTER_READING`` (the four of this app) is read, matched and staged
whole before its write transaction starts, so that on SQLite the write lock is held only
for the raw writes: its staged rows take their batch when it is attached (``attach``), just
before ``flush``. Other kinds (plans) get their batch first and are flushed in chunks as
they are read, inside the transaction.
"""

import datetime
from collections import defaultdict

from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import scoping
from trainingmgr.text import fold

from .. import contract, preview
from .. import values as v
from ..models import ImportChange
from ..reading import BAD_CELLS, LOST_CELLS, TWIN_CELLS, describe_char
from ..values import BadValue, no_course_in_scope
from .locks import refuse_locked_row


class RowErrors(Exception):
    pass


_UNSEEN = object()
# At most this many distinct repeating cells are remembered per import (a bound on memory
# for a file whose "repeating" column never repeats).
MAX_REMEMBERED_CELLS = 20_000


def model_label(model):
    return model._meta.label_lower


def _jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


_CHECKS = {}  # (model, field name) -> (field, passes): _field_check
_VALIDATIONS = {}  # (model, field names) -> [(name, field, passes)]: Importer.validate


def _field_check(model, name):
    """(field, passes): ``passes(value)`` is True when the field's validators and choices
    would accept the value, tested inline for the usual validators (length, bounds, NUL);
    False sends the value to the field's own validation, which gives the message."""
    found = _CHECKS.get((model, name))
    if found is not None:
        return found
    model_field = model._meta.get_field(name)
    tests = []
    for validator in model_field.validators:
        limit = getattr(validator, "limit_value", None)
        if callable(limit):
            tests = None
            break
        if isinstance(validator, validators.MaxLengthValidator):
            tests.append(lambda value, limit=limit: len(value) <= limit)
        elif isinstance(validator, validators.MinValueValidator):
            tests.append(lambda value, limit=limit: value >= limit)
        elif isinstance(validator, validators.MaxValueValidator):
            tests.append(lambda value, limit=limit: value <= limit)
        elif isinstance(validator, validators.ProhibitNullCharactersValidator):
            tests.append(lambda value: "\x00" not in str(value))
        else:
            tests = None  # any other validator: always the field's own validation
            break
    choices = None
    if model_field.choices and not model_field.is_relation:
        choices = {key for key, _label in model_field.flatchoices}
    found = _CHECKS[model, name] = (model_field, _all_of(choices, tests))
    return found


def _all_of(choices, tests):
    """One test for a value: in ``choices`` (unless None) and passing every one of ``tests``
    (None: never passes). Called for every new person: no generator on the usual fields."""
    if tests is None:
        return lambda value: False
    if choices is None and len(tests) == 1:
        return tests[0]  # one length or bound to test
    if choices is None and len(tests) == 2:  # a text field: its length and no NUL
        first, second = tests
        return lambda value: first(value) and second(value)

    def passes(value):
        if choices is not None and value not in choices:
            return False
        for test in tests:  # noqa: SIM110 - a loop: all() of a generator costs more here
            if not test(value):
                return False
        return True

    return passes


class Importer:
    """Shared machinery: columns, cell parsing with error collection, staging and flushing."""

    kind = ""
    # (field, Vietnamese header, English header, required, other accepted headers)
    COLUMNS = []
    # Staged rows carry no batch until attach(): the file can be read before the lock.
    WRITES_AFTER_READING = False
    # On PostgreSQL: read inside the write transaction and flushed every CHUNK rows, the
    # COPYs behind the reading (services._reads_first, bulk.copies_behind).
    STREAMS = False
    # Fields whose cells repeat on many rows, parsed once per distinct cell (read).
    REPEATING = frozenset()

    def __init__(
        self,
        lookups,
        result,
        *,
        batch=None,
        default_course=None,
        columns=(),
        user=None,
        stage=False,
    ):
        self.lookups = lookups
        # Who imports: a scoped user's rows must lie in their scope (accounts.scoping).
        self.user = user
        self.scope = scoping.scope_of(user)
        self.result = result
        self.batch = batch
        self.batch_id = batch.pk if batch is not None else None
        # Whether writes are staged: a real run (with its batch, or one attached later).
        self.stage = stage or batch is not None
        self.default_course = default_course
        self.columns = set(columns)  # the fields this sheet has
        self.row_errors = []
        self.creates = defaultdict(list)
        self.updates = defaultdict(list)
        self.changes = []
        self.parsed = {}  # what the current row matched, by field (row_matches)
        # REPEATING fields: {field: {cell key: value or BadValue}} (read)
        self._cells = {name: {} for name in self.REPEATING}
        self._remembered = 0

    # Columns --------------------------------------------------------------------------------
    @classmethod
    def header_map(cls):
        table = {}
        for field, vi, en, _required, *others in cls.COLUMNS:
            for spelling in (vi, en, field, *(others[0] if others else ())):
                table[fold(spelling)] = field
        return table

    @classmethod
    def required_fields(cls, *, default_course=None):
        fields = [f for f, _vi, _en, required, *_ in cls.COLUMNS if required]
        if default_course is not None and "course" in fields:
            fields.remove("course")
        return fields

    @classmethod
    def display_names(cls):
        return {f: f"{vi}/{en}" for f, vi, en, *_ in cls.COLUMNS}

    # Rows -----------------------------------------------------------------------------------
    @property
    def writing(self):
        """Stage writes only while they may be kept: a real run with no error so far."""
        return self.stage and not self.result.errors

    def attach(self, batch):
        """The batch the staged rows belong to, once it is saved (before ``flush``)."""
        self.batch = batch
        self.batch_id = batch.pk

    def error(self, number, field, message):
        self.result.add_error(number, self.result.column_label(field), message)

    def read(
        self, number, row, field, parser=v.cell_text, *, required=False, default=None, context=None
    ):
        """One cell, parsed; a bad or missing required cell is recorded and gives None.

        A field of REPEATING (course code, rank, province, agency... written on thousands of
        rows) is parsed once per distinct cell: its value, or its error, is remembered with
        the cell's type and ``context`` (whatever else the parser reads, e.g. the course's
        date for a province), and the error is recorded on every row it occurs in. (This
        runs a dozen times a row: at 50,000 rows each step of it shows in the import's time.)
        """
        raw = row.get(field)
        if raw is None or (raw.__class__ is str and (not raw or raw.isspace())):  # v.is_empty
            if required:
                self.error(number, field, _("a value is required."))
                self.bad = True
            if default is not None:
                self.parsed[field] = default
            return default
        cells = self._cells.get(field)
        if cells is None:  # not REPEATING
            try:
                value = self.parsed[field] = parser(raw)  # what the cell matched (row_matches)
                return value
            except BadValue as exc:
                self.error(number, field, str(exc))
                self.bad = True
                return None
        # A text cell without context is its own key (no tuple equals a str).
        key = raw if context is None and raw.__class__ is str else (raw.__class__, raw, context)
        value = cells.get(key, _UNSEEN)
        if value is _UNSEEN:
            try:
                value = parser(raw)
            except BadValue as exc:
                value = exc
            if self._remembered < MAX_REMEMBERED_CELLS:
                cells[key] = value
                self._remembered += 1
        if isinstance(value, BadValue):
            self.error(number, field, str(value))
            self.bad = True
            return None
        self.parsed[field] = value
        return value

    def read_course(self, number, row):
        """The row's course, or the one given with --course when the cell is empty."""
        return self.read(
            number,
            row,
            "course",
            self.lookups.course if self.scope.is_national else self._course_of_scope,
            required=self.default_course is None,
            default=self.default_course,
        )

    def _course_of_scope(self, raw):
        """A scoped user's course cell: an unknown code is told in the words of a code outside
        the scope (``no_course_in_scope``), so that no answer says which codes exist."""
        try:
            return self.lookups.course(raw)
        except BadValue:
            raise BadValue(no_course_in_scope(v.text(raw))) from None

    def course_outside_scope(self, number, course, raw):
        """A row naming a course the user may not use: the words of an unknown code."""
        self.error(number, "course", no_course_in_scope(v.text(raw) or course.code))
        self.bad = True

    def known_agency(self, raw):
        """An agency cell of a kind that does not create agencies (courses, baselines)."""
        found = self.lookups.agency(raw)
        if found is None:
            raise BadValue(
                _("'%(value)s' is not a known agency: add it in the admin first.")
                % {"value": v.text(raw)}
            )
        return found

    def handle(self, number, row):
        self.bad = False
        self.parsed = {}
        bad_cells = row.pop(BAD_CELLS, None)
        lost_cells = row.pop(LOST_CELLS, None)
        for field, label, given, extra in row.pop(TWIN_CELLS, ()):
            self.error(
                number,
                field,
                _(
                    "this column and the column “%(other)s” both give this value, and they "
                    "differ (“%(first)s”, “%(second)s”): keep one of the columns, or make "
                    "them agree."
                )
                % {"other": label, "first": v.text(given), "second": v.text(extra)},
            )
            self.bad = True
        if lost_cells:
            for field, shown in lost_cells:
                self.error(number, field, lost_cell_message(shown))
            self.bad = True
        if bad_cells:
            for field, char in bad_cells:
                self.error(
                    number,
                    field,
                    _(
                        "the cell holds the control character %(char)s, which no text may "
                        "hold: delete it (it often comes with text copied from another "
                        "program)."
                    )
                    % {"char": describe_char(char)},
                )
            self.bad = True
        if self.bad:
            return
        self.row(number, row)
        refuse_locked_row(self, number, row)  # .locks: approved periods are read-only
        if self.result.dry_run:
            preview.record(self, number)  # what the preview shows of the row

    def row_matches(self):
        """The hook of the preview (imports.preview): what the row just handled matched, by
        field: each cell's parsed value (a Course, Rank, Locality...), plus what a kind's
        row() adds (the person, the agency, whether a course exists)."""
        return self.parsed

    def validate(self, number, obj, fields):
        """Model validation of a staged object: each field's clean() and the model's clean(),
        as full_clean() would do, without its per-row queries (uniqueness is checked
        against the prefetched dicts and backed by the database's constraints). The checks of
        a model's ``fields`` are looked up once per import process."""
        key = (obj.__class__, tuple(fields))
        checks = _VALIDATIONS.get(key)
        if checks is None:
            checks = _VALIDATIONS[key] = [
                (name, *_field_check(obj.__class__, name)) for name in fields
            ]
        for name, model_field, passes in checks:
            value = getattr(obj, model_field.attname)
            try:
                ok = passes(value)
            except TypeError:  # a value the inline tests cannot compare: the field says
                ok = False
            if ok or value in model_field.empty_values:
                continue  # the common case, without the validators' calls
            try:
                model_field.run_validators(value)
                if model_field.choices and not model_field.is_relation:
                    model_field.validate(value, obj)
            except ValidationError as exc:
                self.error(number, self.field_for_attr(name), " ".join(exc.messages))
                self.bad = True
        try:
            obj.clean()
        except ValidationError as exc:
            for attr, messages in exc.message_dict.items():
                self.error(number, self.field_for_attr(attr), " ".join(messages))
            self.bad = True

    def field_for_attr(self, attr):
        return attr

    def in_scope(self, obj):
        """Whether a row's object, as it would be saved, lies in the importing user's scope:
        the rule of accounts.scoping, the same as the admin lists and forms apply."""
        return self.scope.is_national or scoping.covers(self.user, obj)

    def outside_scope(self, number, field, what):
        self.error(
            number,
            field,
            _("%(what)s is outside your scope (%(scope)s).")
            % {"what": what, "scope": self.scope.label},
        )
        self.bad = True

    def log_update(self, obj_model, pk, old):
        if self.writing:
            self.changes.append(
                ImportChange(
                    batch=self.batch,
                    model=model_label(obj_model),
                    object_id=pk,
                    action=ImportChange.Action.UPDATED,
                    old_values={k: _jsonable(val) for k, val in old.items()},
                )
            )

    @property
    def pending(self):
        return (
            sum(len(objs) for objs in self.creates.values())
            + sum(len(objs) for _fields, objs in self.updates.values())
            + len(self.rows_to_insert)
        )

    rows_to_insert = ()

    def flush(self):
        """Write what was staged: creates in dependency order, then updates, then the log."""
        for model in self.ORDER:
            objs = self.creates.pop(model, [])
            if objs and any(f.name == "import_batch" for f in model._meta.concrete_fields):
                for obj in objs:
                    obj.import_batch_id = self.batch_id  # staged before the batch existed
            if objs:
                self.before_create(model, objs)
                self.create(model, objs)
                self.after_create(model, objs)
        # One UPDATE per changed row: bulk_update's CASE WHEN is slower than this by far.
        for model, (fields, objs) in list(self.updates.items()):
            attnames = [model._meta.get_field(f).attname for f in fields]
            for obj in objs:
                obj._prepare_related_fields_for_save(operation_name="update")
                model.objects.filter(pk=obj.pk).update(
                    **{name: getattr(obj, name) for name in attnames}
                )
        self.updates.clear()
        if self.changes:
            for change in self.changes:
                change.batch = self.batch
            ImportChange.objects.bulk_create(self.changes, batch_size=1000)
            self.changes = []

    def stage_update(self, model, fields, obj):
        entry = self.updates.get(model)
        if entry is None:
            entry = self.updates[model] = (fields, [])
        entry[1].append(obj)

    def before_create(self, model, objs):
        pass

    def create(self, model, objs):
        model.objects.bulk_create(objs, batch_size=1000)

    def after_create(self, model, objs):
        pass

    def finish(self):
        pass


# Every kind of sheet, by name: the four of this app (imports.kinds) and those other apps
# register (plans).
KINDS = {}


def register(importer_class, sheet=None):
    """Open the registry to a kind defined in another app: one line in its AppConfig.ready,
    ``register(PlanImporter, PLANS_SHEET)``. The importer follows the Importer protocol
    (COLUMNS, ORDER, row()); ``sheet`` is its contract.Sheet (templates, README), if any.
    The command and the admin's upload form offer every registered kind."""
    KINDS[importer_class.kind] = importer_class
    if sheet is not None:
        contract.register(sheet)
    return importer_class


def lost_cell_message(shown):
    """What a row is told of a cell that holds an Excel error ("#N/A") or, ``shown`` being
    empty, a formula whose value was never calculated: never read as an empty cell."""
    if shown:
        return _(
            "the cell holds the Excel error %(error)s, not a value (a formula that failed, "
            "such as a lookup that found nothing): correct the formula or type the value."
        ) % {"error": shown}
    return _(
        "the cell holds a formula whose value was never calculated (the file was not saved "
        "by Excel): open the file in Excel and save it, or type the value."
    )
