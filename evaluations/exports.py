"""Evaluation results as .xlsx: one sheet per grouping, the same figures as the page."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .results import min_answers

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value):
    """Text that a spreadsheet would read as a formula is quoted (formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _sheet(workbook, title, groups, questions, first_column, extra_column=None):
    sheet = workbook.create_sheet(title[:31])
    header = [first_column]
    if extra_column:
        header.append(extra_column)
    header += [_("Courses"), _("Participants"), _("Answers"), _("Response rate (%)")]
    header += [text for _code, text in questions]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for group in groups:
        row = [safe(group.label)]
        if extra_column:
            row.append(safe(group.extra))
        row += [group.courses, group.participants or None, group.responses, group.rate]
        if group.shown:
            row += [group.means.get(code) for code, _text in questions]
        else:
            hidden = _("fewer than %(n)s answers: not shown") % {"n": min_answers()}
            row += [hidden] + [None] * (len(questions) - 1)
        sheet.append(row)
    sheet.column_dimensions["A"].width = 48
    return sheet


def results_xlsx(results):
    workbook = Workbook()
    workbook.remove(workbook.active)
    questions = results.questions
    _sheet(workbook, _("By course"), results.by_course, questions, _("Course"))
    lecturer_questions = [(code, text) for code, text in questions if code == "lecturers"] or [
        ("lecturers", _("Lecturers"))
    ]
    _sheet(
        workbook,
        _("By lecturer"),
        results.by_lecturer,
        lecturer_questions,
        _("Lecturer"),
        extra_column=_("Role"),
    )
    _sheet(workbook, _("By course type"), results.by_course_type, questions, _("Course type"))
    _sheet(workbook, _("By programme"), results.by_programme, questions, _("Programme"))
    comments = workbook.create_sheet(_("Comments"))
    comments.append([_("Course"), _("Comment")])
    for cell in comments[1]:
        cell.font = Font(bold=True)
    for group in results.by_course:
        for text in group.comments:  # empty below the threshold
            comments.append([safe(group.label), safe(text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
