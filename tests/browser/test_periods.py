"""In Chromium: the Lào Cai clerk submits the 2026 data with a note, the manager approves it,
and the period page shows the status and every move."""

import pytest
from django.contrib.auth.models import Group, User

from accounts.models import AccessScope
from cadres.models import Locality
from plans.models import ReportingPeriod
from tests.conftest import PASSWORD, login


def staff(username, group, **scope):
    user = User.objects.create_user(username, f"{username}@example.vn", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if scope:
        AccessScope.objects.create(user=user, **scope)
    return user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerk_submits_and_a_manager_approves_in_the_browser(page, browser, live_server):
    lao_cai = Locality.objects.get(code="15", era=Locality.Era.CURRENT)
    staff("laocai", "Clerks", kind="locality", locality=lao_cai)
    staff("manager", "Managers")
    url = f"/plans/periods/2026/locality-{lao_cai.pk}/"

    login(page, "laocai")
    page.goto(url)
    assert page.locator("#period-status").get_attribute("data-status") == "open"
    page.fill("textarea[name=note]", "Đã nhập đủ số liệu năm 2026")
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert page.locator("#period-status").get_attribute("data-status") == "submitted"
    assert page.locator("button[value=approve]").count() == 0  # not the clerk's to approve

    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    manager_page = context.new_page()
    login(manager_page, "manager")
    manager_page.goto("/plans/periods/?year=2026")
    manager_page.click(f"a[href='{url}']")
    manager_page.click("button[value=approve]")
    manager_page.wait_for_load_state()
    assert manager_page.locator("#period-status").get_attribute("data-status") == "approved"
    history = manager_page.locator("table.transitions").inner_text()
    assert "laocai" in history
    assert "manager" in history
    assert "Đã nhập đủ" in history
    context.close()

    period = ReportingPeriod.objects.get(locality=lao_cai, year=2026)
    assert period.status == "approved"
    assert period.approved_by.username == "manager"
