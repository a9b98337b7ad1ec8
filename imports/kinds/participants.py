"""The ``participants`` kind: one enrolment a row; the person is found (ID number, else
email, else name + birth + locality, as the contract says) or created, and so is the agency."""

import operator
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from cadres.models import Agency, Cadre, Level, Locality, Rank
from courses.models import Enrolment
from trainingmgr.text import fold

from .. import contract, preview
from .. import values as v
from ..bulk import insert_returning_pks, insert_rows
from ..models import ImportChange
from .engine import Importer, model_label

GENDER = gettext_lazy("gender")
RESULT = gettext_lazy("result")
# The youngest a participant can be when a course starts: a younger birth date is a typing error.
MIN_AGE = 15


class ParticipantImporter(Importer):
    kind = "participants"
    COLUMNS = contract.importer_columns("participants")
    WRITES_AFTER_READING = True
    STREAMS = True
    REPEATING = frozenset(
        {"course", "birth_date", "gender", "position", "rank", "locality", "agency", "status"}
    )
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
    ]

    # What the importer reads of every person already known, in this order (__init__).
    KNOWN_PERSON_VALUES = [
        "pk",
        "id_number",
        "email",
        "name_key",
        "birth_date",
        "birth_year",
        "locality_id",
        "rank_id",
        "agency_id",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lk = self.lookups
        self.other_rank = lk.rank_by_code.get(Rank.OTHER)
        # Everyone already known, by each of the three identities (docs/CONTRACT.md):
        # ID number, else email, else folded name + birth date (or year) + current locality.
        self.by_id = {}  # values: a pk, or -n for someone new in this file
        self.by_email = {}  # the first recorded with each email (then the file's people)
        self.by_name = {}
        # The others who share a key with the first (an office mailbox...), in the same
        # order: a scoped clerk matches the first of them in their scope (find_person).
        self.more_by_email = {}
        self.more_by_name = {}
        self.cadre_info = {}  # pk -> (id_number, rank_id, agency_id, locality_id, name_key)
        # In the order people were recorded, not Cadre.Meta.ordering (name): where several
        # share an email (an office mailbox) or a name + birth date + locality, a row matches
        # the earliest recorded (in a clerk's scope), and a person added later never takes
        # that match over. And a plain scan: at a million people the name order read the
        # table through its index, 8.0-8.7 s against 3.5-4.0 s (SQLite; prefetch_bench.py).
        rows = Cadre.objects.order_by("pk").values_list(*self.KNOWN_PERSON_VALUES)
        remember = self.remember
        for pk, id_number, email, name_key, birth, year, loc, rank, agency in rows.iterator(
            chunk_size=5000
        ):
            self.cadre_info[pk] = (id_number, rank, agency, loc, name_key)
            if id_number:
                self.by_id[id_number] = pk
            if email:
                remember(self.by_email, self.more_by_email, email, pk)
            unit = lk.current_unit.get(loc) if loc else None
            remember(self.by_name, self.more_by_name, (name_key, birth or year, unit), pk)
        self.enrolments = {}  # course pk -> {cadre pk: (pk, status, rank, agency, locality)}
        self.in_file = {}  # (course pk, person) -> row number
        self.next_new = 0  # people created by this file get -1, -2, ... until saved
        self.new_people = {}  # -n -> _NewPerson
        self.unsaved_people = []
        # New people are validated on this one instance (see new_person).
        self.scratch = Cadre()
        self.new_ids = {}  # -n -> ID number
        self.new_names = {}  # -n -> folded name, of a new person with an ID number
        self.rows_to_insert = []  # new enrolments, as column values
        self.new_agencies = {}  # (folded name, locality pk) -> Agency
        self.agencies_named = {}  # (cell, locality pk) -> Agency (agency_of)
        self.matched = set()
        self.courses_in_scope = {}

    def field_for_attr(self, attr):
        # "name": of a new agency (validated in new_agency), whose cell is the agency column.
        return {"birth_year": "birth_date", "cadre": "full_name", "name": "agency"}.get(attr, attr)

    def enrolments_of(self, course_pk):
        found = self.enrolments.get(course_pk)
        if found is None:
            # A dict: no ORDER BY (Enrolment.Meta.ordering joins the course and the people).
            rows = Enrolment.objects.filter(course_id=course_pk).order_by()
            if self.batch_id is not None:
                # Not the rows this import wrote already: on PostgreSQL it writes as it reads
                # (services.run_import); its own rows are in self.in_file.
                rows = rows.exclude(import_batch_id=self.batch_id)
            found = self.enrolments[course_pk] = {
                row[0]: row[1:]
                for row in rows.values_list(
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
        # Runs once a row: pks are read as .id (the pk property costs a call each time), and
        # the parsers are methods (_gender, _status), not lambdas made again on every row.
        lk = self.lookups
        course = self.read_course(number, row)
        if course is not None and not self.course_in_scope(course):
            # The same words as for an unknown code: no answer on courses outside the scope.
            self.course_outside_scope(number, course, row.get("course"))
            course = None
        on_date = course.start_date if course else None
        read = self.read
        full_name = read(number, row, "full_name", required=True)
        birth_date = read(number, row, "birth_date", v.date)
        birth_year = read(number, row, "birth_year", v.year)
        if birth_date and birth_year and birth_date.year != birth_year:
            self.error(number, "birth_year", _("the birth year differs from the birth date."))
            self.bad = True
        if course is not None and (birth_date or birth_year):
            self.check_age(number, course, birth_date, birth_year)
        gender = read(number, row, "gender", self._gender, default="")
        id_number = read(number, row, "id_number", v.id_number, default="")
        email = read(number, row, "email", _email, default="")
        position = read(number, row, "position", default="")
        rank = read(number, row, "rank", lk.rank)
        if rank is None and position and not self.bad:
            try:
                rank = lk.rank_from_title(position)
            except v.BadValue as exc:
                self.error(number, "position", str(exc))
                self.bad = True
        locality = read(
            number, row, "locality", lambda raw: lk.locality(raw, on_date), context=on_date
        )
        agency_name = read(number, row, "agency", default="")
        agency = None
        if agency_name and not self.bad:
            agency = self.agency_of(number, agency_name, locality)
        status = read(number, row, "status", self._status, default=Enrolment.Status.ATTENDED)
        if self.bad:
            return
        locality_id = locality.id if locality else None
        unit = lk.current_unit[locality_id] if locality else None
        birth = birth_date or birth_year
        # Only a row without ID number and email is matched by name; a new person's key is
        # made with the person's other values (new_person).
        name_key = None if id_number or email else fold(full_name)
        person = self.find_person(number, id_number, email, name_key, birth, unit, full_name)
        self.parsed.update(agency=agency, rank=rank)  # preview: row_matches() (rank: from
        # the cell or the position title; an unsaved Agency is one to be created)
        if self.bad:
            return
        rank_id = rank.id if rank else None
        if person is None:
            person_rank = rank_id or self.other_rank.id
            values = self.new_person(
                number,
                (
                    full_name,
                    name_key,
                    gender,
                    birth_date,
                    birth_date.year if birth_date else birth_year,
                    id_number,
                    email,
                    position,
                    person_rank,
                    unit,
                ),
            )
            if self.bad:
                return
            new = _NewPerson(values, rank_id=person_rank, locality_id=unit, agency=agency)
            name_key = self.scratch.name_key  # made by Cadre.normalised_values
            person = self.add_person(new, id_number, email, (name_key, birth, unit))
        elif person > 0:
            self.matched.add(person)  # someone already in the database
        self.parsed["person"] = person  # preview: > 0 someone known, < 0 new in this file
        key = (course.id, person)
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
        self.enrol(number, course.id, person, status, rank_id, agency, locality)

    @staticmethod
    def _gender(raw):
        return v.choice(raw, v.GENDERS, GENDER)

    @staticmethod
    def _status(raw):
        return v.choice(raw, v.ENROLMENT_STATUSES, RESULT)

    def find_person(self, number, id_number, email, name_key, birth, unit, full_name):
        """The pk (or -n for someone new in this file) of the person a row names, or None.

        As the contract says: an ID number, when given, decides (found or new); the email
        is used only for a row without an ID number, and name + birth date + locality only
        for a row without both. A shared office mailbox never ties two ID numbers together.
        A scoped user may enrol only people of their scope: a row naming, by ID number,
        someone outside it is an error that shows nothing of that person; an email or a
        name that matches someone outside it is not theirs to match, and names a new person.

        A row whose ID number is someone's recorded under another name (folded: diacritics,
        case and spaces aside) is an error, not that person enrolled: a mistyped ID number
        would have enrolled someone else. The message names neither the person nor their
        name.
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
            if found is not None and fold(full_name) != self.recorded_name(found):
                self.error(
                    number,
                    "id_number",
                    _(
                        "this ID number is recorded for a person of another name: check the "
                        "ID number and the name (a name that has changed is corrected on the "
                        "person's record first)."
                    ),
                )
                self.bad = True
                return None
            return found
        if email:
            return self.first_in_scope(self.by_email, self.more_by_email, email)
        return self.first_in_scope(self.by_name, self.more_by_name, (name_key, birth, unit))

    def recorded_name(self, person):
        """The folded name of a person found by ID number (known, or new in this file)."""
        if person > 0:
            return self.cadre_info[person][4]
        return self.new_names[person]

    @staticmethod
    def remember(first, more, key, person):
        """Index a person under a key that several may share (an email; a name + birth date
        + locality): the first in ``first``, the others after it, in order, in ``more``."""
        if first.setdefault(key, person) != person:
            more.setdefault(key, []).append(person)

    def first_in_scope(self, first, more, key):
        """The first person indexed under ``key`` whom the importing user may match (for
        the administrator, the first): someone outside a clerk's scope is skipped, unseen, for
        whoever shares the key inside it; None when nobody does."""
        found = first.get(key)
        if found is None or self.person_in_scope(found):
            return found
        return next((p for p in more.get(key, ()) if self.person_in_scope(p)), None)

    def person_in_scope(self, person):
        """Whether an existing person (pk > 0) lies in the importing user's scope, by the
        rule of accounts.scoping (people new in this file always do: their row was checked)."""
        if self.scope.is_national or person < 0:
            return True
        _id, _rank, agency_id, locality_id, _name = self.cadre_info[person]
        return self.in_scope(Cadre(locality_id=locality_id, agency_id=agency_id))

    def id_number_of(self, person):
        if person > 0:
            return self.cadre_info[person][0]
        return self.new_ids.get(person, "")

    def check_age(self, number, course, birth_date, birth_year):
        """A participant is at least MIN_AGE when the course starts: a birth date in the
        future, or a course's date typed in its place, is an error. The message does not
        repeat the birth date (personal data: the batch's messages are shown to staff who
        may not see it)."""
        start = course.start_date
        if birth_date:
            age = (
                start.year
                - birth_date.year
                - ((start.month, start.day) < (birth_date.month, birth_date.day))
            )
            field = "birth_date"
        else:
            age = start.year - birth_year
            field = "birth_year"
        if age < MIN_AGE:
            self.error(
                number,
                field,
                _(
                    "by this birth date the person would be under %(age)s when the course "
                    "starts (%(start)s): check the birth date, or the course's code."
                )
                % {"age": MIN_AGE, "start": start.strftime("%d/%m/%Y")},
            )
            self.bad = True

    def new_person(self, number, values):
        """A new person's values (``values`` in PERSON_VALUES order, and so the result),
        validated as Cadre.full_clean() would (each field's validators and choices, then
        Cadre.clean(), which may tidy values), on one scratch instance: building a Cadre per
        new person cost more than the rest of its row. Errors are recorded (self.bad); the
        values are returned either way."""
        scratch = self.scratch
        # Plain attributes, set at once: the scratch never caches a related object, which
        # is all that setting rank_id or locality_id through the model would look after.
        scratch.__dict__.update(zip(self.PERSON_VALUES, values, strict=True))
        scratch.normalised_values()  # the rule Cadre.save applies
        self.validate(number, scratch, self.CADRE_FIELDS)
        return _person_values(scratch)

    def add_person(self, new, id_number, email, name_key):
        self.next_new -= 1
        person = self.next_new
        if id_number:
            self.by_id[id_number] = person
            self.new_ids[person] = id_number
            self.new_names[person] = name_key[0]
        if email:
            self.remember(self.by_email, self.more_by_email, email, person)
        self.remember(self.by_name, self.more_by_name, name_key, person)
        self.result.people_created += 1
        self.new_people[person] = new  # what later rows of this person need
        if self.writing:
            self.unsaved_people.append(person)
        else:
            new.values = None  # nothing will be written
        return person

    def agency_of(self, number, name, locality):
        """The agency a row names (an existing one, else one this file creates), found once
        per (name, locality) of the file: lists repeat "Sở Ngoại vụ" on every row. An error
        is recorded on every row it concerns, and nothing is remembered for it."""
        key = (name, locality.id if locality is not None else None)
        agency = self.agencies_named.get(key)
        if agency is None:
            try:
                agency = self.lookups.agency(name, locality) or self.new_agency(
                    number, name, locality
                )
            except v.BadValue as exc:
                self.error(number, "agency", str(exc))
                self.bad = True
                return None
            self.agencies_named[key] = agency
        return agency

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

    def enrol(self, number, course_id, person, status, rank_id, agency, locality):
        """Stage the enrolment of a row (``rank_id``, ``locality``: the row's, or None)."""
        locality_id = locality.id if locality else None
        existing = self.enrolments_of(course_id).get(person) if person > 0 else None
        if not self.enrolment_in_scope(number, person, existing, agency, locality):
            return
        if existing is not None:
            pk, _old_status, old_rank, old_agency, old_locality = existing
            new = {
                "status": status,
                "rank_id": rank_id or old_rank,
                "agency_id": agency.id if agency and agency.id else old_agency,
                "locality_id": locality_id or old_locality,
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
            _id, cadre_rank, cadre_agency, cadre_locality, _name = self.cadre_info[person]
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
                course_id,
                cadre,
                status,
                rank_id or cadre_rank,
                agency if agency is not None else cadre_agency,
                locality_id or cadre_locality,
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
            recorded_agency, recorded_locality = self.cadre_info[person][2:4]
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

        def written(pks):
            # Keep what later enrolments need, not the values: a million-row file must not
            # keep every person's row in memory. (Written behind the reading, this runs on
            # the writer's thread: enrolments staged meanwhile keep the person, whose pk
            # insert_enrolments reads when they are written.)
            for new, pk in zip(people, pks, strict=True):
                new.pk, new.values = pk, None

        insert_returning_pks(
            Cadre,
            [*self.PERSON_VALUES, "import_batch_id", "agency_id"],
            [(*new.values, self.batch_id, new.agency_id) for new in people],
            then=written,
        )

    def insert_enrolments(self):
        def pk_of(ref):
            return ref if ref is None or isinstance(ref, int) else ref.pk

        staged, self.rows_to_insert = self.rows_to_insert, []
        if not staged:
            return
        batch_id = self.batch_id
        # A generator: written behind the reading, it is read once the people are written.
        rows = (
            (course, pk_of(cadre), status, "", rank, pk_of(agency), locality, batch_id)
            for course, cadre, status, rank, agency, locality in staged
        )
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


_person_values = operator.attrgetter(*ParticipantImporter.PERSON_VALUES)


class _NewPerson:
    """A person this file creates: the row values until written, then the pk; and what
    their enrolments need (rank, agency, locality)."""

    __slots__ = ("agency", "agency_id", "locality_id", "pk", "rank_id", "values")

    def __init__(self, values, *, rank_id, locality_id, agency):
        self.pk = None
        self.values = values
        self.rank_id = rank_id
        self.locality_id = locality_id
        # An agency created by this file is kept as the object until it is written.
        self.agency = agency if agency is not None and agency.pk is None else None
        self.agency_id = agency.pk if agency is not None else None


EMAIL_LENGTH = Cadre._meta.get_field("email").max_length


def _email(raw):
    """An email as stored and matched: compatibility characters folded (fullwidth letters read as
    ASCII ones), invisible format characters (a zero-width space pasted with it) removed,
    lower-cased; a valid address of at most the column's length."""
    value = unicodedata.normalize("NFKC", v.text(raw))
    if not value.isascii():
        value = "".join(c for c in value if unicodedata.category(c) != "Cf")
    value = value.lower()
    try:
        validate_email(value)
    except ValidationError:
        raise v.BadValue(_("'%(value)s' is not an email address.") % {"value": value}) from None
    if len(value) > EMAIL_LENGTH:
        raise v.BadValue(
            _("The email address has %(length)s characters; at most %(limit)s are allowed.")
            % {"length": len(value), "limit": EMAIL_LENGTH}
        )
    return value
