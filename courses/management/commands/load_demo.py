from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from courses import demo
from plans import demo as plans_demo


class Command(BaseCommand):
    help = (
        "Load a demo data set that reproduces the seed's figures (2007-2010, 2016-2020) and "
        "adds named participants for 2021-2026. Running it again creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Do nothing if the demo is already loaded (used by `make run`).",
        )

    def handle(self, *args, once=False, **options):
        if once and demo.is_loaded():
            self.stdout.write(_("The demo data set is already loaded: nothing to do."))
            return
        created = demo.load()
        plans_demo.load()  # plans: demo plans and reporting periods
        self.stdout.write(
            _(
                "Demo data set loaded: %(agencies)s agencies, %(courses)s courses, "
                "%(tallies)s tallies, %(cadres)s cadres, %(skills)s language skills, "
                "%(enrolments)s enrolments, %(baselines)s workforce baselines created."
            )
            % {**created, "skills": created["language skills"]}
        )
