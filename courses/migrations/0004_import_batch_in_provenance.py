"""The import batch a row came from is now provenance.ImportBatch (the same table,
imports_importbatch): a change of the migration state only, the column and its constraint stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_score_and_pass_mark"),
        ("provenance", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="course",
                    name="import_batch",
                    field=models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="provenance.importbatch",
                        verbose_name="import batch",
                    ),
                ),
                migrations.AlterField(
                    model_name="enrolment",
                    name="import_batch",
                    field=models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="provenance.importbatch",
                        verbose_name="import batch",
                    ),
                ),
                migrations.AlterField(
                    model_name="participanttally",
                    name="import_batch",
                    field=models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="provenance.importbatch",
                        verbose_name="import batch",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
