"""The engine's side of the approved periods' lock (plans.locks): a row of an import that
would create or change something in an approved unit's year is an error naming the period,
so the whole file is refused. Bulk writes bypass the model signals that lock every other
write, so the engine checks each row itself, in its own words: which columns of each kind
name the row's year and units, read with the kind's value parsers. Which periods are approved,
and whether one covers a year and unit, are plans' (``approved_periods``,
``period_locking``, ``locked_message``).
"""

import datetime

from plans.locks import approved_periods, locked_message, period_locking
from trainingmgr.text import fold

from .. import values as v


def refuse_locked_row(importer, number, row):
    """Called for every row of an import, after the importer has read it: a row that would
    create or change something in an approved period is an error naming the period (so the
    whole file is refused, nothing written). A row the importer counted as unchanged writes
    nothing and passes: a file imported before goes in again as "unchanged". Costs one
    query per import when nothing is approved."""
    state = getattr(importer, "_plans_locks", None)
    if state is None:
        periods = approved_periods()
        state = importer._plans_locks = {"periods": periods, "units": {}, "writes": 0}
    if not state["periods"]:
        return  # nothing approved (the usual case): nothing more to look at, on any row
    writes, state["writes"] = state["writes"], _writes(importer.result)
    if getattr(importer, "bad", False):
        return
    if state["writes"] == writes:
        return  # the row changes nothing (counted as unchanged)
    for field, year, keys in _row_states(importer, row, state["units"]):
        period = period_locking(year, keys, state["periods"])
        if period is not None:
            importer.error(number, field, locked_message(period))
            importer.bad = True
            return


def _writes(result):
    """What an import has counted so far as written (rows created or updated, people and
    agencies created); the rows before the first call counted nothing."""
    return (
        result.created
        + result.updated
        + getattr(result, "people_created", 0)
        + getattr(result, "agencies_created", 0)
    )


def _row_states(importer, row, cache):
    """[(column, year, unit keys)] a row writes to, before and after."""
    lk = importer.lookups
    kind = importer.kind

    def parse(field, parser):
        raw = row.get(field)
        if v.is_empty(raw):
            return None
        try:
            return parser(raw)
        except v.BadValue:
            return None

    def unit(locality):
        return ("locality", lk.current_unit[locality.pk]) if locality else None

    def course_state(course):
        if course is None:
            return None
        keys = set()
        if course.locality_id:
            keys.add(("locality", lk.current_unit[course.locality_id]))
        if course.organiser_id:
            keys.add(("agency", course.organiser_id))
            org = lk.agency_by_pk.get(course.organiser_id)
            if org is not None:
                keys.add(("locality", lk.current_unit[org.locality_id]))
        return course.start_date.year, keys

    states = []
    if kind == "courses":
        code = parse("code", v.text)
        existing = lk.courses.get(fold(code)) if code else None
        if existing:
            year, keys = course_state(existing[0])
            states.append(("code", year, keys))
        start = parse("start_date", v.date)
        if start is not None:
            keys = set()
            locality = parse("locality", lambda raw: lk.locality(raw, start))
            if locality:
                keys.add(unit(locality))
            organiser = parse("organiser", lk.agency)
            if organiser:
                keys.add(("agency", organiser.pk))
                keys.add(("locality", lk.current_unit[organiser.locality_id]))
            states.append(("start_date", start.year, keys))
    elif kind in ("participants", "tallies"):
        raw = row.get("course")
        course = importer.default_course
        if not v.is_empty(raw):
            course = parse("course", lk.course)
        state = course_state(course)
        if state is not None:
            year, keys = state
            locality = parse("locality", lambda raw: lk.locality(raw, course.start_date))
            if locality:
                keys.add(unit(locality))
            states.append(("course", year, keys))
    elif kind in ("baselines", "plans"):
        year = parse("year", v.year)
        if year:
            # The date the unit's name is read on, as each kind reads it (imports.kinds).
            on_date = datetime.date(year, *((1, 1) if kind == "baselines" else (12, 31)))
            locality = parse("locality", lambda raw: lk.locality(raw, on_date))
            agency = parse("agency", lk.agency)
            keys = {unit(locality)} if locality else set()
            if agency:
                keys.add(("agency", agency.pk))
            states.append(("year", year, keys))
    return states
