"""The import batch link without a database constraint (provenance.models.BatchTraced):
dropped on PostgreSQL, kept on SQLite (provenance.migration_ops.DropBatchConstraint)."""

import django.db.models.deletion
from django.db import migrations, models

from provenance.migration_ops import DropBatchConstraint


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_enrolment_course_index_in_unique"),
        ("provenance", "0001_initial"),
    ]

    operations = [
        DropBatchConstraint(
            model_name="course",
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
            model_name="enrolment",
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
            model_name="participanttally",
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
