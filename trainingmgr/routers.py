"""Logins off the main database's write lock (SQLite only).

SQLite has one writer at a time: an import or a revert holds the main file's write lock
(``BEGIN IMMEDIATE``) for as long as its writes take, minutes for a big sheet. A login writes
its session row and django-axes' records; on the main file it would wait behind the import
and fail after the busy timeout with "database is locked". This router sends the sessions
and django-axes' tables to a second SQLite file, the ``logins`` database (beside the main
file, settings.py), which no import ever locks. A logout still deletes the session row
(database sessions, not signed cookies), and a lock-out still counts failures.

On PostgreSQL there is no ``logins`` alias and the router is not installed: rows lock one
by one there, and everything stays in the one database. ``manage.py migrate`` creates and
migrates the second file too (accounts/logins.py).
"""

LOGINS = "logins"
# The apps whose tables live in the logins database. None of their models has a foreign key
# to a model of another app (axes keeps the user name as text), so no relation crosses files.
LOGIN_APPS = frozenset({"sessions", "axes"})


class LoginsRouter:
    """Sessions and django-axes in the ``logins`` database; everything else in ``default``."""

    def db_for_read(self, model, **hints):
        return LOGINS if model._meta.app_label in LOGIN_APPS else None

    def db_for_write(self, model, **hints):
        return LOGINS if model._meta.app_label in LOGIN_APPS else None

    def allow_relation(self, obj1, obj2, **hints):
        in_logins = {obj._meta.app_label in LOGIN_APPS for obj in (obj1, obj2)}
        return None if len(in_logins) == 1 else False

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == LOGINS:
            return app_label in LOGIN_APPS
        if app_label in LOGIN_APPS:
            return False
        return None
