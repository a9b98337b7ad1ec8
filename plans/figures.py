"""Plan against actual: one place computes it, for the plans page, its downloads and the
``plan`` part of the progress JSON.

The rule (README, "Plans"): an actual course counts toward a plan of unit U, year Y and
programme P (or no programme: every programme) when

- it starts in year Y;
- its programme is P (a plan without a programme takes the courses of every programme);
- U is its organiser agency, or U is the current unit of the locality where it is held (a
  former province counts for its successor); a course held abroad has no locality, so it
  counts for the current unit of its organiser's locality;

and it counts toward the plan's lines of its course type and place (at home / abroad). Its
participant-times are all its counted participants (named list if any, else tallies), by
rank; its budget is its spent budget. Lines of one type and place are added up (ranks,
funding sources and quarters are planned, not matched: a course has no funding source).

The number of queries does not depend on the amount of data (tested).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from cadres.models import Locality, Rank
from courses.models import Course, CourseType, Enrolment, ParticipantTally

from .models import Plan, PlanLine

ANY_PROGRAMME = "*"


def rate(actual, planned):
    """Execution rate (tỷ lệ thực hiện) in %, one decimal; None when nothing is planned."""
    if not planned:
        return None
    return round(100 * actual / planned, 1)


@dataclass
class Figures:
    courses: int = 0
    times: int = 0
    budget: int = 0
    times_by_rank: Counter = field(default_factory=Counter)

    def add(self, other):
        self.courses += other.courses
        self.times += other.times
        self.budget += other.budget
        self.times_by_rank.update(other.times_by_rank)


NOTHING = Figures()  # shared, never added to: what an unplanned or undone group has


@dataclass
class Row:
    """One (plan, course type, home/abroad) against what was done."""

    plan: Plan
    course_type: CourseType | None
    abroad: bool | None
    planned: Figures
    actual: Figures
    by_source: dict = field(default_factory=dict)  # funding source -> planned budget

    @property
    def courses_rate(self):
        return rate(self.actual.courses, self.planned.courses)

    @property
    def times_rate(self):
        return rate(self.actual.times, self.planned.times)

    @property
    def budget_rate(self):
        return rate(self.actual.budget, self.planned.budget)

    @property
    def courses_gap(self):
        return self.planned.courses - self.actual.courses

    @property
    def times_gap(self):
        return self.planned.times - self.actual.times

    @property
    def budget_gap(self):
        return self.planned.budget - self.actual.budget


@dataclass
class PlanFigures:
    plan: Plan
    rows: list
    total: Row


@dataclass
class Comparison:
    plans: list
    ranks: list
    total: Row | None


def _units():
    return Locality.objects.unit_map()


def actual_index(years):
    """{(unit key, year, programme id or ANY_PROGRAMME, type id, abroad): Figures} of the
    courses that start in ``years`` (four queries)."""
    unit_of = _units()
    courses = {}
    years = set(years)
    # A date range, not __year__in: SQLite would extract the year in Python for every row.
    in_range = {
        "start_date__gte": datetime.date(min(years), 1, 1),
        "start_date__lte": datetime.date(max(years), 12, 31),
    }
    rows = Course.objects.filter(**in_range).values_list(
        "pk",
        "start_date",
        "programme_id",
        "course_type_id",
        "country",
        "locality_id",
        "organiser_id",
        "organiser__locality_id",
        "budget_spent",
    )
    for pk, start, programme, type_id, country, loc, org, org_loc, spent in rows.order_by():
        if start.year not in years:
            continue
        keys = set()
        if org:
            keys.add(("agency", org))
        where = loc if loc else (org_loc if country else None)
        if where:
            keys.add(("locality", unit_of[where]))
        courses[pk] = (start.year, programme, type_id, bool(country), keys, spent or 0)
    by_course = defaultdict(Counter)
    if courses:
        named = (
            Enrolment.objects.counted()
            .filter(**{f"course__{k}": v for k, v in in_range.items()})
            .values_list("course_id", "rank_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for course_id, rank_id, n in named:
            if course_id in courses:
                by_course[course_id][rank_id] += n
        tallied = (
            ParticipantTally.objects.counted()
            .filter(**{f"course__{k}": v for k, v in in_range.items()})
            .values_list("course_id", "rank_id")
            .annotate(n=Sum("count"))
            .order_by()
        )
        for course_id, rank_id, n in tallied:
            if course_id in courses:
                by_course[course_id][rank_id] += n
    index = defaultdict(Figures)
    for pk, (year, programme, type_id, abroad, keys, spent) in courses.items():
        ranks = by_course.get(pk, Counter())
        one = Figures(courses=1, times=sum(ranks.values()), budget=spent, times_by_rank=ranks)
        for key in keys:
            for prog in (programme, ANY_PROGRAMME):
                index[(key, year, prog, type_id, abroad)].add(one)
    return index


def plans_queryset(*, user=None, year=None, programme=None, unit=None):
    """Plans a user may see, filtered by year, programme and unit (("locality"|"agency", id))."""
    plans = Plan.objects.visible_to(user).select_related("locality", "agency", "programme")
    if year:
        plans = plans.filter(year=year)
    if programme is not None:
        plans = plans.filter(programme=programme)
    if unit is not None:
        kind, pk = unit
        plans = plans.filter(**{f"{kind}_id": pk})
    return plans.order_by("year", "locality__code", "agency__name", "programme__code", "pk")


def compare(plans):
    """Plan against actual for a list (or queryset) of plans: constant queries."""
    plans = list(plans)
    ranks = list(Rank.objects.order_by("order", "code"))
    types = {t.pk: t for t in CourseType.objects.all()}
    if not plans:
        return Comparison(plans=[], ranks=ranks, total=None)
    lines = PlanLine.objects.filter(plan__in=[p.pk for p in plans]).values_list(
        "plan_id",
        "course_type_id",
        "abroad",
        "rank_id",
        "courses",
        "participant_times",
        "budget",
        "funding_source",
    )
    planned = defaultdict(lambda: defaultdict(Figures))
    sources = defaultdict(Counter)
    for plan_id, type_id, abroad, rank_id, courses, times, budget, source in lines.order_by():
        figures = planned[plan_id][(type_id, abroad)]
        figures.courses += courses
        figures.times += times
        figures.budget += budget
        figures.times_by_rank[rank_id] += times
        sources[(plan_id, type_id, abroad)][source] += budget
    index = actual_index({p.year for p in plans})
    actual_keys = defaultdict(set)  # (unit key, year, programme) -> {(type, abroad)}
    for key, prog, year, type_id, abroad in ((k[0], k[2], k[1], k[3], k[4]) for k in index):
        actual_keys[(key, year, prog)].add((type_id, abroad))
    results = []
    grand = Row(plan=None, course_type=None, abroad=None, planned=Figures(), actual=Figures())
    for plan in plans:
        prog = plan.programme_id or ANY_PROGRAMME
        groups = set(planned[plan.pk]) | actual_keys.get((plan.unit_key, plan.year, prog), set())
        rows = []
        total = Row(plan=plan, course_type=None, abroad=None, planned=Figures(), actual=Figures())
        for type_id, abroad in sorted(
            groups, key=lambda g: (types[g[0]].order, types[g[0]].code, g[1])
        ):
            p = planned[plan.pk].get((type_id, abroad), NOTHING)
            a = index.get((plan.unit_key, plan.year, prog, type_id, abroad), NOTHING)
            row = Row(
                plan=plan,
                course_type=types[type_id],
                abroad=abroad,
                planned=p,
                actual=a,
                by_source=dict(sources.get((plan.pk, type_id, abroad), {})),
            )
            rows.append(row)
            total.planned.add(p)
            total.actual.add(a)
        grand.planned.add(total.planned)
        grand.actual.add(total.actual)
        results.append(PlanFigures(plan=plan, rows=rows, total=total))
    return Comparison(plans=results, ranks=ranks, total=grand)


def plan_json(programme, actual_by_year=None, access=None):
    """The ``plan`` part of the progress JSON: what the plans of the programme plan, and
    planned against actual participant-times by year (``actual_by_year``: the report's own
    ``by_year``, {year: n}); zeros where nothing is planned. ``access`` is the report's
    scope (accounts.scoping.Scope; None: national, the command): only the plans in it count,
    by the plan lines' own scope rule (PlanLineQuerySet.scope_condition)."""
    lines = PlanLine.objects.filter(plan__programme=programme)
    if access is not None and not access.is_national:
        condition = lines.scope_condition(access, None)
        lines = lines.filter(condition) if condition is not None else lines.none()
    sums = lines.aggregate(
        courses=Sum("courses"), times=Sum("participant_times"), budget=Sum("budget")
    )
    planned_by_year = dict(
        lines.values_list("plan__year").annotate(n=Sum("participant_times")).order_by()
    )
    actual_by_year = Counter(actual_by_year or {})
    years = set(range(programme.first_year, programme.last_year + 1)) | set(planned_by_year)
    return {
        "courses": sums["courses"] or 0,
        "participant_times": sums["times"] or 0,
        "budget": sums["budget"] or 0,
        "by_year": {
            str(year): {
                "planned": planned_by_year.get(year, 0),
                "actual": actual_by_year.get(year, 0),
            }
            for year in sorted(years)
        },
    }
