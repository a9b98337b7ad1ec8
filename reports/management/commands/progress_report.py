"""python manage.py progress_report CODE [--format json|csv|text] [--as-of YYYY-MM-DD]

The JSON is an outside contract (DESIGN.md): keep its keys and status names stable.
"""

import datetime
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

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
        totals = report["totals"]
        lines = [
            f"{programme.code} · {programme.name}",
            f"{programme.legal_basis} · {report['first_year']}-{report['last_year']}",
            "",
            f"Courses             {totals['courses']:>10,}",
            f"Participant-times   {totals['participant_times']:>10,}",
            f"Distinct people     {totals['distinct_cadres']:>10,}",
            f"Average class size  {totals['avg_class_size']:>10}",
            f"Courses abroad      {totals['courses_abroad']:>10,}",
            "",
            "By rank:  " + ", ".join(f"{k} {v:,}" for k, v in report["by_rank"].items()),
            "By year:  " + ", ".join(f"{k} {v:,}" for k, v in report["by_year"].items()),
            "",
            "Targets:" if report["targets"] else "Targets: none recorded",
        ]
        for target in report["targets"]:
            actual = "-" if target["actual"] is None else target["actual"]
            progress = "" if target["progress_pct"] is None else f" ({target['progress_pct']}%)"
            lines.append(
                f"  [{STATUS_LABELS[target['status']]}] {target['code']}: "
                f"{actual} / {target['target']}{progress}"
            )
            if target.get("estimated"):
                lines.append(
                    f"      estimate: at least {target['actual_low']} (head counts without names)"
                )
            if target["short_localities"]:
                counts = target.get("short_counts", {})
                lines.append(
                    "      short: "
                    + ", ".join(
                        f"{code} ({counts.get(code, 0)})" for code in target["short_localities"]
                    )
                )
        return "\n".join(lines)
