"""Sheets the importer writes: a rejected file with a "Lỗi" column, and the blank templates."""

import codecs
import csv
import io
import os
import tempfile
import unicodedata
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from cadres.models import Locality, Rank
from courses.models import CourseType
from trainingmgr.cells import escape_cell, write_only_row, xlsx_cell

from .contract import SHEETS
from .reading import open_rows

ERROR_HEADER = "Lỗi"
BAD_FILL = PatternFill("solid", fgColor="FFF2CC")


def errors_by_row(result):
    found = defaultdict(list)
    for row, column, message in result.errors:
        if row is not None:
            found[row].append(f"{column}: {message}")
    return found


def annotated_file(path, file_name, result):
    """The uploaded sheet with a "Lỗi" column saying what is wrong on each bad row.

    Returns (bytes, content type, file name). The file is read back by the importer's own
    reader (imports.reading), so the rows are numbered the same way as the messages (records,
    not lines, in a CSV) and the same checks apply. A .csv keeps its dialect: delimiter,
    quoting, line ends, encoding and BOM. An .xlsx is written in streaming mode (openpyxl
    write-only): memory stays flat however long the sheet. Every cell goes through
    trainingmgr.cells. Raises reading.FileRejected when the file cannot be read at all.
    """
    messages = errors_by_row(result)
    header_row = result.header_row or 1
    _name, rows, fmt = open_rows(_NamedPath(path, file_name))
    if fmt is not None:
        return _annotated_csv(rows, fmt, messages, header_row), "text/csv", _errors_name(file_name)
    return _annotated_xlsx(rows, messages, header_row), XLSX, _errors_name(file_name, "xlsx")


class _NamedPath(os.PathLike):
    def __init__(self, path, name):
        self.path, self.name = os.fspath(path), os.path.basename(name)

    def __fspath__(self):
        return self.path


def _nearest_encodable(encoding):
    """The name of a codec error handler for the file of errors in ``encoding`` (registered
    on first use; the handler is told only "charmap" of a single-byte codec): a letter the
    encoding has no single byte for, written as that encoding spells it. Windows-1258
    writes Vietnamese as a letter (with its circumflex, breve or horn) and a tone mark:
    'ỗ' as 'ô' + U+0303, 'ệ' as 'ê' + U+0323 (Python's cp1258 codec has no precomposed
    'ỗ', so the messages and the "Lỗi" header could not be written). Where the encoding
    has no way at all (a Vietnamese message in a Windows-1252 file), the letter without its
    marks; else '?'."""
    name = f"trainingmgr.nearest.{codecs.lookup(encoding).name}"
    try:
        codecs.lookup_error(name)
    except LookupError:

        def handler(error):
            if not isinstance(error, UnicodeEncodeError):
                raise error
            chars = error.object[error.start : error.end]
            return "".join(_spelled(c, encoding) for c in chars), error.end

        codecs.register_error(name, handler)
    return name


def _spelled(char, encoding):
    parts = unicodedata.normalize("NFD", char)
    base, marks = parts[:1], parts[1:]
    candidates = [
        unicodedata.normalize("NFC", base + mark) + marks.replace(mark, "", 1) for mark in marks
    ]
    for candidate in [*candidates, parts, base, {"Đ": "D", "đ": "d"}.get(char, "?")]:
        try:
            candidate.encode(encoding)
        except UnicodeEncodeError:
            continue
        return candidate
    return "?"


def _annotated_csv(rows, fmt, messages, header_row):
    with (
        tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out,
        io.TextIOWrapper(
            out, encoding=fmt.encoding, errors=_nearest_encodable(fmt.encoding), newline=""
        ) as text,
    ):
        writer = csv.writer(
            text,
            delimiter=fmt.delimiter,
            quotechar=fmt.quotechar,
            lineterminator=fmt.lineterminator,
        )
        for number, cells in rows:
            if number == header_row:
                cells = [*cells, ERROR_HEADER]
            elif number in messages:
                cells = [*cells, "; ".join(messages[number])]
            writer.writerow([escape_cell(c) for c in cells])
        text.flush()
        out.seek(0)
        return out.read()


def _annotated_xlsx(rows, messages, header_row):
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Lỗi")
    written = 0
    width = 0
    for number, cells in rows:
        while written < number - 1:
            sheet.append([])
            written += 1
        values = [_plain(c) for c in cells]
        if number == header_row:
            width = len(values)
            head = WriteOnlyCell(sheet, value=ERROR_HEADER)
            head.font = Font(bold=True)
            values = [*values, head]
        elif number in messages:
            values += [None] * (width - len(values))
            note = xlsx_cell(WriteOnlyCell(sheet), "; ".join(messages[number]))
            note.fill = BAD_FILL
            values = [*values, note]
        sheet.append(write_only_row(sheet, values))
        written += 1
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        workbook.save(out)
        out.seek(0)
        return out.read()


def _plain(value):
    """A cell as calamine gives it, as it should be written back: 12.0 -> 12."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == "":
        return None
    return value


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_letter(column):
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _errors_name(file_name, ext=None):
    stem, _dot, own = file_name.rpartition(".")
    return f"{stem or file_name}-loi.{ext or (own if stem else 'csv')}"


def template(kind):
    """A blank sheet for a kind, from its contract (imports.contract): the Vietnamese headers
    (required ones in red), a filled example row, and drop-down lists of Vietnamese names
    (ranks, course types, current localities, modes, results, genders) kept on a second
    sheet. The sheet is titled in Vietnamese after the kind."""
    sheet_def = SHEETS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_def.title
    lists = workbook.create_sheet("Danh mục")
    columns = _lists(lists, {c.dropdown for c in sheet_def.columns if c.dropdown})
    fields = [c for c in sheet_def.columns if c.in_template]
    for index, column in enumerate(fields, start=1):
        header = xlsx_cell(sheet.cell(row=1, column=index), column.vi)
        header.font = Font(bold=True, color="C00000" if column.required else "000000")
        if column.example not in ("", None):
            xlsx_cell(sheet.cell(row=2, column=index), column.example)
        sheet.column_dimensions[cell_letter(index)].width = max(14, len(column.vi) + 4)
        if column.dropdown in columns:
            letter, count = columns[column.dropdown]
            validation = DataValidation(
                type="list",
                formula1=f"='Danh mục'!${letter}$2:${letter}${count + 1}",
                allow_blank=True,
                showErrorMessage=False,  # aliases and position titles are accepted too
            )
            sheet.add_data_validation(validation)
            validation.add(f"{cell_letter(index)}2:{cell_letter(index)}5000")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_name(kind):
    """mau-khoa-hoc.xlsx"""
    return f"mau-{SHEETS[kind].file_stem}.xlsx"


def _lists(sheet, wanted):
    """Write the reference lists in columns of the list sheet: {name: (letter, count)}."""
    from .contract import GENDER_NAMES, MODE_NAMES, STATUS_NAMES

    sources = {
        "ranks": (
            "Cấp",
            lambda: list(Rank.objects.order_by("order", "pk").values_list("name", flat=True)),
        ),
        "types": (
            "Loại khóa",
            lambda: list(CourseType.objects.order_by("pk").values_list("name", flat=True)),
        ),
        "localities": (
            "Tỉnh/thành",
            lambda: list(
                Locality.objects.current().order_by("code").values_list("name", flat=True)
            ),
        ),
        "modes": ("Hình thức", lambda: list(MODE_NAMES.values())),
        "statuses": ("Kết quả", lambda: list(STATUS_NAMES.values())),
        "genders": ("Giới tính", lambda: list(GENDER_NAMES.values())),
    }
    placed = {}
    index = 0
    for name, (title, items_of) in sources.items():
        if name not in wanted:
            continue
        index += 1
        items = items_of()
        sheet.cell(row=1, column=index, value=title).font = Font(bold=True)
        for offset, item in enumerate(items, start=2):
            xlsx_cell(sheet.cell(row=offset, column=index), item)
        placed[name] = (cell_letter(index), len(items))
    return placed
