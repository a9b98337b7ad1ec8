"""The Managers group: read-only access to the data, and the reports."""

from django.contrib.auth.models import Group
from django.urls import reverse


def test_the_managers_group_can_view_but_not_change(manager):
    group = Group.objects.get(name="Managers")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_course", "view_enrolment", "view_cadre", "view_programme"} <= codenames
    assert not any(c.startswith(("add_", "change_", "delete_")) for c in codenames)
    assert manager.has_perm("courses.view_course")
    assert not manager.has_perm("courses.change_course")


def test_a_manager_reaches_the_admin_in_view_mode(client, manager):
    client.force_login(manager)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("reports:programme_list")).status_code == 200
