"""python manage.py purge_pending_uploads [--hours N]

Deletes the uploads previewed but never confirmed nor cancelled that are older than
IMPORT_PENDING_MAX_AGE_HOURS (default 24); run it from cron, e.g. hourly.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from imports import pending


class Command(BaseCommand):
    help = "Delete previewed uploads that were never confirmed, once older than the limit."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=None,
            help="Age in hours (default: IMPORT_PENDING_MAX_AGE_HOURS).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.COMMAND_LANGUAGE,
        )

    def handle(self, *args, hours=None, language, **options):
        hours = settings.IMPORT_PENDING_MAX_AGE_HOURS if hours is None else max(hours, 0)
        deleted = pending.purge(datetime.timedelta(hours=hours))
        with translation.override(language):
            self.stdout.write(
                _("Deleted %(count)d pending upload(s) older than %(hours)d hours.")
                % {"count": deleted, "hours": hours}
            )
