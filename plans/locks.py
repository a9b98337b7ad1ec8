"""The lock of approved periods: once a unit's year is approved, no write may change the
figures of that unit for that year until an administrator reopens it.

What belongs to a unit's year (the same rule as plan against actual, plans.figures):

- a course: its year is its start year; its units are the current unit of the locality it is
  held in, the current unit of its organiser's locality, and its organiser agency;
- an enrolment: its course's units, plus the current unit of the participant's locality at
  the course and the participant's agency at the course;
- a tally: its course's units, plus the current unit of its locality;
- a workforce baseline: its locality's current unit or its agency, for its year;
- a plan and its lines: the plan's unit and year.

Where the lock is enforced, each with one call:
- admin and any ``save()``/``delete()``: ``pre_save``/``pre_delete`` signals (plans.apps)
  raise ``PeriodLocked``, a ValidationError; ``plans.middleware`` shows it as a message;
- imports (bulk writes bypass signals): the engine's ``imports.kinds.locks.refuse_locked_row``
  from the importer's row validation, with ``period_locking`` and ``locked_message`` from
  here, so that the whole file is refused with the locked rows named;
- reverts: ``refuse_locked_batch``; cadre merges: ``refuse_locked_merge``.
"""

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

ALL = object()


class PeriodLocked(ValidationError):
    """A write into an approved period."""


def locked_message(period):
    who = period.approved_by.get_username() if period.approved_by_id else "-"
    when = (
        formats.date_format(period.approved_at, "SHORT_DATE_FORMAT") if period.approved_at else "-"
    )
    return _(
        "The data of %(unit)s for %(year)s is approved (by %(user)s on %(date)s) and locked: "
        "an administrator can reopen the period."
    ) % {"unit": period.unit, "year": period.year, "user": who, "date": when}


def approved_periods(year=None):
    """The approved periods (of ``year``, or all), with what their message names."""
    from .models import ReportingPeriod

    periods = ReportingPeriod.objects.filter(status=ReportingPeriod.Status.APPROVED)
    if year is not None:
        periods = periods.filter(year=year)
    return list(periods.select_related("approved_by", "locality", "agency").order_by("id"))


def _unit_of_locality(locality_id, cache=None):
    from cadres.models import Locality

    if locality_id is None:
        return None
    if cache is not None and locality_id in cache:
        return cache[locality_id]
    row = Locality.objects.filter(pk=locality_id).values_list("successor_id", flat=True).first()
    unit = row or locality_id
    if cache is not None:
        cache[locality_id] = unit
    return unit


def _agency_locality(agency_id):
    from cadres.models import Agency

    if agency_id is None:
        return None
    return Agency.objects.filter(pk=agency_id).values_list("locality_id", flat=True).first()


def course_keys(course, cache=None):
    """(year, {("locality", current unit id) | ("agency", id)}) of a course as it stands."""
    keys = set()
    if course.locality_id:
        keys.add(("locality", _unit_of_locality(course.locality_id, cache)))
    if course.organiser_id:
        keys.add(("agency", course.organiser_id))
        keys.add(("locality", _unit_of_locality(_agency_locality(course.organiser_id), cache)))
    keys.discard(("locality", None))
    return _year(course.start_date), keys


def _year(value):
    """The year of a date or of a year, as an unsaved object may hold it (a date, a string,
    an int); None when it is not one."""
    if value is None or value == "":
        return None
    if hasattr(value, "year"):
        return value.year
    try:
        if isinstance(value, str) and "-" in value:
            import datetime

            return datetime.date.fromisoformat(value.strip()[:10]).year
        return int(value)
    except (TypeError, ValueError):
        return None


def object_keys(obj, cache=None):
    """(year, unit keys) of any locked model instance, or (None, set())."""
    label = obj._meta.label_lower
    if label == "courses.course":
        return course_keys(obj, cache)
    if label in ("courses.enrolment", "courses.participanttally"):
        from courses.models import Course

        # A course's keys read once per ``cache`` (a revert checks every enrolment of a batch
        # of 200,000 rows: one query per course, not one per row).
        cached = ("course keys", obj.course_id)
        if cache is not None and cached in cache:
            found = cache[cached]
        else:
            course = Course.objects.filter(pk=obj.course_id).first() if obj.course_id else None
            found = course_keys(course, cache) if course is not None else None
            if cache is not None:
                cache[cached] = found
        if found is None:
            return None, set()
        year, keys = found[0], set(found[1])
        if obj.locality_id:
            keys.add(("locality", _unit_of_locality(obj.locality_id, cache)))
        if getattr(obj, "agency_id", None):
            keys.add(("agency", obj.agency_id))
        return year, keys
    if label == "cadres.workforcebaseline":
        if obj.agency_id:
            return _year(obj.year), {("agency", obj.agency_id)}
        return _year(obj.year), {("locality", _unit_of_locality(obj.locality_id, cache))}
    if label == "plans.plan":
        return _year(obj.year), {obj.unit_key}
    if label == "plans.planline":
        from .models import Plan

        plan = Plan.objects.filter(pk=obj.plan_id).first() if obj.plan_id else None
        return (plan.year, {plan.unit_key}) if plan else (None, set())
    return None, set()


def period_locking(year, keys, periods=None):
    """The approved period among ``keys`` for ``year``, or None."""
    if year is None or not keys:
        return None
    periods = approved_periods(year) if periods is None else periods
    for period in periods:
        if period.year == year and period.unit_key in keys:
            return period
    return None


def check_object(obj):
    """Raise PeriodLocked when saving or deleting ``obj`` (as it is now, and as it was in the
    database) would change an approved period. One query when nothing is approved."""
    from .models import ReportingPeriod

    if not ReportingPeriod.objects.filter(status=ReportingPeriod.Status.APPROVED).exists():
        return
    for year, keys in _states(obj):
        period = period_locking(year, keys)
        if period is not None:
            raise PeriodLocked(locked_message(period), code="period_locked")


def _states(obj):
    states = [object_keys(obj)]
    if obj.pk is not None:
        old = type(obj)._base_manager.filter(pk=obj.pk).first()
        if old is not None:
            states.append(object_keys(old))
    return states


# Signals (connected in plans.apps) ----------------------------------------------------------
def on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return  # loaddata
    check_object(instance)


def on_delete(sender, instance, **kwargs):
    check_object(instance)


# Reverts and merges -------------------------------------------------------------------------
def refuse_locked_batch(batch, error=PeriodLocked):
    """Raise ``error`` (the revert's own refusal) when reverting ``batch`` would change an
    approved period: a row it created or changed lies in one."""
    from django.apps import apps

    from cadres.models import WorkforceBaseline
    from courses.models import Course, Enrolment, ParticipantTally

    from .models import Plan, PlanLine, ReportingPeriod

    if not ReportingPeriod.objects.filter(status=ReportingPeriod.Status.APPROVED).exists():
        return
    objects = []
    for model in (Course, Enrolment, ParticipantTally, WorkforceBaseline, Plan, PlanLine):
        objects.extend(model.objects.filter(import_batch_id=batch.pk))
    for label, object_id in batch.changes.filter(action="updated").values_list(
        "model", "object_id"
    ):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        found = model._base_manager.filter(pk=object_id).first()
        if found is not None:
            objects.append(found)
    cache = {}
    by_year = {}
    for obj in objects:
        year, keys = object_keys(obj, cache)
        if year is None:
            continue
        if year not in by_year:
            by_year[year] = approved_periods(year)
        period = period_locking(year, keys, by_year[year])
        if period is not None:
            raise error(locked_message(period))


def on_merge(sender, keep, remove, **kwargs):
    """courses.services.cadres_merging: no merge that would change an approved period."""
    refuse_locked_merge(remove)


def refuse_locked_merge(remove):
    """Raise PeriodLocked when merging the cadre ``remove`` away would change an approved
    period: its enrolments move (or go) and the distinct people of their courses change."""
    from courses.models import Enrolment

    from .models import ReportingPeriod

    if not ReportingPeriod.objects.filter(status=ReportingPeriod.Status.APPROVED).exists():
        return
    cache = {}
    for enrolment in Enrolment.objects.filter(cadre_id=remove.pk):
        year, keys = object_keys(enrolment, cache)
        period = period_locking(year, keys)
        if period is not None:
            raise PeriodLocked(locked_message(period), code="period_locked")
