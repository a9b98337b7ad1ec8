"""python manage.py data_quality [--year YYYY] [--format text|json] [--fail]

Lists the records that look wrong (plans.quality), each with the admin address that fixes
it. Exit 0; with --fail, exit 1 when there is any warning (for a scheduler or CI).
"""

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from accounts.scoping import NATIONAL
from plans.quality import CHECKS, count, run_checks


class Command(BaseCommand):
    help = "List the records that look wrong, with a link to fix each."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--fail", action="store_true", help="exit 1 on any warning")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.COMMAND_LANGUAGE,
        )

    def handle(self, *args, year=None, format="text", fail=False, language, **options):
        with translation.override(language):
            found = run_checks(NATIONAL, year=year)
            if format == "json":
                payload = {
                    code: [{"text": w.text, "url": w.url} for w in items]
                    for code, items in found.items()
                }
                self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            else:
                for code, items in found.items():
                    self.stdout.write(f"{CHECKS[code]} ({code}): {len(items)}")
                    for item in items:
                        self.stdout.write(f"  {item.text} {item.url}")
                self.stdout.write(f"{count(found)} warnings")
        if fail and count(found):
            sys.exit(1)
