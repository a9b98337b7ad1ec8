from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from imports.bulk import register_write_hook

        from . import summaries

        # An import's and a revert's bulk writes pause the triggers and refresh the keys
        # they touched, in their transaction.
        register_write_hook(summaries.paused)

        # A migration after the summaries' own may drop their triggers (SQLite rebuilds a
        # table to alter it): every migrate puts them back.
        post_migrate.connect(summaries.ensure_triggers, sender=self)
