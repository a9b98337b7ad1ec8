from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from demo import build as demo
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
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.COMMAND_LANGUAGE,
            help="language of the output, as for the other commands (default: %(default)s)",
        )

    def handle(self, *args, language=None, **options):
        # Commands speak the command language (README), not the interface's Vietnamese.
        with translation.override(language or settings.COMMAND_LANGUAGE):
            self.load(**options)

    def load(self, once=False, **options):
        if once and demo.is_loaded():
            self.stdout.write(_("The demo data set is already loaded: nothing to do."))
            return
        created = demo.load()
        import_module("certificates.demo").load()  # certificates of a few recent courses
        import_module("evaluations.demo").load()  # their lecturers and evaluations
        plans_demo.load()  # plans: demo plans and reporting periods
        self.stdout.write(
            _(
                "Demo data set loaded: %(agencies)s agencies, %(courses)s courses, "
                "%(tallies)s tallies, %(cadres)s cadres, %(skills)s language skills, "
                "%(enrolments)s enrolments, %(baselines)s workforce baselines created."
            )
            % {**created, "skills": created["language skills"]}
        )
