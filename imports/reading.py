"""Reading a sheet: .xlsx (python-calamine) or .csv into rows that keep the sheet's own row
numbers, after finding the header row under any title rows and skipping the footer block.

Nothing is handed to a reader before it is known to be harmless (check_xlsx, detect_encoding):

- an .xlsx is a zip of XML: its entries' declared and real sizes, their compression ratio,
  the first sheet's declared ``<dimension>``, the real extent of its cells and the number of
  shared strings are checked against limits (settings ``IMPORT_MAX_*``, defaults below), so
  that calamine, which allocates the whole declared or used rectangle, never sees a sheet
  that would take more than a bounded amount of memory;
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
        for number, cells in self.rows_iter:
            if not any(cells) and not any(cell not in ("", None) for cell in cells):
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
            joined = "".join([v for v in values.values() if v.__class__ is str])
            if not joined.isprintable() and control(joined):
                values[BAD_CELLS] = [
                    (name, control(value).group())
                    for name, value in values.items()
                    if isinstance(value, str) and control(value)
                ]
            data_seen = True
            yield number, values


BAD_CELLS = "__bad_cells__"

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
_SHEET_REL = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"')


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


def _first_sheet_path(archive):
    """The zip entry of the workbook's first sheet (what calamine's sheet 0 is)."""
    names = set(archive.namelist())
    try:
        workbook = archive.read("xl/workbook.xml")[: 1 << 20]
        rels = archive.read("xl/_rels/workbook.xml.rels")[: 1 << 20]
    except KeyError:
        return None
    match = _SHEET_REL.search(workbook)
    if not match:
        return None
    rel_id = re.escape(match.group(1))
    for element in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        tag = element.group()
        if re.search(rb'\bId="' + rel_id + rb'"', tag):
            target = re.search(rb'\bTarget="([^"]+)"', tag)
            if target:
                path = target.group(1).decode("utf-8", "replace")
                path = path.lstrip("/") if path.startswith("/") else "xl/" + path
                path = os.path.normpath(path).replace(os.sep, "/")
                return path if path in names else None
    return None


def check_xlsx(opener, name, limits=None):
    """Refuse an .xlsx that would make the reader take unbounded memory or time: a zip
    entry too large or compressed too well (a zip bomb), a sheet declaring or filling a
    rectangle too large (cells at A1 and XFD1048576), too many shared strings. Reads the
    sheet's XML once, decompressing it in blocks, never whole. ``limits``: {name: value} of
    every limit (DEFAULT_LIMITS), for a check before Django's set-up; else the settings'."""
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
            sheet_path = _first_sheet_path(archive)
            if sheet_path is None:
                candidates = sorted(
                    n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")
                )
                if not candidates:
                    raise FileRejected(
                        _(
                            "%(name)s is not a readable .xlsx workbook (it has no "
                            "worksheet): it may be another kind of file renamed .xlsx. "
                            "Save it from Excel as .xlsx or as CSV UTF-8."
                        )
                        % {"name": name}
                    )
                sheet_path = candidates[0]
            rows, cols = _sheet_extent(
                archive, sheet_path, name, max_unzipped, max_rows, max_cols, max_cells
            )
            if rows > max_rows and cols <= max_cols and max_rows * cols <= max_cells:
                # Only longer than an import reads (the scan stopped there): the row limit,
                # in the words the import gives it, not a far cell's rectangle.
                raise too_many_rows(name)
            _check_rectangle(name, rows, cols, max_rows, max_cols, max_cells, declared=False)
            if "xl/sharedStrings.xml" in archive.namelist():
                with archive.open("xl/sharedStrings.xml") as part:
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
    with archive.open(path) as part:
        while True:
            try:
                block = part.read(1 << 20)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise FileRejected(
                    _("%(name)s is damaged (%(reason)s): open it in Excel and save it again.")
                    % {"name": name, "reason": str(exc)[:120]}
                ) from exc
            if not block:
                break
            read += len(block)
            if read > max_unzipped:
                raise FileRejected(
                    _("%(name)s unpacks to more than %(limit)s MB: split it into several files.")
                    % {"name": name, "limit": _n(max_unzipped // 1048576)}
                )
            data = tail + block
            if not dimension_checked:
                match = _DIMENSION.search(data)
                if match or b"<sheetData" in data or len(data) > 65536:
                    dimension_checked = True
                if match and match.group(3):
                    rows = int(match.group(4))
                    cols = column_number(match.group(3).decode())
                    _check_rectangle(name, rows, cols, max_rows, max_cols, max_cells, declared=True)
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
    return last_row, last_col


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
    """The first sheet of an .xlsx, parsed by calamine, once check_xlsx has passed it. A
    reader's error (a panic included) becomes FileRejected."""
    check_xlsx(opener, name)
    return parse_checked_xlsx(opener, name)


def parse_checked_xlsx(opener, name):
    """parse_xlsx of a file check_xlsx has just passed (imports.read_ahead checks first)."""
    from python_calamine import CalamineWorkbook

    with opener() as stream:
        try:
            return CalamineWorkbook.from_filelike(stream).get_sheet_by_index(0)
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
                raise
            raise _unreadable(name, exc) from exc


def _xlsx_rows(opener, name, sheet=None):
    """Rows of the first sheet; ``sheet``: already checked and parsed (imports.read_ahead)."""
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
    from .read_ahead import take

    name, size, opener = read_source(source)
    ahead = take(source)  # the command's workbook, checked and parsed while Django started
    if ahead is not None:
        return name, _xlsx_rows(opener, name, ahead), None
    max_bytes = limit("MAX_UPLOAD_BYTES")
    if size > max_bytes:
        raise FileRejected(
            _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
            % {"name": name, "size": round(size / 1048576, 1), "limit": max_bytes // 1048576}
        )
    if size == 0:
        raise FileRejected(_("%(name)s is empty.") % {"name": name})
    with opener() as stream:
        head = stream.read(4)
    if _is_xlsx(name, head):
        return name, _xlsx_rows(opener, name), None
    fmt = detect_encoding(opener, name)
    return name, _csv_rows(opener, name, fmt), fmt


def open_sheet(source, headers, required, names):
    """Open a file and find its header row.

    ``headers`` maps each folded header text to a field name; ``required`` lists the fields
    that must be present; ``names`` gives each field's display name ("Mã khóa/course").
    Raises FileRejected with a message staff can act on.
    """
    name, rows, fmt = open_rows(source)
    first_filled = None
    for number, cells in rows:
        found = {}
        for index, cell in enumerate(cells):
            key = fold(cell) if isinstance(cell, str) else ""
            if key in headers and headers[key] not in found.values():
                found[index] = headers[key]
        if len(found) >= MIN_KNOWN_HEADERS:
            sheet = _sheet(name, number, cells, found, required, names, rows)
            sheet.csv_format = fmt
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
    for index, cell in enumerate(cells):
        label = clean_spaces(CONTROL_CHARS.sub("", str(cell))) if cell not in (None, "") else ""
        if index in found:
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
    return Sheet(name, number, columns, ignored, rows, labels, required=list(required))


_CONTROL_NAMES = {"\x00": "NUL", "\x0b": "VT", "\x0c": "FF", "\x1a": "SUB", "\x1b": "ESC"}


def describe_char(char):
    """A control character as staff can find it: 'NUL (U+0000)'."""
    try:
        label = unicodedata.name(char)
    except ValueError:
        label = _CONTROL_NAMES.get(char, "")
    return f"{label} (U+{ord(char):04X})" if label else f"U+{ord(char):04X}"
