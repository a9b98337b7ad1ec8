"""The scope is set on the user's admin page and shown in the user list."""

from django.contrib.auth.models import Group, User
from django.urls import reverse

from accounts.models import AccessScope

from ..conftest import PASSWORD
from .conftest import current


def user_form(user, **scope):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [Group.objects.get(name="Clerks").pk],
        "date_joined_0": "01/01/2025",
        "date_joined_1": "08:00:00",
        "access_scope-TOTAL_FORMS": "1",
        "access_scope-INITIAL_FORMS": "0",
        "access_scope-MIN_NUM_FORMS": "0",
        "access_scope-MAX_NUM_FORMS": "1",
        "access_scope-0-user": user.pk,
    }
    data.update({f"access_scope-0-{key}": value for key, value in scope.items()})
    return data


def test_the_administrator_gives_a_clerk_the_lao_cai_scope(client, admin_user):
    clerk = User.objects.create_user("newclerk", "c@laocai.gov.vn", PASSWORD, is_staff=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_change", args=[clerk.pk]),
        user_form(clerk, kind="locality", locality=current("15").pk, agency=""),
    )
    assert response.status_code == 302, response.context["errors"]
    scope = AccessScope.objects.get(user=clerk)
    assert (scope.kind, scope.locality) == ("locality", current("15"))
    assert list(clerk.groups.values_list("name", flat=True)) == ["Clerks"]

    changelist = client.get(reverse("admin:auth_user_changelist"))
    row = next(u for u in changelist.context["cl"].result_list if u.pk == clerk.pk)
    admin = changelist.context["cl"].model_admin
    assert admin.scope(row) == "Lào Cai"
    assert admin.roles(row) == "Clerks"


def test_a_locality_scope_without_a_locality_is_refused(client, admin_user):
    clerk = User.objects.create_user("newclerk", "c@laocai.gov.vn", PASSWORD, is_staff=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_change", args=[clerk.pk]),
        user_form(clerk, kind="locality", locality="", agency=""),
    )
    assert response.status_code == 200
    assert not AccessScope.objects.filter(user=clerk).exists()


def test_the_user_list_shows_every_scope_without_a_query_per_row(
    client, admin_user, lao_cai_clerk, ministry_clerk, manager, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:auth_user_changelist"))
    admin = response.context["cl"].model_admin
    scopes = {u.username: admin.scope(u) for u in response.context["cl"].result_list}
    assert scopes["laocai"] == "Lào Cai"
    assert scopes["bng"] == "Bộ Ngoại giao"
    assert scopes["manager"] == scopes["admin"] == AccessScope.Kind.NATIONAL.label
