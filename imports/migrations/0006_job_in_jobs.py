"""The background Job now lives in the bottom app ``jobs`` (jobs 0001 took it into its state on
the same table, ``imports_job``); here it leaves the state of ``imports``. Nothing in the
database moves. Its content type follows the model to ``jobs``, with its permissions (no
group holds one; they move all the same, so nothing is left pointing at a model that is
gone)."""

from django.db import migrations


def move_content_type(apps, schema_editor, source="imports", target="jobs"):
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    old = content_type.objects.filter(app_label=source, model="job").first()
    if old is None:
        return
    new = content_type.objects.filter(app_label=target, model="job").first()
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
    move_content_type(apps, schema_editor, source="jobs", target="imports")


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0005_job_kind_certificates"),
        ("jobs", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Job")],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_it_back),
    ]
