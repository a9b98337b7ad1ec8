"""python manage.py send_period_reminders [--year YYYY] [--dry-run]

E-mails (in Vietnamese) the clerks of every unit whose year is late: not submitted nor
approved after the deadline (plans.periods.deadline_for). Meant for a scheduler (cron).
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AccessScope
from plans.periods import completeness


def clerks_of(kind, unit):
    """Active users in the Clerks group whose scope is this unit, with an e-mail."""
    scope = Q(access_scope__kind=AccessScope.Kind.LOCALITY, access_scope__locality=unit)
    if kind == "agency":
        scope = Q(access_scope__kind=AccessScope.Kind.AGENCY, access_scope__agency=unit)
    return (
        User.objects.filter(scope, is_active=True, groups__name="Clerks")
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


class Command(BaseCommand):
    help = "E-mail the clerks of the units whose year's data is late."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="default: last year")
        parser.add_argument("--dry-run", action="store_true", help="list, send nothing")

    def handle(self, *args, year=None, dry_run=False, **options):
        year = year or timezone.localdate().year - 1
        data = completeness(year)
        sent = 0
        late = [row for row in data["rows"] if row["late"]]
        for row in late:
            recipients = [user.email for user in clerks_of(row["kind"], row["unit"])]
            if not recipients:
                self.stdout.write(f"{row['unit']}: late, no clerk with an e-mail")
                continue
            with translation.override("vi"):
                subject = _("Reminder: the %(year)s training data of %(unit)s is late") % {
                    "year": year,
                    "unit": row["unit"],
                }
                body = _(
                    "The %(year)s training data of %(unit)s was due on %(due)s and has not "
                    "been submitted. Please check the data-quality warnings, complete the "
                    "data and submit the year: %(url)s"
                ) % {
                    "year": year,
                    "unit": row["unit"],
                    "due": data["due"].strftime("%d/%m/%Y"),
                    "url": f"/plans/periods/{year}/{row['kind']}-{row['unit'].pk}/",
                }
            if not dry_run:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
            sent += len(recipients)
            self.stdout.write(f"{row['unit']}: {', '.join(recipients)}")
        self.stdout.write(
            f"{year}: {len(late)} late units, {sent} reminders"
            + (" (dry run, nothing sent)" if dry_run else " sent")
        )
