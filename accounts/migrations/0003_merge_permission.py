"""Administrators may merge duplicate cadres (cadres.merge_cadre, with the pairs marked as
different people); Managers lose cadres.view_personal_data, which reports.0001 gave them only
because its codename starts with "view_": managers read figures, not ID numbers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NEW_CODENAMES = [
    "merge_cadre",
    "add_notduplicate",
    "change_notduplicate",
    "delete_notduplicate",
    "view_notduplicate",
]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrators, _ = Group.objects.get_or_create(name="Administrators")
    administrators.permissions.add(
        *Permission.objects.filter(content_type__app_label="cadres", codename__in=NEW_CODENAMES)
    )
    personal = Permission.objects.filter(
        content_type__app_label="cadres", codename="view_personal_data"
    )
    for group in Group.objects.filter(name="Managers"):
        group.permissions.remove(*personal)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="cadres", codename__in=NEW_CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("cadres", "0004_not_duplicate"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
