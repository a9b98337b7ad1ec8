"""ImportBatch and ImportChange move here from ``imports`` without moving data: in the
migration state they are created here on the tables ``imports`` made (imports 0001-0003), and
imports 0004 drops them from its own state. The database is not touched.

New databases still create the tables through imports 0001-0003: migrations already applied
on existing databases cannot change their dependencies (Django refuses an applied migration
whose dependency is not applied), so the history keeps its first route."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

IMPORT_BATCH_FIELDS = [
    (
        "id",
        models.BigAutoField(
            auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
        ),
    ),
    (
        "kind",
        models.CharField(
            choices=[
                ("courses", "Courses"),
                ("participants", "Participants"),
                ("tallies", "Tallies"),
                ("baselines", "Baselines"),
            ],
            max_length=16,
            verbose_name="kind",
        ),
    ),
    ("file_name", models.CharField(max_length=255, verbose_name="file name")),
    ("checksum", models.CharField(max_length=64, verbose_name="SHA-256")),
    ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="imported at")),
    ("rows", models.PositiveIntegerField(default=0, verbose_name="rows")),
    ("created", models.PositiveIntegerField(default=0, verbose_name="created")),
    ("updated", models.PositiveIntegerField(default=0, verbose_name="updated")),
    ("unchanged", models.PositiveIntegerField(default=0, verbose_name="unchanged")),
    ("details", models.JSONField(blank=True, default=dict, verbose_name="details")),
    (
        "status",
        models.CharField(
            choices=[("applied", "Applied"), ("reverted", "Reverted")],
            default="applied",
            max_length=10,
            verbose_name="status",
        ),
    ),
    ("reverted_at", models.DateTimeField(blank=True, null=True, verbose_name="reverted at")),
    (
        "reverted_by",
        models.ForeignKey(
            blank=True,
            null=True,
            on_delete=django.db.models.deletion.SET_NULL,
            related_name="+",
            to=settings.AUTH_USER_MODEL,
            verbose_name="reverted by",
        ),
    ),
    (
        "user",
        models.ForeignKey(
            blank=True,
            null=True,
            on_delete=django.db.models.deletion.SET_NULL,
            related_name="import_batches",
            to=settings.AUTH_USER_MODEL,
            verbose_name="imported by",
        ),
    ),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("imports", "0003_revert_keeps_later_work_and_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=IMPORT_BATCH_FIELDS,
                    options={
                        "verbose_name": "import batch",
                        "verbose_name_plural": "import batches",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "imports_importbatch",
                    },
                ),
                migrations.CreateModel(
                    name="ImportChange",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("model", models.CharField(max_length=64, verbose_name="model")),
                        ("object_id", models.BigIntegerField(verbose_name="object id")),
                        (
                            "action",
                            models.CharField(
                                choices=[("created", "Created"), ("updated", "Updated")],
                                max_length=8,
                                verbose_name="action",
                            ),
                        ),
                        (
                            "old_values",
                            models.JSONField(
                                blank=True, default=dict, verbose_name="values before"
                            ),
                        ),
                        (
                            "batch",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="changes",
                                to="provenance.importbatch",
                                verbose_name="import batch",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import change",
                        "verbose_name_plural": "import changes",
                        "ordering": ["batch", "id"],
                        "db_table": "imports_importchange",
                        "indexes": [
                            models.Index(
                                fields=["model", "object_id"], name="importchange_object_idx"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
