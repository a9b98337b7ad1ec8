"""Which sheet of a workbook is checked and read (imports/reading.py workbook_sheets): the
size checks (check_xlsx) look at the very part calamine then reads, however the workbook
names it, and that part is the first visible worksheet, not a hidden draft before it.

Each workbook here is written part by part (tests/fixtures/make_fixtures.py writes the bomb
fixtures the same way). A test that hands a bomb to the import first asserts that the check
alone refuses it: where the check would let it through, the test stops there, before
calamine allocates 17 billion cells."""

import re
import zipfile
from functools import partial

import pytest
from python_calamine import CalamineWorkbook

from courses.models import ParticipantTally
from imports import read_ahead, reading
from imports.services import run_import

from ..lost.workers import ROOT, child_env
from .helpers import command, fixture
from .test_odd_files import REFUSED

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET = f"{REL_NS}/worksheet"
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
BOMB_MESSAGE = REFUSED["bomb_sparse.xlsx"]
HEADER = ["Mã khóa", "Cấp", "Tỉnh/thành", "Giới tính", "Số lượt"]


def bomb_sheet():
    """The sheet of tests/fixtures/bomb_sparse.xlsx: cells at A1 and XFD1048576."""
    with zipfile.ZipFile(fixture("bomb_sparse.xlsx")) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def sheet_xml(rows):
    from xml.sax.saxutils import escape

    def cell(ref, value):
        if isinstance(value, int):
            return f'<c r="{ref}"><v>{value}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'

    body = "".join(
        f'<row r="{r}">'
        + "".join(cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row) if v != "")
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'  # noqa: E501


def tally(count):
    return sheet_xml([HEADER, ["K2020-03", "Chuyên viên", "Quảng Nam", "", count]])


def write_workbook(path, sheets, rels, parts, declarations=f'xmlns:r="{REL_NS}"'):
    """``sheets``: the <sheet> elements; ``rels``: (Id, Target[, Type]); ``parts``: {zip
    path: XML}."""
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" {declarations}>'
        f"<sheets>{''.join(sheets)}</sheets></workbook>"
    )
    relationships = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
        + "".join(
            f'<Relationship Id="{rel[0]}" Type="{rel[2] if len(rel) > 2 else WORKSHEET}" '
            f'Target="{rel[1]}"/>'
            for rel in rels
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", relationships)
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def prefix_bomb(tmp_path):
    """The bomb sheet first, its relationship named under the prefix "relationships:" (the
    same namespace as "r:"), and a harmless second sheet under "r:"."""
    return write_workbook(
        tmp_path / "prefix_bomb.xlsx",
        [
            '<sheet name="Data" sheetId="1" relationships:id="rId1"/>',
            '<sheet name="Decoy" sheetId="2" r:id="rId2"/>',
        ],
        [("rId1", "worksheets/sheet1.xml"), ("rId2", "worksheets/sheet2.xml")],
        {"xl/worksheets/sheet1.xml": bomb_sheet(), "xl/worksheets/sheet2.xml": tally(9)},
        declarations=f'xmlns:r="{REL_NS}" xmlns:relationships="{REL_NS}"',
    )


def decoy_sheet1_bomb(tmp_path):
    """The only sheet is worksheets/data.xml, the bomb; a small xl/worksheets/sheet1.xml
    that no sheet names lies beside it."""
    return write_workbook(
        tmp_path / "decoy_bomb.xlsx",
        ['<sheet name="Data" sheetId="1" relationships:id="rId1"/>'],
        [("rId1", "worksheets/data.xml")],
        {"xl/worksheets/data.xml": bomb_sheet(), "xl/worksheets/sheet1.xml": tally(9)},
        declarations=f'xmlns:relationships="{REL_NS}"',
    )


def hidden_first(tmp_path, state="hidden", declarations=f'xmlns:r="{REL_NS}"', prefix="r"):
    """A hidden draft (999) first, the visible sheet with the real figure (12) second."""
    return write_workbook(
        tmp_path / f"{state}_first.xlsx",
        [
            f'<sheet name="Nháp cũ" sheetId="1" state="{state}" {prefix}:id="rId1"/>',
            f'<sheet name="Số lượt" sheetId="2" {prefix}:id="rId2"/>',
        ],
        [("rId1", "/xl/worksheets/sheet1.xml"), ("rId2", "/xl/worksheets/sheet2.xml")],
        {"xl/worksheets/sheet1.xml": tally(999), "xl/worksheets/sheet2.xml": tally(12)},
        declarations=declarations,
    )


def check(path):
    return reading.check_xlsx(partial(open, path, "rb"), path.name)


def stored_counts():
    return sorted(ParticipantTally.objects.values_list("count", flat=True))


# (a), (b) a bomb the check once looked past ----------------------------------------------


@pytest.mark.parametrize("make", [prefix_bomb, decoy_sheet1_bomb])
def test_the_check_looks_at_the_sheet_calamine_reads(make, tmp_path):
    with pytest.raises(reading.FileRejected, match=re.escape(BOMB_MESSAGE)):
        check(make(tmp_path))


@pytest.mark.parametrize("make", [prefix_bomb, decoy_sheet1_bomb])
def test_a_bomb_sheet_behind_another_name_is_refused_as_the_plain_bomb_is(make, tmp_path, courses):
    path = make(tmp_path)
    with pytest.raises(reading.FileRejected, match="A1:XFD1048576"):
        check(path)  # else the import below would hand the bomb to calamine
    code, _out, err = command("tallies", path)
    assert code == 1
    assert BOMB_MESSAGE in err
    assert "Traceback" not in err
    code, _out, plain = command("tallies", fixture("bomb_sparse.xlsx"))
    assert plain.replace("bomb_sparse.xlsx", path.name) == err  # the very same message
    result = run_import("tallies", path)
    assert not result.ok
    assert any(BOMB_MESSAGE in message for _row, _col, message in result.errors)
    assert not ParticipantTally.objects.exists()


# (c) a hidden first sheet ---------------------------------------------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_the_visible_sheet_is_imported_not_a_hidden_one_before_it(state, tmp_path, courses):
    path = hidden_first(tmp_path, state)
    code, out, err = command("tallies", path)
    assert code == 0, err
    assert stored_counts() == [12]
    assert "“Số lượt”" in out  # the summary says which sheet was read
    assert "“Nháp cũ”" in out


def test_run_import_reads_the_visible_sheet_and_says_so(tmp_path, courses):
    result = run_import("tallies", hidden_first(tmp_path), dry_run=True)
    assert result.ok, result.errors
    assert result.rows == 1
    assert "“Số lượt”" in result.sheet_note
    assert not result.encoding  # an .xlsx has no encoding to tell
    assert "“Số lượt”" in result.summary()


def test_a_hidden_first_sheet_behind_another_prefix_is_skipped_too(tmp_path, courses):
    path = hidden_first(
        tmp_path, declarations=f'xmlns:relationships="{REL_NS}"', prefix="relationships"
    )
    code, _out, err = command("tallies", path)
    assert code == 0, err
    assert stored_counts() == [12]


def test_a_chart_sheet_first_is_skipped(tmp_path, courses):
    path = write_workbook(
        tmp_path / "chart_first.xlsx",
        [
            '<sheet name="Biểu đồ" sheetId="1" r:id="rId1"/>',
            '<sheet name="Số lượt" sheetId="2" r:id="rId2"/>',
        ],
        [
            ("rId1", "chartsheets/sheet1.xml", f"{REL_NS}/chartsheet"),
            ("rId2", "worksheets/sheet1.xml"),
        ],
        {
            "xl/chartsheets/sheet1.xml": f'<chartsheet xmlns="{MAIN}"><sheetViews/></chartsheet>',
            "xl/worksheets/sheet1.xml": tally(12),
        },
    )
    code, out, err = command("tallies", path)
    assert code == 0, err
    assert stored_counts() == [12]
    assert "“Biểu đồ”" in out


def test_when_every_sheet_is_hidden_the_first_is_read(tmp_path):
    path = write_workbook(
        tmp_path / "all_hidden.xlsx",
        [
            '<sheet name="A" sheetId="1" state="hidden" r:id="rId1"/>',
            '<sheet name="B" sheetId="2" state="hidden" r:id="rId2"/>',
        ],
        [("rId1", "worksheets/sheet1.xml"), ("rId2", "worksheets/sheet2.xml")],
        {"xl/worksheets/sheet1.xml": tally(1), "xl/worksheets/sheet2.xml": tally(2)},
    )
    choice = check(path)
    assert (choice.name, choice.path, choice.note()) == ("A", "xl/worksheets/sheet1.xml", "")


# (d) ordinary workbooks -----------------------------------------------------------------


def test_a_workbook_saved_by_a_spreadsheet_program_still_imports(tmp_path, courses):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Số lượt"
    for row in (HEADER, ["K2020-03", "Chuyên viên", "Quảng Nam", "", 12]):
        book.active.append(row)
    book.create_sheet("Ghi chú").append(["a later sheet, not read"])
    path = tmp_path / "ordinary.xlsx"
    book.save(path)
    code, out, err = command("tallies", path)
    assert code == 0, err
    assert stored_counts() == [12]
    assert "encoding" not in out
    assert "“" not in out  # nothing to say: the first sheet was read
    choice = check(path)
    assert (choice.index, choice.name) == (0, "Số lượt")


@pytest.mark.parametrize("name", ["courses.xlsx", "participants.xlsx", "baselines.xlsx"])
def test_the_fixtures_read_their_only_sheet(name):
    choice = check(fixture(name))
    assert (choice.index, choice.path) == (0, "xl/worksheets/sheet1.xml")


# Files two readers could read differently: refused, not guessed at -----------------------


def _refused_as_unreadable(path):
    with pytest.raises(reading.FileRejected, match="its list of sheets cannot be read"):
        check(path)


def test_an_id_given_twice_under_two_prefixes_is_refused(tmp_path):
    _refused_as_unreadable(
        write_workbook(
            tmp_path / "two_ids.xlsx",
            ['<sheet name="S" sheetId="1" r:id="rId1" relationships:id="rId2"/>'],
            [("rId1", "worksheets/sheet1.xml"), ("rId2", "worksheets/sheet2.xml")],
            {"xl/worksheets/sheet1.xml": tally(1), "xl/worksheets/sheet2.xml": bomb_sheet()},
            declarations=f'xmlns:r="{REL_NS}" xmlns:relationships="{REL_NS}"',
        )
    )


def test_a_relationship_given_twice_is_refused(tmp_path):
    _refused_as_unreadable(
        write_workbook(
            tmp_path / "two_rels.xlsx",
            ['<sheet name="S" sheetId="1" r:id="rId1"/>'],
            [("rId1", "worksheets/sheet1.xml"), ("rId1", "worksheets/sheet2.xml")],
            {"xl/worksheets/sheet1.xml": tally(1), "xl/worksheets/sheet2.xml": bomb_sheet()},
        )
    )


def test_an_escaped_target_is_refused(tmp_path):
    # "sheet&#50;.xml" is sheet2.xml to an XML parser, a part of that very name to calamine.
    _refused_as_unreadable(
        write_workbook(
            tmp_path / "escaped.xlsx",
            ['<sheet name="S" sheetId="1" r:id="rId1"/>'],
            [("rId1", "worksheets/sheet&#50;.xml")],
            {"xl/worksheets/sheet2.xml": tally(1), "xl/worksheets/sheet&#50;.xml": bomb_sheet()},
        )
    )


def test_a_part_two_entries_could_be_is_refused(tmp_path):
    # calamine finds a part whatever the case of its letters.
    _refused_as_unreadable(
        write_workbook(
            tmp_path / "two_cases.xlsx",
            ['<sheet name="S" sheetId="1" r:id="rId1"/>'],
            [("rId1", "worksheets/sheet1.xml")],
            {"xl/worksheets/sheet1.xml": tally(1), "xl/worksheets/Sheet1.xml": bomb_sheet()},
        )
    )


def rewrite(path, name, change):
    """The workbook at ``path`` with its part ``name`` changed by ``change(bytes)``."""
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts[name] = change(parts[name])
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return path


def test_a_workbook_with_a_doctype_is_refused(tmp_path):
    path = write_workbook(
        tmp_path / "doctype.xlsx",
        ['<sheet name="S" sheetId="1" r:id="rId1"/>'],
        [("rId1", "worksheets/sheet1.xml")],
        {"xl/worksheets/sheet1.xml": tally(1)},
    )
    rewrite(
        path,
        "xl/workbook.xml",
        lambda data: data.replace(
            b"<workbook ", b'<!DOCTYPE workbook [<!ENTITY a "S">]><workbook ', 1
        ).replace(b'name="S"', b'name="&a;"'),
    )
    _refused_as_unreadable(path)


def test_a_sheet_calamine_lists_but_the_check_did_not_see_is_refused(tmp_path, courses):
    # A <sheet> after </sheets>: calamine lists it, the check stops reading at </sheets>.
    path = write_workbook(
        tmp_path / "late_sheet.xlsx",
        ['<sheet name="S" sheetId="1" r:id="rId1"/>'],
        [("rId1", "worksheets/sheet1.xml"), ("rId2", "worksheets/sheet2.xml")],
        {"xl/worksheets/sheet1.xml": tally(1), "xl/worksheets/sheet2.xml": tally(2)},
    )
    rewrite(
        path,
        "xl/workbook.xml",
        lambda data: data.replace(
            b"</sheets>", b'</sheets><sheet name="T" sheetId="2" r:id="rId2"/>'
        ),
    )
    choice = check(path)  # what the check read is harmless, but calamine sees another list
    assert [sheet[0] for sheet in choice.sheets] == ["S"]
    assert CalamineWorkbook.from_path(path).sheet_names == ["S", "T"]
    with pytest.raises(reading.FileRejected, match="its list of sheets cannot be read"):
        reading.parse_checked_xlsx(partial(open, path, "rb"), path.name, choice)
    code, _out, err = command("tallies", path)
    assert code == 1
    assert "its list of sheets cannot be read safely" in err


# (e) the read-ahead parses the sheet it checked ------------------------------------------


@pytest.fixture
def _nothing_left_started():
    yield
    read_ahead._started.clear()


@pytest.mark.usefixtures("_nothing_left_started")
def test_the_read_ahead_parses_the_sheet_it_checked(tmp_path):
    path = hidden_first(tmp_path)
    read_ahead.start(["tallies", str(path)])
    job = read_ahead._started[str(path.resolve())]
    sheet = read_ahead.take(str(path))
    assert sheet is not None
    assert job.choice.path == "xl/worksheets/sheet2.xml"  # the part the check read
    assert sheet.choice is job.choice
    assert sheet.name == "Số lượt"
    expected = CalamineWorkbook.from_path(path).get_sheet_by_name("Số lượt").to_python()
    assert [list(row) for row in sheet.iter_rows()] == expected
    assert expected[1][-1] == 12


@pytest.mark.usefixtures("_nothing_left_started")
@pytest.mark.parametrize("make", [prefix_bomb, decoy_sheet1_bomb])
def test_a_bomb_behind_another_name_is_never_parsed_ahead(make, tmp_path):
    path = make(tmp_path)
    with pytest.raises(reading.FileRejected):
        check(path)  # else the read-ahead below would hand the bomb to calamine
    read_ahead.start([str(path)])
    assert read_ahead._started == {}
    assert read_ahead.take(str(path)) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_process_imports_the_visible_sheet(tmp_path):
    import subprocess
    import sys

    for name in ("courses.xlsx", "courses_en.csv"):
        assert command("courses", fixture(name))[0] == 0
    path = hidden_first(tmp_path)
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "import_spreadsheet", "tallies", str(path)],
        env=child_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "“Số lượt”" in done.stdout
    assert stored_counts() == [12]
