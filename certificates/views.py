"""The public verification pages (no login) and the staff PDF downloads."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts import scoping
from courses.models import Course
from trainingmgr.pages import public_base_url, staff_with

from .models import CODE_LENGTH, Certificate, normalise_code
from .ratelimit import rate_limited

PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def no_nul(text):
    """A parameter as a lookup may use it: PostgreSQL refuses NUL characters in text (a
    DataError, that is a 500), and no code, number or key of ours contains one."""
    text = text or ""
    return "" if "\x00" in text else text


def public_facts(certificate):
    """What the public may know of a certificate: nothing about the holder but the name."""
    course = certificate.enrolment.course
    return {
        "status": certificate.status,
        "number": certificate.number,
        "holder": certificate.holder_name,
        "course": certificate.course_title,
        "course_start": course.start_date.isoformat(),
        "course_end": (course.end_date or course.start_date).isoformat(),
        "issued": certificate.issued_on.isoformat(),
        "issuer": certificate.issuer_name,
        "replaces": certificate.replaces.number if certificate.replaces_id else None,
        "revoked_on": certificate.revoked_on.isoformat() if certificate.revoked_on else None,
    }


def _find(code):
    code = normalise_code(code)
    if not code or len(code) > CODE_LENGTH:
        return None
    return (
        Certificate.objects.select_related("enrolment__course", "replaces")
        .filter(verification_code=code)
        .first()
    )


def _not_found(request, code=""):
    # The same page and status for every unknown code, well-formed or not: nothing is told.
    return render(request, "certificates/verify_form.html", {"not_found": True}, status=404)


def _no_index(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@rate_limited("verify", "CERTIFICATE_VERIFY_RATE_PER_MINUTE", 30)
def verify_form(request):
    """A code typed by hand: case, spaces and dashes do not matter."""
    typed = request.GET.get("code")
    if typed is None:
        return _no_index(render(request, "certificates/verify_form.html", {}))
    code = normalise_code(typed)
    if not code:
        return _no_index(
            render(request, "certificates/verify_form.html", {"empty": True}, status=400)
        )
    if _find(code) is None:
        return _no_index(_not_found(request))
    return redirect(reverse("certificates:verify", args=[code]))


@require_GET
@rate_limited("verify", "CERTIFICATE_VERIFY_RATE_PER_MINUTE", 30)
def verify(request, code):
    certificate = _find(code)
    if certificate is None:
        return _no_index(_not_found(request))
    context = {"certificate": certificate, "facts": public_facts(certificate)}
    return _no_index(render(request, "certificates/verify.html", context))


@require_GET
@rate_limited("verify", "CERTIFICATE_VERIFY_RATE_PER_MINUTE", 30)
def verify_json(request, code):
    certificate = _find(code)
    if certificate is None:
        return _no_index(JsonResponse({"status": "not_found"}, status=404))
    response = JsonResponse(public_facts(certificate), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # other systems may check from a browser
    return _no_index(response)


def _pdf_response(content, filename):
    response = HttpResponse(content, content_type=PDF_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _safe_name(text):
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-") or "certificate"


@staff_with("certificates.view_certificate")
def certificate_pdf(request, key):
    """/certificates/<number or id>/pdf/: 404 for a certificate outside the user's scope."""
    visible = Certificate.objects.visible_to(request.user).select_related(
        "enrolment__course__locality", "replaces"
    )
    key = no_nul(key)
    certificate = visible.filter(number=key).first() if key else None
    if certificate is None and key.isdigit() and len(key) < 19:
        certificate = visible.filter(pk=int(key)).first()
    if certificate is None:
        raise Http404
    from .pdf import certificates_pdf  # reportlab, loaded only when a PDF is drawn

    content = certificates_pdf([certificate], public_base_url(request))
    return _pdf_response(content, f"giay-chung-nhan-{_safe_name(certificate.number)}.pdf")


@staff_with("certificates.view_certificate")
def course_pdf(request, code):
    """Every certificate of a course (within the user's scope), one page each."""
    course = get_object_or_404(
        scoping.courses(Course.objects.all(), request.user), code=no_nul(code) or None
    )
    certificates = (
        Certificate.objects.visible_to(request.user)
        .filter(enrolment__course=course)
        .select_related("enrolment__course__locality", "replaces")
        .order_by("enrolment__cadre__name_key", "issued_on", "pk")
    )
    from .pdf import certificates_pdf  # reportlab, loaded only when a PDF is drawn

    content = certificates_pdf(certificates, public_base_url(request))
    return _pdf_response(content, f"giay-chung-nhan-{_safe_name(course.code)}.pdf")


# --- Training records ----------------------------------------------------------------------


def _visible_cadres(user):
    from cadres.models import Cadre

    return scoping.cadres(Cadre.objects.all(), user)


def _record_response(request, kind, records, filename):
    from accounts.audit import record_personal_data_access
    from cadres.models import Cadre

    from .records import records_pdf, records_xlsx

    shown = [record.cadre.pk for record in records if record.show_personal]
    if shown:  # who saw personal data (accounts/audit.py)
        record_personal_data_access(request, Cadre, shown, "document")

    if kind == "pdf":
        return _pdf_response(records_pdf(records), f"{filename}.pdf")
    response = HttpResponse(records_xlsx(records), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@staff_with("cadres.view_cadre")
def cadre_record(request, pk, kind):
    """One cadre's training record; 404 for a cadre outside the user's scope."""
    from .records import build_record

    cadre = get_object_or_404(
        _visible_cadres(request.user).select_related("agency", "locality"), pk=pk
    )
    record = build_record(cadre, request.user)
    return _record_response(request, kind, [record], f"qua-trinh-dao-tao-{cadre.pk}")


@staff_with("cadres.view_cadre")
def group_record(request, kind):
    """The records of every cadre of an agency (?agency=ID) or a province (?locality=CODE,
    a current unit with its former provinces), within the user's scope, as one file."""
    from cadres.models import Agency, Locality

    from .records import records_for

    cadres = _visible_cadres(request.user)
    agency_id = request.GET.get("agency", "").strip()
    code = no_nul(request.GET.get("locality", "")).strip()
    if agency_id.isdigit() and len(agency_id) < 19:
        agency = get_object_or_404(
            scoping.agencies(Agency.objects.all(), request.user), pk=int(agency_id)
        )
        cadres, name = cadres.filter(agency=agency), f"co-quan-{agency.pk}"
    elif code:
        unit = get_object_or_404(Locality.objects.current(), code=code)
        ids = Locality.objects.unit_ids(unit.pk)
        cadres, name = cadres.filter(locality_id__in=ids), f"tinh-{unit.code}"
    else:
        return render(
            request,
            "certificates/records_index.html",
            {
                "agencies": scoping.agencies(Agency.objects.all(), request.user).order_by("name"),
                "units": Locality.objects.current().order_by("code"),
                "error": bool(agency_id),
            },
            status=400 if agency_id else 200,
        )
    return _record_response(
        request, kind, records_for(cadres, request.user), f"qua-trinh-dao-tao-{name}"
    )
