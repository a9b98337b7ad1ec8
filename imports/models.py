"""The import engine's models: its face of a batch.

Batches, their change log and ``BatchTraced`` live in the bottom app ``provenance`` (the domain
points there), and the background Job in the bottom app ``jobs``; they are re-exported here
under their old names for the callers that use them.
"""

from django.utils.translation import gettext_lazy as _

from jobs.models import Job  # noqa: F401  (re-exported: the job mechanism is the jobs app's)
from provenance import models as provenance
from provenance.models import BatchTraced, ImportChange  # noqa: F401  (re-exported)


class ImportBatch(provenance.ImportBatch):
    """The import engine's face of a batch (a proxy on the same table): its admin pages keep
    their addresses (``/admin/imports/importbatch/``) and the permission to import keeps its
    name (``imports.import_spreadsheet``), while the rows and their history live in the bottom
    app ``provenance``."""

    class Meta:
        proxy = True
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        permissions = [("import_spreadsheet", _("Can import spreadsheets"))]
