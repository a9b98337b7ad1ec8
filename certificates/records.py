"""A cadre's training record: the "Đào tạo, bồi dưỡng" section of the personal-history form
(institution, field, from month/year to month/year, form, certificate), the language levels
and the totals per year; as PDF and xlsx, for one cadre or a whole agency or province.

Scoped and masked like everything else: only the enrolments in the user's scope, and the
birth date and ID number only with cadres.view_personal_data (others see the birth year)."""

import io
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from accounts import scoping
from cadres.models import LanguageSkill
from courses.models import Enrolment
from trainingmgr.personal import may_see_personal_data

from .models import Certificate
from .pdf import BOLD, REGULAR, _register_fonts


@dataclass
class RecordRow:
    enrolment: Enrolment
    institution: str
    field_of_training: str
    period_from: str
    period_to: str
    form: str
    certificate: str
    year: int


@dataclass
class TrainingRecord:
    cadre: object
    show_personal: bool
    rows: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    totals: "OrderedDict[int, dict]" = field(default_factory=OrderedDict)

    @property
    def birth(self):
        cadre = self.cadre
        if self.show_personal and cadre.birth_date:
            return cadre.birth_date.strftime("%d/%m/%Y")
        return str(cadre.birth_year or "")

    @property
    def id_number(self):
        return self.cadre.id_number if self.show_personal else ""


def _month(value):
    return value.strftime("%m/%Y") if value else ""


def _form_of(course):
    form = course.get_mode_display()
    if course.country:
        form += ", " + _("abroad (%(country)s)") % {"country": course.country}
    return form


def _certificate_of(enrolment):
    current = [c for c in enrolment.certificates.all() if c.status != Certificate.Status.REPLACED]
    if current:
        certificate = current[0]
        text = _("Certificate No. %(number)s") % {"number": certificate.number}
        if certificate.status == Certificate.Status.REVOKED:
            text += " (" + _("revoked") + ")"
        return text
    if enrolment.certificate_number:
        return _("Certificate No. %(number)s") % {"number": enrolment.certificate_number}
    if enrolment.status == Enrolment.Status.ATTENDED:
        return _("attended")
    return ""


def enrolments_for_records(user):
    """The enrolments a record lists: attended or completed, in the user's scope."""
    return (
        scoping.enrolments(Enrolment.objects.counted(), user)
        .select_related("course__organiser", "course__course_type")
        .prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("-pk")))
        .order_by("course__start_date", "course__code")
    )


def build_record(cadre, user, enrolments=None, languages=None):
    record = TrainingRecord(cadre=cadre, show_personal=may_see_personal_data(user))
    if enrolments is None:
        enrolments = enrolments_for_records(user).filter(cadre=cadre)
    for enrolment in enrolments:
        course = enrolment.course
        end = course.end_date or course.start_date
        record.rows.append(
            RecordRow(
                enrolment=enrolment,
                institution=course.organiser.name if course.organiser_id else "",
                field_of_training=f"{course.title} ({course.course_type.name})",
                period_from=_month(course.start_date),
                period_to=_month(end),
                form=_form_of(course),
                certificate=_certificate_of(enrolment),
                year=course.start_date.year,
            )
        )
        totals = record.totals.setdefault(course.start_date.year, {"courses": 0, "days": 0})
        totals["courses"] += 1
        totals["days"] += (end - course.start_date).days + 1
    if languages is None:
        languages = list(LanguageSkill.objects.filter(cadre=cadre))
    record.languages = [(skill.language.upper(), skill.get_level_display()) for skill in languages]
    return record


def records_for(cadres, user):
    """The records of many cadres in a few queries (an agency's or a province's)."""
    cadres = list(cadres.select_related("agency", "rank", "locality").order_by("name_key", "pk"))
    ids = [c.pk for c in cadres]
    by_cadre = {}
    for enrolment in enrolments_for_records(user).filter(cadre_id__in=ids):
        by_cadre.setdefault(enrolment.cadre_id, []).append(enrolment)
    skills = {}
    for skill in LanguageSkill.objects.filter(cadre_id__in=ids):
        skills.setdefault(skill.cadre_id, []).append(skill)
    return [build_record(c, user, by_cadre.get(c.pk, []), skills.get(c.pk, [])) for c in cadres]


def columns():
    return [
        _("Institution / organiser"),
        _("Field of training"),
        _("From (month/year)"),
        _("To (month/year)"),
        _("Form of training"),
        _("Diploma or certificate"),
    ]


def _row_values(row):
    return [
        row.institution,
        row.field_of_training,
        row.period_from,
        row.period_to,
        row.form,
        row.certificate,
    ]


def _safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# --- xlsx -----------------------------------------------------------------------------------


def records_xlsx(records):
    """One workbook: the courses of every cadre (one row a course), the totals per year, the
    language levels. The same columns for one cadre or a thousand."""
    with translation.override("vi"):
        workbook = Workbook()
        courses = workbook.active
        courses.title = _("Training")
        header = [_("Full name"), _("Birth"), _("ID number"), _("Agency"), *columns()]
        courses.append(header)
        totals = workbook.create_sheet(_("Totals per year"))
        totals.append([_("Full name"), _("Year"), _("Courses"), _("Days")])
        languages = workbook.create_sheet(_("Languages"))
        languages.append([_("Full name"), _("Language"), _("Level")])
        for sheet in (courses, totals, languages):
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        for record in records:
            cadre = record.cadre
            person = [
                _safe(cadre.full_name),
                record.birth,
                record.id_number,
                _safe(cadre.agency.name if cadre.agency_id else ""),
            ]
            for row in record.rows:
                courses.append(person + [_safe(v) for v in _row_values(row)])
            for year, figures in record.totals.items():
                totals.append([_safe(cadre.full_name), year, figures["courses"], figures["days"]])
            for language, level in record.languages:
                languages.append([_safe(cadre.full_name), language, str(level)])
        for letter, width in zip(
            "ABCDEFGHIJ", (28, 12, 16, 30, 30, 50, 12, 12, 24, 30), strict=True
        ):
            courses.column_dimensions[letter].width = width
        for row in courses.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------------


def _styles():
    return {
        "title": ParagraphStyle("t", fontName=BOLD, fontSize=14, leading=18, alignment=1),
        "h": ParagraphStyle("h", fontName=BOLD, fontSize=11, leading=14, spaceBefore=6),
        "p": ParagraphStyle("p", fontName=REGULAR, fontSize=9.5, leading=12.5),
        "cell": ParagraphStyle("c", fontName=REGULAR, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("hc", fontName=BOLD, fontSize=8.5, leading=10.5),
    }


def _esc(text):
    return (str(text) if text is not None else "").replace("&", "&amp;").replace("<", "&lt;")


def _record_story(record, styles):
    cadre = record.cadre
    story = [Paragraph(_esc(_("TRAINING RECORD")), styles["title"]), Spacer(1, 4 * mm)]
    facts = [
        (_("Full name"), cadre.full_name),
        (_("Birth"), record.birth),
        (_("Position"), cadre.position),
        (_("Agency"), cadre.agency.name if cadre.agency_id else ""),
        (_("Locality"), cadre.locality.name if cadre.locality_id else ""),
    ]
    if record.id_number:
        facts.insert(2, (_("ID number"), record.id_number))
    for label, value in facts:
        story.append(Paragraph(f"<b>{_esc(label)}</b>: {_esc(value or '—')}", styles["p"]))
    story.append(Paragraph(_esc(_("Training and refresher courses")), styles["h"]))
    data = [[Paragraph(_esc(c), styles["head"]) for c in columns()]]
    for row in record.rows:
        data.append([Paragraph(_esc(v), styles["cell"]) for v in _row_values(row)])
    if not record.rows:
        data.append([Paragraph(_esc(_("No course recorded.")), styles["cell"])] + [""] * 5)
    widths = [38 * mm, 52 * mm, 17 * mm, 17 * mm, 25 * mm, 31 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story.append(Paragraph(_esc(_("Foreign languages")), styles["h"]))
    if record.languages:
        text = "; ".join(f"{language}: {level}" for language, level in record.languages)
    else:
        text = "—"
    story.append(Paragraph(_esc(text), styles["p"]))
    story.append(Paragraph(_esc(_("Totals per year")), styles["h"]))
    if record.totals:
        for year, figures in record.totals.items():
            line = _("%(year)s: %(courses)s courses, %(days)s days") % {"year": year, **figures}
            story.append(Paragraph(_esc(line), styles["p"]))
    else:
        story.append(Paragraph("—", styles["p"]))
    return story


def records_pdf(records):
    _register_fonts()
    buffer = io.BytesIO()
    with translation.override("vi"):
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=12 * mm,
            rightMargin=12 * mm,
            topMargin=14 * mm,
            bottomMargin=14 * mm,
            title=_("Training record"),
            author="trainingmgr",
        )
        styles = _styles()
        story = []
        for index, record in enumerate(records):
            if index:
                story.append(PageBreak())
            story += _record_story(record, styles)
        if not story:
            story = [Paragraph(_esc(_("No cadre in this selection.")), styles["p"])]
        doc.build(story)
    return buffer.getvalue()
