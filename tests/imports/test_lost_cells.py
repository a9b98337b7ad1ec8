"""Cells that calamine reads as empty although they are not (round 12): an Excel error
(#N/A of a failed VLOOKUP, #VALUE!...) and a formula whose value was never calculated (a
file written by a program, never saved by Excel). Each is an error of its row and column,
never an empty cell: a failed lookup of the province had made the locality "none", and one
of the ID number a new person. A CSV file saved from such a sheet holds the error as text."""

import zipfile
from functools import partial

import pytest

from courses.models import ParticipantTally
from imports import read_ahead, reading
from imports.services import run_import

from .helpers import command, write_csv
from .test_sheet_choice import MAIN, REL_NS, write_workbook

HEADER = ["Mã khóa", "Cấp", "Tỉnh/thành", "Giới tính", "Số lượt", "Ghi chú"]
ERROR_WORDS = "the cell holds the Excel error #N/A, not a value"
UNCALCULATED = "the cell holds a formula whose value was never calculated"


class Raw(str):
    """A cell given as its XML, ``{ref}`` standing for its reference."""


def sheet(rows, prefix="", first_column=0):
    p = f"{prefix}:" if prefix else ""

    def cell(ref, value):
        if isinstance(value, Raw):
            return value.format(ref=ref, p=p)
        if isinstance(value, int):
            return f'<{p}c r="{ref}"><{p}v>{value}</{p}v></{p}c>'
        return f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}t>{value}</{p}t></{p}is></{p}c>'

    body = "".join(
        f'<{p}row r="{r}">'
        + "".join(cell(f"{chr(65 + first_column + c)}{r}", v) for c, v in enumerate(row) if v != "")
        + f"</{p}row>"
        for r, row in enumerate(rows, start=1)
    )
    namespace = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {namespace}>'
        f"<{p}sheetData>{body}</{p}sheetData></{p}worksheet>"
    )


def workbook(path, xml):
    return write_workbook(
        path,
        ['<sheet name="Lượt" sheetId="1" r:id="rId1"/>'],
        [("rId1", "worksheets/sheet1.xml")],
        {"xl/worksheets/sheet1.xml": xml},
        declarations=f'xmlns:r="{REL_NS}"',
    )


FAILED_LOOKUP = Raw(
    '<{p}c r="{ref}" t="e"><{p}f>VLOOKUP(A2,Tinh!A:B,2,0)</{p}f><{p}v>#N/A</{p}v></{p}c>'
)
NEVER_CALCULATED = Raw('<{p}c r="{ref}"><{p}f>2+3</{p}f><{p}v/></{p}c>')
NO_VALUE_AT_ALL = Raw('<{p}c r="{ref}"><{p}f>2+3</{p}f></{p}c>')
CALCULATED = Raw('<{p}c r="{ref}"><{p}f>3+4</{p}f><{p}v>7</{p}v></{p}c>')
EMPTY_TEXT = Raw('<{p}c r="{ref}" t="str"><{p}f>IF(1,"","x")</{p}f><{p}v></{p}v></{p}c>')
DIV_ZERO = Raw('<{p}c r="{ref}" t="e"><{p}v>#DIV/0!</{p}v></{p}c>')


def rows():
    return [
        HEADER,
        ["K2020-03", "Chuyên viên", FAILED_LOOKUP, "", 5, ""],
        ["K2020-03", "Vụ trưởng", "Quảng Nam", "", NEVER_CALCULATED, ""],
        ["K2020-03", "Chuyên viên", "Lào Cai", "", CALCULATED, ""],
        ["K2020-03", "Chuyên viên", "Quảng Nam", EMPTY_TEXT, 4, DIV_ZERO],
        ["K2020-03", "Vụ trưởng", "Lào Cai", "", NO_VALUE_AT_ALL, ""],
    ]


EXPECTED = [
    (2, "Tỉnh/thành", ERROR_WORDS),
    (3, "Số lượt", UNCALCULATED),
    (6, "Số lượt", UNCALCULATED),
]


def found(result):
    return [
        (row, column, next(w for w in (ERROR_WORDS, UNCALCULATED) if w in message))
        for row, column, message in result.errors
    ]


@pytest.mark.parametrize("prefix", ["", "x"])
@pytest.mark.parametrize("first_column", [0, 2])
def test_error_cells_and_formulas_without_value_are_errors_of_their_cells(
    tmp_path, courses, prefix, first_column
):
    """A computed formula (7), a formula whose value is an empty text and an error in a
    column the import does not read are no errors; the sheet may start at column C and
    its elements carry a prefix."""
    path = workbook(tmp_path / "luot.xlsx", sheet(rows(), prefix, first_column))
    for dry_run in (True, False):
        result = run_import("tallies", path, dry_run=dry_run)
        assert found(result) == EXPECTED
    assert not ParticipantTally.objects.exists()
    code, _out, err = command("tallies", path)
    assert code == 1
    assert err.splitlines()[0].startswith("row 2, column Tỉnh/thành: " + ERROR_WORDS)
    # Without those cells, the rest is read: the 7 of the calculated formula included.
    fixed = rows()
    fixed[1][2], fixed[2][4], fixed[5][4] = "Hà Nội", 2, 1
    good = workbook(tmp_path / "sua.xlsx", sheet(fixed, prefix, first_column))
    result = run_import("tallies", good)
    assert not result.errors, result.errors
    assert sorted(ParticipantTally.objects.values_list("count", flat=True)) == [1, 2, 4, 5, 7]


def test_the_read_ahead_of_the_command_finds_them_too(tmp_path, courses):
    """manage.py checks and parses the workbook before Django's set-up (read_ahead)."""
    path = workbook(tmp_path / "luot.xlsx", sheet(rows()))
    read_ahead.start([str(path)])
    assert read_ahead._started, "the file was not read ahead"
    result = run_import("tallies", path, dry_run=True)
    assert not read_ahead._started
    assert found(result) == EXPECTED


def test_a_blank_looking_row_with_an_error_cell_is_a_row(tmp_path, courses):
    """Every cell of the row is an error: calamine gives a row of empty cells, which the
    import would skip as a blank line."""
    lost = [HEADER, ["K2020-03", "Chuyên viên", "Lào Cai", "", 3, ""]]
    lost.append([FAILED_LOOKUP, FAILED_LOOKUP, FAILED_LOOKUP, "", DIV_ZERO, ""])
    result = run_import("tallies", workbook(tmp_path / "a.xlsx", sheet(lost)), dry_run=True)
    assert [(row, column) for row, column, _m in result.errors] == [
        (3, "Mã khóa"),
        (3, "Cấp"),
        (3, "Tỉnh/thành"),
        (3, "Số lượt"),
    ]
    assert "#DIV/0!" in result.errors[-1][2]


def test_every_lost_cell_is_found_across_the_blocks_the_check_reads(tmp_path):
    """The check reads the sheet's XML by the megabyte: a cell cut by a block's end is found
    whole in the next, and the sheet's very last cell too."""
    padding = "x" * 150
    count = 9000  # about 1.7 MB of XML: cells cut at the end of the first block
    body = [["Mã khóa", "Số lượt"]] + [[padding, DIV_ZERO] for _ in range(count)]
    body[-1][1] = NEVER_CALCULATED
    path = workbook(tmp_path / "dai.xlsx", sheet(body))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 1 << 20
    choice = reading.check_xlsx(partial(open, path, "rb"), path.name)
    assert len(choice.lost_cells) == count
    assert choice.lost_cells[(count + 1, 2)] == ""
    assert set(choice.lost_cells.values()) == {"#DIV/0!", ""}


def test_a_sheet_of_errors_is_refused_whole(tmp_path, db):
    body = [["Mã khóa", "Số lượt"]] + [["K", DIV_ZERO] for _ in range(reading.MAX_LOST_CELLS + 1)]
    path = workbook(tmp_path / "loi.xlsx", sheet(body))
    with pytest.raises(reading.FileRejected, match="more than 10,000 cells that hold an Excel"):
        reading.check_xlsx(partial(open, path, "rb"), path.name)


@pytest.mark.parametrize("cell", ["#N/A", " #value! ", "#REF!", "Err:502"])
def test_an_error_saved_as_text_in_a_csv_is_an_error(tmp_path, courses, cell):
    """Excel's "Save as CSV" writes what the cell shows: #N/A; LibreOffice: Err:502."""
    path = write_csv(
        tmp_path,
        "luot.csv",
        [
            HEADER[:5],
            ["K2020-03", "Chuyên viên", cell, "", "5"],
            ["K2020-03", "Vụ trưởng", "", "", "2"],
        ],
    )
    code, _out, err = command("tallies", path)
    assert code == 1
    assert err.splitlines() == [
        f"row 2, column Tỉnh/thành: the cell holds the Excel error {cell.strip()}, not a value "
        "(a formula that failed, such as a lookup that found nothing): correct the formula or "
        "type the value."
    ]
    assert not ParticipantTally.objects.exists()


def test_a_logical_cell_is_no_name(tmp_path, courses):
    """A TRUE in the name column (a comparison formula, a checkbox) had made a person named
    "True"."""
    header = ["Mã khóa", "Họ và tên", "Số định danh"]
    logical = Raw('<{p}c r="{ref}" t="b"><{p}v>1</{p}v></{p}c>')
    path = workbook(tmp_path / "b.xlsx", sheet([header, ["K2020-03", logical, "001090000001"]]))
    result = run_import("participants", path)
    assert result.errors == [
        (
            2,
            "Họ và tên",
            "TRUE is a logical value (a checkbox or a comparison), not a text: type the value.",
        )
    ]


def test_the_admin_upload_names_them_and_its_error_file_too(tmp_path, courses, client, admin_user):
    """The web upload reads the workbook itself (no read-ahead): the preview lists the
    errors, the file of errors is written, nothing is imported."""
    from django.urls import reverse

    path = workbook(tmp_path / "luot.xlsx", sheet(rows()))
    client.force_login(admin_user)
    with open(path, "rb") as stream:
        response = client.post(
            reverse("admin:imports_importbatch_upload"), {"kind": "tallies", "file": stream}
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "#N/A" in page
    errors = client.get(
        reverse("admin:imports_importbatch_errors", args=[response.context["token"]])
    )
    assert errors.status_code == 200
    assert not ParticipantTally.objects.exists()
