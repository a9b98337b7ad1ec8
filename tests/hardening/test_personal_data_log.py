"""Who saw personal data: every unmasked display or export of ID numbers and birth dates is
written down (who, when, what, how, from where), kept for a set period, read by administrators."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.audit import record_personal_data_access
from accounts.models import PersonalDataAccess
from cadres.models import Cadre
from courses.models import Enrolment

from ..access.conftest import staff
from ..access.test_personal_data import ID, export

LOG = "admin:accounts_personaldataaccess_changelist"


@pytest.fixture
def trusted_clerk(db):
    """A Lào Cai clerk who was given the personal-data permission."""
    from ..access.conftest import current

    user = staff("laocai_hr", "Clerks", kind="locality", locality=current("15"))
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    return type(user).objects.get(pk=user.pk)


def test_a_clerk_with_the_permission_opening_a_cadre_is_logged_once(client, world, trusted_clerk):
    client.force_login(trusted_clerk)
    cadre = world.cadres.lc
    response = client.get(
        reverse("admin:cadres_cadre_change", args=[cadre.pk]), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    assert ID in response.content.decode()
    entry = PersonalDataAccess.objects.get()
    assert entry.user == trusted_clerk
    assert entry.username == "laocai_hr"
    assert entry.model == "cadres.Cadre"
    assert entry.object_ids == [cadre.pk]
    assert entry.count == 1
    assert entry.channel == "page"
    assert entry.ip_address == "10.1.2.3"
    assert entry.path == reverse("admin:cadres_cadre_change", args=[cadre.pk])
    assert timezone.now() - entry.at < datetime.timedelta(minutes=5)


def test_a_clerk_without_the_permission_leaves_no_entry(client, world, lao_cai_clerk):
    client.force_login(lao_cai_clerk)
    response = client.get(reverse("admin:cadres_cadre_change", args=[world.cadres.lc.pk]))
    assert response.status_code == 200
    assert ID not in response.content.decode()
    client.get(reverse("admin:cadres_cadre_changelist"))
    export(client, "cadres_cadre")
    assert not PersonalDataAccess.objects.exists()


def test_the_cadre_list_logs_the_people_on_the_page(client, world, trusted_clerk):
    client.force_login(trusted_clerk)
    response = client.get(reverse("admin:cadres_cadre_changelist"))
    shown = sorted(c.pk for c in response.context["cl"].result_list)
    entry = PersonalDataAccess.objects.get()
    assert sorted(entry.object_ids) == shown
    assert entry.count == len(shown) == 2
    assert entry.channel == "page"


def test_an_export_with_personal_columns_is_one_entry_with_the_count(client, world, admin_user):
    client.force_login(admin_user)
    response = export(client, "courses_enrolment")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    entry = PersonalDataAccess.objects.get()
    assert entry.channel == "export"
    assert entry.model == "courses.Enrolment"
    assert entry.count == len(rows) - 1 == Enrolment.objects.count()
    assert entry.user == admin_user


def test_an_export_without_personal_columns_is_not_logged(client, world, admin_user):
    client.force_login(admin_user)
    export(client, "courses_course")
    assert not PersonalDataAccess.objects.exists()


def test_other_code_records_through_one_function(rf, world, admin_user):
    request = rf.get("/api/programmes/QD2007-2015/progress", REMOTE_ADDR="192.0.2.9")
    request.user = admin_user
    entry = record_personal_data_access(request, Cadre, [world.cadres.lc.pk], "api")
    assert entry.channel == "api"
    assert entry.ip_address == "192.0.2.9"
    # The same thing twice in one request is one entry; a count alone is fine.
    assert record_personal_data_access(request, Cadre, [world.cadres.lc.pk], "api") is None
    record_personal_data_access(request, "courses.Enrolment", count=40, channel="document")
    assert PersonalDataAccess.objects.count() == 2
    with pytest.raises(ValueError, match="fax"):
        record_personal_data_access(request, Cadre, [1], "fax")


def test_only_administrators_see_the_log_and_nobody_edits_it(
    client, world, admin_user, trusted_clerk, manager
):
    request_entry = PersonalDataAccess.objects.create(
        username="laocai_hr", model="cadres.Cadre", object_ids=[1], count=1, channel="page"
    )
    for user in (trusted_clerk, manager):
        client.force_login(user)
        assert client.get(reverse(LOG)).status_code == 403
    administrator = staff("quantri", "Administrators")
    for user in (admin_user, administrator):
        client.force_login(user)
        response = client.get(reverse(LOG))
        assert response.status_code == 200
        assert "laocai_hr" in response.content.decode()
        change = reverse("admin:accounts_personaldataaccess_change", args=[request_entry.pk])
        client.post(change, {"username": "someone else"})
        delete = reverse("admin:accounts_personaldataaccess_delete", args=[request_entry.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert client.get(reverse("admin:accounts_personaldataaccess_add")).status_code == 403
    request_entry.refresh_from_db()
    assert request_entry.username == "laocai_hr"


@pytest.mark.parametrize(("action", "kind"), [("export_csv", "text/csv"), ("export_xlsx", "sheet")])
def test_administrators_export_the_log(client, admin_user, db, action, kind):
    entry = PersonalDataAccess.objects.create(
        username="laocai_hr", model="cadres.Cadre", object_ids=[7, 9], count=2, channel="export"
    )
    client.force_login(admin_user)
    response = client.post(
        reverse(LOG), {"action": action, "_selected_action": [entry.pk], "index": 0}
    )
    assert response.status_code == 200
    assert kind in response["Content-Type"]
    if action == "export_csv":
        text = response.content.decode("utf-8-sig")
        assert "laocai_hr" in text
        assert "7 9" in text
    else:
        rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
        assert rows[1][1] == "laocai_hr"
        assert rows[1][4] == 2


def test_entries_older_than_the_period_are_purged(db, settings):
    settings.PERSONAL_DATA_LOG_DAYS = 365
    old = PersonalDataAccess.objects.create(username="a", model="cadres.Cadre", channel="page")
    recent = PersonalDataAccess.objects.create(username="b", model="cadres.Cadre", channel="page")
    PersonalDataAccess.objects.filter(pk=old.pk).update(
        at=timezone.now() - datetime.timedelta(days=366)
    )
    PersonalDataAccess.objects.filter(pk=recent.pk).update(
        at=timezone.now() - datetime.timedelta(days=364)
    )
    out = io.StringIO()
    call_command("purge_personal_data_log", stdout=out)
    assert list(PersonalDataAccess.objects.values_list("username", flat=True)) == ["b"]
    assert "Deleted 1" in out.getvalue()
