"""The one escaping of cells the application writes to .xlsx and .csv files.

OWASP's CSV-injection guidance: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return (also after leading spaces) can run as a formula when the file is
opened in a spreadsheet program. Such a cell is prefixed with an apostrophe, which keeps the
whole value (nothing is stripped) and which spreadsheet programs read as "this is text".

In an .xlsx the cell is instead written as a string (data type ``s``), which is never a
formula: no apostrophe is shown there. Numbers and dates are written as numbers and dates.
The importer reads an escaped value back as it was (``unescape_cell``), so an exported file
re-imports to the same records.

Every writer goes through here: the admin exports (cadres/resources.py, courses/resources.py),
the report downloads (reports/exports.py), the import's error files and templates.
"""

import datetime

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def needs_escape(value):
    """Whether a text cell would be read as a formula by a spreadsheet program."""
    return isinstance(value, str) and value.lstrip(" ").startswith(TRIGGERS)


def escape_cell(value):
    """A cell for a CSV file: text that could run as a formula gets a leading apostrophe;
    anything else is returned as it is."""
    if needs_escape(value):
        return "'" + value
    return value


def unescape_cell(value):
    """What escape_cell wrote, read back: the value without the apostrophe it added."""
    if isinstance(value, str) and value.startswith("'") and needs_escape(value[1:]):
        return value[1:]
    return value


def xlsx_cell(cell, value, *, date_format="DD/MM/YYYY"):
    """Put a value in an openpyxl cell: text as a string (type 's', never a formula, no
    apostrophe), numbers as numbers, dates as dates shown dd/mm/yyyy."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, (datetime.date, datetime.datetime)):
        cell.number_format = date_format
    return cell


def write_only_row(sheet, values, *, date_format="DD/MM/YYYY"):
    """A row for an openpyxl write-only sheet, with the same rules as xlsx_cell. Plain values
    are passed as they are (fast); only text that openpyxl would take for a formula and dates
    become WriteOnlyCells."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            row.append(xlsx_cell(WriteOnlyCell(sheet), value))
        elif isinstance(value, (datetime.date, datetime.datetime)):
            row.append(xlsx_cell(WriteOnlyCell(sheet), value, date_format=date_format))
        else:
            row.append(value)
    return row


def xlsx_value(sheet, value):
    """A value for ``sheet.append`` (an ordinary openpyxl worksheet): text that openpyxl
    would store as a formula (a leading '=') becomes a string cell; the rest is returned as
    it is (openpyxl stores other text as strings, numbers as numbers)."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import Cell

        return xlsx_cell(Cell(sheet), value)
    return value
