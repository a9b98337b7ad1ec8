"""python manage.py purge_personal_data_log [--days N]

Deletes the entries of the personal-data access log older than PERSONAL_DATA_LOG_DAYS
(default 365); run it daily from cron.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.audit import purge


class Command(BaseCommand):
    help = "Delete personal-data access log entries older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days (default: PERSONAL_DATA_LOG_DAYS).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.COMMAND_LANGUAGE,
        )

    def handle(self, *args, days=None, language, **options):
        days = settings.PERSONAL_DATA_LOG_DAYS if days is None else max(days, 0)
        deleted = purge(days)
        with translation.override(language):
            self.stdout.write(
                _("Deleted %(count)d personal data access entries older than %(days)d days.")
                % {"count": deleted, "days": days}
            )
