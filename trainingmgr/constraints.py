"""Constraints the models repeat, written once: uniqueness over a column that may be empty.

A UNIQUE index never finds two NULLs equal, so a constraint over a nullable column lets any
number of rows without it through. The models say instead what is unique when the column is
set and when it is not, as two partial constraints (the names and conditions are those of
the migrations: the helpers build the very constraints the models spelled out before).
"""

from django.core.validators import MaxValueValidator
from django.db.models import Q, UniqueConstraint

# A count (participant-times, headcount, planned courses...) within what PostgreSQL's integer
# column holds, on every database: SQLite's columns take 64 bits, so a count that PostgreSQL
# refuses at the write was accepted there (an import's dry run said "updated", its write
# failed). With the validator, both refuse it as an error of the field or cell.
COUNT_VALIDATORS = [MaxValueValidator(2_147_483_647)]

# In unique_one_of's fields: the place of whichever of the columns a row names.
ONE_OF = object()


def unique_with_or_without(fields, nullable, *, name_with, name_without, where=None):
    """Unique on ``fields`` among the rows where ``nullable`` is set, and on the other fields
    among the rows where it is null; both among the rows that also match ``where`` (lookups
    such as ``{"agency__isnull": True}``), if given."""
    fields = list(fields)
    where = where or {}
    return [
        UniqueConstraint(
            fields=fields, condition=Q(**where, **{f"{nullable}__isnull": False}), name=name_with
        ),
        UniqueConstraint(
            fields=[name for name in fields if name != nullable],
            condition=Q(**where, **{f"{nullable}__isnull": True}),
            name=name_without,
        ),
    ]


def unique_one_of(fields, columns, *, names):
    """For rows that name one of ``columns`` (a locality or an agency): one constraint per
    column, unique on ``fields`` with ``ONE_OF`` standing for that column, among the rows where
    the other columns are null."""
    constraints = []
    for column, name in zip(columns, names, strict=True):
        others = {f"{other}__isnull": True for other in columns if other != column}
        constraints.append(
            UniqueConstraint(
                fields=[column if part is ONE_OF else part for part in fields],
                condition=Q(**others),
                name=name,
            )
        )
    return constraints
