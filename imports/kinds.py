"""The four kinds of sheet: how a row is read, matched, validated and written.

One importer class per kind, used by both the admin and the import_spreadsheet command
(through services.run_import). An importer sees rows one at a time: it reports every error
of a row, stages what the row creates or changes, and writes staged rows in chunks when
``flush`` is called. Whether anything is kept is decided by services.run_import, which runs
the whole file in one transaction and rolls it back on any error or on a dry run.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from cadres.models import Agency, Cadre, Level, Locality, Rank, WorkforceBaseline
from courses.models import Course, Enrolment, ParticipantTally
from plans.locks import refuse_locked_row
from trainingmgr.text import fold

from . import contract, preview
from . import values as v
from .bulk import insert_returning_pks, insert_rows  # noqa: F401 (importable here)
from .models import ImportChange
from .reading import BAD_CELLS, describe_char

# What a choice column is called in an error; lazy, so a valid cell costs no translation.
MODE = gettext_lazy("mode")
GENDER = gettext_lazy("gender")
RESULT = gettext_lazy("result")


class RowErrors(Exception):
    pass


def model_label(model):
    return model._meta.label_lower


def _jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


class Importer:
    """Shared machinery: columns, cell parsing with error collection, staging and flushing."""

    kind = ""
    # (field, Vietnamese header, English header, required, other accepted headers)
    COLUMNS = []

    def __init__(self, lookups, result, *, batch=None, default_course=None, columns=(), user=None):
        self.lookups = lookups
        # Who imports: a scoped user's rows must lie in their scope (accounts.scoping).
        self.user = user
        self.scope = scoping.scope_of(user)
        self.result = result
        self.batch = batch
        self.batch_id = batch.pk if batch is not None else None
        self.default_course = default_course
        self.columns = set(columns)  # the fields this sheet has
        self.row_errors = []
        self.creates = defaultdict(list)
        self.updates = defaultdict(list)
        self.changes = []
        self.parsed = {}  # what the current row matched, by field (row_matches)

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
        return self.batch is not None and not self.result.errors

    def error(self, number, field, message):
        self.result.add_error(number, self.result.column_label(field), message)

    def read(self, number, row, field, parser=v.text, *, required=False, default=None):
        """One cell, parsed; a bad or missing required cell is recorded and gives None."""
        raw = row.get(field)
        if v.is_empty(raw):
            if required:
                self.error(number, field, _("a value is required."))
                self.bad = True
            if default is not None:
                self.parsed[field] = default
            return default
        try:
            value = self.parsed[field] = parser(raw)  # what the cell matched (row_matches)
            return value
        except v.BadValue as exc:
            self.error(number, field, str(exc))
            self.bad = True
            return None

    def read_course(self, number, row):
        """The row's course, or the one given with --course when the cell is empty."""
        return self.read(
            number,
            row,
            "course",
            self.lookups.course,
            required=self.default_course is None,
            default=self.default_course,
        )

    def handle(self, number, row):
        self.bad = False
        self.parsed = {}
        bad_cells = row.pop(BAD_CELLS, None)
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
            return
        self.row(number, row)
        refuse_locked_row(self, number, row)  # plans.locks: approved periods are read-only
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
        against the prefetched dicts and backed by the database's constraints)."""
        for name in fields:
            model_field = obj._meta.get_field(name)
            value = getattr(obj, model_field.attname)
            if value in model_field.empty_values:
                continue
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


# Courses ------------------------------------------------------------------------------------
class CourseImporter(Importer):
    kind = "courses"
    COLUMNS = contract.importer_columns("courses")
    ORDER = [Course]
    FIELDS = [
        "title",
        "programme_id",
        "course_type_id",
        "organiser_id",
        "start_date",
        "end_date",
        "locality_id",
        "country",
        "mode",
        "planned_participants",
        "budget_planned",
        "budget_spent",
    ]
    SHEET_FIELD = {
        "programme_id": "programme",
        "course_type_id": "course_type",
        "organiser_id": "organiser",
        "locality_id": "locality",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = {
            fold(c.code): c
            for c in Course.objects.select_related("organiser")  # for scopes
        }
        self.seen = {}
        # Only the columns the sheet has are imported; the others keep their values.
        self.fields = [f for f in self.FIELDS if self.SHEET_FIELD.get(f, f) in self.columns]

    def field_for_attr(self, attr):
        return {"programme": "programme", "course_type": "course_type"}.get(
            attr, self.SHEET_FIELD.get(attr, attr)
        )

    def row(self, number, row):
        lk = self.lookups
        code = self.read(number, row, "code", required=True)
        data = {
            "title": self.read(number, row, "title", required=True),
            "programme": self.read(number, row, "programme", lk.programme),
            "course_type": self.read(number, row, "course_type", lk.course_type, required=True),
            "start_date": self.read(number, row, "start_date", v.date, required=True),
            "end_date": self.read(number, row, "end_date", v.date),
            "country": self.read(number, row, "country", default=""),
            "mode": self.read(
                number,
                row,
                "mode",
                lambda raw: v.choice(raw, v.COURSE_MODES, MODE),
                default=Course.Mode.IN_PERSON,
            ),
            "planned_participants": self.read(number, row, "planned_participants", v.whole_number),
            "budget_planned": self.read(number, row, "budget_planned", v.whole_number),
            "budget_spent": self.read(number, row, "budget_spent", v.whole_number),
        }
        data["locality"] = self.read(
            number, row, "locality", lambda raw: lk.locality(raw, data["start_date"])
        )

        def organiser(raw):
            found = lk.agency(raw)
            if found is None:
                raise v.BadValue(
                    _("'%(value)s' is not a known agency: add it in the admin first.")
                    % {"value": v.text(raw)}
                )
            return found

        data["organiser"] = self.read(number, row, "organiser", organiser)
        if code:
            key = fold(code)
            if key in self.seen:
                self.error(
                    number,
                    "code",
                    _("the course %(code)s is already in row %(row)s.")
                    % {"code": code, "row": self.seen[key]},
                )
                self.bad = True
            self.seen[key] = number
        if self.bad:
            return
        new = Course(
            code=code,
            title=data["title"],
            programme=data["programme"],
            course_type=data["course_type"],
            organiser=data["organiser"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            locality=data["locality"],
            country=data["country"],
            mode=data["mode"],
            planned_participants=data["planned_participants"],
            budget_planned=data["budget_planned"],
            budget_spent=data["budget_spent"],
            import_batch_id=self.batch_id,
        )
        existing = self.existing.get(fold(code))
        self.parsed["course"] = new if existing is None else existing  # preview: row_matches()
        if existing is not None:
            if not self.in_scope(existing):
                self.course_outside_scope(number, "code", code)
                return
            old = {f: getattr(existing, f) for f in self.fields}
            for f in self.fields:
                setattr(existing, f, getattr(new, f))
            if not self.in_scope(existing):
                self.course_outside_scope(number, None, code)
            self.validate(number, existing, ["code", *self.fields])
            changed = {f: val for f, val in old.items() if getattr(existing, f) != val}
            self.parsed["changes"] = {f: (val, getattr(existing, f)) for f, val in changed.items()}
            if self.bad or not changed:
                for f, val in old.items():
                    setattr(existing, f, val)
                if not self.bad:
                    self.result.unchanged += 1
                return
            self.result.updated += 1
            if self.writing:
                self.log_update(Course, existing.pk, changed)
                self.stage_update(Course, self.fields + ["updated_at"], existing)
                existing.updated_at = datetime.datetime.now(datetime.UTC)
            return
        if not self.in_scope(new):
            self.course_outside_scope(number, None, code)
            return
        self.validate(number, new, ["code", *self.FIELDS])
        if self.bad:
            return
        self.result.created += 1
        if self.writing:
            self.creates[Course].append(new)

    def course_outside_scope(self, number, field, code):
        """A scoped user's course must be held in their locality or organised by one of its
        agencies (a locality scope), or organised by their agency (an agency scope)."""
        if field is None:
            field = "locality" if self.scope.kind == "locality" else "organiser"
        self.outside_scope(number, field, _("the course %(code)s") % {"code": code})


# Participants -------------------------------------------------------------------------------
class ParticipantImporter(Importer):
    kind = "participants"
    COLUMNS = contract.importer_columns("participants")
    ORDER = [Agency]  # then the people and the enrolments, inserted as rows (flush)
    ENROLMENT_FIELDS = ["status", "rank_id", "agency_id", "locality_id"]
    # Validated per new person; the email was validated when its cell was read.
    CADRE_FIELDS = ["full_name", "gender", "birth_year", "id_number", "position"]
    # A new person's column values, in this order (the agency comes apart: it may be an
    # agency created by the same file, whose pk is known only once it is written).
    PERSON_VALUES = [
        "full_name",
        "name_key",
        "gender",
        "birth_date",
        "birth_year",
        "id_number",
        "email",
        "position",
        "rank_id",
        "locality_id",
        "import_batch_id",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lk = self.lookups
        self.other_rank = lk.rank_by_code.get(Rank.OTHER)
        # Everyone already known, by each of the three identities (DESIGN.md):
        # ID number, else email, else folded name + birth date (or year) + current locality.
        self.by_id = {}  # values: a pk, or -n for someone new in this file
        self.by_email = {}
        self.by_name = {}
        self.cadre_info = {}  # pk -> (id_number, rank_id, agency_id, locality_id)
        rows = Cadre.objects.values_list(
            "pk",
            "id_number",
            "email",
            "name_key",
            "birth_date",
            "birth_year",
            "locality_id",
            "rank_id",
            "agency_id",
        )
        for pk, id_number, email, name_key, birth, year, loc, rank, agency in rows.iterator(
            chunk_size=5000
        ):
            self.cadre_info[pk] = (id_number, rank, agency, loc)
            if id_number:
                self.by_id[id_number] = pk
            if email:
                self.by_email.setdefault(email, pk)
            unit = lk.current_unit.get(loc) if loc else None
            self.by_name.setdefault((name_key, birth or year, unit), pk)
        self.enrolments = {}  # course pk -> {cadre pk: (pk, status, rank, agency, locality)}
        self.in_file = {}  # (course pk, person) -> row number
        self.next_new = 0  # people created by this file get -1, -2, ... until saved
        self.new_people = {}  # -n -> _NewPerson
        self.unsaved_people = []
        # New people are validated on this one instance (see new_person).
        self.scratch = Cadre()
        self.new_ids = {}  # -n -> ID number
        self.rows_to_insert = []  # new enrolments, as column values
        self.new_agencies = {}  # (folded name, locality pk) -> Agency
        self.matched = set()
        self.courses_in_scope = {}

    def field_for_attr(self, attr):
        return {"birth_year": "birth_date", "cadre": "full_name"}.get(attr, attr)

    def enrolments_of(self, course_pk):
        found = self.enrolments.get(course_pk)
        if found is None:
            found = self.enrolments[course_pk] = {
                row[0]: row[1:]
                for row in Enrolment.objects.filter(course_id=course_pk).values_list(
                    "cadre_id", "pk", "status", "rank_id", "agency_id", "locality_id"
                )
            }
        return found

    def course_in_scope(self, course):
        """A scoped clerk enrols people only on courses of their scope, as the admin's
        enrolment form offers them (accounts.scoping.choices)."""
        if self.scope.is_national:
            return True
        known = self.courses_in_scope.get(course.pk)
        if known is None:
            known = self.courses_in_scope[course.pk] = scoping.covers(self.user, course)
        return known

    def row(self, number, row):
        lk = self.lookups
        course = self.read_course(number, row)
        if course is not None and not self.course_in_scope(course):
            # The same words as for an unknown code: no answer on courses outside the scope.
            self.error(
                number,
                "course",
                _("No course in your scope has the code '%(value)s'.")
                % {"value": v.text(row.get("course")) or course.code},
            )
            self.bad = True
            course = None
        on_date = course.start_date if course else None
        full_name = self.read(number, row, "full_name", required=True)
        birth_date = self.read(number, row, "birth_date", v.date)
        birth_year = self.read(number, row, "birth_year", v.year)
        if birth_date and birth_year and birth_date.year != birth_year:
            self.error(number, "birth_year", _("the birth year differs from the birth date."))
            self.bad = True
        gender = self.read(
            number, row, "gender", lambda raw: v.choice(raw, v.GENDERS, GENDER), default=""
        )
        id_number = self.read(number, row, "id_number", default="").replace(" ", "")
        email = self.read(number, row, "email", _email, default="")
        position = self.read(number, row, "position", default="")
        rank = self.read(number, row, "rank", lk.rank)
        if rank is None and position and not self.bad:
            try:
                rank = lk.rank_from_title(position)
            except v.BadValue as exc:
                self.error(number, "position", str(exc))
                self.bad = True
        locality = self.read(number, row, "locality", lambda raw: lk.locality(raw, on_date))
        agency_name = self.read(number, row, "agency", default="")
        agency = None
        if agency_name and not self.bad:
            try:
                agency = lk.agency(agency_name, locality) or self.new_agency(
                    number, agency_name, locality
                )
            except v.BadValue as exc:
                self.error(number, "agency", str(exc))
                self.bad = True
        status = self.read(
            number,
            row,
            "status",
            lambda raw: v.choice(raw, v.ENROLMENT_STATUSES, RESULT),
            default=Enrolment.Status.ATTENDED,
        )
        if self.bad:
            return
        unit = lk.current_unit[locality.pk] if locality else None
        birth = birth_date or birth_year
        name_key = fold(full_name)
        person = self.find_person(number, id_number, email, name_key, birth, unit)
        self.parsed.update(agency=agency, rank=rank)  # preview: row_matches() (rank: from
        # the cell or the position title; an unsaved Agency is one to be created)
        if self.bad:
            return
        if person is None:
            rank_id = (rank or self.other_rank).pk
            values = self.new_person(
                number,
                full_name=full_name,
                name_key=name_key,
                gender=gender,
                birth_date=birth_date,
                birth_year=birth_date.year if birth_date else birth_year,
                id_number=id_number,
                email=email,
                position=position,
                rank_id=rank_id,
                locality_id=unit,
                import_batch_id=self.batch_id,
            )
            if self.bad:
                return
            new = _NewPerson(values, rank_id=rank_id, locality_id=unit, agency=agency)
            person = self.add_person(new, id_number, email, (name_key, birth, unit))
        elif person > 0:
            self.matched.add(person)  # someone already in the database
        self.parsed["person"] = person  # preview: > 0 someone known, < 0 new in this file
        key = (course.pk, person)
        if key in self.in_file:
            self.error(
                number,
                "full_name",
                _("this person is already listed for this course in row %(row)s.")
                % {"row": self.in_file[key]},
            )
            self.bad = True
            return
        self.in_file[key] = number
        self.enrol(number, course, person, status, rank, agency, locality)

    def find_person(self, number, id_number, email, name_key, birth, unit):
        """The pk (or -n for someone new in this file) of the person a row names, or None.

        As the contract says: an ID number, when given, decides (found or new); the email
        is used only for a row without an ID number, and name + birth date + locality only
        for a row without both. A shared office mailbox never ties two ID numbers together.
        A scoped user may enrol only people of their scope: a row naming, by ID number,
        someone outside it is an error that shows nothing of that person; an email or a
        name that matches someone outside it is not theirs to match, and names a new person.
        """
        if id_number:
            found = self.by_id.get(id_number)
            if found is not None and not self.person_in_scope(found):
                self.error(
                    number,
                    "id_number",
                    _(
                        "this ID number conflicts with an existing person outside your scope: "
                        "ask an administrator to enrol them, or check the number."
                    ),
                )
                self.bad = True
                return None
            return found
        if email:
            found = self.by_email.get(email)
            if found is not None and self.person_in_scope(found):
                return found
            return None
        found = self.by_name.get((name_key, birth, unit))
        if found is not None and self.person_in_scope(found):
            return found
        return None

    def person_in_scope(self, person):
        """Whether an existing person (pk > 0) lies in the importing user's scope, by the
        rule of accounts.scoping (people new in this file always do: their row was checked)."""
        if self.scope.is_national or person < 0:
            return True
        _id, _rank, agency_id, locality_id = self.cadre_info[person]
        return self.in_scope(Cadre(locality_id=locality_id, agency_id=agency_id))

    def id_number_of(self, person):
        if person > 0:
            return self.cadre_info[person][0]
        return self.new_ids.get(person, "")

    def new_person(self, number, **values):
        """A new person's values (PERSON_VALUES order), validated as Cadre.full_clean() would
        (each field's validators and choices, then Cadre.clean(), which may tidy values),
        on one scratch instance: building a Cadre per new person cost more than the rest
        of its row. Errors are recorded (self.bad); the values are returned either way."""
        scratch = self.scratch
        for name, value in values.items():
            setattr(scratch, name, value)
        scratch.normalised_values()  # the rule Cadre.save applies
        self.validate(number, scratch, self.CADRE_FIELDS)
        return tuple(getattr(scratch, name) for name in self.PERSON_VALUES)

    def add_person(self, new, id_number, email, name_key):
        self.next_new -= 1
        person = self.next_new
        if id_number:
            self.by_id[id_number] = person
            self.new_ids[person] = id_number
        if email:
            self.by_email.setdefault(email, person)
        self.by_name.setdefault(name_key, person)
        self.result.people_created += 1
        self.new_people[person] = new  # what later rows of this person need
        if self.writing:
            self.unsaved_people.append(person)
        else:
            new.values = None  # nothing will be written
        return person

    def new_agency(self, number, name, locality):
        """An agency the sheet names and the database does not have, created with the row:
        local in the row's province, or central when the row gives none (or Trung ương)."""
        home = locality.current_unit if locality else self.lookups.central
        key = (fold(name), home.pk)
        agency = self.new_agencies.get(key)
        if agency is None:
            agency = preview.mapped_agency(self, name, key)  # one chosen at the preview
            if agency is not None:
                self.new_agencies[key] = agency
        if agency is None:
            level = Level.CENTRAL if home.code == Locality.CENTRAL_CODE else Level.LOCAL
            agency = Agency(name=name, level=level, locality=home)
            self.validate(number, agency, ["name"])
            self.new_agencies[key] = agency
            self.result.agencies_created += 1
            if self.writing:
                self.creates[Agency].append(agency)
        return agency

    def enrol(self, number, course, person, status, rank, agency, locality):
        existing = self.enrolments_of(course.pk).get(person) if person > 0 else None
        if not self.enrolment_in_scope(number, person, existing, agency, locality):
            return
        if existing is not None:
            pk, old_status, old_rank, old_agency, old_locality = existing
            new = {
                "status": status,
                "rank_id": rank.pk if rank else old_rank,
                "agency_id": agency.pk if agency and agency.pk else old_agency,
                "locality_id": locality.pk if locality else old_locality,
            }
            old = dict(zip(self.ENROLMENT_FIELDS, existing[1:], strict=True))
            changed = {f: old[f] for f in self.ENROLMENT_FIELDS if new[f] != old[f]}
            if agency is not None and agency.pk is None:
                changed["agency_id"] = old_agency  # a new agency is always a change
            if not changed:
                self.result.unchanged += 1
                return
            self.result.updated += 1
            if self.writing:
                self.log_update(Enrolment, pk, changed)
                obj = Enrolment(pk=pk, **new)
                if agency is not None and agency.pk is None:
                    obj.agency = agency  # created in this flush, before the updates
                self.stage_update(Enrolment, self.ENROLMENT_FIELDS, obj)
            return
        self.result.created += 1
        if not self.writing:
            return
        # A new enrolment is staged as a row of values, not a model instance: at 50,000 rows
        # building Enrolment objects and their INSERT through the ORM costs more than
        # everything else. Its values are all checked ids and a status from a fixed list.
        if person > 0:
            cadre = person
            _id, cadre_rank, cadre_agency, cadre_locality = self.cadre_info[person]
        else:
            known = self.new_people[person]
            # Unsaved people and agencies are kept as objects: their pks exist once the
            # chunk is written (insert_enrolments reads them then).
            cadre = known if known.pk is None else known.pk
            cadre_agency = known.agency_id if known.agency is None else known.agency
            cadre_rank, cadre_locality = known.rank_id, known.locality_id
        # As at the course: what the row says, else what the person's record says.
        self.rows_to_insert.append(
            (
                course.pk,
                cadre,
                status,
                rank.pk if rank else cadre_rank,
                agency if agency is not None else cadre_agency,
                locality.pk if locality else cadre_locality,
            )
        )

    def enrolment_in_scope(self, number, person, existing, agency, locality):
        """A scoped user imports only participants of their scope: the enrolment's locality
        (the row's, else the one recorded) in a locality scope, its agency in an agency
        scope. An error is recorded when it is not."""
        if self.scope.is_national:
            return True
        if existing is not None:
            recorded_agency, recorded_locality = existing[3], existing[4]
        elif person > 0:
            recorded_agency, recorded_locality = self.cadre_info[person][2:]
        else:
            known = self.new_people[person]
            recorded_agency, recorded_locality = known.agency_id, known.locality_id
        locality_id = locality.pk if locality else recorded_locality
        agency_id = agency.pk if agency is not None else recorded_agency
        if self.in_scope(Enrolment(locality_id=locality_id, agency_id=agency_id)):
            return True
        # Name only what the row itself gives: the recorded province or agency of someone
        # else's enrolment is not the importer's to see.
        if self.scope.kind == "locality":
            if locality is not None:
                what = _("the participant's province (%(where)s)") % {"where": locality}
            else:
                what = _("the participant's province (none given in the row)")
            self.outside_scope(number, "locality", what)
        else:
            if agency is not None:
                what = _("the participant's agency (%(where)s)") % {"where": agency}
            else:
                what = _("the participant's agency (none given in the row)")
            self.outside_scope(number, "agency", what)
        return False

    def after_create(self, model, objs):
        if model is Agency:
            for agency in objs:
                self.changes.append(
                    ImportChange(
                        batch=self.batch,
                        model=model_label(Agency),
                        object_id=agency.pk,
                        action=ImportChange.Action.CREATED,
                    )
                )

    def flush(self):
        super().flush()  # the new agencies first: people and enrolments refer to them
        self.insert_people()
        self.insert_enrolments()

    def insert_people(self):
        people = [self.new_people[person] for person in self.unsaved_people]
        self.unsaved_people = []
        if not people:
            return
        for new in people:
            if new.agency is not None:
                new.agency_id, new.agency = new.agency.pk, None  # saved by super().flush()
        pks = insert_returning_pks(
            Cadre,
            [*self.PERSON_VALUES, "agency_id"],
            [(*new.values, new.agency_id) for new in people],
        )
        # Keep what later enrolments need, not the values: a million-row file must not
        # keep every person's row in memory.
        for new, pk in zip(people, pks, strict=True):
            new.pk, new.values = pk, None

    def insert_enrolments(self):
        def pk_of(ref):
            return ref if ref is None or isinstance(ref, int) else ref.pk

        rows = [
            (course, pk_of(cadre), status, "", rank, pk_of(agency), locality, self.batch_id)
            for course, cadre, status, rank, agency, locality in self.rows_to_insert
        ]
        self.rows_to_insert = []
        if not rows:
            return
        columns = [
            "course_id",
            "cadre_id",
            "status",
            "certificate_number",
            "rank_id",
            "agency_id",
            "locality_id",
            "import_batch_id",
        ]
        insert_rows(Enrolment, columns, rows)

    def finish(self):
        self.result.people_matched = len(self.matched)


class _NewPerson:
    """A person this file creates: the row values until written, then the pk; and what
    their enrolments need (rank, agency, locality)."""

    __slots__ = ("pk", "values", "rank_id", "agency_id", "locality_id", "agency")

    def __init__(self, values, *, rank_id, locality_id, agency):
        self.pk = None
        self.values = values
        self.rank_id = rank_id
        self.locality_id = locality_id
        # An agency created by this file is kept as the object until it is written.
        self.agency = agency if agency is not None and agency.pk is None else None
        self.agency_id = agency.pk if agency is not None else None


def _email(raw):
    value = v.text(raw).lower()
    try:
        validate_email(value)
    except ValidationError:
        raise v.BadValue(_("'%(value)s' is not an email address.") % {"value": value}) from None
    return value


# Tallies ------------------------------------------------------------------------------------
class TallyImporter(Importer):
    kind = "tallies"
    COLUMNS = contract.importer_columns("tallies")
    ORDER = [ParticipantTally]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tallies = {}
        self.in_file = {}

    def tallies_of(self, course_pk):
        found = self.tallies.get(course_pk)
        if found is None:
            found = self.tallies[course_pk] = {
                (course_pk, rank, loc, gender): (pk, count)
                for pk, rank, loc, gender, count in ParticipantTally.objects.filter(
                    course_id=course_pk
                ).values_list("pk", "rank_id", "locality_id", "gender", "count")
            }
        return found

    def row(self, number, row):
        lk = self.lookups
        course = self.read_course(number, row)
        rank = self.read(number, row, "rank", lk.rank, required=True)
        on_date = course.start_date if course else None
        locality = self.read(number, row, "locality", lambda raw: lk.locality(raw, on_date))
        gender = self.read(
            number, row, "gender", lambda raw: v.choice(raw, v.GENDERS, GENDER), default=""
        )
        count = self.read(number, row, "count", v.whole_number, required=True)
        if self.bad:
            return
        key = (course.pk, rank.pk, locality.pk if locality else None, gender)
        if key in self.in_file:
            self.error(
                number,
                "count",
                _("row %(row)s already gives the count for this course, rank, locality and gender.")
                % {"row": self.in_file[key]},
            )
            self.bad = True
            return
        self.in_file[key] = number
        if not self.scope.is_national and not self.in_scope(
            ParticipantTally(course=course, locality_id=key[2])
        ):
            # Its province decides; without one, the course's (accounts.scoping).
            if locality is not None and self.scope.kind == "locality":
                what = _("the province %(name)s") % {"name": locality}
                self.outside_scope(number, "locality", what)
            else:
                self.outside_scope(
                    number, "course", _("the course %(code)s") % {"code": course.code}
                )
            return
        existing = self.tallies_of(course.pk).get(key)
        if existing is not None:
            pk, old = existing
            if old == count:
                self.result.unchanged += 1
                return
            self.result.updated += 1
            if self.writing:
                self.log_update(ParticipantTally, pk, {"count": old})
                self.stage_update(ParticipantTally, ["count"], ParticipantTally(pk=pk, count=count))
            return
        tally = ParticipantTally(
            course_id=course.pk,
            rank_id=rank.pk,
            locality_id=key[2],
            gender=gender,
            count=count,
            import_batch_id=self.batch_id,
        )
        self.validate(number, tally, ["gender", "count"])
        if self.bad:
            return
        self.result.created += 1
        if self.writing:
            self.creates[ParticipantTally].append(tally)


# Baselines ----------------------------------------------------------------------------------
class BaselineImporter(Importer):
    kind = "baselines"
    COLUMNS = contract.importer_columns("baselines")
    ORDER = [WorkforceBaseline]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = {
            (year, rank, loc, agency): (pk, headcount)
            for pk, year, rank, loc, agency, headcount in WorkforceBaseline.objects.values_list(
                "pk", "year", "rank_id", "locality_id", "agency_id", "headcount"
            )
        }
        self.in_file = {}

    def row(self, number, row):
        lk = self.lookups
        year = self.read(number, row, "year", v.year, required=True)
        rank = self.read(number, row, "rank", lk.rank, required=True)
        # A workforce count of year Y is dated 1 January Y.
        on_date = datetime.date(year, 1, 1) if year else None
        locality = self.read(number, row, "locality", lambda raw: lk.locality(raw, on_date))

        def agency(raw):
            found = lk.agency(raw)
            if found is None:
                raise v.BadValue(
                    _("'%(value)s' is not a known agency: add it in the admin first.")
                    % {"value": v.text(raw)}
                )
            return found

        agency_obj = self.read(number, row, "agency", agency)
        headcount = self.read(number, row, "headcount", v.whole_number, required=True)
        if self.bad:
            return
        if (locality is None) == (agency_obj is None):
            self.error(
                number,
                "locality" if locality is None else "agency",
                _("give either a province or an agency, not both."),
            )
            self.bad = True
            return
        key = (
            year,
            rank.pk,
            locality.pk if locality else None,
            agency_obj.pk if agency_obj else None,
        )
        if key in self.in_file:
            self.error(
                number,
                "headcount",
                _("row %(row)s already gives this count.") % {"row": self.in_file[key]},
            )
            self.bad = True
            return
        self.in_file[key] = number
        if not self.scope.is_national and not self.in_scope(
            WorkforceBaseline(locality_id=key[2], agency=agency_obj)
        ):
            if locality is not None:
                what = _("the province %(name)s") % {"name": locality}
                self.outside_scope(number, "locality", what)
            else:
                what = _("the agency %(name)s") % {"name": agency_obj}
                self.outside_scope(number, "agency", what)
            return
        existing = self.existing.get(key)
        if existing is not None:
            pk, old = existing
            if old == headcount:
                self.result.unchanged += 1
                return
            self.result.updated += 1
            if self.writing:
                self.log_update(WorkforceBaseline, pk, {"headcount": old})
                self.stage_update(
                    WorkforceBaseline,
                    ["headcount"],
                    WorkforceBaseline(pk=pk, headcount=headcount),
                )
            return
        baseline = WorkforceBaseline(
            year=year,
            rank_id=rank.pk,
            locality_id=key[2],
            agency_id=key[3],
            headcount=headcount,
            import_batch_id=self.batch_id,
        )
        self.validate(number, baseline, ["year", "headcount"])
        if self.bad:
            return
        self.result.created += 1
        if self.writing:
            self.creates[WorkforceBaseline].append(baseline)


KINDS = {
    importer.kind: importer
    for importer in (CourseImporter, ParticipantImporter, TallyImporter, BaselineImporter)
}


def register(importer_class, sheet=None):
    """Open the registry to a kind defined in another app: one line in its AppConfig.ready,
    ``register(PlanImporter, PLANS_SHEET)``. The importer follows the Importer protocol
    (COLUMNS, ORDER, row()); ``sheet`` is its contract.Sheet (templates, README), if any.
    The command and the admin's upload form offer every registered kind."""
    KINDS[importer_class.kind] = importer_class
    if sheet is not None:
        contract.register(sheet)
    return importer_class
