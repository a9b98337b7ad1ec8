"""The import batch link without a database constraint (provenance.models.BatchTraced):
dropped on PostgreSQL, kept on SQLite (provenance.migration_ops.DropBatchConstraint)."""

from django.db import migrations

from provenance.migration_ops import DropBatchConstraint


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0006_import_batch_in_provenance"),
        ("provenance", "0001_initial"),
    ]

    operations = [
        DropBatchConstraint("cadre"),
        DropBatchConstraint("workforcebaseline"),
    ]
