"""python manage.py issue_certificates COURSE_CODE

Issues every certificate the course owes; prints one line per participant not eligible
(`not eligible: NAME: reason`) and a summary line; exit 0 (docs/CONTRACT.md). On a terminal a
tqdm bar on stderr shows the participants done of total (nothing in pipes, logs and tests)."""

import datetime
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from certificates.services import issue_for_course
from courses.models import Course


class _progress_bar:
    """A tqdm bar on stderr when it is a terminal; None (no bar) otherwise."""

    def __enter__(self):
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit=" participants", file=sys.stderr, mininterval=0.5)
            return self.update
        return None

    def update(self, done, total):
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
        return False


class Command(BaseCommand):
    help = "Issue the certificates of a course; list the participants not eligible, with why."

    def add_arguments(self, parser):
        parser.add_argument("course_code")
        parser.add_argument("--date", help="Issue date, yyyy-mm-dd (default: today).")
        parser.add_argument("--signer-name", default="")
        parser.add_argument("--signer-title", default="")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.COMMAND_LANGUAGE,
            help="Language of the output (default: %(default)s).",
        )

    def handle(self, *args, course_code, date=None, signer_name, signer_title, language, **opts):
        with translation.override(language):
            course = Course.objects.filter(code=course_code.strip()).first()
            if course is None:
                raise CommandError(_("No course has the code %(code)s.") % {"code": course_code})
            issued_on = None
            if date:
                try:
                    issued_on = datetime.date.fromisoformat(date)
                except ValueError:
                    raise CommandError(
                        _("--date: %(value)s is not a date (yyyy-mm-dd).") % {"value": date}
                    ) from None
            with _progress_bar() as progress:
                outcome = issue_for_course(
                    course,
                    None,
                    issued_on=issued_on,
                    signer_name=signer_name,
                    signer_title=signer_title,
                    progress=progress,
                )
            for refused in outcome.not_eligible:
                self.stdout.write(
                    _("not eligible: %(name)s: %(reason)s")
                    % {"name": refused.holder, "reason": refused.reason}
                )
            self.stdout.write(
                _(
                    "%(course)s: %(issued)s issued, %(already)s already issued, "
                    "%(refused)s not eligible."
                )
                % {
                    "course": course.code,
                    "issued": len(outcome.issued),
                    "already": len(outcome.already),
                    "refused": len(outcome.not_eligible),
                }
            )
