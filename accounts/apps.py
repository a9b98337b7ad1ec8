from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self):
        # Once every app's admin module is loaded (django.contrib.admin, first in
        # INSTALLED_APPS, autodiscovers them in its own ready()): django.contrib.auth's,
        # django-axes' and the personal-data log's admins go on the kit too, as
        # administrators-only pages (trainingmgr/admin_kit.py).
        from django.contrib import admin

        from trainingmgr.admin_kit import adopt_administrators_only

        adopt_administrators_only(admin.site)

        # Logins off the main database's write lock (SQLite): last_login never fails a
        # login, and `migrate` also migrates the logins file (accounts/logins.py).
        from django.db.models.signals import post_migrate

        from . import logins

        logins.connect()
        post_migrate.connect(logins.migrate_logins_database, sender=self)
