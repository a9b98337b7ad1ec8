"""python manage.py progress_report CODE [--format json|csv|text] [--as-of YYYY-MM-DD]

The JSON is an outside contract (docs/CONTRACT.md): keep its keys and status names stable.
"""

import datetime
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, translation
from django.utils.translation import gettext as _

from courses.models import Programme
from reports.exports import report_csv
from reports.figures import STATUS_LABELS
from reports.report import ReportFilters, build_report


def as_of_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = "Progress of a programme against its targets, as JSON, CSV or text."

    def add_arguments(self, parser):
        parser.add_argument("programme", help="programme code, e.g. QD2007-2015")
        parser.add_argument("--format", choices=["json", "csv", "text"], default="json")
        parser.add_argument("--as-of", type=as_of_date, default=None, dest="as_of")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.COMMAND_LANGUAGE,
            help="language of the text and csv output (default: %(default)s)",
        )

    def handle(self, *args, language, **options):
        with translation.override(language):
            self.report(*args, **options)

    def report(self, programme, format, as_of, **options):
        try:
            programme = Programme.objects.get(code=programme)
        except Programme.DoesNotExist:
            known = ", ".join(Programme.objects.values_list("code", flat=True))
            raise CommandError(
                f"Unknown programme {programme!r}. Known codes: {known or 'none'}."
            ) from None
        # One report object for every format: the csv is its download, the JSON its projection.
        built = build_report(programme, ReportFilters(as_of=as_of))
        if format == "csv":
            self.stdout.write(report_csv(built), ending="")
            return
        report = built.as_json()
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self.as_text(programme, report))

    def as_text(self, programme, report):
        """The report for a person, in the command's language: labels translated and
        numbers grouped the language's way (9,000 in English, 9.000 in Vietnamese)."""
        totals = report["totals"]

        def number(value):
            return formats.number_format(value, force_grouping=True)

        def line(label, value):
            return f"{label:<20}{value:>10}"

        def counts(by_key):
            return ", ".join(f"{key} {number(value)}" for key, value in by_key.items())

        lines = [
            f"{programme.code} · {programme.name}",
            f"{programme.legal_basis} · {report['first_year']}-{report['last_year']}",
            "",
            line(_("Courses"), number(totals["courses"])),
            line(_("Participant-times"), number(totals["participant_times"])),
            line(_("Distinct people"), number(totals["distinct_cadres"])),
            line(_("Average class size"), number(totals["avg_class_size"])),
            line(_("Courses abroad"), number(totals["courses_abroad"])),
            "",
            _("By rank:") + "  " + counts(report["by_rank"]),
            _("By year:") + "  " + counts(report["by_year"]),
            "",
            _("Targets:") if report["targets"] else _("Targets: none recorded"),
        ]
        for target in report["targets"]:
            actual = "-" if target["actual"] is None else number(target["actual"])
            progress = (
                "" if target["progress_pct"] is None else f" ({number(target['progress_pct'])}%)"
            )
            lines.append(
                f"  [{STATUS_LABELS[target['status']]}] {target['code']}: "
                f"{actual} / {number(target['target'])}{progress}"
            )
            if target.get("estimated"):
                lines.append(
                    "      "
                    + _("estimate: at least %(low)s (head counts without names)")
                    % {"low": number(target["actual_low"])}
                )
            if target["short_localities"]:
                short = target.get("short_counts", {})
                lines.append(
                    "      "
                    + _("short:")
                    + " "
                    + ", ".join(
                        f"{code} ({number(short.get(code, 0))})"
                        for code in target["short_localities"]
                    )
                )
        return "\n".join(lines)
