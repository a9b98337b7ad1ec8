"""The report as files: .xlsx (one sheet per table, filters written at the top) and .csv."""

import csv
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from trainingmgr.cells import escape_cell, xlsx_value

from .report import Percent

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
THIN = Side(style="thin", color="999999")
NUMBER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"


def _heading(report):
    programme = report.programme
    lines = [
        (f"{programme.code} · {programme.name}", ""),
        (_("Legal basis"), programme.legal_basis),
        (_("Period"), f"{programme.first_year}–{programme.last_year}"),
        (_("As of"), report.as_of.strftime("%d/%m/%Y")),
    ]
    return lines + report.filters.described(report.ref)


def _safe(value):
    """Text that a spreadsheet would read as a formula is quoted (trainingmgr.cells)."""
    return escape_cell(value)


def sheet_title(title):
    """Excel refuses / \\ ? * [ ] : in sheet titles and more than 31 characters: the tables
    carry short sheet names, this only guards against a translation that runs too long."""
    return re.sub(r"[/\\?*\[\]:]", "-", str(title))[:31]


PERCENT_FORMAT = "0.0%"


def _value(sheet, value):
    """An .xlsx cell's value: numbers stay numbers (a Percent as a fraction), text is a
    string cell (never a formula, no apostrophe shown: trainingmgr.cells)."""
    if isinstance(value, Percent):
        return float(value) / 100
    if _is_number(value):
        return value
    if value is None:
        return None
    return xlsx_value(sheet, str(value))


def report_xlsx(report):
    """The report as .xlsx bytes: one formatted sheet per table, the filters on top, the
    header row frozen with everything above it, numbers and percentages as numbers."""
    book = Workbook()
    book.remove(book.active)
    heading = _heading(report)
    for table in report.tables:
        sheet = book.create_sheet(title=sheet_title(table.sheet or table.title))
        for label, value in heading:
            sheet.append([xlsx_value(sheet, str(label)), xlsx_value(sheet, str(value))])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([str(table.title)])
        sheet.cell(row=len(heading) + 1, column=1).font = Font(bold=True)
        header_row = len(heading) + 2
        sheet.append([str(c) for c in table.columns])
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.border = Border(bottom=THIN)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_value(sheet, v) for v in row])
        if table.footer:
            sheet.append([_value(sheet, v) for v in table.footer])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
                cell.border = Border(top=THIN)
        for r, row in enumerate([*table.rows, *((table.footer and [table.footer]) or [])]):
            for c, value in enumerate(row):
                cell = sheet.cell(row=header_row + 1 + r, column=c + 1)
                if isinstance(value, Percent):
                    cell.number_format = PERCENT_FORMAT
                elif c < table.labels and isinstance(value, int):
                    cell.number_format = "0"  # a year: no thousands separator
                elif isinstance(value, int) and not isinstance(value, bool):
                    cell.number_format = NUMBER_FORMAT
                elif isinstance(value, float):
                    cell.number_format = DECIMAL_FORMAT
        # Freeze the header row and the label columns: rows above header_row + 1 stay.
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=table.labels + 1)
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.oddFooter.center.text = "&P / &N"
        for index in range(1, len(table.columns) + 1):
            cells = (sheet.cell(row=r, column=index) for r in range(header_row, sheet.max_row + 1))
            longest = max((len(str(cell.value or "")) for cell in cells), default=8)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def report_csv(report):
    """The report as CSV text: the heading, then each table under its title."""
    out = io.StringIO()
    writer = csv.writer(out)
    for label, value in _heading(report):
        writer.writerow([_safe(str(label)), _safe(str(value))])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([str(table.title)])
        writer.writerow([str(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([_cell(v) for v in row])
        if table.footer:
            writer.writerow([_cell(v) for v in table.footer])
    return out.getvalue()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, Percent):
        return round(float(value), 1)
    return value if _is_number(value) else _safe(str(value))
