"""Bulk writes of the importers: plain multi-row INSERTs, without model instances.

At tens of thousands of rows, building model instances and the ORM's per-value compilation
cost more than everything else an import does (docs/IMPORTS.md). Values are passed as they
are for plain field types, through the field's get_db_prep_save otherwise. Callers give
values already normalised and validated (e.g. Cadre.normalised_values()).
"""

from django.db import connection
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


def insert_returning_pks(model, attnames, rows, batch_size=500):
    """INSERT rows of values (in the order of ``attnames``) and return their pks in order:
    bulk_create without building model instances and its per-value ORM compilation, which
    dominate at tens of thousands of rows.

    The model's other concrete fields get their default (auto_now fields: now). Values of
    plain types are passed as they are, others through the field's get_db_prep_save. Falls
    back to bulk_create where the database cannot return ids from a multi-row insert.
    """
    if not rows:
        return []
    if not connection.features.can_return_rows_from_bulk_insert:
        objs = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=batch_size)
        return [obj.pk for obj in objs]
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

    defaults = [f.get_db_prep_save(default(f), connection) for f in others]
    adapt = [
        (i, f.get_db_prep_save)
        for i, f in enumerate(given)
        if f.get_internal_type() not in _PLAIN_TYPES
    ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in [*given, *others])
    pk_column = quote(model._meta.pk.column)
    row_sql = "(" + ", ".join(["%s"] * (len(given) + len(others))) + ")"
    pks = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            chunk = rows[start : start + batch_size]
            params = []
            for row in chunk:
                if adapt:
                    row = list(row)
                    for i, prepare in adapt:
                        row[i] = prepare(row[i], connection)
                params.extend(row)
                params.extend(defaults)
            cursor.execute(
                # Identifiers from the model's _meta, quoted; every value is a bound parameter.
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
                + ", ".join([row_sql] * len(chunk))
                + f" RETURNING {pk_column}",
                params,
            )
            # Both SQLite and PostgreSQL return the rows of a VALUES list in order (what
            # Django's own bulk_create relies on too).
            pks.extend(pk for (pk,) in cursor.fetchall())
    return pks


def insert_rows(model, columns, rows):
    """INSERT rows of column values (plain values: ids, text, numbers) into the model's table
    with one executemany; nothing is returned."""
    if not rows:
        return
    quote = connection.ops.quote_name
    # Identifiers from the model's _meta, quoted; every value is a bound parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
