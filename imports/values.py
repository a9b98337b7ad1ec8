"""Reading one cell: text, whole numbers, dates, gender, status, mode.

Each parser takes the raw cell (str, int, float, date... as calamine or csv give it) and
returns the value or raises BadValue with a message for `row R, column C: message`.
"""

import datetime
import re

from django.utils.translation import gettext as _

from trainingmgr.cells import unescape_cell
from trainingmgr.text import clean_spaces, fold

MAX_DIGITS = 18  # below 2**63: what no database column can take is refused as a cell
_GROUPED = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$")
# A date may carry the time of day a date-and-time cell shows ("01/03/2025 08:30"): the date
# is the value, the time is dropped.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})" + _TIME + "$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)


class BadValue(ValueError):
    pass


# Excel keeps 15 significant digits of a number: a longer ID number typed as one is lost.
EXCEL_DIGITS = 15
CCCD_DIGITS = 12


def id_number(raw):
    """An ID number as stored: digits only, in ASCII (fullwidth and other decimal digits read
    as theirs), spaces removed. A 12-digit citizen ID (CCCD) starts with its province's code
    (001-096), so one typed as a number lost its leading zeros: a number cell of 10 or 11
    digits is given them back. A number cell longer than Excel keeps is an error, as it can
    no longer be read exactly."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if isinstance(raw, float) and (not raw.is_integer() or abs(raw) >= 10**EXCEL_DIGITS):
            raise BadValue(
                _(
                    "%(value)s was typed as a number, which Excel keeps to 15 digits: format "
                    "the column as Text and type the ID number again."
                )
                % {"value": text(raw)}
            )
        digits = str(int(raw))  # a negative one is refused as not digits (Cadre.clean)
        return digits.zfill(CCCD_DIGITS) if len(digits) in (10, 11) else digits
    value = text(raw).replace(" ", "")
    if not value.isascii():
        value = "".join(str(int(c)) if c.isdecimal() else c for c in value)
    return value


def no_course_in_scope(code):
    """What a scoped user is told of a course code that is unknown or outside their scope:
    the same words, so that no answer says which codes exist elsewhere."""
    return _("No course in your scope has the code '%(value)s'.") % {"value": code}


def is_empty(raw):
    return raw is None or (isinstance(raw, str) and not raw.strip())


def text(raw):
    """Cell as stored text: NFC, spaces collapsed; a whole float (1.0) reads as '1'."""
    if isinstance(raw, str):  # the usual cell, first: this runs on most cells of a file
        if raw[:1] == "'":
            raw = unescape_cell(raw)  # what an export escaped (trainingmgr.cells) reads back
        return clean_spaces(raw)
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (datetime.datetime, datetime.date)):
        return raw.strftime("%d/%m/%Y")
    return clean_spaces(raw)


def cell_text(raw):
    """A text cell (a name, a position, an agency): text(), but a logical cell (TRUE, FALSE:
    a checkbox, a comparison formula) is no text and is an error, not the name "True"."""
    if raw.__class__ is str:
        return text(raw)
    if isinstance(raw, bool):
        raise BadValue(
            _(
                "%(value)s is a logical value (a checkbox or a comparison), not a text: "
                "type the value."
            )
            % {"value": "TRUE" if raw else "FALSE"}
        )
    return text(raw)


def whole_number(raw):
    """A count or an amount: 0 or more, '1.000' and '1,000' read as a thousand."""
    if isinstance(raw, bool):
        raise BadValue(_("'%(value)s' is not a number.") % {"value": raw})
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise BadValue(_("%(value)s is not a whole number.") % {"value": raw})
        value = int(raw)
    else:
        cell = clean_spaces(raw)
        digits = cell.lstrip("-")
        if len(digits) > MAX_DIGITS:  # int() refuses 4,300 digits; sqlite3 64 bits
            raise BadValue(
                _("'%(value)s…' is too large a number.") % {"value": digits[:MAX_DIGITS]}
            )
        if digits.isdecimal():  # what int() reads (isdigit() is true of '²' too)
            value = int(digits)
        elif _GROUPED.match(digits):
            value = int(re.sub(r"\D", "", digits))
        else:
            raise BadValue(_("'%(value)s' is not a number.") % {"value": cell})
        if cell.startswith("-"):
            value = -value
    if value < 0:
        raise BadValue(_("%(value)s is negative; a count is 0 or more.") % {"value": value})
    return value


def _make_date(year, month, day, shown):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise BadValue(_("%(value)s is not a valid date.") % {"value": shown}) from None


FIRST_YEAR, LAST_YEAR = 1900, 2100  # of any date or year a sheet gives


def date(raw):
    """An Excel date, dd/mm/yyyy or yyyy-mm-dd, in the years 1900-2100; an impossible date
    is an error, not a guess (a course dated 01/01/0001 would count in the reports)."""
    value = _date(raw)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise BadValue(
            _("%(value)s is not a date between %(first)s and %(last)s.")
            % {
                "value": f"{value.day:02d}/{value.month:02d}/{value.year:04d}",
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            }
        )
    return value


def _date(raw):
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        # An Excel serial day number that lost its date format.
        if 1 <= raw < 2958466 and float(raw).is_integer():
            return EXCEL_EPOCH + datetime.timedelta(days=int(raw))
        raise BadValue(_("%(value)s is not a date.") % {"value": raw})
    cell = clean_spaces(raw)
    match = _DMY.match(cell)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _make_date(year, month, day, cell)
    match = _YMD.match(cell)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day, cell)
    raise BadValue(
        _("'%(value)s' is not a date (write dd/mm/yyyy or yyyy-mm-dd).") % {"value": cell}
    )


def year(raw):
    """A year alone (Năm sinh, Năm): 4 digits."""
    if isinstance(raw, (datetime.date, datetime.datetime)):
        return raw.year
    try:
        value = whole_number(raw)
    except BadValue:
        raise BadValue(_("'%(value)s' is not a year.") % {"value": text(raw)}) from None
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise BadValue(
            _("%(value)s is not a year between %(first)s and %(last)s.")
            % {"value": value, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return value


def choice(raw, table, what):
    """A value from a small fixed list, matched on its folded spelling."""
    key = fold(raw)
    if key in table:
        return table[key]
    known = ", ".join(table.spellings)
    raise BadValue(
        _("'%(value)s' is not a known %(what)s (known: %(known)s).")
        % {"value": text(raw), "what": what, "known": known}
    )


class _Table(dict):
    """Folded spelling -> value, remembering the spellings to list in an error."""

    def __init__(self, pairs):
        super().__init__(
            (fold(spelling), value) for value, spellings in pairs for spelling in spellings
        )
        # The name a value is written with (exports, templates): its first Vietnamese spelling.
        self.names = {value: spellings[1] for value, spellings in pairs if len(spellings) > 1}
        self.spellings = [spellings[1] for _value, spellings in pairs if len(spellings) > 1]
        self.spellings += [spellings[0] for _value, spellings in pairs]


GENDERS = _Table(
    [
        ("M", ["M", "Nam", "Male", "Trai"]),
        ("F", ["F", "Nữ", "Nu", "Female", "Gái"]),
    ]
)
ENROLMENT_STATUSES = _Table(
    [
        ("attended", ["attended", "Tham dự", "Tham gia", "Có mặt", "Dự học", "Đã học"]),
        (
            "completed",
            ["completed", "Hoàn thành", "Hoàn thành khóa học", "Đạt", "Tốt nghiệp", "Có chứng chỉ"],
        ),
        ("registered", ["registered", "Đăng ký", "Đã đăng ký"]),
        ("withdrawn", ["withdrawn", "Rút", "Rút tên", "Vắng", "Không tham dự", "Bỏ học"]),
    ]
)
COURSE_MODES = _Table(
    [
        ("in_person", ["in_person", "Trực tiếp", "in person", "Tập trung"]),
        ("online", ["online", "Trực tuyến"]),
        ("hybrid", ["hybrid", "Kết hợp", "Trực tiếp và trực tuyến"]),
    ]
)
