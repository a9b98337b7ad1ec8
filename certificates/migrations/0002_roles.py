"""Who may do what with certificates: Administrators everything; Clerks issue, replace, revoke
and set numbering patterns; Managers read."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLERK_CODENAMES = [
    "add_certificate",
    "change_certificate",
    "view_certificate",
    "add_numberingpattern",
    "change_numberingpattern",
    "view_numberingpattern",
]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    mine = Permission.objects.filter(content_type__app_label="certificates")
    administrators, _ = Group.objects.get_or_create(name="Administrators")
    administrators.permissions.add(*mine)
    for group in Group.objects.filter(name="Clerks"):
        group.permissions.add(*mine.filter(codename__in=CLERK_CODENAMES))
    for group in Group.objects.filter(name="Managers"):
        group.permissions.add(*mine.filter(codename__startswith="view_"))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    mine = Permission.objects.filter(content_type__app_label="certificates")
    for group in Group.objects.filter(name__in=["Administrators", "Clerks", "Managers"]):
        group.permissions.remove(*mine)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("accounts", "0003_merge_permission"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
