"""Report pages and downloads: thin views over reports.report and reports.exports."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from courses.models import Programme

from .exports import XLSX_TYPE, report_csv, report_xlsx
from .figures import ProgrammeData, Reference, health, programme_targets
from .overview import national_overview
from .report import ReportFilters, build_report


def report_access(view):
    """Reports need a login (anonymous visitors go to the login page) and a role: staff,
    that is a clerk, a manager or an administrator. A logged-in account without a role gets
    403; what a scoped user sees is narrowed to the scope (accounts.scoping)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_staff or request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@report_access
def programme_list(request):
    """Every programme with its period, legal basis and a one-line health bar."""
    ref = Reference.load()
    today = timezone.localdate()
    rows = []
    for data in ProgrammeData.for_programmes(Programme.objects.all(), ref, today, request.user):
        targets = programme_targets(data, today, with_trajectory=False)
        rows.append({"programme": data.programme, "health": health(targets), "total": len(targets)})
    return render(request, "reports/programme_list.html", {"rows": rows})


@report_access
def overview(request):
    """Every programme's targets and status at a glance, and the provinces that lag most."""
    ref = Reference.load()
    filters = ReportFilters.from_query(request.GET, ref)
    result = national_overview(ref, request.user, filters.as_of or timezone.localdate())
    return render(request, "reports/overview.html", {"overview": result, "filters": filters})


def _report(request, code):
    programme = get_object_or_404(Programme, code=code)
    ref = Reference.load()
    filters = ReportFilters.from_query(request.GET, ref)
    return build_report(programme, filters, ref, user=request.user)


@report_access
def programme_detail(request, code):
    report = _report(request, code)
    return render(request, "reports/programme_detail.html", {"report": report})


def _filename(report, extension):
    return f"bao-cao-{report.programme.code}-{report.as_of:%Y%m%d}.{extension}"


@report_access
def programme_xlsx(request, code):
    report = _report(request, code)
    response = HttpResponse(report_xlsx(report), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


@report_access
def programme_csv(request, code):
    report = _report(request, code)
    # A BOM so that Excel opens the Vietnamese text as UTF-8.
    response = HttpResponse("\ufeff" + report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    return response
