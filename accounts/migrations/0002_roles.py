"""The roles as groups: Administrators (everything, personal data included), Clerks (enter
data, import spreadsheets) and Managers (read-only, created by reports.0001). The scope of a
clerk or manager is set on the user's admin page (AccessScope)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DATA_MODELS = [
    "course",
    "enrolment",
    "participanttally",
    "cadre",
    "languageskill",
    "agency",
    "workforcebaseline",
]
REFERENCE_MODELS = ["programme", "target", "coursetype", "rank", "locality", "importbatch"]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_labels = ["cadres", "courses", "imports", "accounts"]

    administrators, _ = Group.objects.get_or_create(name="Administrators")
    administrators.permissions.set(
        Permission.objects.filter(content_type__app_label__in=[*app_labels, "auth"])
    )

    clerks, _ = Group.objects.get_or_create(name="Clerks")
    codenames = [
        f"{action}_{model}"
        for model in DATA_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    codenames += [f"view_{model}" for model in REFERENCE_MODELS]
    codenames += ["import_spreadsheet"]
    clerks.permissions.set(
        Permission.objects.filter(content_type__app_label__in=app_labels, codename__in=codenames)
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Administrators", "Clerks"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("cadres", "0003_personal_data_permission"),
        ("reports", "0001_managers_group"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
