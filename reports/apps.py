from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import summaries

        # A migration after the summaries' own may drop their triggers (SQLite rebuilds a
        # table to alter it): every migrate puts them back.
        post_migrate.connect(summaries.ensure_triggers, sender=self)
