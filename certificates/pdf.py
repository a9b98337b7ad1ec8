"""Certificates as PDF: A4 landscape, in Vietnamese, with a QR code to the verification page.

Pure Python (reportlab draws, segno computes the QR matrix); the font is DejaVu Sans, shipped
in certificates/fonts/ with its licence, which covers every Vietnamese letter."""

import io
from pathlib import Path

import segno
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from .models import Certificate

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAGE = landscape(A4)


def _register_fonts():
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))


def verification_url(certificate, base_url):
    return base_url + reverse("certificates:verify", args=[certificate.verification_code])


def qr_code(url):
    """The QR code of a URL (error correction M: survives a fold or a stain)."""
    return segno.make(url, error="m", micro=False)


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def _long_date(value):
    return _("day %(day)02d month %(month)02d year %(year)d") % {
        "day": value.day,
        "month": value.month,
        "year": value.year,
    }


def _draw_qr(pdf, url, x, y, size):
    qr = qr_code(url)
    matrix = list(qr.matrix)
    border = 2
    modules = len(matrix) + 2 * border
    cell = size / modules
    pdf.setFillColor(colors.white)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillColor(colors.black)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                pdf.rect(
                    x + (col_index + border) * cell,
                    y + size - (row_index + border + 1) * cell,
                    cell,
                    cell,
                    stroke=0,
                    fill=1,
                )
    pdf.linkURL(url, (x, y, x + size, y + size), relative=0)


def _centred_paragraph(pdf, text, font, size, y, width=230 * mm, leading=None):
    style = ParagraphStyle(
        "c", fontName=font, fontSize=size, leading=leading or size * 1.3, alignment=TA_CENTER
    )
    para = Paragraph(text, style)
    _w, h = para.wrap(width, 100 * mm)
    para.drawOn(pdf, (PAGE[0] - width) / 2, y - h)
    return y - h


def _escape(text):
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _draw_certificate(pdf, certificate, base_url):
    width, height = PAGE
    enrolment = certificate.enrolment
    course = enrolment.course
    url = verification_url(certificate, base_url)

    pdf.setStrokeColor(colors.HexColor("#8a1c1c"))
    pdf.setLineWidth(3)
    pdf.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)

    pdf.setFillColor(colors.black)
    left = 62 * mm
    pdf.setFont(BOLD, 11)
    pdf.drawCentredString(left, height - 28 * mm, (certificate.issuer_name or "").upper()[:60])
    pdf.setFont(REGULAR, 10)
    pdf.drawCentredString(
        left, height - 35 * mm, _("No.: %(number)s") % {"number": certificate.number}
    )
    right = width - 75 * mm
    pdf.setFont(BOLD, 11)
    pdf.drawCentredString(right, height - 28 * mm, _("SOCIALIST REPUBLIC OF VIET NAM"))
    pdf.setFont(BOLD, 10.5)
    pdf.drawCentredString(right, height - 35 * mm, _("Independence - Freedom - Happiness"))

    pdf.setFillColor(colors.HexColor("#8a1c1c"))
    pdf.setFont(BOLD, 30)
    pdf.drawCentredString(width / 2, height - 62 * mm, _("CERTIFICATE"))
    pdf.setFillColor(colors.black)

    y = height - 76 * mm
    pdf.setFont(REGULAR, 14)
    pdf.drawCentredString(width / 2, y, _("This is to certify that"))
    pdf.setFont(BOLD, 22)
    pdf.drawCentredString(width / 2, y - 12 * mm, certificate.holder_name)
    y = _centred_paragraph(pdf, _escape(_("has completed the course")), REGULAR, 14, y - 20 * mm)
    y = _centred_paragraph(pdf, _escape(certificate.course_title), BOLD, 16, y - 2 * mm)
    period = _("from %(start)s to %(end)s") % {
        "start": _date(course.start_date),
        "end": _date(course.end_date or course.start_date),
    }
    place = course.country or (course.locality.name if course.locality_id else "")
    line = _("Held %(period)s") % {"period": period}
    if place:
        line += " · " + place
    y = _centred_paragraph(pdf, _escape(line), REGULAR, 12, y - 3 * mm)

    if certificate.is_replacement:
        note = _("Replacement issued for certificate No. %(number)s") % {
            "number": certificate.replaces.number
        }
        _centred_paragraph(pdf, _escape(note), BOLD, 11, y - 3 * mm)

    pdf.setFont(REGULAR, 12)
    pdf.drawCentredString(right, 55 * mm, _long_date(certificate.issued_on))
    pdf.setFont(BOLD, 12)
    pdf.drawCentredString(right, 48 * mm, (certificate.signer_title or "").upper())
    pdf.drawCentredString(right, 24 * mm, certificate.signer_name or "")

    qr_size = 34 * mm
    _draw_qr(pdf, url, 22 * mm, 24 * mm, qr_size)
    pdf.setFont(REGULAR, 8)
    pdf.drawString(22 * mm, 20 * mm, _("Verify: scan the code or open"))
    pdf.drawString(22 * mm, 16.5 * mm, url)
    pdf.drawString(
        60 * mm, 50 * mm, _("Verification code: %(code)s") % {"code": certificate.display_code}
    )

    if certificate.status == Certificate.Status.REVOKED:
        pdf.saveState()
        pdf.setFillColor(colors.HexColor("#c00000"))
        pdf.setFont(BOLD, 60)
        pdf.translate(width / 2, height / 2)
        pdf.rotate(20)
        pdf.drawCentredString(0, 0, _("REVOKED"))
        pdf.restoreState()
    elif certificate.status == Certificate.Status.REPLACED:
        pdf.saveState()
        pdf.setFillColor(colors.HexColor("#c00000"))
        pdf.setFont(BOLD, 48)
        pdf.translate(width / 2, height / 2)
        pdf.rotate(20)
        pdf.drawCentredString(0, 0, _("REPLACED"))
        pdf.restoreState()


def certificates_pdf(certificates, base_url):
    """One PDF, one page per certificate, in Vietnamese whatever the active language."""
    _register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=PAGE, pageCompression=1)
    with translation.override("vi"):
        pdf.setTitle(_("Certificates"))
        pdf.setAuthor("trainingmgr")
        drawn = 0
        for certificate in certificates:
            _draw_certificate(pdf, certificate, base_url)
            pdf.showPage()
            drawn += 1
        if not drawn:
            pdf.setFont(REGULAR, 14)
            pdf.drawCentredString(PAGE[0] / 2, PAGE[1] / 2, _("No certificate has been issued."))
            pdf.showPage()
    pdf.save()
    return buffer.getvalue()
