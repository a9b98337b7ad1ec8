"""Roles for plans and periods: Clerks enter plans and submit their unit's year; Managers read
plans and approve or return a submitted year; Administrators do everything, reopening an
approved year included."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="plans")

    def codenames(*names):
        return ours.filter(codename__in=names)

    for group in Group.objects.filter(name="Administrators"):
        group.permissions.add(*ours)
    for group in Group.objects.filter(name="Clerks"):
        group.permissions.add(
            *codenames(
                *[
                    f"{a}_{m}"
                    for m in ("plan", "planline")
                    for a in ("add", "change", "delete", "view")
                ],
                "view_reportingperiod",
                "view_periodtransition",
                "view_reportingdeadline",
                "submit_reportingperiod",
            )
        )
    for group in Group.objects.filter(name="Managers"):
        group.permissions.add(
            *codenames(
                "view_plan",
                "view_planline",
                "view_reportingperiod",
                "view_periodtransition",
                "view_reportingdeadline",
                "approve_reportingperiod",
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("accounts", "0003_merge_permission"),
        ("reports", "0001_managers_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
