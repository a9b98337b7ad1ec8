"""Reading a sheet: .xlsx (python-calamine) or .csv (UTF-8, with or without BOM) into rows that
keep the sheet's own row numbers, after finding the header row under any title rows.

Rows are streamed: a CSV file is never held in memory whole; an .xlsx sheet is held by
calamine (in Rust, compactly) and converted to Python one row at a time.
"""

import csv
import hashlib
import io
import os
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from trainingmgr.text import clean_spaces, fold

# A header row is the first row in which at least this many cells are known headers.
MIN_KNOWN_HEADERS = 2
# Title rows, blank lines and notes above the header: how far down to look for it.
HEADER_SEARCH_ROWS = 30
ZIP_MAGIC = b"PK\x03\x04"


class FileRejected(Exception):
    """The file as a whole cannot be read (not a sheet, no header row, too large...)."""


@dataclass
class Column:
    index: int
    field: str
    label: str  # the header as the sheet writes it, used in messages


@dataclass
class Sheet:
    """A sheet whose header row has been found; iterate it for (row number, {field: value})."""

    file_name: str
    header_row: int
    columns: list
    ignored: list = field(default_factory=list)
    rows_iter: object = None
    labels: dict = field(default_factory=dict)

    def label(self, field_name):
        return self.labels.get(field_name, field_name)

    def __iter__(self):
        columns = self.columns
        for number, cells in self.rows_iter:
            if not any(cell not in ("", None) for cell in cells):
                continue  # blank lines between blocks are not rows
            values = {}
            width = len(cells)
            for column in columns:
                if column.index < width:
                    values[column.field] = cells[column.index]
                else:
                    values[column.field] = ""
            yield number, values


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


def _xlsx_rows(opener, name):
    from python_calamine import CalamineError, CalamineWorkbook

    with opener() as stream:
        try:
            if not zipfile.is_zipfile(stream):
                raise FileRejected(_("%(name)s is not an .xlsx workbook.") % {"name": name})
            stream.seek(0)
            workbook = CalamineWorkbook.from_filelike(stream)
            sheet = workbook.get_sheet_by_index(0)
        except FileRejected:
            raise
        except (CalamineError, ValueError, OSError, IndexError, zipfile.BadZipFile) as exc:
            raise FileRejected(
                _(
                    "%(name)s is not a readable .xlsx workbook (%(reason)s): it may be another "
                    "kind of file renamed .xlsx. Save it from Excel as .xlsx or as CSV UTF-8."
                )
                % {
                    "name": name,
                    "reason": str(exc).splitlines()[0][:120]
                    if str(exc)
                    else exc.__class__.__name__,
                }
            ) from exc
    first = (sheet.start or (0, 0))[0]

    def rows():
        for offset, cells in enumerate(sheet.iter_rows()):
            yield first + offset + 1, cells

    return rows()


def _csv_rows(opener, name):
    stream = opener()
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    sample = text.read(64 * 1024)
    dialect = csv.excel
    if sample:
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            pass
    text.seek(0)

    def rows():
        try:
            # csv counts physical lines: a quoted cell with a line break spans two, as in Excel.
            reader = csv.reader(text, dialect)
            number = 0
            for cells in reader:
                number = reader.line_num
                yield number, cells
        except UnicodeDecodeError as exc:
            raise FileRejected(
                _("%(name)s is not UTF-8 text: save it as 'CSV UTF-8' or as .xlsx.")
                % {"name": name}
            ) from exc
        except csv.Error as exc:
            raise FileRejected(
                _("%(name)s is not a readable CSV file (%(reason)s).")
                % {"name": name, "reason": exc}
            ) from exc
        finally:
            text.close()

    return rows()


def open_sheet(source, headers, required, names):
    """Open a file and find its header row.

    ``headers`` maps each folded header text to a field name; ``required`` lists the fields
    that must be present; ``names`` gives each field's display name ("Mã khóa/course").
    Raises FileRejected with a message staff can act on.
    """
    name, size, opener = read_source(source)
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise FileRejected(
            _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
            % {"name": name, "size": round(size / 1048576, 1), "limit": limit // 1048576}
        )
    if size == 0:
        raise FileRejected(_("%(name)s is empty.") % {"name": name})
    with opener() as stream:
        head = stream.read(4)
    if _is_xlsx(name, head):
        rows = _xlsx_rows(opener, name)
    else:
        rows = _csv_rows(opener, name)

    first_filled = None
    for number, cells in rows:
        found = {}
        for index, cell in enumerate(cells):
            key = fold(cell) if isinstance(cell, str) else ""
            if key in headers and headers[key] not in found.values():
                found[index] = headers[key]
        if len(found) >= MIN_KNOWN_HEADERS:
            return _sheet(name, number, cells, found, required, names, rows)
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
    seen = ", ".join(clean_spaces(c) for c in first_filled[1] if c not in ("", None))
    raise FileRejected(
        _(
            "%(name)s has no header row: no row names two known columns. Unknown headers: "
            "%(seen)s. Expected headers: %(expected)s."
        )
        % {"name": name, "seen": seen, "expected": expected}
    )


def _sheet(name, number, cells, found, required, names, rows):
    columns = []
    labels = {}
    ignored = []
    for index, cell in enumerate(cells):
        label = clean_spaces(cell) if cell not in (None, "") else ""
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
    return Sheet(name, number, columns, ignored, rows, labels)
