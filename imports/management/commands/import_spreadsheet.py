"""python manage.py import_spreadsheet KIND PATH [--course CODE] [--dry-run]

Exit 0 and one summary line when the file is valid; exit 1 and every error as
`row R, column C: message` (nothing written) when it is not (DESIGN.md, outside contracts).
"""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from imports.kinds import KINDS
from imports.services import run_import


class Command(BaseCommand):
    help = "Import a courses, participants, tallies or baselines sheet (.xlsx or .csv)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("path")
        parser.add_argument("--course", help="Course code for a sheet without a course column.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.COMMAND_LANGUAGE,
            help="Language of the summary and the messages (default: %(default)s).",
        )

    def handle(self, *args, kind, path, course=None, dry_run=False, language, **options):
        if not os.path.isfile(path):
            raise CommandError(f"{path}: no such file.")
        # Scripts read the output (DESIGN.md): English unless asked otherwise.
        with translation.override(language):
            with _progress_bar() as progress:
                result = run_import(kind, path, course=course, dry_run=dry_run, progress=progress)
            if not result.ok:
                for line in result.error_lines():
                    self.stderr.write(line)
                sys.exit(1)
            self.stdout.write(result.summary())


class _progress_bar:
    """A tqdm bar on stderr when it is a terminal; nothing in pipes, logs and tests."""

    def __enter__(self):
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit=" rows", file=sys.stderr, mininterval=0.5)
            return self.update
        return None

    def update(self, _row_number):
        self.bar.update(1)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
        return False
