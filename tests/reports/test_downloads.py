"""The .xlsx and .csv downloads carry the page's tables and the filters."""

import csv
import io

from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from tests.reports.conftest import add_target


def sheet_rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_xlsx_has_a_sheet_per_table_with_the_filters_on_top(client, manager, world):
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the manager chose English
    url = reverse("reports:programme_xlsx", args=["TEST-P"]) + "?locality=15"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bao-cao-TEST-P')
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 6
    sheet = book[book.sheetnames[2]]  # participant-times by year and rank
    rows = sheet_rows(sheet)
    assert rows[0][0].startswith("TEST-P")
    assert any(row[:2] == ["Locality", "Lào Cai"] for row in rows)
    by_year = {row[0]: row for row in rows}
    assert by_year[2021][-1] == 4  # A (former Yên Bái) + tally 3, the year a number
    assert by_year["Total"][-1] == 6
    locality = sheet_rows(book[book.sheetnames[3]])
    assert next(row for row in locality if row[0] == "15")[-1] == 6
    assert sheet.cell(row=len(rows), column=len(rows[-1])).font.bold


def test_csv_carries_the_same_tables(client, manager, world):
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the manager chose English
    response = client.get(reverse("reports:programme_csv", args=["TEST-P"]))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Participant-times", "15"] in rows
    # Lào Cai: directors A twice (former Yên Bái) + tally 3; officer B
    assert ["15", "Lào Cai", "0", "5", "0", "0", "1", "0", "6"] in rows


def test_the_vietnamese_xlsx_has_valid_sheet_titles(client, manager, world):
    client.force_login(manager)
    response = client.get(reverse("reports:programme_xlsx", args=["TEST-P"]))
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 6
    assert book.sheetnames[0] == "Số liệu chính"
    assert all("/" not in title for title in book.sheetnames)


def header_row(sheet):
    """The table's column headings: the row filled in the header colour."""
    return next(cell.row for cell in sheet["A"] if (cell.fill.fgColor.rgb or "").endswith("DDE6F0"))


def test_the_xlsx_keeps_its_header_in_view_and_numbers_as_numbers(client, manager, world):
    add_target(world, "PT20", "participant_times", 20)
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("reports:programme_xlsx", args=["TEST-P"]))
    book = load_workbook(io.BytesIO(response.content))
    # Full sheet names within Excel's 31 characters, none cut off.
    assert book.sheetnames == [
        "Headline figures",
        "Targets",
        "By year and rank",
        "By locality and rank",
        "Course types",
        "At home and abroad",
    ]
    for sheet in book.worksheets:
        # Everything down to the header row is frozen: it stays in view as the rows scroll.
        frozen_row = int("".join(ch for ch in sheet.freeze_panes if ch.isdigit()))
        assert frozen_row == header_row(sheet) + 1, sheet.title
    targets = book["Targets"]
    rows = sheet_rows(targets)
    row = next(row for row in rows if row[0] == "Label PT20")  # the label, not the code
    assert "PT20" not in row
    assert row[3] == 15  # the actual, a number
    assert row[6] == "not achieved"  # 15 of 20 and the period 2020-2023 is over
    progress = targets.cell(row=rows.index(row) + 1, column=6)
    assert progress.value == 0.75
    assert progress.number_format == "0.0%"  # 75.0 %, a number with a percent format
