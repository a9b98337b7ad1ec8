from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvenanceConfig(AppConfig):
    """Where a row came from: import batches and their change log, at the bottom of the domain
    (docs/ARCHITECTURE.md). The import engine (`imports`) sits above the domain and writes here;
    the domain apps only point here (``BatchTraced``)."""

    name = "provenance"
    verbose_name = _("Provenance")
