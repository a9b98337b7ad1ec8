"""A manager opens a programme in Chromium, filters by a province and downloads the .xlsx.

The run also saves docs/screenshot-programme.png, the picture the README shows.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command, get_commands
from openpyxl import load_workbook

from tests.conftest import PASSWORD, login
from tests.reports.conftest import world  # noqa: F401  (the hand-made programme TEST-P)

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-programme.png"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_manager_filters_a_programme_and_downloads_the_xlsx(page, world, tmp_path):  # noqa: F811
    manager = User.objects.create_user("manager", "m@mofa.gov.vn", PASSWORD, is_staff=True)
    manager.groups.add(Group.objects.get(name="Managers"))
    login(page, "manager")

    page.goto("/reports/")
    page.click("a[href='/reports/TEST-P/']")
    assert page.locator("#fig-participant-times").inner_text() == "15"

    page.select_option("select[name=locality]", "15")  # Lào Cai, with former Yên Bái
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/reports/TEST-P/?*locality=15*")
    assert page.locator("#fig-participant-times").inner_text() == "6"

    with page.expect_download() as download_info:
        page.click("#download-xlsx")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = load_workbook(saved)
    rows = [[c.value for c in row] for row in book[book.sheetnames[3]].iter_rows()]
    assert ["Tỉnh/thành", "Lào Cai"] in [row[:2] for row in rows]  # the filter, on top
    assert [row for row in rows if row[0] == "15"][0][-1] == 6

    # The README's picture: the seed programme from the demo data when it can be loaded.
    code = "TEST-P"
    if "load_demo" in get_commands():
        call_command("load_demo")
        code = "QD2007-2015"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/reports/{code}/?as_of=2021-06-30")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
