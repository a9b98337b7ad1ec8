"""python manage.py import_spreadsheet KIND PATH [--course CODE] [--dry-run]
                                     [--max-rows N] [--max-megabytes M]

Exit 0 and one summary line when the file is valid; exit 1 and every error as
`row R, column C: message` (nothing written) when it is not (docs/CONTRACT.md).
--max-rows / --max-megabytes lift the limits for this run only, for an administrator
migrating years of history; the web upload keeps its limits (settings).
"""

import argparse
import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import translation

from imports.kinds import KINDS
from imports.reading import limit
from imports.services import run_import
from trainingmgr.collector import fewer_collections


class Command(BaseCommand):
    help = "Import a courses, participants, tallies or baselines sheet (.xlsx or .csv)."
    # No system checks before each file (0.4 s, as long as reading 10,000 rows): a script
    # importing a hundred files pays them a hundred times; `manage.py check` runs them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("path")
        parser.add_argument("--course", help="Course code for a sheet without a course column.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--max-rows",
            type=_positive,
            help=f"Row limit for this run (default: {limit('MAX_ROWS')}).",
        )
        parser.add_argument(
            "--max-megabytes",
            type=_positive,
            help=f"File size limit in MB for this run (default: "
            f"{limit('MAX_UPLOAD_BYTES') // 1048576}).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.COMMAND_LANGUAGE,
            help="Language of the summary and the messages (default: %(default)s).",
        )

    def handle(self, *args, kind, path, course=None, dry_run=False, language, **options):
        if not os.path.isfile(path):
            raise CommandError(f"{path}: no such file.")
        limits = {}
        if options.get("max_rows"):
            limits["IMPORT_MAX_ROWS"] = options["max_rows"]
        if options.get("max_megabytes"):
            limits["IMPORT_MAX_UPLOAD_BYTES"] = options["max_megabytes"] * 1048576
        # Scripts read the output (docs/CONTRACT.md): English unless asked otherwise. The limits are
        # this process's only: the web server reads its own settings.
        with translation.override(language), override_settings(**limits):
            with _progress_bar() as progress, fewer_collections():
                result = run_import(kind, path, course=course, dry_run=dry_run, progress=progress)
            if not result.ok:
                for line in result.error_lines():
                    self.stderr.write(line)
                sys.exit(1)
            self.stdout.write(result.summary())


def _positive(raw):
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{raw!r} must be at least 1")
    return value


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
