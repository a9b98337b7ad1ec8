"""python manage.py revert_batch BATCH_ID [--yes]

Without --yes: prints what reverting the batch would remove, put back and keep (and why),
changes nothing, exit 0. With --yes: reverts in the foreground (a progress bar on a
terminal) and prints the same summary. Exit 1 with a clear message when the revert is
refused (no such batch, already reverted, not applied) (docs/CONTRACT.md).
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import IntegrityError
from django.utils import translation
from django.utils.translation import gettext as _

from imports.models import ImportBatch
from imports.services import RevertRefused, plan_revert, revert_batch


class Command(BaseCommand):
    help = "Show what reverting an import batch would do; revert it with --yes."

    def add_arguments(self, parser):
        parser.add_argument("batch_id")
        parser.add_argument("--yes", action="store_true", help="Revert (default: only show).")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.COMMAND_LANGUAGE,
            help="Language of the summary and the messages (default: %(default)s).",
        )

    def handle(self, *args, batch_id, yes=False, language, **options):
        with translation.override(language):
            batch = None
            if batch_id.isdigit():
                batch = ImportBatch.objects.filter(pk=int(batch_id)).first()
            if batch is None:
                self._refuse(_("No import batch %(id)s.") % {"id": batch_id})
            try:
                if not yes:
                    plan = plan_revert(batch)
                    for line in plan.summary():
                        self.stdout.write(line)
                    self.stdout.write(_("Nothing changed: add --yes to revert."))
                    return
                with _progress_bar() as progress:
                    reverted = revert_batch(batch, progress=progress)
            except RevertRefused as exc:
                self._refuse(_("Batch %(id)s: %(reason)s") % {"id": batch.pk, "reason": exc})
            except IntegrityError:
                self._refuse(
                    _("Batch %(id)s: the data changed during the revert; nothing was reverted.")
                    % {"id": batch.pk}
                )
            for line in reverted.revert_plan.summary(done=True):
                self.stdout.write(line)
            self.stdout.write(_("Batch %(id)s reverted.") % {"id": batch.pk})

    def _refuse(self, message):
        self.stderr.write(message)
        sys.exit(1)


class _progress_bar:
    """A tqdm bar on stderr when it is a terminal; nothing in pipes, logs and tests."""

    def __enter__(self):
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit=" rows", file=sys.stderr, mininterval=0.5)
            return self.update
        return None

    def update(self, done, total):
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
        return False
