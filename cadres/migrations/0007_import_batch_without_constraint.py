"""The import batch link without a database constraint (provenance.models.BatchTraced):
dropped on PostgreSQL, kept on SQLite (provenance.migration_ops.DropBatchConstraint)."""

import django.db.models.deletion
from django.db import migrations, models

from provenance.migration_ops import DropBatchConstraint


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0006_import_batch_in_provenance"),
        ("provenance", "0001_initial"),
    ]

    operations = [
        DropBatchConstraint(
            model_name="cadre",
            name="import_batch",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="provenance.importbatch",
                verbose_name="import batch",
            ),
        ),
        DropBatchConstraint(
            model_name="workforcebaseline",
            name="import_batch",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="provenance.importbatch",
                verbose_name="import batch",
            ),
        ),
    ]
