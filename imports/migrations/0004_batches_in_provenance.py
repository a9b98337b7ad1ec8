"""ImportBatch and ImportChange now live in the bottom app ``provenance`` (provenance 0001 took
them into its state on the same tables); here they leave the state of ``imports``. Nothing in
the database moves: no table, column or row.

``imports.ImportBatch`` stays as a proxy, so that the admin keeps its addresses and the
batch's content type and permissions (``imports.import_spreadsheet``, ``imports.view_importbatch``,
given to the groups) stay the very rows they were. The change log's content type follows its
model to ``provenance``, with the permissions the groups hold on it.

It runs after every migration that grants permissions from the old state (accounts, reports,
plans), so new and existing databases end in the same state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_change_log_content_type(apps, schema_editor, source="imports", target="provenance"):
    """The change log's content type and permissions go to ``target``. When a migration has
    already made the target's (a new database: permissions are created from the state as it
    was), the groups and users move to those and the old ones go."""
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    old = content_type.objects.filter(app_label=source, model="importchange").first()
    if old is None:
        return
    new = content_type.objects.filter(app_label=target, model="importchange").first()
    if new is None:
        old.app_label = target
        old.save(update_fields=["app_label"])
        return
    for perm in permission.objects.filter(content_type=old):
        twin, _created = permission.objects.get_or_create(
            content_type=new, codename=perm.codename, defaults={"name": perm.name}
        )
        twin.group_set.add(*perm.group_set.all())
        twin.user_set.add(*perm.user_set.all())
    permission.objects.filter(content_type=old).delete()
    old.delete()


def move_it_back(apps, schema_editor):
    move_change_log_content_type(apps, schema_editor, source="provenance", target="imports")


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0003_revert_keeps_later_work_and_jobs"),
        ("provenance", "0001_initial"),
        ("cadres", "0006_import_batch_in_provenance"),
        ("courses", "0004_import_batch_in_provenance"),
        ("plans", "0003_import_batch_in_provenance"),
        ("accounts", "0004_personal_data_access"),
        ("reports", "0001_managers_group"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="job",
                    name="batch",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="jobs",
                        to="provenance.importbatch",
                        verbose_name="import batch",
                    ),
                ),
                migrations.DeleteModel(name="ImportChange"),
                migrations.DeleteModel(name="ImportBatch"),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="ImportBatch",
            fields=[],
            options={
                "verbose_name": "import batch",
                "verbose_name_plural": "import batches",
                "permissions": [("import_spreadsheet", "Can import spreadsheets")],
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("provenance.importbatch",),
        ),
        migrations.RunPython(move_change_log_content_type, move_it_back),
    ]
