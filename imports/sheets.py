"""Sheets the importer writes: a rejected file with a "Lỗi" column, and the blank templates."""

import csv
import io
import os
import tempfile
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from cadres.models import Locality, Rank
from courses.models import CourseType
from trainingmgr.cells import escape_cell, write_only_row, xlsx_cell

from .kinds import KINDS
from .reading import open_rows

ERROR_HEADER = "Lỗi"
BAD_FILL = PatternFill("solid", fgColor="FFF2CC")

EXAMPLES = {
    "courses": {
        "code": "K2026-01",
        "title": "Bồi dưỡng kiến thức hội nhập quốc tế",
        "programme": "QD1275-2020",
        "course_type": "KIEN_THUC",
        "organiser": "Học viện Ngoại giao",
        "start_date": "04/05/2026",
        "end_date": "08/05/2026",
        "locality": "Hà Nội",
        "mode": "Trực tiếp",
        "planned_participants": 80,
    },
    "participants": {
        "course": "K2026-01",
        "full_name": "Nguyễn Thị Hòa",
        "birth_date": "12/03/1980",
        "gender": "Nữ",
        "id_number": "001180000123",
        "email": "hoa.nt@example.gov.vn",
        "position": "Phó Giám đốc Sở Ngoại vụ",
        "rank": "",
        "agency": "Sở Ngoại vụ",
        "locality": "Tuyên Quang",
        "status": "Hoàn thành",
    },
    "tallies": {
        "course": "K2026-01",
        "rank": "CHUYEN_VIEN",
        "locality": "Hà Nội",
        "gender": "",
        "count": 25,
    },
    "baselines": {"year": 2026, "rank": "CHUYEN_VIEN", "locality": "Hà Nội", "headcount": 40},
}
# Columns whose cells get a drop-down list, and the list they take.
DROPDOWNS = {"rank": "ranks", "course_type": "types", "locality": "localities"}


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
    name, rows, fmt = open_rows(_NamedPath(path, file_name))
    if fmt is not None:
        return _annotated_csv(rows, fmt, messages, header_row), "text/csv", _errors_name(
            file_name
        )
    return _annotated_xlsx(rows, messages, header_row), XLSX, _errors_name(file_name, "xlsx")


class _NamedPath(os.PathLike):
    def __init__(self, path, name):
        self.path, self.name = os.fspath(path), os.path.basename(name)

    def __fspath__(self):
        return self.path


def _annotated_csv(rows, fmt, messages, header_row):
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    text = io.TextIOWrapper(out, encoding=fmt.encoding, newline="")
    writer = csv.writer(
        text, delimiter=fmt.delimiter, quotechar=fmt.quotechar, lineterminator=fmt.lineterminator
    )
    for number, cells in rows:
        if number == header_row:
            cells = [*cells, ERROR_HEADER]
        elif number in messages:
            cells = [*cells, "; ".join(messages[number])]
        writer.writerow([escape_cell(c) for c in cells])
    text.flush()
    out.seek(0)
    data = out.read()
    text.close()
    return data


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
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
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
    """A blank sheet for a kind: the Vietnamese headers, one example row, and drop-down lists
    of ranks, course types and current localities (kept on a second sheet)."""
    importer = KINDS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    lists = workbook.create_sheet("Danh mục")
    columns = _lists(lists)
    example = EXAMPLES[kind]
    fields = [f for f, *_ in importer.COLUMNS if f != "birth_year"]
    for index, field in enumerate(fields, start=1):
        vi = next(c[1] for c in importer.COLUMNS if c[0] == field)
        required = next(c[3] for c in importer.COLUMNS if c[0] == field)
        header = sheet.cell(row=1, column=index, value=vi)
        header.font = Font(bold=True, color="C00000" if required else "000000")
        sheet.cell(row=2, column=index, value=example.get(field, ""))
        sheet.column_dimensions[cell_letter(index)].width = max(14, len(vi) + 4)
        if field in DROPDOWNS:
            letter, count = columns[DROPDOWNS[field]]
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


def _lists(sheet):
    """Write the reference lists in columns of the list sheet: {name: (letter, count)}."""
    data = {
        "ranks": list(Rank.objects.values_list("code", flat=True)),
        "types": list(CourseType.objects.values_list("code", flat=True)),
        "localities": list(
            Locality.objects.current().order_by("code").values_list("name", flat=True)
        ),
    }
    headers = {"ranks": "Cấp", "types": "Loại khóa", "localities": "Tỉnh/thành"}
    placed = {}
    for index, (name, items) in enumerate(data.items(), start=1):
        sheet.cell(row=1, column=index, value=headers[name]).font = Font(bold=True)
        for offset, item in enumerate(items, start=2):
            sheet.cell(row=offset, column=index, value=item)
        placed[name] = (cell_letter(index), len(items))
    return placed
