"""An administrator reads the personal-data log in the admin: whose entries (the name, linked
to the account while it exists), filtered, searched and opened; the log keeps the user as a
plain id, so deleting an account keeps its entries and their name."""

from django.urls import reverse

from accounts.audit import record_personal_data_access
from accounts.models import PersonalDataAccess
from cadres.models import Cadre

from ..access.conftest import staff

LOG = "admin:accounts_personaldataaccess_changelist"


def test_the_administrator_finds_a_clerks_viewings_and_opens_one(client, rf, world, admin_user):
    hr = staff("laocai_hr", "Clerks")
    request = rf.get("/admin/cadres/cadre/", REMOTE_ADDR="10.1.2.3")
    request.user = hr
    entry = record_personal_data_access(request, Cadre, [world.cadres.lc.pk], "page")
    PersonalDataAccess.objects.create(username="other", model="cadres.Cadre", channel="export")
    client.force_login(admin_user)

    page = client.get(reverse(LOG), {"q": "laocai", "channel__exact": "page"}).content.decode()
    assert f'<a href="{reverse("admin:auth_user_change", args=[hr.pk])}">laocai_hr</a>' in page
    assert "other" not in page
    opened = client.get(reverse("admin:accounts_personaldataaccess_change", args=[entry.pk]))
    assert opened.status_code == 200
    assert "10.1.2.3" in opened.content.decode()

    hr_id = hr.pk
    hr.delete()  # the account goes; its entries stay, with the name they were written with
    entry.refresh_from_db()
    assert (entry.user_id, entry.user, entry.username) == (hr_id, None, "laocai_hr")
    page = client.get(reverse(LOG), {"q": "laocai"}).content.decode()
    assert "laocai_hr" in page
