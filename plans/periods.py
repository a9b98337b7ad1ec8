"""Reporting periods: who may move a unit's year from one status to the next, the moves
themselves (each recorded as a PeriodTransition), deadlines and completeness.

- submit: a clerk of the unit (a user with ``plans.submit_reportingperiod`` whose scope is
  that locality or that agency; a national clerk may submit for any unit), from open or
  returned, with a note;
- approve / return: an administrator, or a user with ``plans.approve_reportingperiod``
  (Managers) whose scope is national or the lead agency of a programme; from submitted;
  a return needs a reason and sends the year back to open;
- reopen: an administrator (``plans.reopen_reportingperiod``), from approved, with a reason.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import covers, scope_of
from cadres.models import Locality
from courses.models import Programme

from .models import PeriodTransition, ReportingDeadline, ReportingPeriod

S = ReportingPeriod.Status


def is_administrator(user):
    return user.is_superuser or user.groups.filter(name="Administrators").exists()


def covers_unit(user, period):
    """Whether the user's scope is the period's unit (national covers every unit)."""
    scope = scope_of(user)
    if scope.is_national:
        return True
    if scope.kind == "locality":
        return period.locality_id is not None and period.locality_id in scope.locality_ids
    return period.agency_id is not None and period.agency_id == scope.agency_id


def may_submit(user, period):
    return (
        user.is_authenticated
        and user.has_perm("plans.submit_reportingperiod")
        and covers_unit(user, period)
        and period.status in (S.OPEN, S.RETURNED)
    )


def may_approve(user, period):
    if not user.is_authenticated or period.status != S.SUBMITTED:
        return False
    if is_administrator(user):
        return True
    if not user.has_perm("plans.approve_reportingperiod"):
        return False
    scope = scope_of(user)
    if scope.is_national:
        return True
    return (
        scope.kind == "agency" and Programme.objects.filter(lead_agency_id=scope.agency_id).exists()
    )


def may_reopen(user, period):
    return (
        user.is_authenticated
        and period.status == S.APPROVED
        and (user.is_superuser or user.has_perm("plans.reopen_reportingperiod"))
    )


def period_for(*, year, locality=None, agency=None):
    """The period of a unit's year, created open when missing."""
    period, _created = ReportingPeriod.objects.get_or_create(
        year=year,
        locality=locality if agency is None else None,
        agency=agency,
    )
    return period


def _move(period, to_status, user, note, *, check, required_note=None):
    with transaction.atomic():
        period = (
            ReportingPeriod.objects.select_for_update(of=("self",)).select_related(
                "locality", "agency"
            )
        ).get(pk=period.pk)
        if not check(user, period):
            raise PermissionDenied(
                _("You may not do this for %(period)s (status: %(status)s).")
                % {"period": period, "status": period.get_status_display()}
            )
        note = (note or "").strip()
        if required_note and not note:
            raise ValidationError({"note": required_note})
        old = period.status
        period.status = to_status
        now = timezone.now()
        if to_status == S.SUBMITTED:
            period.submitted_by, period.submitted_at = user, now
        if to_status == S.APPROVED:
            period.approved_by, period.approved_at = user, now
        if to_status == S.OPEN:
            period.approved_by, period.approved_at = None, None
        period.save()
        PeriodTransition.objects.create(
            period=period, from_status=old, to_status=to_status, user=user, note=note
        )
    return period


def submit(period, *, user, note=""):
    """A clerk of the unit declares the year's data complete."""
    return _move(period, S.SUBMITTED, user, note, check=may_submit)


def approve(period, *, user, note=""):
    return _move(period, S.APPROVED, user, note, check=may_approve)


def return_period(period, *, user, reason):
    """Sent back to the unit with a reason: recorded as returned, and open again for edits
    (the status stays ``returned`` until the next submission, so the unit sees why)."""
    return _move(
        period,
        S.RETURNED,
        user,
        reason,
        check=may_approve,
        required_note=_("Say why the data is returned."),
    )


def reopen(period, *, user, reason):
    return _move(
        period,
        S.OPEN,
        user,
        reason,
        check=may_reopen,
        required_note=_("Say why the approved data is reopened."),
    )


# Deadlines and completeness -----------------------------------------------------------------
def deadline_for(year, programme=None, deadlines=None):
    """The due date of a year's data: the programme's row, else the year's, else 31 January
    of the next year."""
    if deadlines is None:
        deadlines = {(d.year, d.programme_id): d.due for d in ReportingDeadline.objects.all()}
    programme_id = programme.pk if programme is not None else None
    return (
        deadlines.get((year, programme_id))
        or deadlines.get((year, None))
        or datetime.date(year + 1, 1, 31)
    )


def completeness(year, *, user=None, programme=None, today=None):
    """For a year: every current provincial unit (and the agencies that have a period or a
    plan that year) with its period's status and whether it is late. Constant queries."""
    from .models import Plan

    today = today or timezone.localdate()
    due = deadline_for(year, programme)
    periods = {
        p.unit_key: p
        for p in ReportingPeriod.objects.filter(year=year).select_related(
            "locality", "agency", "submitted_by", "approved_by"
        )
    }
    units = [
        ("locality", loc)
        for loc in Locality.objects.current().exclude(code=Locality.CENTRAL_CODE).order_by("code")
    ]
    agency_ids = {key[1] for key in periods if key[0] == "agency"}
    agency_ids |= set(
        Plan.objects.filter(year=year, agency__isnull=False).values_list("agency_id", flat=True)
    )
    from cadres.models import Agency

    units += [("agency", a) for a in Agency.objects.filter(pk__in=agency_ids).order_by("name")]
    rows = []
    for kind, unit in units:
        period = periods.get((kind, unit.pk))
        # The units whose period the user may see: the periods' own rule (plans.models).
        if not covers(user, period or ReportingPeriod(**{kind: unit})):
            continue
        status = period.status if period else S.OPEN
        done = status in (S.SUBMITTED, S.APPROVED)
        rows.append(
            {
                "kind": kind,
                "unit": unit,
                "period": period,
                "status": status,
                "late": not done and today > due,
            }
        )
    provinces = [r for r in rows if r["kind"] == "locality"]
    counts = {
        "units": len(rows),
        "provinces": len(provinces),
        "submitted": sum(r["status"] == S.SUBMITTED for r in rows),
        "approved": sum(r["status"] == S.APPROVED for r in rows),
        "approved_provinces": sum(r["status"] == S.APPROVED for r in provinces),
        "late": sum(r["late"] for r in rows),
        "returned": sum(r["status"] == S.RETURNED for r in rows),
    }
    return {"year": year, "due": due, "rows": rows, "counts": counts}


def approved_share(year):
    """(approved provinces, all provinces) for a year: "số liệu đã duyệt: 28/34 tỉnh/thành"."""
    provinces = Locality.objects.current().exclude(code=Locality.CENTRAL_CODE)
    approved = ReportingPeriod.objects.filter(
        year=year, status=S.APPROVED, locality__in=provinces
    ).count()
    return approved, provinces.count()
