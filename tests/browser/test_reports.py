"""A manager in Chromium: filters a programme, downloads the .xlsx, clicks a province on the
map, reads a trajectory, opens the pages on a phone and prints the report.

Nothing here writes into docs/: the README's pictures are refreshed on purpose with
``scripts/screenshots`` (tests write only to their temporary folder)."""

import io

import pytest
from django.contrib.auth.models import Group, User
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import PASSWORD, login
from tests.reports.conftest import add_target, world  # noqa: F401  (the programme TEST-P)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def manager_logged_in(page):
    manager = User.objects.create_user("manager", "m@mofa.gov.vn", PASSWORD, is_staff=True)
    manager.groups.add(Group.objects.get(name="Managers"))
    login(page, "manager")


def test_a_manager_filters_a_programme_and_downloads_the_xlsx(page, world, tmp_path):  # noqa: F811
    manager_logged_in(page)
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
    assert next(row for row in rows if row[0] == "15")[-1] == 6


def test_the_map_filters_the_page_and_the_trajectory_is_drawn(page, world):  # noqa: F811
    add_target(world, "PT20", "participant_times", 20)
    manager_logged_in(page)
    page.goto("/reports/TEST-P/?as_of=2022-06-30")
    tiles = page.locator("svg.tile-map a.tile")
    assert tiles.count() == 35  # 34 provincial units and the central level
    assert "Lào Cai" in page.locator("svg.tile-map a[data-code='15'] title").text_content()
    # the trajectory: the actual line and the steady path, with its legend
    chart = page.locator("#target-PT20 figure.trajectory")
    assert chart.locator("polyline").count() == 2
    assert chart.locator("circle").count() == 3  # 2020, 2021, 2022 (as of mid-2022)
    assert chart.locator("ul.legend li").count() == 3
    page.locator("svg.tile-map a[data-code='15'] rect").click()
    page.wait_for_url("**/reports/TEST-P/?*locality=15*")
    assert "as_of=2022-06-30" in page.url  # the other filters are kept
    assert page.locator("#fig-participant-times").inner_text() == "6"
    assert page.locator("svg.tile-map a.tile.selected").get_attribute("data-code") == "15"


@pytest.mark.parametrize("path", ["/reports/", "/reports/TEST-P/", "/reports/overview/"])
def test_no_sideways_scrolling_on_a_phone(page, world, path):  # noqa: F811
    add_target(world, "PT20", "participant_times", 20)
    manager_logged_in(page)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if path == "/reports/TEST-P/":
        # the wide table scrolls inside its own box, the map shrinks to the screen
        box = page.locator("#table-locality_rank").evaluate(
            "t => [t.parentElement.clientWidth, t.parentElement.scrollWidth]"
        )
        assert box[0] <= 375
        assert box[1] > box[0]
        assert page.locator("svg.tile-map").bounding_box()["width"] <= 375


def test_the_printed_report_has_page_numbers_and_a_signature_block(page, world):  # noqa: F811
    add_target(world, "PT20", "participant_times", 20)
    manager_logged_in(page)
    page.goto("/reports/TEST-P/?as_of=2022-06-30")
    page.emulate_media(media="print")
    assert page.locator("#signatures").is_visible()
    assert not page.locator("form.filters").is_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    pages = [p.extract_text() for p in pdf.pages]
    total = len(pages)
    assert total >= 2
    for number, text in enumerate(pages, start=1):
        assert f"{number} / {total}" in text
    text = "\n".join(pages)
    assert "NGƯỜI LẬP BIỂU" in text
    assert "THỦ TRƯỞNG ĐƠN VỊ" in text
    assert "Hà Nội, ngày 30 tháng 06 năm 2022" in text
    # the grand totals print once, at the end of their table: a footer group would repeat
    # under every page a long table runs over
    displays = page.locator("table.data tfoot").evaluate_all(
        "feet => feet.map(f => getComputedStyle(f).display)"
    )
    assert displays == ["table-row-group"] * 4
    assert (
        page.locator("table.data thead").first.evaluate("h => getComputedStyle(h).display")
        == "table-header-group"
    )  # the column headings do repeat
