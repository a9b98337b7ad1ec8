"""Searching as people type: one rule for every changelist search and every autocomplete.

A search term and the searched column are both *folded*: lower-cased, Vietnamese (and other
Latin) diacritics removed, đ counted as d, spaces and punctuation kept. "tieng anh" finds
"Tiếng Anh", "da nang" finds "Đà Nẵng", "HUE" finds "Huế".

The folding of the column happens in the database, through a function ``tm_fold(text)``:

- on SQLite it is registered on every connection (``connection_created``) and runs
  :func:`fold_for_search` itself;
- on PostgreSQL it is a plain SQL function (``lower(translate(...))``, IMMUTABLE, no
  extension) created by the migration ``cadres/migrations/0005_tm_fold_function.py`` from
  :func:`postgresql_function_sql`, built from the same table as the Python side.

No folded copy of a column is stored, so nothing has to be kept in step by bulk writes.
Every admin of the project gets the rule from :class:`FoldedSearchMixin`; the ``__fold``
transform it uses is registered on CharField and TextField and can be used in any query
(``Course.objects.filter(title__fold__contains=fold_for_search("tieng anh"))``).
"""

import unicodedata

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.backends.signals import connection_created
from django.db.models import Transform
from django.dispatch import receiver
from django.utils.text import smart_split, unescape_string_literal

FUNCTION_NAME = "tm_fold"


def _build_table():
    """{character: its folded replacement}: every precomposed Latin letter whose canonical
    decomposition starts with an ASCII letter maps to that letter in lower case; đ/Đ (and the
    look-alike Ð/ð) map to d; the combining diacritics (text typed decomposed) are dropped."""
    table = {}
    ranges = [range(0x00C0, 0x0250), range(0x1E00, 0x1F00)]
    for block in ranges:
        for code in block:
            char = chr(code)
            base = unicodedata.normalize("NFD", char)[0]
            if base != char and base.isascii() and base.isalpha():
                table[char] = base.lower()
    for char in "đĐðÐ":
        table[char] = "d"
    for code in range(0x0300, 0x0370):  # combining diacritical marks
        table[chr(code)] = ""
    return dict(sorted(table.items()))


FOLD_TABLE = _build_table()
_TRANSLATE = str.maketrans({char: (repl or None) for char, repl in FOLD_TABLE.items()})


def fold_for_search(value):
    """The folded form used by search: 'Thừa Thiên - Huế' -> 'thua thien - hue'.

    Unlike trainingmgr.text.fold() (which keeps letters and digits only, for matching
    imported values), spaces and punctuation stay, so that each word of a search is matched
    on its own as Django's admin does."""
    if value is None:
        return None
    return str(value).translate(_TRANSLATE).lower()


def postgresql_function_sql():
    """CREATE FUNCTION tm_fold(text) for PostgreSQL, from the same table as fold_for_search.

    translate() maps each character of its second argument to the character at the same
    position of the third, and deletes those beyond its end: the replaced letters first,
    then the combining marks. lower() runs after translate(), so that a database with the
    C locale (whose lower() leaves non-ASCII letters alone) folds the same way."""
    replaced = [(char, repl) for char, repl in FOLD_TABLE.items() if repl]
    dropped = [char for char, repl in FOLD_TABLE.items() if not repl]
    source = "".join(char for char, _repl in replaced) + "".join(dropped)
    target = "".join(repl for _char, repl in replaced)
    return (
        f"CREATE OR REPLACE FUNCTION {FUNCTION_NAME}(value text) RETURNS text "
        f"AS $$ SELECT lower(translate(value, '{source}', '{target}')) $$ "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
    )


POSTGRESQL_DROP_SQL = f"DROP FUNCTION IF EXISTS {FUNCTION_NAME}(text)"


def _register_sqlite_function(connection):
    connection.connection.create_function(FUNCTION_NAME, 1, fold_for_search, deterministic=True)


@receiver(connection_created, dispatch_uid="trainingmgr.search.tm_fold")
def _on_connection_created(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        _register_sqlite_function(connection)


# Connections opened before this module was imported.
for _connection in connections.all(initialized_only=True):
    if _connection.vendor == "sqlite" and _connection.connection is not None:
        _register_sqlite_function(_connection)


class Fold(Transform):
    """``field__fold``: the column as tm_fold() gives it."""

    lookup_name = "fold"
    function = FUNCTION_NAME

    @property
    def output_field(self):
        return models.TextField()


models.CharField.register_lookup(Fold)
models.TextField.register_lookup(Fold)


def _text_field_at(model, path):
    """The field a search_fields entry names (following relations), or None."""
    opts = model._meta
    field = None
    for part in path.split("__"):
        if opts is None:
            return None
        try:
            field = opts.get_field(opts.pk.name if part == "pk" else part)
        except FieldDoesNotExist:
            return None
        opts = field.path_infos[-1].to_opts if hasattr(field, "path_infos") else None
    return field


def folded_lookup(model, search_field):
    """The ORM lookup of one search_fields entry under the folding rule.

    '^name' starts with, '=code' is exact, anything else (including '@') contains; a field
    that is not text (a number...) keeps Django's own lookup, unfolded."""
    name = str(search_field)
    operator = "contains"
    if name[:1] in "^=@" and name:
        operator = {"^": "startswith", "=": "exact", "@": "contains"}[name[0]]
        name = name[1:]
    field = _text_field_at(model, name)
    if isinstance(field, (models.CharField, models.TextField)):
        return f"{name}__fold__{operator}", True
    return f"{name}__{'iexact' if operator == 'exact' else 'icontains'}", False


class FoldedSearchMixin:
    """ModelAdmin mixin: the changelist search and the autocomplete of this model (which
    Django runs through get_search_results too) match without diacritics and case.

    Each word of the search must match one of the search fields, as in Django's admin;
    quoted phrases stay one word."""

    def get_search_results(self, request, queryset, search_term):
        search_fields = self.get_search_fields(request)
        if not search_fields or not search_term:
            return queryset, False
        lookups = [folded_lookup(queryset.model, field) for field in search_fields]
        term_queries = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            folded = fold_for_search(bit)
            if not folded.strip():
                continue
            term_queries.append(
                models.Q.create(
                    [(lookup, folded if is_folded else bit) for lookup, is_folded in lookups],
                    connector=models.Q.OR,
                )
            )
        if not term_queries:
            return queryset, False
        queryset = queryset.filter(models.Q.create(term_queries))
        may_have_duplicates = any(
            lookup_spawns_duplicates(self.opts, lookup) for lookup, _folded in lookups
        )
        return queryset, may_have_duplicates
