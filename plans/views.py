"""Pages of plans, reporting periods, completeness and data quality: thin views over
plans.figures, plans.periods and plans.quality."""

import csv
import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import covers, scope_of
from cadres.models import Agency, Level, Locality
from courses.models import Programme

from . import periods, quality
from .figures import compare, plans_queryset
from .models import ReportingPeriod

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_only(view):
    """A login (anonymous visitors go to the login page) and a role (staff), as the reports."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_staff or request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _int(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 4 else None


def parse_unit(value):
    """'locality-12' or 'agency-3' → (kind, object), or None."""
    kind, _dash, pk = (value or "").partition("-")
    if kind not in ("locality", "agency") or not pk.isdigit() or len(pk) > 12:
        return None
    model = Locality if kind == "locality" else Agency
    obj = model.objects.filter(pk=int(pk)).first()
    if obj is None or (kind == "locality" and obj.era != Locality.Era.CURRENT):
        return None
    return kind, obj


def unit_slug(kind, unit):
    return f"{kind}-{unit.pk}"


def _filters(request):
    year = _int(request.GET.get("year"))
    programme = None
    code = (request.GET.get("programme") or "").strip()
    if code:
        programme = Programme.objects.filter(code=code).first()
    unit = parse_unit(request.GET.get("unit"))
    return {"year": year, "programme": programme, "unit": unit, "programme_code": code}


def _comparison(request):
    f = _filters(request)
    plans = plans_queryset(
        user=request.user,
        year=f["year"],
        programme=f["programme"],
        unit=(f["unit"][0], f["unit"][1].pk) if f["unit"] else None,
    )
    return f, compare(plans)


def _unit_choices(user):
    scope = scope_of(user)
    localities = Locality.objects.current().order_by("code")
    agencies = Agency.objects.filter(level=Level.CENTRAL).order_by("name")
    if not scope.is_national:
        if scope.kind == "locality":
            localities = localities.filter(pk__in=scope.locality_ids)
            agencies = Agency.objects.filter(locality_id__in=scope.locality_ids).order_by("name")
        else:
            localities = localities.none()
            agencies = Agency.objects.filter(pk=scope.agency_id)
    return [(unit_slug("locality", loc), loc.name) for loc in localities] + [
        (unit_slug("agency", a), str(a)) for a in agencies
    ]


@staff_only
def plans_page(request):
    f, comparison = _comparison(request)
    return render(
        request,
        "plans/plans.html",
        {
            "f": f,
            "comparison": comparison,
            "programmes": Programme.objects.order_by("first_year", "code"),
            "units": _unit_choices(request.user),
            "unit_value": request.GET.get("unit", ""),
            "query": request.GET.urlencode(),
        },
    )


def table_rows(comparison):
    """The plans page as rows of cells (downloads)."""
    ranks = comparison.ranks
    header = [
        _("Unit"),
        _("Year"),
        _("Programme"),
        _("Course type"),
        _("Place"),
        _("Planned courses"),
        _("Actual courses"),
        _("Execution rate (courses, %)"),
        _("Gap (courses)"),
        _("Planned participant-times"),
        _("Actual participant-times"),
        _("Execution rate (participant-times, %)"),
        _("Gap (participant-times)"),
        _("Planned budget (VND)"),
        _("Spent budget (VND)"),
        _("Execution rate (budget, %)"),
        _("Gap (budget)"),
    ]
    for rank in ranks:
        header += [
            _("Planned: %(rank)s") % {"rank": rank.code},
            _("Actual: %(rank)s") % {"rank": rank.code},
        ]
    rows = [header]
    for item in comparison.plans:
        plan = item.plan
        for row in [*item.rows, item.total]:
            place = ""
            if row.abroad is not None:
                place = _("abroad") if row.abroad else _("at home")
            cells = [
                str(plan.unit),
                plan.year,
                plan.programme.code if plan.programme_id else "",
                str(row.course_type) if row.course_type else _("Total"),
                place,
                row.planned.courses,
                row.actual.courses,
                row.courses_rate,
                row.courses_gap,
                row.planned.times,
                row.actual.times,
                row.times_rate,
                row.times_gap,
                row.planned.budget,
                row.actual.budget,
                row.budget_rate,
                row.budget_gap,
            ]
            for rank in ranks:
                cells += [
                    row.planned.times_by_rank.get(rank.pk, 0),
                    row.actual.times_by_rank.get(rank.pk, 0),
                ]
            rows.append(cells)
    return rows


def _safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


@staff_only
def plans_xlsx(request):
    from openpyxl import Workbook

    _f, comparison = _comparison(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Plan against actual")[:31]
    for cells in table_rows(comparison):
        sheet.append([_safe(c) for c in cells])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="ke-hoach-thuc-hien.xlsx"'
    return response


@staff_only
def plans_csv(request):
    _f, comparison = _comparison(request)
    out = io.StringIO()
    writer = csv.writer(out)
    for cells in table_rows(comparison):
        writer.writerow(["" if c is None else _safe(c) for c in cells])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ke-hoach-thuc-hien.csv"'
    return response


# Periods ------------------------------------------------------------------------------------
def may_see_unit(user, kind, unit):
    scope = scope_of(user)
    if scope.is_national or periods.is_administrator(user):
        return True
    probe = ReportingPeriod(
        locality=unit if kind == "locality" else None, agency=unit if kind == "agency" else None
    )
    if covers(user, probe):
        return True
    return user.has_perm("plans.approve_reportingperiod") and (
        scope.kind == "agency" and Programme.objects.filter(lead_agency_id=scope.agency_id).exists()
    )


@staff_only
def completeness_page(request):
    year = _int(request.GET.get("year")) or timezone.localdate().year
    code = (request.GET.get("programme") or "").strip()
    programme = Programme.objects.filter(code=code).first() if code else None
    user = request.user
    scope = scope_of(user)
    sees_all = scope.is_national or (
        user.has_perm("plans.approve_reportingperiod")
        and scope.kind == "agency"
        and Programme.objects.filter(lead_agency_id=scope.agency_id).exists()
    )
    data = periods.completeness(year, user=None if sees_all else user, programme=programme)
    for row in data["rows"]:
        row["slug"] = unit_slug(row["kind"], row["unit"])
    return render(
        request,
        "plans/completeness.html",
        {
            "data": data,
            "year": year,
            "programmes": Programme.objects.order_by("first_year", "code"),
            "programme": programme,
        },
    )


@staff_only
def period_by_id(request, pk):
    period = get_object_or_404(ReportingPeriod.objects.select_related("locality", "agency"), pk=pk)
    kind = "locality" if period.locality_id else "agency"
    if not may_see_unit(request.user, kind, period.unit):
        raise Http404  # the same answer as a period that does not exist
    return redirect("plans:period_unit", year=period.year, unit=unit_slug(kind, period.unit))


@staff_only
def period_page(request, year, unit):
    parsed = parse_unit(unit)
    if parsed is None or not 1990 <= year <= 2100:
        raise Http404
    kind, obj = parsed
    if not may_see_unit(request.user, kind, obj):
        raise Http404
    lookup = (
        {"locality": obj, "agency": None}
        if kind == "locality"
        else {"agency": obj, "locality": None}
    )
    period = (
        ReportingPeriod.objects.filter(year=year, **lookup)
        .select_related("locality", "agency", "submitted_by", "approved_by")
        .first()
    )
    probe = period or ReportingPeriod(year=year, status=ReportingPeriod.Status.OPEN, **lookup)
    if request.method == "POST":
        return _act(request, probe, year, lookup, unit)
    warnings = quality.run_checks(quality.unit_scope(probe), year=year)
    transitions = list(period.transitions.select_related("user")) if period else []
    return render(
        request,
        "plans/period.html",
        {
            "period": probe,
            "unit": obj,
            "year": year,
            "transitions": transitions,
            "warnings": warnings,
            "warning_count": quality.count(warnings),
            "may_submit": periods.may_submit(request.user, probe),
            "may_approve": periods.may_approve(request.user, probe),
            "may_reopen": periods.may_reopen(request.user, probe),
            "checks": quality.CHECKS,
        },
    )


def _act(request, probe, year, lookup, unit):
    action = request.POST.get("action")
    note = request.POST.get("note", "")[:2000]
    actions = {
        "submit": (periods.may_submit, lambda p: periods.submit(p, user=request.user, note=note)),
        "approve": (
            periods.may_approve,
            lambda p: periods.approve(p, user=request.user, note=note),
        ),
        "return": (
            periods.may_approve,
            lambda p: periods.return_period(p, user=request.user, reason=note),
        ),
        "reopen": (periods.may_reopen, lambda p: periods.reopen(p, user=request.user, reason=note)),
    }
    if action not in actions or not actions[action][0](request.user, probe):
        raise PermissionDenied
    period = probe if probe.pk else periods.period_for(year=year, **lookup)
    try:
        period = actions[action][1](period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(period)s: %(status)s.")
            % {"period": period, "status": period.get_status_display()},
        )
    return redirect("plans:period_unit", year=year, unit=unit)


# Data quality -------------------------------------------------------------------------------
@staff_only
def quality_page(request):
    year = _int(request.GET.get("year"))
    found = quality.run_checks(scope_of(request.user), year=year)
    return render(
        request,
        "plans/quality.html",
        {"found": found, "checks": quality.CHECKS, "year": year, "total": quality.count(found)},
    )
