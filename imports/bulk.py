"""Bulk writes of the importers: plain multi-row INSERTs, without model instances.

At tens of thousands of rows, building model instances and the ORM's per-value compilation
cost more than everything else an import does (docs/IMPORTS.md). Values are passed as they
are for plain field types, through the field's get_db_prep_save otherwise. Callers give
values already normalised and validated (e.g. Cadre.normalised_values()).

On PostgreSQL the rows go in with COPY (psycopg's ``cursor.copy()``), in the caller's
transaction; the pks of new rows are taken from the table's sequence first. Elsewhere
(SQLite), multi-row INSERTs. Both use the driver's own cursor: with DEBUG on, Django's
cursor formats every statement with all its values for the query log, which costs more than
the insert itself at tens of thousands of rows.

Inside ``copies_behind`` (PostgreSQL, an import that writes as it reads) the COPYs run on a
thread of their own, in the order given, while the caller reads the next rows: the server
inserts and checks the rows of one chunk while the client reads the next.
"""

import datetime
import queue
import sqlite3
import threading
from contextlib import ExitStack, contextmanager
from itertools import islice

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone

# Field types whose values (str, int, bool, None as the importers give them) go to the
# database as they are; the others (dates, times...) are adapted by their field.
_PLAIN_TYPES = {
    "CharField",
    "TextField",
    "BooleanField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "ForeignKey",
}


@contextmanager
def _cursor():
    """The database driver's cursor, its errors turned into Django's (IntegrityError...)."""
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()


def _mark():
    """The driver's placeholder (sqlite3: ?, psycopg: %s)."""
    return "?" if connection.vendor == "sqlite" else "%s"


def _copy_sql(table, columns):
    quote = connection.ops.quote_name
    return f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"


def _copy(cursor, sql, rows):
    """COPY rows (sequences of Python values, adapted by psycopg) into a PostgreSQL table."""
    with cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def insert_returning_pks(model, attnames, rows, then=None):
    """INSERT rows of values (in the order of ``attnames``) and return their pks in order:
    bulk_create without building model instances and its per-value ORM compilation, which
    dominate at tens of thousands of rows. ``then(pks)`` is called once they are written:
    inside ``copies_behind`` that is later, on the writer's thread, and None is returned.

    The model's other concrete fields get their default (auto_now fields: now). Values of
    plain types are passed as they are, others through the field's get_db_prep_save. Falls
    back to bulk_create where the database cannot return ids from a multi-row insert.
    """
    if not rows:
        return _then([], then)
    if not connection.features.can_return_rows_from_bulk_insert:
        objs = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=500)
        return _then([obj.pk for obj in objs], then)
    db = connections[DEFAULT_DB_ALIAS]  # this thread's: prepared() may run on the writer's
    now = timezone.now()
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    given = [by_attname[name] for name in attnames]
    others = [
        f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in attnames
    ]

    def default(field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        return field.get_default()

    defaults = [f.get_db_prep_save(default(f), db) for f in others]
    adapt = [
        (i, _adapter(f, db))
        for i, f in enumerate(given)
        if f.get_internal_type() not in _PLAIN_TYPES
    ]

    def prepared(row):
        if adapt:
            row = list(row)
            for i, prepare in adapt:
                row[i] = prepare(row[i])
        return (*row, *defaults)

    pk_column = model._meta.pk.column
    if connection.vendor == "postgresql":
        copy_sql = _copy_sql(
            model._meta.db_table, [pk_column, *(f.column for f in [*given, *others])]
        )

        def write(cursor):
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk_column, len(rows)],
            )
            pks = [pk for (pk,) in cursor.fetchall()]
            _copy(
                cursor, copy_sql, ((pk, *prepared(row)) for pk, row in zip(pks, rows, strict=True))
            )
            return _then(pks, then)

        return _now_or_behind(write)
    with _cursor() as cursor:
        returned = _inserts(
            cursor,
            model,
            [f.column for f in [*given, *others]],
            (prepared(row) for row in rows),
            returning=pk_column,
        )
    # SQLite returns the rows of a VALUES list in order (what Django's own bulk_create relies
    # on too).
    return _then([pk for (pk,) in returned], then)


def _adapter(field, db):
    """``prepare(value)``: a value of a field not of _PLAIN_TYPES as the database takes it, by
    the field's get_db_prep_save; a date (or None) of a DateField, what the importers give,
    straight through the backend's adapt_datefield_value, where get_db_prep_save ends after
    three more calls (a tenth of the people's insert at 27,000 rows)."""
    if field.get_internal_type() == "DateField":
        adapt_date = db.ops.adapt_datefield_value

        def prepare(value):
            if value is None or value.__class__ is datetime.date:
                return adapt_date(value)
            return field.get_db_prep_save(value, db)

        return prepare
    return lambda value: field.get_db_prep_save(value, db)


def _then(pks, then):
    if then is not None:
        then(pks)
    return pks


def insert_rows(model, columns, rows):
    """INSERT rows of column values (plain values: ids, text, numbers) into the model's table
    (COPY on PostgreSQL, multi-row INSERTs elsewhere); nothing is returned. ``rows`` may be
    a generator: inside ``copies_behind`` it is read on the writer's thread, after what was
    submitted before it is written (the pks it refers to are then known)."""
    if connection.vendor == "postgresql":
        sql = _copy_sql(model._meta.db_table, columns)
        _now_or_behind(lambda cursor: _copy(cursor, sql, rows))
        return
    with _cursor() as cursor:
        _inserts(cursor, model, columns, rows)


def _inserts(cursor, model, columns, rows, returning=None):
    """Multi-row INSERTs of ``rows`` (an iterable of values in the order of ``columns``, read
    a statement at a time) into the model's table, as many rows a statement as the database
    allows; with ``returning`` (a column), that column of the new rows, in order. Multi-row
    VALUES, not executemany: each statement of an executemany also rewrites the table's
    AUTOINCREMENT sequence, which made 50,000 enrolments take 0.96 s against 0.53."""
    quote = connection.ops.quote_name
    # Identifiers from the model's _meta, quoted; every value is a bound parameter.
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    )
    tail = f" RETURNING {quote(returning)}" if returning else ""
    one = "(" + ", ".join([_mark()] * len(columns)) + ")"
    size = rows_per_statement(len(columns))
    full = head + ", ".join([one] * size) + tail
    returned = []
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        sql = full if len(chunk) == size else head + ", ".join([one] * len(chunk)) + tail
        cursor.execute(sql, [value for row in chunk for value in row])
        if returning:
            returned.extend(cursor.fetchall())
    return returned


def rows_per_statement(columns, most=500):
    """How many rows one multi-row INSERT may carry: at most ``most``, within the database's
    limit of bound parameters (SQLite's own, which Django's features under-state as 999)."""
    limit = connection.features.max_query_params or 65535  # PostgreSQL: None (no limit but
    # the protocol's 65,535 parameters of a statement)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(most, limit // max(columns, 1)))


# Writing behind the reading (PostgreSQL) ------------------------------------------------------
_active = threading.local()


def _writer():
    return getattr(_active, "writer", None)


def _now_or_behind(job):
    """Run ``job(cursor)`` now and return what it returns; inside ``copies_behind``, submit it
    to the writer thread instead and return None."""
    writer = _writer()
    if writer is not None:
        writer.submit(job)
        return None
    with _cursor() as cursor:
        return job(cursor)


class _Writer(threading.Thread):
    """Runs the COPYs submitted by the import's thread, one at a time and in order, on that
    thread's database connection (psycopg serialises the two threads' statements: a query of
    the import's thread waits for the COPY under way). After an error it runs nothing more;
    the error is raised in the import's thread at its next submit or at the end."""

    def __init__(self, raw):
        super().__init__(name="import-writer", daemon=True)
        self.raw = raw
        # Two chunks at most wait: the memory stays that of a few chunks of rows.
        self.jobs = queue.Queue(maxsize=2)
        self.error = None
        self.cancelled = False

    def run(self):
        while (job := self.jobs.get()) is not None:
            if self.error is None and not self.cancelled:
                try:
                    with self.raw.cursor() as cursor:
                        job(cursor)
                except BaseException as exc:  # raised in the import's thread (raise_error)
                    self.error = exc

    def submit(self, job):
        self.raise_error()
        self.jobs.put(job)

    def stop(self):
        self.jobs.put(None)
        self.join()

    def raise_error(self):
        if self.error is not None:
            error, self.error = self.error, None
            self.cancelled = True
            with connections[DEFAULT_DB_ALIAS].wrap_database_errors:  # psycopg's as Django's
                raise error


@contextmanager
def copies_behind():
    """Inside an import's write transaction on PostgreSQL (elsewhere, nothing): the COPYs of
    ``insert_rows`` and ``insert_returning_pks`` are run on a writer thread while the caller
    goes on reading the file, and the foreign keys are checked as each COPY runs (SET
    CONSTRAINTS ALL IMMEDIATE) rather than all at the commit, where the client would only
    wait: at 50,000 rows the server's inserts and checks then overlap the reading of the
    next chunks. Leaving waits for every COPY; an error of one is raised here, as Django's
    (an IntegrityError...), and the transaction is rolled back by the caller's atomic."""
    if connection.vendor != "postgresql" or _writer() is not None:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    writer = _Writer(connection.connection)
    writer.start()
    _active.writer = writer
    failure = None
    try:
        yield
    except BaseException as exc:
        writer.cancelled = True  # what is queued is not written: the transaction rolls back
        failure = exc
        raise
    finally:
        _active.writer = None
        writer.stop()
        if failure is None or isinstance(failure, DatabaseError):
            writer.raise_error()  # a COPY's failure, the cause of the aborted transaction


# Tables that a higher app derives from the rows (reports.summaries: per-row triggers) take
# part in the bulk writes by registration, never by this engine importing them.
_WRITE_HOOKS = []


def register_write_hook(hook):
    """``hook()`` returns a context manager entered around an import's or a revert's writes,
    inside their transaction (reports.summaries.paused: the triggers off, the touched keys
    refreshed before the commit). What it yields has ``note(batch_id, inserted=False)`` (the
    batch's rows as they stand now: after an import's writes, with ``inserted=True``, before a
    revert's) and ``refresh()``."""
    if hook not in _WRITE_HOOKS:
        _WRITE_HOOKS.append(hook)


def unregister_write_hook(hook):
    if hook in _WRITE_HOOKS:
        _WRITE_HOOKS.remove(hook)


class _Writes:
    def __init__(self, entered):
        self.entered = entered

    def note(self, batch_id, *, inserted=False):
        for hook in self.entered:
            hook.note(batch_id, inserted=inserted)

    def refresh(self):
        for hook in self.entered:
            hook.refresh()


@contextmanager
def batch_writes():
    """Around the writes of an import or a revert, inside its transaction: every registered
    write hook (``register_write_hook``), entered in order."""
    with ExitStack() as stack:
        yield _Writes([stack.enter_context(hook()) for hook in list(_WRITE_HOOKS)])
