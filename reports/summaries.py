"""Pre-computed summaries of the counted enrolments, kept exact by database triggers.

Three tables, written only by triggers on ``courses_enrolment`` and ``courses_course``
(defined per vendor in ``reports/migrations/0002_summaries.py`` from the SQL below), so every
write path keeps them in the same transaction as the write: the admin, the imports (including
their raw SQL), reverts, merges, deletes and cascades. No Python caller has to remember them.

- ``ParticipationSummary``: counted enrolments (attended or completed) per (programme, year
  the course starts in, course type, home or abroad, rank and locality at the course; locality
  0 = not recorded). A few thousand rows where the enrolments are millions.
- ``CourseSummary``: counted enrolments per course (the courses with named participants).
- ``PersonSummary``: counted enrolments per (programme, cadre) and the year of the cadre's
  first counted course in the programme: the distinct named people, and when they came.
- ``CadreSummary``: cadres per (present rank, locality, agency; 0 = none), the denominators
  of the qualification targets (triggers on ``cadres_cadre``).

Tallies are few (one row per course, rank and locality) and are read from their table.

The report (``reports.figures.ProgrammeData``) reads the summaries when a figure maps onto
their keys: no agency restriction and every course of the programme started by the "as of"
date; the distinct people and the courses counted only for scopes that keep every rank and
locality (the years and course types are course keys). Otherwise it reads the rows, with the
same results. ``manage.py recompute_summaries`` rebuilds the tables from the rows, and
``--check`` reports any difference (exit 1).

Bulk writes (an import's or a revert's, ``paused``) switch the triggers off for their own
transaction only, then refresh the summary rows of the keys their batch touched from the rows,
set-based, with the SELECTs ``recompute`` is built from, before the commit. PostgreSQL: a
transaction-local setting (``set_config(PAUSED, 'on', true)``) that the triggers' ``WHEN``
reads, seen by no other session and gone at the commit or rollback. SQLite: the triggers are
dropped inside the write transaction and created again before its commit (its DDL is
transactional; no other connection writes meanwhile or sees the schema before the commit). A
crash rolls either back. Hand edits, merges and every other writer keep the triggers.
"""

from contextlib import contextmanager

from django.db import DatabaseError, connection, models, transaction

COUNTED = "('attended', 'completed')"  # courses.models.Enrolment.COUNTED_STATUSES
ENROLMENT = "courses_enrolment"
COURSE = "courses_course"
PARTICIPATION = "reports_participation_summary"
COURSES = "reports_course_summary"
PEOPLE = "reports_person_summary"
CADRES = "reports_cadre_summary"
CADRE = "cadres_cadre"
CADRE_KEY = "rank_id, locality_id, agency_id"
# The PostgreSQL setting that pauses the triggers for one transaction (``paused``).
PAUSED = "trainingmgr.summaries_paused"
PARTICIPATION_KEY = "programme_id, year, course_type_id, abroad, rank_id, locality_id"


class ParticipationSummary(models.Model):
    programme_id = models.IntegerField()
    year = models.IntegerField()
    course_type_id = models.IntegerField()
    abroad = models.SmallIntegerField()
    rank_id = models.IntegerField()
    locality_id = models.IntegerField()  # 0 = not recorded
    n = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.programme_id}/{self.year}/{self.rank_id}/{self.locality_id}: {self.n}"

    class Meta:
        db_table = PARTICIPATION
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "programme_id",
                    "year",
                    "course_type_id",
                    "abroad",
                    "rank_id",
                    "locality_id",
                ],
                name="participation_summary_key",
            )
        ]


class CourseSummary(models.Model):
    course_id = models.IntegerField(primary_key=True)
    n = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.course_id}: {self.n}"

    class Meta:
        db_table = COURSES


class PersonSummary(models.Model):
    programme_id = models.IntegerField()
    cadre_id = models.IntegerField()
    n = models.IntegerField(default=0)
    first_year = models.IntegerField()

    def __str__(self):
        return f"{self.programme_id}/{self.cadre_id}: {self.n}"

    class Meta:
        db_table = PEOPLE
        constraints = [
            models.UniqueConstraint(fields=["programme_id", "cadre_id"], name="person_summary_key")
        ]
        indexes = [
            models.Index(fields=["programme_id", "first_year"], name="person_summary_year_idx")
        ]


class CadreSummary(models.Model):
    rank_id = models.IntegerField()
    locality_id = models.IntegerField()  # 0 = none
    agency_id = models.IntegerField()  # 0 = none
    n = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.rank_id}/{self.locality_id}/{self.agency_id}: {self.n}"

    class Meta:
        db_table = CADRES
        constraints = [
            models.UniqueConstraint(
                fields=["rank_id", "locality_id", "agency_id"], name="cadre_summary_key"
            )
        ]


# --- the SQL, per vendor ----------------------------------------------------------------------


def _year(vendor, expr):
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {expr}) AS INTEGER)"
    return f"CAST(strftime('%Y', {expr}) AS INTEGER)"


def _least(vendor, a, b):
    return f"LEAST({a}, {b})" if vendor == "postgresql" else f"MIN({a}, {b})"


def _abroad(expr):
    return f"CASE WHEN {expr} <> '' THEN 1 ELSE 0 END"


def _participation_add(vendor, row, sign):
    """The enrolment ``row`` (NEW or OLD) added (sign 1) or taken away (-1)."""
    return f"""
INSERT INTO {PARTICIPATION} ({PARTICIPATION_KEY}, n)
SELECT c.programme_id, {_year(vendor, "c.start_date")}, c.course_type_id,
       {_abroad("c.country")}, {row}.rank_id, COALESCE({row}.locality_id, 0), {sign}
FROM {COURSE} c
WHERE c.id = {row}.course_id AND c.programme_id IS NOT NULL AND {row}.status IN {COUNTED}
ON CONFLICT ({PARTICIPATION_KEY}) DO UPDATE SET n = {PARTICIPATION}.n + excluded.n"""


def _course_add(row, sign):
    return f"""
INSERT INTO {COURSES} (course_id, n)
SELECT {row}.course_id, {sign} WHERE {row}.status IN {COUNTED}
ON CONFLICT (course_id) DO UPDATE SET n = {COURSES}.n + excluded.n"""


def _person_insert(vendor, row):
    return f"""
INSERT INTO {PEOPLE} (programme_id, cadre_id, n, first_year)
SELECT c.programme_id, {row}.cadre_id, 1, {_year(vendor, "c.start_date")}
FROM {COURSE} c
WHERE c.id = {row}.course_id AND c.programme_id IS NOT NULL AND {row}.status IN {COUNTED}
ON CONFLICT (programme_id, cadre_id) DO UPDATE SET n = {PEOPLE}.n + 1,
    first_year = {_least(vendor, f"{PEOPLE}.first_year", "excluded.first_year")}"""


def _people_refresh(vendor, programmes, cadres):
    """The rows of PersonSummary for these programmes and cadres (SQL lists), from the rows:
    an upsert, then a delete of the pairs left without a counted enrolment (no delete and
    re-insert, so that two transactions refreshing the same person never collide)."""
    return [
        f"""
INSERT INTO {PEOPLE} (programme_id, cadre_id, n, first_year)
SELECT c.programme_id, e.cadre_id, COUNT(*), MIN({_year(vendor, "c.start_date")})
FROM {ENROLMENT} e JOIN {COURSE} c ON c.id = e.course_id
WHERE c.programme_id IN ({programmes}) AND e.cadre_id IN ({cadres})
  AND e.status IN {COUNTED}
GROUP BY c.programme_id, e.cadre_id
ON CONFLICT (programme_id, cadre_id) DO UPDATE SET n = excluded.n,
    first_year = excluded.first_year""",
        f"""
DELETE FROM {PEOPLE} WHERE programme_id IN ({programmes}) AND cadre_id IN ({cadres})
  AND NOT EXISTS (
    SELECT 1 FROM {ENROLMENT} e JOIN {COURSE} c ON c.id = e.course_id
    WHERE e.cadre_id = {PEOPLE}.cadre_id AND c.programme_id = {PEOPLE}.programme_id
      AND e.status IN {COUNTED})""",
    ]


def _programme_of(row):
    return f"SELECT programme_id FROM {COURSE} WHERE id = {row}.course_id"


def _course_regroup(vendor, row, sign):
    """The counted enrolments of course ``row`` moved in (1) or out of (-1) its group."""
    return f"""
INSERT INTO {PARTICIPATION} ({PARTICIPATION_KEY}, n)
SELECT {row}.programme_id, {_year(vendor, f"{row}.start_date")}, {row}.course_type_id,
       {_abroad(f"{row}.country")}, e.rank_id, COALESCE(e.locality_id, 0), {sign} * COUNT(*)
FROM {ENROLMENT} e
WHERE e.course_id = {row}.id AND e.status IN {COUNTED} AND {row}.programme_id IS NOT NULL
GROUP BY e.rank_id, COALESCE(e.locality_id, 0)
ON CONFLICT ({PARTICIPATION_KEY}) DO UPDATE SET n = {PARTICIPATION}.n + excluded.n"""


def _cadre_add(row, sign):
    return f"""
INSERT INTO {CADRES} ({CADRE_KEY}, n)
SELECT {row}.rank_id, COALESCE({row}.locality_id, 0), COALESCE({row}.agency_id, 0), {sign}
WHERE true
ON CONFLICT ({CADRE_KEY}) DO UPDATE SET n = {CADRES}.n + excluded.n"""


ENROLMENT_COLUMNS = "course_id, cadre_id, status, rank_id, locality_id"
COURSE_COLUMNS = "programme_id, start_date, course_type_id, country"


def trigger_bodies(vendor):
    """(name, table, event, [statements]) of every trigger."""
    return [
        (
            "reports_enrolment_insert",
            ENROLMENT,
            "INSERT",
            [
                _participation_add(vendor, "NEW", 1),
                _course_add("NEW", 1),
                _person_insert(vendor, "NEW"),
            ],
        ),
        (
            "reports_enrolment_delete",
            ENROLMENT,
            "DELETE",
            [
                _participation_add(vendor, "OLD", -1),
                _course_add("OLD", -1),
                *_people_refresh(vendor, _programme_of("OLD"), "OLD.cadre_id"),
            ],
        ),
        (
            "reports_enrolment_update",
            ENROLMENT,
            f"UPDATE OF {ENROLMENT_COLUMNS}",
            [
                _participation_add(vendor, "OLD", -1),
                _participation_add(vendor, "NEW", 1),
                _course_add("OLD", -1),
                _course_add("NEW", 1),
                *_people_refresh(
                    vendor,
                    f"{_programme_of('OLD')} UNION {_programme_of('NEW')}",
                    "OLD.cadre_id, NEW.cadre_id",
                ),
            ],
        ),
        (
            "reports_course_update",
            COURSE,
            f"UPDATE OF {COURSE_COLUMNS}",
            [
                _course_regroup(vendor, "OLD", -1),
                _course_regroup(vendor, "NEW", 1),
                *_people_refresh(
                    vendor,
                    "OLD.programme_id, NEW.programme_id",
                    f"SELECT cadre_id FROM {ENROLMENT} WHERE course_id = NEW.id",
                ),
            ],
        ),
        ("reports_cadre_insert", CADRE, "INSERT", [_cadre_add("NEW", 1)]),
        ("reports_cadre_delete", CADRE, "DELETE", [_cadre_add("OLD", -1)]),
        (
            "reports_cadre_update",
            CADRE,
            f"UPDATE OF {CADRE_KEY}",
            [_cadre_add("OLD", -1), _cadre_add("NEW", 1)],
        ),
        (
            "reports_course_delete",
            COURSE,
            "DELETE",
            [f"DELETE FROM {COURSES} WHERE course_id = OLD.id"],
        ),
    ]


def _not_paused():
    """The PostgreSQL triggers' WHEN: evaluated before the function is called, so a paused
    row costs almost nothing (measured: COPY of 50,000 rows 0.34 s without a trigger, 0.40 s
    paused by this setting, 1.43 s paused by a check inside the function)."""
    return f"current_setting('{PAUSED}', true) IS DISTINCT FROM 'on'"


def create_triggers_sql(vendor):
    sql = []
    for name, table, event, statements in trigger_bodies(vendor):
        body = ";\n".join(s.strip() for s in statements)
        if vendor == "postgresql":
            sql.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{body};\nRETURN NULL;\nEND $$"
            )
            sql.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"FOR EACH ROW WHEN ({_not_paused()}) EXECUTE FUNCTION {name}()"
            )
        else:
            sql.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN\n{body};\nEND"
            )
    return sql


def drop_triggers_sql(vendor):
    sql = []
    for name, table, _event, _statements in trigger_bodies(vendor):
        if vendor == "postgresql":
            sql.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            sql.append(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            sql.append(f"DROP TRIGGER IF EXISTS {name}")
    return sql


# --- recompute and check ----------------------------------------------------------------------


def expected_sql(vendor, where=None):
    """{table: SELECT of its rows computed from the enrolments}, keys first, n last.
    ``where`` ({table: condition}) restricts a table's SELECT to some of its keys (``refresh``);
    the conditions name the enrolment ``e`` and course ``c`` (the cadre table unaliased)."""
    where = where or {}

    def only(table):
        return f" AND ({where[table]})" if table in where else ""

    year = _year(vendor, "c.start_date")
    return {
        PARTICIPATION: (
            PARTICIPATION_KEY,
            f"""SELECT c.programme_id, {year}, c.course_type_id, {_abroad("c.country")},
       e.rank_id, COALESCE(e.locality_id, 0), COUNT(*)
FROM {ENROLMENT} e JOIN {COURSE} c ON c.id = e.course_id
WHERE c.programme_id IS NOT NULL AND e.status IN {COUNTED}{only(PARTICIPATION)}
GROUP BY c.programme_id, {year}, c.course_type_id, {_abroad("c.country")},
       e.rank_id, COALESCE(e.locality_id, 0)""",
            "n",
        ),
        COURSES: (
            "course_id",
            f"SELECT e.course_id, COUNT(*) FROM {ENROLMENT} e WHERE e.status IN {COUNTED}"
            f"{only(COURSES)} GROUP BY e.course_id",
            "n",
        ),
        PEOPLE: (
            "programme_id, cadre_id",
            f"""SELECT c.programme_id, e.cadre_id, COUNT(*), MIN({year})
FROM {ENROLMENT} e JOIN {COURSE} c ON c.id = e.course_id
WHERE c.programme_id IS NOT NULL AND e.status IN {COUNTED}{only(PEOPLE)}
GROUP BY c.programme_id, e.cadre_id""",
            "n, first_year",
        ),
        CADRES: (
            CADRE_KEY,
            f"SELECT rank_id, COALESCE(locality_id, 0), COALESCE(agency_id, 0), COUNT(*) "
            f"FROM {CADRE} WHERE true{only(CADRES)} "
            "GROUP BY rank_id, COALESCE(locality_id, 0), COALESCE(agency_id, 0)",
            "n",
        ),
    }


def _key_width(key):
    return len(key.split(","))


def differences():
    """{table: number of keys whose stored figures differ from the rows'}; empty when exact.
    Rows whose count went down to 0 are the same as no row."""
    found = {}
    with connection.cursor() as cursor:
        for table, (key, select, values) in expected_sql(connection.vendor).items():
            width = _key_width(key)
            cursor.execute(select)
            expected = {tuple(row[:width]): tuple(row[width:]) for row in cursor.fetchall()}
            cursor.execute(f"SELECT {key}, {values} FROM {table} WHERE n <> 0")
            stored = {tuple(row[:width]): tuple(row[width:]) for row in cursor.fetchall()}
            wrong = {k for k in expected.keys() | stored.keys() if expected.get(k) != stored.get(k)}
            if wrong:
                found[table] = len(wrong)
    return found


def recompute():
    """Rebuild every summary table from the rows, in one transaction; returns rows written."""
    written = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (key, select, values) in expected_sql(connection.vendor).items():
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(f"INSERT INTO {table} ({key}, {values}) {select}")
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            written[table] = cursor.fetchone()[0]
    return written


# --- bulk writes: triggers paused, the touched keys refreshed -------------------------------


def _ids(values):
    """An SQL list of integer ids (every value passed through int(): nothing else is
    spliced into the SQL)."""
    return "(" + ", ".join(str(int(value)) for value in sorted(values)) + ")"


def _tuples(rows):
    return "(VALUES " + ", ".join(_ids_in_order(row) for row in sorted(rows)) + ")"


def _ids_in_order(row):
    return "(" + ", ".join(str(int(value)) for value in row) + ")"


class Touched:
    """The keys a bulk write touched, noted from its batch (``note``), before the writes of a
    revert (its rows are still there, and the values it puts back are in the log) and after
    those of an import; ``refresh`` recomputes their summary rows from the rows."""

    def __init__(self):
        self.inserted = []  # batches whose rows are all new: their counts are added (add)
        self.courses = set()  # their CourseSummary rows
        self.groups = set()  # (programme, year, course type, abroad): ParticipationSummary
        self.programmes = set()  # with ``cadres``: PersonSummary
        self.cadres = set()
        self.cadre_keys = set()  # (rank, locality or 0, agency or 0): CadreSummary

    def note(self, batch_id, *, inserted=False):
        """The rows ``batch_id`` created or updated, as they stand now and (updated ones) as
        its log says they were before.

        ``inserted``: called just after an import's writes. When the batch only inserted
        people and enrolments (no row updated, no course created), its counts are simply
        added to the summaries at the refresh (``add``), reading the batch's own rows only,
        however large the programmes they fall in; otherwise its keys are recomputed."""
        from cadres.models import Cadre
        from courses.models import Course, Enrolment
        from provenance.models import ImportChange

        if inserted and not (
            ImportChange.objects.filter(
                batch_id=batch_id, action=ImportChange.Action.UPDATED
            ).exists()
            or Course.objects.filter(import_batch_id=batch_id).exists()
        ):
            self.inserted.append(batch_id)
            return

        def of_batch(model):
            changed = ImportChange.objects.filter(
                batch_id=batch_id,
                model=model._meta.label_lower,
                action=ImportChange.Action.UPDATED,
            )
            old = {pk: values for pk, values in changed.values_list("object_id", "old_values")}
            rows = model._base_manager.order_by()
            # Two look-ups, each by its index (an OR of the two would read the whole table).
            return [rows.filter(import_batch_id=batch_id), rows.filter(pk__in=list(old))], old

        enrolments, old_enrolments = of_batch(Enrolment)
        for rows in enrolments:
            for course_id, cadre_id in rows.values_list("course_id", "cadre_id").iterator(
                chunk_size=10000
            ):
                self.courses.add(course_id)
                self.cadres.add(cadre_id)
        for values in old_enrolments.values():
            self.courses.update(v for k, v in values.items() if k == "course_id" and v)
            self.cadres.update(v for k, v in values.items() if k == "cadre_id" and v)
        courses, old_courses = of_batch(Course)
        group = ["programme_id", "start_date", "course_type_id", "country"]
        states = []
        moved = set()
        for rows in courses:
            for pk, *current in rows.values_list("pk", *group):
                moved.add(pk)
                if pk in old_courses:  # its group before
                    state = dict(zip(group, current, strict=True))
                    states.append({**state, **_only(old_courses[pk], group)})
        self.courses |= moved
        if moved:
            self.cadres.update(
                Enrolment.objects.filter(course_id__in=moved)
                .values_list("cadre_id", flat=True)
                .distinct()
                .order_by()
            )
        self.groups |= _groups_of_states(states)
        # Their groups now (before a revert's writes: a course it deletes is gone after), and
        # again when refreshed (after an import's or a revert's writes).
        with connection.cursor() as cursor:
            self.groups |= _groups_of_courses(cursor, connection.vendor, self.courses)
        cadres, old_cadres = of_batch(Cadre)
        key = ["rank_id", "locality_id", "agency_id"]
        for rows in cadres:
            for pk, *current in rows.values_list("pk", *key).iterator(chunk_size=10000):
                self.cadre_keys.add(tuple(value or 0 for value in current))
                if pk in old_cadres:
                    state = {**dict(zip(key, current, strict=True)), **old_cadres[pk]}
                    self.cadre_keys.add(tuple(state[k] or 0 for k in key))

    def refresh(self):
        """The summary rows of the noted keys, recomputed from the rows: a delete, then the
        SELECT of ``recompute`` restricted to those keys. On PostgreSQL the summary tables
        are locked first (SHARE ROW EXCLUSIVE: readers go on; a hand edit's trigger waits
        until the commit), so that an edit that commits while the refresh reads is neither
        lost nor counted twice."""
        vendor = connection.vendor
        if self.inserted and (self.courses or self.cadres or self.cadre_keys or self.groups):
            # Keys are recomputed from the rows too: an added batch in them would count twice.
            for batch_id in self.inserted:
                self.note(batch_id)
            self.inserted = []
        with connection.cursor() as cursor:
            for batch_id in self.inserted:
                for statement in added_sql(vendor, batch_id):
                    cursor.execute(statement)
            self.groups |= _groups_of_courses(cursor, vendor, self.courses)
            where, delete = {}, {}
            if self.groups:
                # Every course of the groups: a group's figures come from all its courses.
                cursor.execute(
                    f"SELECT id FROM {COURSE} c WHERE (c.programme_id, "
                    f"{_year(vendor, 'c.start_date')}, c.course_type_id, "
                    f"{_abroad('c.country')}) IN {_tuples(self.groups)}"
                )
                in_groups = [pk for (pk,) in cursor.fetchall()]
                delete[PARTICIPATION] = (
                    f"(programme_id, year, course_type_id, abroad) IN {_tuples(self.groups)}"
                )
                where[PARTICIPATION] = f"e.course_id IN {_ids(in_groups)}" if in_groups else "1=0"
                self.programmes |= {programme for programme, *_rest in self.groups}
            if self.courses:
                delete[COURSES] = f"course_id IN {_ids(self.courses)}"
                where[COURSES] = f"e.course_id IN {_ids(self.courses)}"
            if self.programmes and self.cadres:
                pairs = f"IN {_ids(self.programmes)} AND {{}} IN {_ids(self.cadres)}"
                delete[PEOPLE] = "programme_id " + pairs.format("cadre_id")
                # Led by the people (their enrolments by the cadre index), not by every
                # enrolment of the programme: the unary + keeps SQLite off the course index.
                where[PEOPLE] = "+c.programme_id " + pairs.format("e.cadre_id")
            if self.cadre_keys:
                delete[CADRES] = f"({CADRE_KEY}) IN {_tuples(self.cadre_keys)}"
                where[CADRES] = (
                    "(rank_id, COALESCE(locality_id, 0), COALESCE(agency_id, 0)) IN "
                    + _tuples(self.cadre_keys)
                )
            if not delete:
                self.__init__()
                return
            if vendor == "postgresql":
                cursor.execute(
                    f"LOCK TABLE {PARTICIPATION}, {COURSES}, {PEOPLE}, {CADRES} "
                    "IN SHARE ROW EXCLUSIVE MODE"
                )
            for table, (key, select, values) in expected_sql(vendor, where).items():
                if table in delete:
                    cursor.execute(f"DELETE FROM {table} WHERE {delete[table]}")
                    cursor.execute(f"INSERT INTO {table} ({key}, {values}) {select}")
        self.__init__()


def added_sql(vendor, batch_id):
    """The counts of one batch's new rows added to the summaries as the insert triggers would
    have added them row by row: upserts that add to what is there, so a hand edit committing
    meanwhile (PostgreSQL) is neither lost nor counted twice. For a batch that only inserted
    (``Touched.note(inserted=True)``). The id is spliced as an integer, like ``_ids``: the SQL
    holds strftime's %Y, which a debug cursor would read as a placeholder."""
    year = _year(vendor, "c.start_date")
    of_batch = f"WHERE e.import_batch_id = {int(batch_id)} AND e.status IN {COUNTED}"
    counted = f"FROM {ENROLMENT} e JOIN {COURSE} c ON c.id = e.course_id {of_batch}"
    # Participation: counted per course, rank and locality first, then by the course's group
    # (its year worked out once a course, not once an enrolment: 0.153 s -> 0.127 s at 50,000).
    return [
        f"""
INSERT INTO {PARTICIPATION} ({PARTICIPATION_KEY}, n)
SELECT c.programme_id, {year}, c.course_type_id, {_abroad("c.country")}, x.rank_id,
       x.locality_id, SUM(x.n)
FROM (SELECT e.course_id, e.rank_id, COALESCE(e.locality_id, 0) AS locality_id, COUNT(*) AS n
      FROM {ENROLMENT} e {of_batch}
      GROUP BY e.course_id, e.rank_id, COALESCE(e.locality_id, 0)) x
JOIN {COURSE} c ON c.id = x.course_id
WHERE c.programme_id IS NOT NULL
GROUP BY c.programme_id, {year}, c.course_type_id, {_abroad("c.country")}, x.rank_id,
       x.locality_id
ON CONFLICT ({PARTICIPATION_KEY}) DO UPDATE SET n = {PARTICIPATION}.n + excluded.n""",
        f"""
INSERT INTO {COURSES} (course_id, n)
SELECT e.course_id, COUNT(*) FROM {ENROLMENT} e {of_batch}
GROUP BY e.course_id
ON CONFLICT (course_id) DO UPDATE SET n = {COURSES}.n + excluded.n""",
        f"""
INSERT INTO {PEOPLE} (programme_id, cadre_id, n, first_year)
SELECT c.programme_id, e.cadre_id, COUNT(*), MIN({year})
{counted} AND c.programme_id IS NOT NULL
GROUP BY c.programme_id, e.cadre_id
ON CONFLICT (programme_id, cadre_id) DO UPDATE SET n = {PEOPLE}.n + excluded.n,
    first_year = {_least(vendor, f"{PEOPLE}.first_year", "excluded.first_year")}""",
        f"""
INSERT INTO {CADRES} ({CADRE_KEY}, n)
SELECT rank_id, COALESCE(locality_id, 0), COALESCE(agency_id, 0), COUNT(*)
FROM {CADRE} WHERE import_batch_id = {int(batch_id)}
GROUP BY rank_id, COALESCE(locality_id, 0), COALESCE(agency_id, 0)
ON CONFLICT ({CADRE_KEY}) DO UPDATE SET n = {CADRES}.n + excluded.n""",
    ]


def _only(values, names):
    return {name: value for name, value in values.items() if name in names}


def _groups_of_courses(cursor, vendor, course_ids):
    if not course_ids:
        return set()
    cursor.execute(
        f"SELECT DISTINCT programme_id, {_year(vendor, 'start_date')}, course_type_id, "
        f"{_abroad('country')} FROM {COURSE} WHERE id IN {_ids(course_ids)} "
        "AND programme_id IS NOT NULL"
    )
    return set(cursor.fetchall())


def _groups_of_states(states):
    """The (programme, year, course type, abroad) groups of course states that may no longer
    be in the table (values before an update), by the same SQL expressions as the rows'."""
    states = [s for s in states if s["programme_id"] is not None and s["start_date"]]
    if not states:
        return set()
    vendor = connection.vendor
    date = "CAST(%s AS date)" if vendor == "postgresql" else "%s"
    groups = set()
    with connection.cursor() as cursor:
        for start in range(0, len(states), 200):
            chunk = states[start : start + 200]
            rows = ", ".join([f"(%s, {date}, %s, %s)"] * len(chunk))
            params = []
            for state in chunk:
                start_date = state["start_date"]
                params += [
                    int(state["programme_id"]),
                    start_date if isinstance(start_date, str) else start_date.isoformat(),
                    int(state["course_type_id"]),
                    state["country"] or "",
                ]
            select = (
                f"SELECT DISTINCT v.column1, {_year(vendor, 'v.column2')}, v.column3, "
                f"{_abroad('v.column4')}"
            ).replace("%", "%%")  # strftime's %Y, in a statement with parameters
            cursor.execute(f"{select} FROM (VALUES {rows}) AS v", params)
            groups |= set(cursor.fetchall())
    return groups


@contextmanager
def paused():
    """Inside a write transaction: the summary triggers do nothing for this transaction's
    writes; note the batch (``Touched.note``) whose keys to refresh. On leaving, the noted
    keys are refreshed and the triggers switched back on, before the commit. On an error the
    transaction is rolled back, and the pause with it.

    PostgreSQL: the transaction-local setting the triggers' WHEN reads. SQLite: the triggers
    are dropped for the writes and created again before the commit: any row trigger, even one
    whose WHEN is false, costs SQLite about as much as the insert of the row itself
    (measured: 50,000 enrolments 0.85 s without, 1.94 s with a trigger paused by a WHEN
    that reads a table, 2.12 s with a trigger ``WHEN 0``)."""
    if not connection.in_atomic_block:
        raise RuntimeError("summaries.paused() must run inside the write transaction")
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [PAUSED])
        else:
            for statement in drop_triggers_sql(vendor):
                cursor.execute(statement)
    touched = Touched()
    try:
        yield touched
        if connection.needs_rollback:
            return  # the transaction is to be rolled back (nothing written): the pause too
        touched.refresh()
    finally:
        if not connection.needs_rollback:
            try:
                with connection.cursor() as cursor:
                    if vendor == "postgresql":
                        cursor.execute("SELECT set_config(%s, 'off', true)", [PAUSED])
                    else:
                        for statement in create_triggers_sql(vendor):
                            cursor.execute(statement)
            except DatabaseError:
                # The transaction failed (the error that brought us here is on its way):
                # its rollback restores the triggers and the setting.
                pass


def is_paused():
    """Whether this connection's triggers are paused now (``paused``): the tests check that
    nothing is left paused after a write."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting(%s, true)", [PAUSED])
            return cursor.fetchone()[0] == "on"
    return bool(missing_triggers(connection))


def create_triggers(schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in create_triggers_sql(vendor):
        schema_editor.execute(statement, params=None)


def drop_triggers(schema_editor):
    for statement in drop_triggers_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


# --- reading ------------------------------------------------------------------------------------


def participation_rows(programme_id):
    """(year, course type id, abroad, rank id, locality id or None, n) of a programme."""
    return participation_rows_by_programme([programme_id])[programme_id]


def counted_course_ids(programme_id):
    """The programme's courses with at least one counted named participant."""
    return counted_course_ids_of([programme_id])


def distinct_people(programme_id):
    """(A PersonSummary row is deleted, never left at 0: its index alone answers.)"""
    return PersonSummary.objects.filter(programme_id=programme_id).count()


def people_by_first_year(programme_id):
    from collections import Counter

    rows = (
        PersonSummary.objects.filter(programme_id=programme_id)
        .values_list("first_year")
        .annotate(k=models.Count("id"))
        .order_by()
    )
    return Counter(dict(rows))


def cadres_by_group():
    """{(rank id, locality id or None, agency id or None): cadres}."""
    rows = CadreSummary.objects.filter(n__gt=0).values_list(
        "rank_id", "locality_id", "agency_id", "n"
    )
    return {
        (rank_id, loc_id or None, agency_id or None): n
        for rank_id, loc_id, agency_id, n in rows.order_by()
    }


# --- kept in place after every migrate ------------------------------------------------------


def missing_triggers(connection):
    """The names of the summary triggers the database lacks (on PostgreSQL: or has without
    the pause of ``paused`` in their WHEN). On SQLite a later migration that rebuilds
    courses_enrolment, courses_course or cadres_cadre (copy, drop, rename) drops the triggers
    with the old table."""
    expected = {name for name, _table, _event, _statements in trigger_bodies(connection.vendor)}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal"
            )
            present = {name for name, sql in cursor.fetchall() if PAUSED in sql}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {name for (name,) in cursor.fetchall()}
    return expected - present


def ensure_triggers(sender=None, using="default", **kwargs):
    """post_migrate (which ``manage.py flush`` sends too): put back any summary trigger a
    migration dropped, then rebuild the summaries from the rows (they may have missed writes
    without it). Also rebuilt when a summary table has rows while what it counts is all gone:
    flush DELETEs table by table with the triggers on, and deleting the people and enrolments
    after the summaries left rows of -1 behind."""
    from django.db import connections

    connection = connections[using]
    if PARTICIPATION not in connection.introspection.table_names():
        return  # the summaries' own migration has not run yet
    if not missing_triggers(connection):
        if _left_over_rows(connection):
            recompute()
        return
    vendor = connection.vendor
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in [*drop_triggers_sql(vendor), *create_triggers_sql(vendor)]:
            cursor.execute(statement)
    recompute()


def _left_over_rows(connection):
    """Whether a summary table has rows while the rows it counts are all gone (a flush):
    one query."""
    counted = {ENROLMENT: [PARTICIPATION, COURSES, PEOPLE], CADRE: [CADRES]}
    # Table names of this module's constants, not input.
    either = " OR ".join(
        f"(NOT EXISTS (SELECT 1 FROM {rows}) AND ("
        + " OR ".join(f"EXISTS (SELECT 1 FROM {table})" for table in tables)
        + "))"
        for rows, tables in counted.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN {either} THEN 1 ELSE 0 END")
        return bool(cursor.fetchone()[0])


def participation_rows_by_programme(programme_ids):
    """{programme id: participation_rows(programme id)} for several programmes, one query."""
    out = {pid: [] for pid in programme_ids}
    rows = ParticipationSummary.objects.filter(programme_id__in=programme_ids, n__gt=0)
    for pid, year, type_id, abroad, rank_id, loc_id, n in rows.values_list(
        "programme_id", "year", "course_type_id", "abroad", "rank_id", "locality_id", "n"
    ).order_by():
        out[pid].append((year, type_id, bool(abroad), rank_id, loc_id or None, n))
    return out


def counted_course_ids_of(programme_ids):
    """counted_course_ids of several programmes together (one set), one query."""
    from courses.models import Course

    courses = Course.objects.filter(programme_id__in=programme_ids).values("id")
    return set(
        CourseSummary.objects.filter(course_id__in=courses, n__gt=0)
        .values_list("course_id", flat=True)
        .order_by()
    )


def distinct_people_by_programme(programme_ids):
    """{programme id: distinct_people(programme id)} for several programmes, one query."""
    out = dict.fromkeys(programme_ids, 0)
    rows = PersonSummary.objects.filter(programme_id__in=programme_ids)
    out.update(rows.values_list("programme_id").annotate(n=models.Count("id")).order_by())
    return out
