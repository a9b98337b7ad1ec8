from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """The one job mechanism: a Job row, the progress file with its heartbeat, start, run and
    finish, and the kind → task registry (docs/ARCHITECTURE.md). It sits just above
    ``provenance`` (a job may name the import batch it made) and below the domain: the apps
    that run background work (imports, certificates) register their tasks here."""

    name = "jobs"
    verbose_name = _("Background jobs")
