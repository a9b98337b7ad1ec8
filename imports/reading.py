"""Reading a sheet: .xlsx (python-calamine) or .csv into rows that keep the sheet's own row
numbers, after finding the header row under any title rows and skipping the footer block.

Nothing is handed to a reader before it is known to be harmless (check_xlsx, detect_encoding):

- an .xlsx is a zip of XML: its entries' declared and real sizes, their compression ratio,
  the declared ``<dimension>`` of the sheet read (its first visible worksheet, found in
  the workbook's list of sheets: workbook_sheets), the real extent of its cells and the
  number of shared strings are checked against limits (settings ``IMPORT_MAX_*``, defaults
  below), so that calamine, which allocates the whole declared or used rectangle, never
  sees a sheet that would take more than a bounded amount of memory; calamine then reads
  that sheet and no other (parse_checked_xlsx);
- a .csv is decoded as UTF-8 (with or without BOM), UTF-16 (with BOM) or, when it is not
  UTF-8, Windows-1258 or Windows-1252, whichever reads as Vietnamese (score_vietnamese); the
  encoding assumed is reported in the summary.

Rows are streamed: a CSV file is never held in memory whole; an .xlsx sheet is held by
calamine (in Rust, compactly) and converted to Python one row at a time. Row numbers are
the sheet's: for a CSV the record number (a quoted cell with a line break is one row, as
Excel shows it), not the physical line.
"""

import codecs
import csv
import hashlib
import io
import itertools
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from trainingmgr.text import clean_spaces, fold

# No Django at import: the import command checks its workbook before Django's set-up
# (imports.read_ahead), and importing django.conf with the settings costs a tenth of a second.


def _(message):
    from django.utils.translation import gettext

    return gettext(message)


# A header row is the first row in which at least this many cells are known headers.
MIN_KNOWN_HEADERS = 2
# Title rows, blank lines and notes above the header: how far down to look for it.
HEADER_SEARCH_ROWS = 30
ZIP_MAGIC = b"PK\x03\x04"
# An OLE2 compound file: an Excel 97-2003 .xls, or an .xlsx encrypted by its password.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# What an import reads at most (each may be set in settings as IMPORT_<NAME>; the command's
# --max-rows and --max-megabytes lift the first two for one run).
DEFAULT_LIMITS = {
    "MAX_UPLOAD_BYTES": 50 * 1024 * 1024,
    "MAX_ROWS": 1_000_000,
    # Sum of the uncompressed sizes of the entries calamine reads (sheet, shared strings...).
    "MAX_UNZIPPED_BYTES": 1024 * 1024 * 1024,
    # Uncompressed / compressed, for entries above 1 MB: XML compresses 10-30x, bombs 1000x.
    "MAX_COMPRESSION_RATIO": 200,
    "MAX_COLUMNS": 1000,
    # Rows x columns of the rectangle calamine allocates (about 40 bytes a cell).
    "MAX_CELLS": 20_000_000,
}
RATIO_FLOOR_BYTES = 1024 * 1024
# Rows allowed beyond IMPORT_MAX_ROWS: title rows, the header, blank lines and the footer.
ROW_SLACK = 1000

# Characters that have no place in a cell: C0 controls except tab, LF and CR; DEL; C1.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def limit(name):
    from django.conf import settings

    return getattr(settings, "IMPORT_" + name, DEFAULT_LIMITS[name])


class FileRejected(Exception):
    """The file as a whole cannot be read (not a sheet, no header row, too large...)."""


@dataclass
class Column:
    index: int
    field: str
    label: str  # the header as the sheet writes it, used in messages


@dataclass
class CsvFormat:
    """How a CSV file is written, so that the file of errors is written the same way."""

    encoding: str  # a Python codec name
    label: str  # what the summary says: "UTF-8", "Windows-1258"...
    delimiter: str = ","
    quotechar: str = '"'
    lineterminator: str = "\r\n"
    bom: bool = False


@dataclass
class Sheet:
    """A sheet whose header row has been found; iterate it for (row number, {field: value}).

    A row whose cells hold control characters gets the key ``BAD_CELLS``: [(field, char)].
    Footer rows after the data (totals, signatures, place and date) are skipped and their
    numbers kept in ``footer_rows``.
    """

    file_name: str
    header_row: int
    columns: list
    ignored: list = field(default_factory=list)
    rows_iter: object = None
    labels: dict = field(default_factory=dict)
    required: list = field(default_factory=list)
    csv_format: CsvFormat | None = None
    footer_rows: list = field(default_factory=list)
    # {row number: {cell index: "#N/A"..., or "" for a formula never calculated}} of an
    # .xlsx (SheetChoice.lost_cells): cells calamine reads as empty that are not.
    lost_cells: dict = field(default_factory=dict)
    # Of an .xlsx whose first sheet is not the one read (hidden, a chart): which one is
    # (SheetChoice.note); the summary says it where it says a CSV file's encoding.
    sheet_note: str = ""
    # Columns whose header names a field an earlier column already gives ("Cấp" twice;
    # "Cơ quan" and "Đơn vị công tác"): a row takes the value of whichever is filled, and
    # two different values are an error of the row (TWIN_CELLS), never one dropped.
    twins: list = field(default_factory=list)

    def label(self, field_name):
        return self.labels.get(field_name, field_name)

    @property
    def encoding_label(self):
        return self.csv_format.label if self.csv_format else ""

    def __iter__(self):
        columns = self.columns
        required = [c.index for c in columns if c.field in self.required]
        mapped = [c.index for c in columns]
        pairs = [(c.index, c.field) for c in columns]
        needed = max(mapped) + 1 if mapped else 0
        in_footer = False
        data_seen = False
        control = CONTROL_CHARS.search
        lost = self.lost_cells
        field_at = dict(pairs)
        for number, cells in self.rows_iter:
            marks = None
            if lost and number in lost:
                marks = [(field_at[i], shown) for i, shown in lost[number].items() if i in field_at]
            if not marks and not any(cells) and not any(cell not in ("", None) for cell in cells):
                continue  # blank lines between blocks are not rows
            if data_seen and is_footer_row(cells, in_footer, required, mapped):
                in_footer = True
                self.footer_rows.append(number)
                continue
            if len(cells) >= needed:
                values = {name: cells[index] for index, name in pairs}
            else:
                width = len(cells)
                values = {name: cells[index] if index < width else "" for index, name in pairs}
            if self.twins:
                self._merge_twins(cells, values)
            joined = "".join([v for v in values.values() if v.__class__ is str])
            if not joined.isprintable() and control(joined):
                values[BAD_CELLS] = [
                    (name, control(value).group())
                    for name, value in values.items()
                    if isinstance(value, str) and control(value)
                ]
            if "#" in joined or "Err:" in joined:  # an error as text (Excel's CSV writes it)
                marks = (marks or []) + [
                    (name, value.strip())
                    for name, value in values.items()
                    if isinstance(value, str) and is_excel_error(value)
                ]
            if marks:
                values[LOST_CELLS] = marks
            data_seen = True
            yield number, values

    def _merge_twins(self, cells, values):
        for twin in self.twins:
            extra = cells[twin.index] if twin.index < len(cells) else ""
            if _blank(extra):
                continue
            given = values[twin.field]
            if _blank(given):
                values[twin.field] = extra
            elif clean_spaces(str(given)) != clean_spaces(str(extra)):
                values.setdefault(TWIN_CELLS, []).append((twin.field, twin.label, given, extra))


def _blank(cell):
    return cell is None or (isinstance(cell, str) and not cell.strip())


BAD_CELLS = "__bad_cells__"
# A row whose two columns of one field hold different values: [(field, the second column's
# label, the first's value, the second's)].
TWIN_CELLS = "__twin_cells__"
# A row whose cells hold an Excel error or a formula never calculated: [(field, "#N/A" or "")].
LOST_CELLS = "__lost_cells__"
EXCEL_ERRORS = frozenset(
    [
        "#N/A",
        "#VALUE!",
        "#REF!",
        "#DIV/0!",
        "#NUM!",
        "#NAME?",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    ]
)
_LIBREOFFICE_ERROR = re.compile(r"Err:\d{3}$")


def is_excel_error(text):
    """Whether a text cell is what a spreadsheet shows of an error: #N/A, #VALUE!...,
    LibreOffice's Err:502 (a CSV file saved from a sheet with errors holds them as text)."""
    value = text.strip()
    return value.upper() in EXCEL_ERRORS or bool(_LIBREOFFICE_ERROR.match(value))


# Footer rows of real lists, folded (trainingmgr.text.fold): totals, signatures, stamps.
_FOOTER_STARTS = (
    "tongcong",
    "tongso",
    "nguoilapbieu",
    "nguoilap",
    "nguoiky",
    "kyghirohoten",
    "kytenghirohoten",
    "kytendongdau",
    "kyten",
    "thutruongdonvi",
    "thutruongcoquan",
    "thutruong",
    "xacnhancua",
    "xacnhan",
    "ketoan",
    "giamdoc",
    "phogiamdoc",
    "truongphong",
    "noinhan",
    "ghichu",
    "total",
    "preparedby",
    "signature",
)
_PLACE_DATE = re.compile(r"ngay\d{1,2}thang\d{1,2}nam\d{4}$")


_FOOTER_WORDS = {"cong", "tong", "tongso", "tongcong"}


def _footer_text(cell):
    if not isinstance(cell, str):
        return False
    key = fold(cell)
    return bool(key) and (
        key in _FOOTER_WORDS or key.startswith(_FOOTER_STARTS) or bool(_PLACE_DATE.search(key))
    )


def _totals_text(cell):
    if not isinstance(cell, str):
        return False
    key = fold(cell)
    return key in _FOOTER_WORDS or key.startswith(("tongcong", "tongso", "total"))


def _number_like(cell):
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return True
    return isinstance(cell, str) and bool(re.fullmatch(r"[\d.,\s]+", cell.strip()))


def _filled(cell):
    return cell not in ("", None) and not (isinstance(cell, str) and not cell.strip())


_FOOTER_CACHE = {}  # first cells repeat (course codes): whether each is footer text


def is_footer_row(cells, in_footer, required, mapped):
    """A row under the data that belongs to the footer block: every filled cell is footer
    text ("Tổng cộng", "Người lập biểu", "(Ký, ghi rõ họ tên)", "Hà Nội, ngày 15 tháng 12
    năm 2025"...) or a number (a totals row), at least the first being footer text; or a row
    whose first filled cell is a totals word. Once in the footer block, a row is still read
    as data when it fills every required column and at least two columns of the sheet; else
    it is a signer's name or a stamp, and skipped. Before the footer, a row costs one look at
    its first filled cell."""
    first = cells[0]
    if first in ("", None):
        first = next((c for c in cells if c not in ("", None)), None)
    if first.__class__ is str:
        first_footer = _FOOTER_CACHE.get(first)
        if first_footer is None:
            first_footer = _footer_text(first)
            if len(_FOOTER_CACHE) < 10_000:
                _FOOTER_CACHE[first] = first_footer
    else:
        first_footer = False
    if not in_footer and not first_footer:
        return False
    if first_footer and _totals_text(first):
        return True
    filled = [c for c in cells if _filled(c)]
    if first_footer and all(_footer_text(c) or _number_like(c) for c in filled):
        return True
    if not in_footer:
        return False
    width = len(cells)
    complete = all(i < width and _filled(cells[i]) for i in required) and (
        sum(1 for i in mapped if i < width and _filled(cells[i])) >= 2
    )
    return not complete


def read_source(source):
    """A path or an uploaded file as (file name, size, opener of a binary stream)."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        name = getattr(source, "name", None) or os.path.basename(path)
        return name, os.path.getsize(path), lambda: open(path, "rb")
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read()
    name = getattr(source, "name", "upload") or "upload"
    return os.path.basename(name), len(data), lambda: io.BytesIO(data)


def checksum(source):
    """SHA-256 of a file's bytes, read in blocks."""
    _name, _size, opener = read_source(source)
    digest = hashlib.sha256()
    with opener() as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_xlsx(name, head):
    return name.lower().endswith((".xlsx", ".xlsm")) or head.startswith(ZIP_MAGIC)


def _n(value):
    """1048576 -> '1.048.576' in Vietnamese, '1,048,576' in English."""
    from django.utils.formats import number_format

    return number_format(value, force_grouping=True)


# xlsx checks ----------------------------------------------------------------------------------
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="(\d{1,7})"')
# A cell reference beyond column Z or row 999,999, or a row's beyond 999,999: the block is
# then listed cell by cell. One search of the block (it holds megabytes); what else matches
# (an attribute ending in r, a cell's text) only sends the block to the exact listing.
_WIDE_OR_DEEP = re.compile(rb'r="(?:[A-Z]{2}|[A-Z]?\d{7})')
_SST = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\buniqueCount="(\d+)"')


def _narrow_columns(scan):
    """The last column (at most Z) of the block's last row: its last cell's letter."""
    found = re.search(rb'\br="([A-Z])\d+"[^>]*>(?:(?!<(?:\w+:)?c\s).)*$', scan[-4096:], re.S)
    if found is None:
        return 26  # cells without references: assume the widest narrow sheet
    return column_number(found.group(1).decode())


def column_number(letters):
    number = 0
    for char in letters:
        number = number * 26 + (ord(char) - 64)
    return number


def column_letters(number):
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# The workbook's sheets ---------------------------------------------------------------------
# Which part calamine reads as the sheet imported: the workbook's list of sheets
# (xl/workbook.xml), each naming a relationship (xl/_rels/workbook.xml.rels) whose target is
# the sheet's part. Read with expat (namespaces resolved here, prefixes kept: a reader that
# matches an attribute by its local name and one that resolves its namespace must agree),
# and refused whenever two readers could disagree: a DOCTYPE or entity, an attribute given
# twice under two prefixes, a relationship given twice, a target with an escape, a ".."
# or a space, a part that two zip entries (differing in case) could be.
_REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_XML_PART_BYTES = 1 << 20
_TARGET = re.compile(r"[A-Za-z0-9_./%~!$()*+,;=:@-]+")
_SHEET_STATES = {"visible": "visible", "hidden": "hidden", "veryHidden": "veryHidden"}


class _Unsafe(Exception):
    """The workbook's list of sheets cannot be read so that every reader agrees."""


class _Stop(Exception):
    pass


@dataclass
class SheetChoice:
    """The sheet an import reads, as check_xlsx found it: ``sheets`` lists every sheet of
    the workbook in order as (name, is a worksheet, state); ``index`` is the one read, the
    first visible worksheet (or the first worksheet, when all are hidden), ``path`` its zip
    part, the one checked. parse_checked_xlsx reads exactly this sheet, once calamine's own
    list of sheets is this one."""

    sheets: list
    index: int
    path: str
    # {(row, column), both from 1: the Excel error it holds ("#N/A"), or "" for a formula
    # never calculated}: what calamine reads as an empty cell (_sheet_extent finds them).
    lost_cells: dict = field(default_factory=dict)

    @property
    def name(self):
        return self.sheets[self.index][0]

    @property
    def skipped(self):
        """The names of the sheets before the one read (hidden sheets, charts)."""
        return [sheet[0] for sheet in self.sheets[: self.index]]

    def note(self):
        """What the summary says of a workbook whose first sheet is not the one read."""
        if not self.index:
            return ""
        return _(
            "sheet “%(sheet)s” read; the sheets before it are hidden or are charts, not read: "
            "%(skipped)s"
        ) % {
            "sheet": self.name,
            "skipped": ", ".join(f"“{name}”" for name in self.skipped),
        }


class CheckedSheet:
    """A sheet parsed by calamine and the SheetChoice it was checked as (read_ahead.take)."""

    def __init__(self, sheet, choice):
        self.sheet = sheet
        self.choice = choice

    def __getattr__(self, attribute):
        return getattr(self.sheet, attribute)

    def lost_by_row(self):
        """The choice's lost cells as Sheet.lost_cells: by row, then by index in the row
        calamine gives (which starts at the sheet's first used column)."""
        first_column = (self.sheet.start or (0, 0))[1]
        by_row = {}
        for (row, column), shown in self.choice.lost_cells.items():
            if column - 1 >= first_column:
                by_row.setdefault(row, {})[column - 1 - first_column] = shown
        return by_row


def _ascii_lower(text):
    return text.encode("utf-8", "surrogateescape").lower()


def _entry(archive, path):
    """The one zip entry that is ``path`` (calamine finds a part whatever its letters' case):
    None when there is none; _Unsafe when there are two (two readers could take either)."""
    wanted = _ascii_lower(path)
    found = [n for n in archive.namelist() if _ascii_lower(n) == wanted]
    if len(found) > 1:
        raise _Unsafe(path)
    return found[0] if found else None


def _read_xml_part(archive, path, required=True):
    entry = _entry(archive, path)
    if entry is None:
        if required:
            raise _Unsafe(path)
        return None
    with archive.open(entry) as part:
        data = part.read(_XML_PART_BYTES + 1)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _Unsafe(path)
    return data


def _xml_elements(data, local_names, stop_after=None):
    """Each element of ``data`` whose local name is one of ``local_names``, in order, as
    {local attribute name: [(namespace URI or None, value)]}. Stops once an element whose
    local name is ``stop_after`` ends; the part must otherwise end within its first MB."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    scopes = [{}]
    found = []

    def refuse(*_args):
        raise _Unsafe("DOCTYPE")

    def split(qname):
        if qname.count(":") > 1:
            raise _Unsafe(qname)
        return qname.split(":") if ":" in qname else (None, qname)

    def start(tag, attributes):
        scope = dict(scopes[-1])
        pairs = list(zip(attributes[::2], attributes[1::2], strict=True))
        for key, value in pairs:
            if key.startswith("xmlns:"):
                scope[key[6:]] = value
        scopes.append(scope)
        if split(tag)[1] not in local_names:
            return
        element = {}
        for key, value in pairs:
            if key == "xmlns" or key.startswith("xmlns:"):
                continue
            prefix, local = split(key)
            namespace = None if prefix is None else scope.get(prefix, "")
            element.setdefault(local, []).append((namespace, value))
        found.append(element)

    def end(tag):
        scopes.pop()
        if stop_after and split(tag)[1] == stop_after:
            raise _Stop

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data[:_XML_PART_BYTES], len(data) <= _XML_PART_BYTES)
    except _Stop:
        return found
    except (expat.ExpatError, ValueError) as exc:
        raise _Unsafe(str(exc)) from None
    if len(data) > _XML_PART_BYTES:
        raise _Unsafe("over 1 MB")
    return found


def _plain(element, name, required=True):
    """The value of the attribute ``name`` without a prefix, given once and only so."""
    values = element.get(name, [])
    if not values and not required:
        return None
    if len(values) != 1 or values[0][0] is not None:
        raise _Unsafe(name)
    return values[0][1]


def _relationships(archive, path):
    """{Id: (Type, zip path of its target)} of a relationships part (targets resolved
    against the folder the part describes: "xl/_rels/workbook.xml.rels" -> "xl/")."""
    data = _read_xml_part(archive, path)
    if b"&" in data:  # calamine reads Id and Target unescaped: "&#49;" is not "1" to it
        raise _Unsafe(path)
    base = path.split("_rels/")[0]
    found = {}
    for element in _xml_elements(data, {"Relationship"}):
        rel_id = _plain(element, "Id")
        rel_type = _plain(element, "Type")
        target = _plain(element, "Target")
        mode = _plain(element, "TargetMode", required=False)
        if rel_id in found or not _TARGET.fullmatch(rel_id):
            raise _Unsafe(rel_id)
        if mode not in (None, "Internal") or not _TARGET.fullmatch(target):
            found[rel_id] = (rel_type, None)
            continue
        resolved = target[1:] if target.startswith("/") else base + target
        if any(part in ("", ".", "..") for part in resolved.split("/")):
            resolved = None
        found[rel_id] = (rel_type, resolved)
    return found


def _kind(rel_type):
    return rel_type.rsplit("/", 1)[-1]


def workbook_sheets(archive):
    """The SheetChoice of an .xlsx archive, or _Unsafe."""
    root = _relationships(archive, "_rels/.rels")
    documents = [rel for rel in root.values() if _kind(rel[0]) == "officeDocument"]
    if len(documents) != 1 or documents[0][1] is None:
        raise _Unsafe("officeDocument")
    if _ascii_lower(documents[0][1]) != b"xl/workbook.xml":
        raise _Unsafe(documents[0][1])  # calamine reads its folder's workbook.xml
    rels = _relationships(archive, "xl/_rels/workbook.xml.rels")
    workbook = _read_xml_part(archive, "xl/workbook.xml")
    sheets = []
    paths = []
    for element in _xml_elements(workbook, {"sheet"}, stop_after="sheets"):
        ids = [pair for key, pairs in element.items() if key == "id" for pair in pairs]
        # One r:id, in the relationships namespace, whatever its prefix ("r:",
        # "relationships:"...): no second "id" another reader could take instead.
        if len(ids) != 1 or ids[0][0] not in _REL_NAMESPACES or ids[0][1] not in rels:
            raise _Unsafe("r:id")
        name = _plain(element, "name")
        state = _SHEET_STATES.get(_plain(element, "state", required=False) or "visible")
        if state is None or name in (sheet[0] for sheet in sheets):
            raise _Unsafe("state or name")
        rel_type, path = rels[ids[0][1]]
        worksheet = _kind(rel_type) == "worksheet"
        if worksheet and path is None:
            raise _Unsafe("target")
        sheets.append((name, worksheet, state))
        paths.append(path)
    worksheets = [i for i, sheet in enumerate(sheets) if sheet[1]]
    if not worksheets:
        return None
    visible = [i for i in worksheets if sheets[i][2] == "visible"]
    index = (visible or worksheets)[0]
    path = _entry(archive, paths[index])
    if path is None:
        raise _Unsafe(paths[index])
    return SheetChoice(sheets, index, path)


def _calamine_sheets(workbook):
    """calamine's list of sheets, in the terms of SheetChoice.sheets."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    states = (
        (SheetVisibleEnum.Visible, "visible"),
        (SheetVisibleEnum.Hidden, "hidden"),
        (SheetVisibleEnum.VeryHidden, "veryHidden"),
    )
    return [
        (
            sheet.name,
            sheet.typ == SheetTypeEnum.WorkSheet,
            next((word for state, word in states if sheet.visible == state), None),
        )
        for sheet in workbook.sheets_metadata
    ]


def check_xlsx(opener, name, limits=None):
    """Refuse an .xlsx that would make the reader take unbounded memory or time: a zip
    entry too large or compressed too well (a zip bomb), a sheet declaring or filling a
    rectangle too large (cells at A1 and XFD1048576), too many shared strings. Reads the
    sheet's XML once, decompressing it in blocks, never whole. ``limits``: {name: value} of
    every limit (DEFAULT_LIMITS), for a check before Django's set-up; else the settings'.

    The sheet checked is the one the import reads (workbook_sheets): the first worksheet
    that is not hidden. Returns its SheetChoice, for parse_checked_xlsx."""
    if limits is None:
        limits = limits_now()
    max_rows = limits["MAX_ROWS"] + ROW_SLACK
    max_cols = limits["MAX_COLUMNS"]
    max_cells = max(limits["MAX_CELLS"], 0)
    max_unzipped = limits["MAX_UNZIPPED_BYTES"]
    max_ratio = limits["MAX_COMPRESSION_RATIO"]
    with opener() as stream:
        try:
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise FileRejected(
                _(
                    "%(name)s is not an .xlsx workbook (it is not a zip archive): it may be "
                    "another kind of file renamed .xlsx. Save it from Excel as .xlsx or as "
                    "CSV UTF-8."
                )
                % {"name": name}
            ) from exc
        with archive:
            entries = archive.infolist()
            declared = 0
            for info in entries:
                if info.filename.endswith("/"):
                    continue
                declared += info.file_size
                if info.file_size > RATIO_FLOOR_BYTES and (
                    info.file_size > max_ratio * max(info.compress_size, 1)
                ):
                    raise FileRejected(
                        _(
                            "%(name)s is refused: its part %(part)s unpacks from %(packed)s "
                            "to %(size)s bytes, a compression no spreadsheet has (a "
                            "'zip bomb'). Open it in Excel and save it again as .xlsx."
                        )
                        % {
                            "name": name,
                            "part": info.filename[:80],
                            "packed": _n(info.compress_size),
                            "size": _n(info.file_size),
                        }
                    )
            if declared > max_unzipped:
                raise FileRejected(
                    _(
                        "%(name)s unpacks to %(size)s MB, more than the %(limit)s MB an "
                        "import reads: split it into several files."
                    )
                    % {
                        "name": name,
                        "size": _n(declared // 1048576),
                        "limit": _n(max_unzipped // 1048576),
                    }
                )
            try:
                choice = workbook_sheets(archive)
            except _Unsafe as exc:
                raise _unreadable(name, _sheet_list_unreadable()) from exc
            if choice is None:
                raise FileRejected(
                    _(
                        "%(name)s is not a readable .xlsx workbook (it has no "
                        "worksheet): it may be another kind of file renamed .xlsx. "
                        "Save it from Excel as .xlsx or as CSV UTF-8."
                    )
                    % {"name": name}
                )
            sheet_path = choice.path
            rows, cols, choice.lost_cells = _sheet_extent(
                archive, sheet_path, name, max_unzipped, max_rows, max_cols, max_cells
            )
            if rows > max_rows and cols <= max_cols and max_rows * cols <= max_cells:
                # Only longer than an import reads (the scan stopped there): the row limit,
                # in the words the import gives it, not a far cell's rectangle.
                raise too_many_rows(name)
            _check_rectangle(name, rows, cols, max_rows, max_cols, max_cells, declared=False)
            strings = [n for n in archive.namelist() if _ascii_lower(n) == b"xl/sharedstrings.xml"]
            for entry in strings:
                with archive.open(entry) as part:
                    head = part.read(4096)
                match = _SST.search(head)
                if match and int(match.group(1)) > max(max_cells, 1):
                    raise FileRejected(
                        _(
                            "%(name)s declares %(count)s different texts, more than a sheet "
                            "of at most %(cells)s cells can hold: open it in Excel and save "
                            "it again as .xlsx."
                        )
                        % {"name": name, "count": _n(int(match.group(1))), "cells": _n(max_cells)}
                    )
    return choice


def too_many_rows(name):
    """The row limit (IMPORT_MAX_ROWS; the command's --max-rows), as every reader words it."""
    return FileRejected(
        _("%(name)s has more than %(max)s rows: split it into several files.")
        % {"name": name, "max": _n(limit("MAX_ROWS"))}
    )


def _check_rectangle(name, rows, cols, max_rows, max_cols, max_cells, *, declared):
    if rows <= max_rows and cols <= max_cols and rows * cols <= max_cells:
        return
    if declared:
        message = _(
            "%(name)s is refused: its sheet claims %(rows)s rows x %(cols)s columns "
            "(%(range)s), more than an import reads (%(max_rows)s rows, %(max_cols)s "
            "columns, %(max_cells)s cells). In Excel, delete the empty rows and columns "
            "after the data (or copy the table to a new workbook) and save it again."
        )
    else:
        message = _(
            "%(name)s is refused: its sheet has cells as far as %(range)s, %(rows)s rows x "
            "%(cols)s columns, more than an import reads (%(max_rows)s rows, %(max_cols)s "
            "columns, %(max_cells)s cells). In Excel, delete what lies far below or to the "
            "right of the table (Ctrl+End shows it) and save it again, or split the file."
        )
    raise FileRejected(
        message
        % {
            "name": name,
            "rows": _n(rows),
            "cols": _n(cols),
            "range": f"A1:{column_letters(cols)}{rows}",
            "max_rows": _n(max_rows),
            "max_cols": _n(max_cols),
            "max_cells": _n(max_cells),
        }
    )


def _sheet_extent(archive, path, name, max_unzipped, max_rows, max_cols, max_cells):
    """The rectangle the sheet declares (checked at once) and the one its cells fill:
    (last row, last column). Stops early as soon as a limit is passed."""
    last_row = last_col = 0
    read = 0
    tail = b""
    dimension_checked = False
    letters_seen = set()
    lost = {}
    lost_tail = b""
    formula_end = None
    final = False
    with archive.open(path) as part:
        while not final:
            try:
                block = part.read(1 << 20)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise FileRejected(
                    _("%(name)s is damaged (%(reason)s): open it in Excel and save it again.")
                    % {"name": name, "reason": str(exc)[:120]}
                ) from exc
            if not block:
                if not lost_tail:
                    break
                final = True  # what the last block kept back: the sheet's last cell
            read += len(block)
            if read > max_unzipped:
                raise FileRejected(
                    _("%(name)s unpacks to more than %(limit)s MB: split it into several files.")
                    % {"name": name, "limit": _n(max_unzipped // 1048576)}
                )
            data = tail + block
            if formula_end is None:  # the first block: are the sheet's elements prefixed?
                prefixed = re.search(rb"<\w+:worksheet\b", data) is not None
                formula_end = b":f>" if prefixed else b"</f>"
            if not dimension_checked:
                match = _DIMENSION.search(data)
                if match or b"<sheetData" in data or len(data) > 65536:
                    dimension_checked = True
                if match and match.group(3):
                    rows = int(match.group(4))
                    cols = column_number(match.group(3).decode())
                    _check_rectangle(name, rows, cols, max_rows, max_cols, max_cells, declared=True)
            # The lost cells (errors, formulas without a value) are looked for in whole
            # cells: the block's last cell is kept for the next block's search.
            lost_data = lost_tail + block
            cut = len(lost_data) if final else _last_cell_start(lost_data, None, prefixed)
            if cut == -1 or cut < len(lost_data) - 65536:
                cut = len(lost_data)  # no cell ends the block, or a huge one
            lost_scan, lost_tail = lost_data[:cut], lost_data[cut:]
            # Two probes of C speed (20-25 ms for 31 MB; "#" alone takes 2): an error's value
            # starts with "#"; a formula ends with </f> (<x:f> under a prefix). A shared
            # formula's other cells (<f t="shared" si="0"/>) follow its first in Excel's
            # files, which calculate their values.
            if (b"#" in lost_scan and b"v>#" in lost_scan) or formula_end in lost_scan:
                _lost_cells(lost_scan, lost, name)
            # Keep a partial tag for the next block.
            cut = data.rfind(b"<")
            if cut < len(data) - 256:
                cut = len(data)
            scan, tail = data[:cut], data[cut:]
            # Fast path (C-speed searches, no lists): the last row of the block, and whether
            # any cell lies beyond column Z or row 999,999. Only then are the cells listed.
            found = _ROW_REF.search(scan, max(scan.rfind(b"<row"), 0))
            if found is None:
                found = _ROW_REF.search(scan, max(scan.rfind(b"row "), 0))
            if found is not None:
                last_row = max(last_row, int(found.group(1)))
            if _WIDE_OR_DEEP.search(scan):
                rows_found = _ROW_REF.findall(scan)
                if rows_found:
                    last_row = max(last_row, *map(int, rows_found))
                cells = _CELL_REF.findall(scan)
                if cells:
                    last_row = max(last_row, *(int(row) for _letters, row in cells))
                    for letters in {letters for letters, _row in cells} - letters_seen:
                        letters_seen.add(letters)
                        last_col = max(last_col, column_number(letters.decode()))
            elif b"<c " in scan or b":c " in scan:
                last_col = max(last_col, min(26, _narrow_columns(scan)))
            if last_row > max_rows or last_col > max_cols or last_row * last_col > max_cells:
                break
    return last_row, last_col, lost


def _last_cell_start(data, end=None, prefixed=True):
    """Where the last cell tag (``<c ``, or ``<x:c `` if ``prefixed``) before ``end``
    starts; -1: none."""
    end = len(data) if end is None else end
    plain = data.rfind(b"<c ", 0, end)
    if not prefixed:
        return plain
    cell = data.rfind(b":c ", 0, end)
    if cell > plain:
        return max(data.rfind(b"<", 0, cell), plain)
    return plain


# Cells calamine reads as empty although they are not: an Excel error (t="e": #N/A of a
# failed lookup, #VALUE!, #REF!...) and a formula without its value (a file written by a
# program that does not calculate, never saved by Excel). A formula whose value is an empty
# text (t="str" with an empty <v>) is empty indeed.
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_LOST_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_LOST_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")
_LOST_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")
_ERROR_TYPE = re.compile(rb'\bt="e"')
_TEXT_TYPE = re.compile(rb'\bt="str"')
MAX_LOST_CELLS = 10_000


def _lost_cells(scan, lost, name):
    """Add to ``lost`` the block's error cells and formulas without a value: each cell
    around an error value or a formula tag (the block holds whole cells: _sheet_extent)."""
    starts = set()
    for probe in (b"v>#", b"<f", b":f"):
        at = scan.find(probe)
        while at != -1:
            start = _last_cell_start(scan, at)
            if start != -1:
                starts.add(start)
            at = scan.find(probe, at + 2)
    for start in sorted(starts):
        end = _CELL_END.search(scan, start)
        cell = scan[start : end.start() if end else len(scan)]
        attributes, _gt, body = cell.partition(b">")
        value = _LOST_VALUE.search(body)
        if _ERROR_TYPE.search(attributes):
            shown = value.group(1).decode("utf-8", "replace").strip()[:20] if value else ""
            shown = shown if shown.startswith("#") else "#N/A"
        elif _LOST_FORMULA.search(body) and not (value and value.group(1).strip()):
            if value is not None and _TEXT_TYPE.search(attributes):
                continue  # a formula whose value is an empty text
            shown = ""
        else:
            continue
        ref = _LOST_REF.search(attributes)
        if ref is None:
            raise FileRejected(
                _(
                    "%(name)s has cells that hold an Excel error (such as #N/A) or a formula "
                    "without its value, and do not say where they are: open it in Excel, "
                    "correct them and save it again."
                )
                % {"name": name}
            )
        lost[(int(ref.group(2)), column_number(ref.group(1).decode()))] = shown
        if len(lost) > MAX_LOST_CELLS:
            raise FileRejected(
                _(
                    "%(name)s has more than %(count)s cells that hold an Excel error (such "
                    "as #N/A) or a formula without its value: open it in Excel, correct "
                    "them (or copy the table and paste it as values) and save it again."
                )
                % {"name": name, "count": _n(MAX_LOST_CELLS)}
            )


# csv encodings --------------------------------------------------------------------------------
# What Windows-1258 reads as Vietnamese where Windows-1252 reads other Latin letters: the
# combining grave, acute, tilde, hook and dot below, and Ă ă Đ đ Ơ ơ Ư ư.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_VOWELS = set("aeiouyAEIOUYâêôăơưÂÊÔĂƠƯ")


def score_vietnamese(data):
    """How Vietnamese the bytes read in Windows-1258: the number of its Vietnamese letters
    and tone marks, or -1 when a tone mark follows something that is not a vowel (so the
    text is not Windows-1258) or the bytes do not decode."""
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return -1
    score = 0
    previous = ""
    for char in text:
        if char in _TONE_MARKS:
            if previous not in _VOWELS:
                return -1
            score += 1
        elif char in "ĂăĐđƠơƯư":
            score += 1
        previous = char
    return score


def detect_encoding(opener, name):
    """The CsvFormat of a text file's encoding (its delimiter is found later); refuses a
    file that is neither UTF-8, UTF-16 with a BOM, nor a Windows code page."""
    with opener() as stream:
        head = stream.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return _check_utf8(opener, name, CsvFormat("utf-8-sig", "UTF-8 (BOM)", bom=True))
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return CsvFormat("utf-16", "UTF-16", bom=True)
    try:
        return _check_utf8(opener, name, CsvFormat("utf-8", "UTF-8"))
    except _NotUtf8 as exc:
        if exc.valid_multibyte:
            raise FileRejected(
                _(
                    "%(name)s is UTF-8 text with invalid bytes at row %(row)s (byte %(byte)s): "
                    "it may have been pasted together from files in different encodings. Open "
                    "it in Excel and save it as 'CSV UTF-8', or as .xlsx."
                )
                % {"name": name, "row": exc.line, "byte": _n(exc.offset)}
            ) from None
    with opener() as stream:
        sample = stream.read(1 << 20)
    score = score_vietnamese(sample)
    if score > 0:
        return CsvFormat("cp1258", "Windows-1258")
    try:
        with opener() as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                block.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        return CsvFormat("cp1252", "Windows-1252")
    if score == 0:
        return CsvFormat("cp1258", "Windows-1258")
    raise FileRejected(
        _(
            "%(name)s is in an encoding that is neither UTF-8, UTF-16 nor Windows-1258/1252: "
            "open it in Excel and save it as 'CSV UTF-8', or as .xlsx."
        )
        % {"name": name}
    )


class _NotUtf8(Exception):
    def __init__(self, offset, line, valid_multibyte):
        self.offset, self.line, self.valid_multibyte = offset, line, valid_multibyte


def _check_utf8(opener, name, fmt):
    """The whole file decodes as UTF-8 (in blocks, through an incremental decoder)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    lines = 1
    multibyte = 0
    with opener() as stream:
        if fmt.bom:
            stream.read(3)
            offset = 3
        for block in iter(lambda: stream.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                if fmt.bom:
                    raise FileRejected(
                        _(
                            "%(name)s starts as UTF-8 but has invalid bytes at row %(row)s: "
                            "open it in Excel and save it as 'CSV UTF-8', or as .xlsx."
                        )
                        % {"name": name, "row": lines + block.count(b"\n", 0, exc.start)}
                    ) from None
                multibyte += sum(1 for b in block[: exc.start] if b >= 0xC0)
                raise _NotUtf8(
                    offset + exc.start, lines + block.count(b"\n", 0, exc.start), multibyte
                ) from None
            offset += len(block)
            lines += block.count(b"\n")
            if multibyte < 1:
                multibyte += sum(1 for b in block[:65536] if b >= 0xC0)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise _NotUtf8(offset, lines, multibyte) from None
    return fmt


def sniff_delimiter(sample, *, truncated=False):
    """The delimiter (comma, semicolon or tab) under which the first records of the sample
    have the most regular number of cells, more than one. csv.Sniffer gives up on a quoted
    cell with a line break, which Excel writes."""
    best, best_score = ",", None
    for delimiter in (",", ";", "\t"):
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
            records = list(itertools.islice(reader, 50))
        except csv.Error:
            continue
        if truncated and len(records) > 1:
            records = records[:-1]
        counts = [len(r) for r in records if any(cell.strip() for cell in r)]
        if not counts:
            continue
        mode = max(set(counts), key=lambda n: (counts.count(n), n))
        score = (mode > 1, counts.count(mode), mode)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(opener, name, fmt):
    stream = opener()
    text = io.TextIOWrapper(stream, encoding=fmt.encoding, newline="")
    try:
        sample = text.read(64 * 1024)
    except UnicodeDecodeError as exc:
        text.close()
        raise FileRejected(
            _("%(name)s is not %(encoding)s text: save it as 'CSV UTF-8' or as .xlsx.")
            % {"name": name, "encoding": fmt.label}
        ) from exc
    if sample:
        fmt.delimiter = sniff_delimiter(sample, truncated=len(sample) >= 64 * 1024)
        first_break = sample.find("\n")
        fmt.lineterminator = "\r\n" if first_break > 0 and sample[first_break - 1] == "\r" else "\n"
    text.seek(0)

    def rows():
        try:
            reader = csv.reader(
                text, delimiter=fmt.delimiter, quotechar=fmt.quotechar, strict=False
            )
            # Record numbers, as Excel numbers the rows: a quoted cell with a line break is
            # one row (csv's line_num would count two).
            yield from enumerate(reader, start=1)
        except UnicodeDecodeError as exc:
            raise FileRejected(
                _("%(name)s is not %(encoding)s text: save it as 'CSV UTF-8' or as .xlsx.")
                % {"name": name, "encoding": fmt.label}
            ) from exc
        except csv.Error as exc:
            raise FileRejected(
                _("%(name)s is not a readable CSV file (%(reason)s).")
                % {"name": name, "reason": exc}
            ) from exc
        finally:
            text.close()

    return rows()


def parse_xlsx(opener, name):
    """The sheet of an .xlsx an import reads (its first visible worksheet), parsed by
    calamine once check_xlsx has passed it, as a CheckedSheet. A reader's error (a panic
    included) becomes FileRejected."""
    choice = check_xlsx(opener, name)
    return parse_checked_xlsx(opener, name, choice)


def parse_checked_xlsx(opener, name, choice):
    """parse_xlsx of a file check_xlsx has just passed, ``choice`` being what it returned
    (imports.read_ahead checks first): calamine reads that sheet, by its name, once its own
    list of sheets (names, kinds, states, in order) is the one the check read; else the
    file is refused, not guessed at."""
    from python_calamine import CalamineWorkbook

    with opener() as stream:
        try:
            workbook = CalamineWorkbook.from_filelike(stream)
            if _calamine_sheets(workbook) != choice.sheets:
                raise _unreadable(name, _sheet_list_unreadable())
            return CheckedSheet(workbook.get_sheet_by_name(choice.name), choice)
        except FileRejected:
            raise
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
                raise
            raise _unreadable(name, exc) from exc


def _sheet_list_unreadable():
    return _("its list of sheets cannot be read safely")


def _xlsx_rows(opener, name, sheet=None):
    """Rows of the sheet read; ``sheet``: a CheckedSheet already checked and parsed
    (imports.read_ahead)."""
    if sheet is None:
        sheet = parse_xlsx(opener, name)
    first = (sheet.start or (0, 0))[0]

    def rows():
        try:
            for offset, cells in enumerate(sheet.iter_rows()):
                yield first + offset + 1, cells
        except FileRejected:
            raise
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError, GeneratorExit)):
                raise
            raise _unreadable(name, exc) from exc

    return rows()


def _unreadable(name, exc):
    reason = str(exc).splitlines()[0][:120] if str(exc) else exc.__class__.__name__
    return FileRejected(
        _(
            "%(name)s is not a readable .xlsx workbook (%(reason)s): it may be another "
            "kind of file renamed .xlsx. Save it from Excel as .xlsx or as CSV UTF-8."
        )
        % {"name": name, "reason": reason}
    )


def limits_now():
    """Every limit the checks of a file apply, as they stand (a command may lift some)."""
    return {name: limit(name) for name in DEFAULT_LIMITS}


def open_rows(source):
    """(file name, rows iterator, CsvFormat or None) of a file, after its checks."""
    name, rows, fmt, _choice = _open_rows(source)
    return name, rows, fmt


def _open_rows(source):
    """open_rows, and the CheckedSheet of an .xlsx (None for a CSV file)."""
    from .read_ahead import take

    name, size, opener = read_source(source)
    ahead = take(source)  # the command's workbook, checked and parsed while Django started
    if ahead is not None:
        return name, _xlsx_rows(opener, name, ahead), None, ahead
    max_bytes = limit("MAX_UPLOAD_BYTES")
    if size > max_bytes:
        raise FileRejected(
            _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
            % {"name": name, "size": round(size / 1048576, 1), "limit": max_bytes // 1048576}
        )
    if size == 0:
        raise FileRejected(_("%(name)s is empty.") % {"name": name})
    with opener() as stream:
        head = stream.read(8)
    if head == OLE_MAGIC:
        raise FileRejected(
            _(
                "%(name)s is an Excel 97-2003 workbook (.xls) or a workbook protected by a "
                "password, which an import cannot read: open it in Excel, remove the password "
                "if it has one (File > Info > Protect Workbook), and save it as .xlsx (Excel "
                "Workbook) or as CSV UTF-8."
            )
            % {"name": name}
        )
    if _is_xlsx(name, head):
        sheet = parse_xlsx(opener, name)
        return name, _xlsx_rows(opener, name, sheet), None, sheet
    fmt = detect_encoding(opener, name)
    return name, _csv_rows(opener, name, fmt), fmt, None


def open_sheet(source, headers, required, names):
    """Open a file and find its header row.

    ``headers`` maps each folded header text to a field name; ``required`` lists the fields
    that must be present; ``names`` gives each field's display name ("Mã khóa/course").
    Raises FileRejected with a message staff can act on.
    """
    name, rows, fmt, checked = _open_rows(source)
    first_filled = None
    for number, cells in rows:
        found = {}
        for index, cell in enumerate(cells):
            key = fold(cell) if isinstance(cell, str) else ""
            if key in headers:
                found[index] = headers[key]
        if len(set(found.values())) >= MIN_KNOWN_HEADERS:
            sheet = _sheet(name, number, cells, found, required, names, rows)
            sheet.csv_format = fmt
            if checked is not None:
                sheet.sheet_note = checked.choice.note()
                sheet.lost_cells = checked.lost_by_row()
            return sheet
        if first_filled is None and sum(1 for c in cells if c not in ("", None)) >= 2:
            first_filled = (number, cells)
        if number >= HEADER_SEARCH_ROWS:
            break
    expected = ", ".join(names.values())
    if first_filled is None:
        raise FileRejected(
            _("%(name)s has no header row: it is empty or has no row with column names.")
            % {"name": name}
        )
    seen = ", ".join(
        clean_spaces(CONTROL_CHARS.sub("?", str(c))) for c in first_filled[1] if c not in ("", None)
    )
    raise FileRejected(
        _(
            "%(name)s has no header row: no row names two known columns. Unknown headers: "
            "%(seen)s. Expected headers: %(expected)s."
        )
        % {"name": name, "seen": seen[:500], "expected": expected}
    )


def _sheet(name, number, cells, found, required, names, rows):
    columns = []
    labels = {}
    ignored = []
    twins = []
    for index, cell in enumerate(cells):
        label = clean_spaces(CONTROL_CHARS.sub("", str(cell))) if cell not in (None, "") else ""
        if index in found and found[index] in labels:
            twins.append(Column(index, found[index], label))
        elif index in found:
            columns.append(Column(index, found[index], label))
            labels[found[index]] = label
        elif label:
            ignored.append(label)
    present = set(found.values())
    missing = [f for f in required if f not in present]
    if missing:
        raise FileRejected(
            _(
                "row %(row)s: required column(s) missing: %(missing)s. "
                "Expected headers: %(expected)s."
            )
            % {
                "row": number,
                "missing": ", ".join(names[f] for f in missing),
                "expected": ", ".join(names.values()),
            }
        )
    sheet = Sheet(name, number, columns, ignored, rows, labels, required=list(required))
    sheet.twins = twins
    return sheet


_CONTROL_NAMES = {"\x00": "NUL", "\x0b": "VT", "\x0c": "FF", "\x1a": "SUB", "\x1b": "ESC"}


def describe_char(char):
    """A control character as staff can find it: 'NUL (U+0000)'."""
    try:
        label = unicodedata.name(char)
    except ValueError:
        label = _CONTROL_NAMES.get(char, "")
    return f"{label} (U+{ord(char):04X})" if label else f"U+{ord(char):04X}"
