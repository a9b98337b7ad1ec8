"""python manage.py recompute_summaries [--check]

Rebuilds the report's summary tables (reports.summaries) from the enrolments; with --check,
changes nothing and reports any difference between the summaries and the rows (exit 1).
"""

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import gettext as _

from reports import summaries


class Command(BaseCommand):
    help = "Rebuild the report summaries from the rows, or check them (--check)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; exit 1 when a summary differs from the rows",
        )

    @no_translations  # scripts read the output: English, as the other commands
    def handle(self, *args, check=False, **options):
        if check:
            found = summaries.differences()
            if found:
                for table, keys in sorted(found.items()):
                    self.stderr.write(
                        _("%(table)s: %(n)s keys differ from the rows")
                        % {"table": table, "n": keys}
                    )
                raise CommandError(_("The summaries differ from the rows."), returncode=1)
            self.stdout.write(_("The summaries match the rows."))
            return
        written = summaries.recompute()
        for table, rows in sorted(written.items()):
            self.stdout.write(
                _("%(table)s: %(n)s rows rebuilt from the enrolments") % {"table": table, "n": rows}
            )
