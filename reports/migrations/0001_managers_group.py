"""The "Managers" group: read-only (view permissions of cadres, courses and imports).

Managers are staff users in this group: they see the reports (which need a login only) and
the admin in view mode. Permissions are normally created after migrate (post_migrate), so they
are created here first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Managers"
APPS = ("cadres", "courses", "imports")


def create_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=APPS, codename__startswith="view_"
        )
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cadres", "0002_reference_data"),
        ("courses", "0002_reference_data"),
        ("imports", "0002_change_log"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
