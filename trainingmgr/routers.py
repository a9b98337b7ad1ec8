"""Logins and the personal-data log off the main database's write lock (SQLite only).

SQLite has one writer at a time: an import or a revert holds the main file's write lock
(``BEGIN IMMEDIATE``) for as long as its writes take, minutes for a big sheet. A login writes
its session row and django-axes' records; on the main file it would wait behind the import
and fail after the busy timeout with "database is locked". A page that shows unmasked ID
numbers or birth dates writes its entry in the personal-data access log first, and would
wait just the same. This router sends the sessions, django-axes' tables and the
personal-data log (``accounts.PersonalDataAccess``) to a second SQLite file, the ``logins``
database (beside the main file, settings.py), which no import ever locks. A logout still
deletes the session row (database sessions, not signed cookies), and a lock-out still counts
failures.

On PostgreSQL there is no ``logins`` alias and the router is not installed: rows lock one
by one there, and everything stays in the one database. ``manage.py migrate`` creates and
migrates the second file too, and moves the log's rows written before it lived there
(accounts/logins.py).
"""

LOGINS = "logins"
# The apps whose tables live in the logins database. None of their models has a foreign key
# to a model of another app (axes keeps the user name as text), so no relation crosses files.
LOGIN_APPS = frozenset({"sessions", "axes"})
# Single models of other apps that live there too, as (app label, model name). They keep
# the user as a name and a plain id, never as a foreign key into the main file.
LOGIN_MODELS = frozenset({("accounts", "personaldataaccess")})


def in_logins(app_label, model_name=None):
    """Whether the table of this app (or of this one model) lives in the logins database."""
    return app_label in LOGIN_APPS or (app_label, (model_name or "").lower()) in LOGIN_MODELS


def _model_in_logins(model):
    return in_logins(model._meta.app_label, model._meta.model_name)


class LoginsRouter:
    """Sessions, django-axes and the personal-data log in the ``logins`` database;
    everything else in ``default``."""

    def db_for_read(self, model, **hints):
        return LOGINS if _model_in_logins(model) else None

    def db_for_write(self, model, **hints):
        return LOGINS if _model_in_logins(model) else None

    def allow_relation(self, obj1, obj2, **hints):
        in_logins_db = {_model_in_logins(obj) for obj in (obj1, obj2)}
        return None if len(in_logins_db) == 1 else False

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # An operation without a model (RunPython, RunSQL) of an app that only has single
        # models in the logins database runs on the main database only.
        if db == LOGINS:
            return in_logins(app_label, model_name)
        if in_logins(app_label, model_name):
            return False
        return None
