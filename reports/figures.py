"""The report figures: one place computes each of them, for the pages, the downloads and the
``progress_report`` command.

How the numbers are made (docs/PERFORMANCE-REPORTS.md has the measurements):

- Participant-times come from two wide GROUP BY queries per programme, one over counted
  enrolments and one over counted tallies, each grouped by (course, rank, locality). Every
  breakdown and filter is then a roll-up in Python over those rows with small maps (course ->
  year, type, abroad; locality -> current unit). The number of queries never depends on the
  amount of data.
- Where a figure maps onto their keys, the named side comes from the summaries that database
  triggers keep exact (``reports.summaries``); otherwise from the rows, with the same result.
- A course counts its named enrolments (attended/completed) if it has any, else its tallies,
  never both (the ``counted()`` QuerySet methods).
- Localities roll up to the 34 current units (a former province counts for its successor);
  ``TW`` is central level and records without a locality are "unknown". The level of a record
  follows its locality: ``TW`` is central, any provincial unit is local, unknown is neither.
- "Distinct people" = distinct named cadres (COUNT DISTINCT in SQL) plus the heads of tallies:
  tallies carry no names, so each tallied participant-time counts as one person. With named
  lists only the figure is exact.
- A course is counted when at least one participant of it is counted in the scope.
- "As of" a date counts the courses that **started** on or before it (a course belongs to the
  year it starts in, everywhere in the reports); workforce baselines count up to that year.
- Unnamed head counts make "distinct people" uncertain: the figure shown is the upper bound
  (every tallied head a different person); the lower bound is the named people or the largest
  tallied course, whichever is more (one course's heads are different people). A target that
  reaches its goal only under the upper bound is "achieved (estimate)".
- Budgets in a scoped report: the budgets of the courses the user's scope covers (as in the
  admin's course list: held in the province or organised by an agency there; for an agency,
  the courses it organises) that have participants counted in the report. A course organised
  elsewhere that the scope's people attended adds its participants, not its budget.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Case, Count, Exists, Min, OuterRef, Q, Sum, Value, When
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, LanguageSkill, Level, Locality, Rank, WorkforceBaseline
from courses.models import CourseType, Enrolment, ParticipantTally, Target

from . import summaries

UNKNOWN = "unknown"
CENTRAL = Locality.CENTRAL_CODE

# Target statuses (the JSON contract) and the one used when a denominator is missing.
ACHIEVED = "achieved"
MISSED = "missed"
ON_TRACK = "on_track"
BEHIND = "behind"
NOT_STARTED = "not_started"
NO_BASELINE = "no_baseline"
STATUS_LABELS = {
    ACHIEVED: _("achieved"),
    MISSED: _("not achieved"),
    ON_TRACK: _("on track"),
    BEHIND: _("behind"),
    NOT_STARTED: _("not started"),
    NO_BASELINE: _("no baseline"),
}
STATUS_ORDER = [ACHIEVED, MISSED, ON_TRACK, BEHIND, NOT_STARTED, NO_BASELINE]
ESTIMATE_LABELS = {
    ACHIEVED: _("achieved (estimate)"),
    MISSED: _("not achieved (estimate)"),
    ON_TRACK: _("on track (estimate)"),
    BEHIND: _("behind (estimate)"),
}
UNKNOWN_LABEL = _("locality not recorded")


# --- reference data -------------------------------------------------------------------------


@dataclass
class Reference:
    """Ranks, localities and course types, loaded once per report (three small queries)."""

    ranks: list
    localities: dict  # id -> Locality
    types: list

    @classmethod
    def load(cls):
        return cls(
            ranks=list(Rank.objects.order_by("order", "code")),
            localities={loc.id: loc for loc in Locality.objects.all()},
            types=list(CourseType.objects.order_by("order", "code")),
        )

    def __post_init__(self):
        self.rank_by_code = {rank.code: rank for rank in self.ranks}
        self.type_by_code = {t.code: t for t in self.types}
        self.unit_of = {loc_id: loc.unit_id for loc_id, loc in self.localities.items()}
        current = [loc for loc in self.localities.values() if loc.era == Locality.Era.CURRENT]
        provinces = sorted((loc for loc in current if not loc.is_central), key=lambda x: x.code)
        self.provinces = provinces
        self.central = next((loc for loc in current if loc.is_central), None)
        self.units = provinces + ([self.central] if self.central else [])
        self.unit_by_code = {loc.code: loc for loc in self.units}

    def unit_code(self, locality_id):
        """The current unit code a record of this locality counts for, or 'unknown'."""
        if locality_id is None:
            return UNKNOWN
        return self.localities[self.unit_of[locality_id]].code

    def recorded_code(self, locality_id):
        """The locality as recorded; former ones get a '*' so they never collide."""
        if locality_id is None:
            return UNKNOWN
        loc = self.localities[locality_id]
        return f"{loc.code}*" if loc.era == Locality.Era.FORMER else loc.code

    def allowed_localities(self, level="", unit_ids=None):
        """Recorded locality ids that fit a level and a set of current units; None = all."""
        if not level and unit_ids is None:
            return None
        allowed = set()
        for loc_id, unit_id in self.unit_of.items():
            if unit_ids is not None and unit_id not in unit_ids:
                continue
            is_central = self.localities[unit_id].is_central
            if level == Level.CENTRAL and not is_central:
                continue
            if level == Level.LOCAL and is_central:
                continue
            allowed.add(loc_id)
        return allowed


# --- scope ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetScope:
    """Which records a figure counts (years, ranks, types, level, units). None means no
    restriction. Not to be confused with a user's access (accounts.scoping.Scope)."""

    year_from: int | None = None
    year_to: int | None = None
    rank_ids: frozenset | None = None
    type_ids: frozenset | None = None
    level: str = ""
    unit_ids: frozenset | None = None  # current units (incl. TW)
    agency_id: int | None = None  # an agency-scoped user's agency

    def enrolment_q(self, ref):
        """The same scope as a filter on Enrolment, for the COUNT DISTINCT queries."""
        q = Q()
        if self.year_from:
            q &= Q(course__start_date__gte=datetime.date(self.year_from, 1, 1))
        if self.year_to:
            q &= Q(course__start_date__lte=datetime.date(self.year_to, 12, 31))
        if self.rank_ids is not None:
            q &= Q(rank_id__in=self.rank_ids)
        if self.type_ids is not None:
            q &= Q(course__course_type_id__in=self.type_ids)
        allowed = ref.allowed_localities(self.level, self.unit_ids)
        if allowed is not None:
            q &= Q(locality_id__in=allowed)
        if self.agency_id:
            q &= Q(agency_id=self.agency_id)
        return q


@dataclass
class CourseInfo:
    year: int
    type_id: int
    abroad: bool
    budget_planned: int
    budget_spent: int


COURSE_FIELDS = ("id", "start_date", "course_type_id", "country", "budget_planned", "budget_spent")


def _access_of(user, access):
    """A scoped user's access (accounts.scoping.Scope), or None for a national one."""
    from accounts import scoping

    if user is not None and access is None:
        access = scoping.scope_of(user)
    return access if access is not None and not access.is_national else None


def _tallies(as_of, agency_id):
    """The counted tallies cut at "as of" and narrowed to an agency's courses."""
    qs = ParticipantTally.objects.counted()
    if as_of:
        qs = qs.filter(course__start_date__lte=as_of)
    if agency_id:
        qs = qs.filter(course__organiser_id=agency_id)
    return qs


@dataclass
class Preloaded:
    """The rows of several programmes, one query each for all of them (the national overview
    and the programme list), keyed by programme id: what ``ProgrammeData`` would otherwise
    read programme by programme."""

    courses: dict  # programme id -> [(id, start, type id, country, planned, spent)]
    tallied: dict  # programme id -> [(course id, rank id, locality id, n)]
    named: dict  # programme id -> summary rows (summaries.participation_rows)
    visible: set | None  # course ids the user's scope covers (None: national)
    targets: dict  # programme id -> [Target] with ranks, course types, localities
    summarised_ids: list = field(default_factory=list)  # those the summaries answer for
    _read: dict = field(default_factory=dict)

    def summary(self, name, read):
        """``read(summarised_ids)`` of the summaries, for all those programmes at once, when
        the first of them needs it (and only then)."""
        if name not in self._read:
            self._read[name] = read(self.summarised_ids)
        return self._read[name]


class ProgrammeData:
    """The counted participants of one programme, grouped by (year, course type, home or
    abroad, rank, locality), with the course map; every participant-times figure is a roll-up
    of ``rows`` in Python. Courses are counted from the course ids a scope reaches."""

    def __init__(
        self,
        programme,
        ref=None,
        access=None,
        as_of=None,
        user=None,
        use_summaries=True,
        preloaded=None,
    ):
        from accounts import scoping

        self.programme = programme
        self.ref = ref or Reference.load()
        # A scoped user's access (accounts.scoping.Scope): every figure is limited to it.
        self.access = _access_of(user, access)
        # "As of" a date: the courses started by then (None: every course).
        self.as_of = as_of
        agency_id = self.access.agency_id if self.access else None
        every_course = programme.courses.all()
        courses = every_course.filter(start_date__lte=as_of) if as_of else every_course
        if preloaded is not None:
            course_rows = preloaded.courses.get(programme.id, [])
        else:
            course_rows = every_course.values_list(*COURSE_FIELDS).order_by()
        self.courses = {}
        cut_off = False  # whether "as of" leaves out a course of the programme
        for cid, start, type_id, country, planned, spent in course_rows:
            if as_of and start > as_of:
                cut_off = True
                continue
            self.courses[cid] = CourseInfo(
                start.year, type_id, bool(country), planned or 0, spent or 0
            )
        # The pre-computed summaries (reports.summaries) hold whole courses of the programme
        # and every person's enrolments: they answer when no course is cut off by "as of"
        # and no agency narrows the enrolments; otherwise the figures come from the rows.
        self.summarised = use_summaries and not cut_off and not agency_id
        # The budget rule of a scoped report (module docstring): only the courses the
        # user's scope covers, as the admin's course list shows them.
        self.budget_course_ids = None
        if self.access is not None and preloaded is not None:
            self.budget_course_ids = {cid for cid in self.courses if cid in preloaded.visible}
        elif self.access is not None:
            visible = (
                scoping.courses(courses, user)
                if user is not None
                else courses.filter(scoping.course_condition(self.access))
            )
            self.budget_course_ids = set(visible.values_list("id", flat=True).order_by())
        if self.summarised and preloaded is not None and programme.id in preloaded.named:
            named = preloaded.named[programme.id]
        elif self.summarised:
            named = summaries.participation_rows(programme.id)
        else:
            # Grouping by course would return about one row per two enrolments; grouping by
            # the course's year, type and country returns a few thousand
            # (docs/PERFORMANCE-REPORTS.md).
            named = (
                Enrolment.objects.counted()
                .filter(course__programme=programme)
                .filter(Q(course__start_date__lte=as_of) if as_of else Q())
                .filter(Q(agency_id=agency_id) if agency_id else Q())
                .annotate(year=year_of_course(sorted({c.year for c in self.courses.values()})))
                .values_list(
                    "year", "course__course_type_id", "course__country", "rank_id", "locality_id"
                )
                .annotate(n=Count("id"))
                .order_by()
            )
        if preloaded is not None:
            tallied = preloaded.tallied.get(programme.id, [])
        else:
            tallied = (
                _tallies(as_of, agency_id)
                .filter(course__programme=programme)
                .values_list("course_id", "rank_id", "locality_id")
                .annotate(n=Sum("count"))
                .order_by()
            )
        self._preloaded = preloaded
        self._targets = preloaded.targets.get(programme.id, []) if preloaded else None
        # (year, type_id, abroad, rank_id, locality_id, n, course_id of a tally or None)
        self.rows = [
            (year, type_id, bool(country), rank_id, loc_id, n, None)
            for year, type_id, country, rank_id, loc_id, n in named
        ]
        for course_id, rank_id, loc_id, n in tallied:
            course = self.courses[course_id]
            self.rows.append(
                (course.year, course.type_id, course.abroad, rank_id, loc_id, n, course_id)
            )
        self._cache = {}

    @classmethod
    def for_programmes(cls, programmes, ref=None, as_of=None, user=None):
        """One ProgrammeData per programme, the rows of all of them read in one query each
        (courses, tallies, summaries, the user's courses, targets) instead of one per
        programme: the national overview and the programme list. Same figures."""
        from accounts import scoping
        from courses.models import Course

        programmes = list(programmes)
        ref = ref or Reference.load()
        access = _access_of(user, None)
        agency_id = access.agency_id if access else None
        ids = [programme.id for programme in programmes]
        every_course = Course.objects.filter(programme_id__in=ids)
        courses, cut_off = defaultdict(list), set()
        for pid, *row in every_course.values_list("programme_id", *COURSE_FIELDS).order_by():
            courses[pid].append(tuple(row))
            if as_of and row[1] > as_of:
                cut_off.add(pid)
        tallied = defaultdict(list)
        for pid, *row in (
            _tallies(as_of, agency_id)
            .filter(course__programme_id__in=ids)
            .values_list("course__programme_id", "course_id", "rank_id", "locality_id")
            .annotate(n=Sum("count"))
            .order_by()
        ):
            tallied[pid].append(tuple(row))
        summarised_ids = [] if agency_id else [pid for pid in ids if pid not in cut_off]
        named = summaries.participation_rows_by_programme(summarised_ids)
        visible = None
        if access is not None:
            cut = every_course.filter(start_date__lte=as_of) if as_of else every_course
            visible = set(scoping.courses(cut, user).values_list("id", flat=True).order_by())
        targets = defaultdict(list)
        for target in Target.objects.filter(programme_id__in=ids).prefetch_related(
            "ranks", "course_types", "localities"
        ):
            targets[target.programme_id].append(target)
        preloaded = Preloaded(courses, tallied, named, visible, targets, summarised_ids)
        return [
            cls(programme, ref, as_of=as_of, user=user, preloaded=preloaded)
            for programme in programmes
        ]

    def targets(self):
        """The programme's targets with their ranks, course types and localities."""
        if self._targets is None:
            self._targets = list(
                self.programme.targets.prefetch_related("ranks", "course_types", "localities")
            )
        return self._targets

    def limit(self, scope):
        """A scope narrowed to the user's access: their locality (with its former provinces,
        through the roll-up) or their agency's people and courses."""
        if self.access is None:
            return scope
        if self.access.kind == "agency":
            return replace(scope, agency_id=self.access.agency_id)
        unit = self.ref.unit_by_code[self.access.locality_code].id
        units = frozenset([unit]) if scope.unit_ids is None else scope.unit_ids & {unit}
        return replace(scope, unit_ids=units)

    def select(self, scope):
        """The rows in a scope."""
        allowed = self.ref.allowed_localities(scope.level, scope.unit_ids)
        for row in self.rows:
            year, type_id, _abroad, rank_id, loc_id, _n, _course = row
            if scope.year_from and year < scope.year_from:
                continue
            if scope.year_to and year > scope.year_to:
                continue
            if scope.rank_ids is not None and rank_id not in scope.rank_ids:
                continue
            if scope.type_ids is not None and type_id not in scope.type_ids:
                continue
            if allowed is not None and loc_id not in allowed:
                continue
            yield row

    def normal(self, scope):
        """The same scope without year bounds that leave out no course of the programme, so
        that a target over the whole period shares the page's queries (their cache key)."""
        years = [course.year for course in self.courses.values()]
        if scope.year_from and years and scope.year_from <= min(years):
            scope = replace(scope, year_from=None)
        if scope.year_to and years and scope.year_to >= max(years):
            scope = replace(scope, year_to=None)
        return scope

    def _named(self, scope):
        qs = (
            Enrolment.objects.counted()
            .filter(course__programme=self.programme)
            .filter(scope.enrolment_q(self.ref))
        )
        if self.as_of:
            qs = qs.filter(course__start_date__lte=self.as_of)
        return qs

    def whole(self, scope):
        """Whether the summaries answer for this scope's people: the whole programme."""
        return self.summarised and scope == TargetScope()

    def by_course(self, scope):
        """Whether the summaries answer for this scope's courses: only course keys (years,
        course types) narrow it."""
        return (
            self.summarised
            and scope.rank_ids is None
            and not scope.level
            and scope.unit_ids is None
            and not scope.agency_id
        )

    def _summary_courses(self):
        if self._preloaded is not None:  # of all the programmes: course_ids keeps its own
            return self._preloaded.summary("courses", summaries.counted_course_ids_of)
        return summaries.counted_course_ids(self.programme.id)

    def _cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def named_distinct(self, scope, by_unit=False):
        """Distinct named cadres in a scope (one SQL query), or a Counter by current unit id."""
        scope = self.normal(scope)

        def compute():
            if self.whole(scope) and not by_unit and self._preloaded is not None:
                by_programme = self._preloaded.summary(
                    "people", summaries.distinct_people_by_programme
                )
                return by_programme[self.programme.id]
            if self.whole(scope) and not by_unit:
                return summaries.distinct_people(self.programme.id)
            if by_unit:
                rows = (
                    self._named(scope)
                    .annotate(unit=Locality.unit_of("locality"))
                    .values_list("unit")
                    .annotate(n=Count("cadre_id", distinct=True))
                    .order_by()
                )
                return Counter(dict(rows))
            return self._named(scope).aggregate(n=Count("cadre_id", distinct=True))["n"]

        return self._cached(("distinct", scope, by_unit), compute)

    def course_ids(self, scope):
        """Courses with at least one participant counted in the scope (one SQL query)."""
        scope = self.normal(scope)

        def compute():
            if self.by_course(scope):
                ids = {
                    cid
                    for cid in self._cached("summary_courses", self._summary_courses)
                    if cid in self.courses
                    and (not scope.year_from or self.courses[cid].year >= scope.year_from)
                    and (not scope.year_to or self.courses[cid].year <= scope.year_to)
                    and (scope.type_ids is None or self.courses[cid].type_id in scope.type_ids)
                }
            else:
                ids = set(
                    self._named(scope).values_list("course_id", flat=True).distinct().order_by()
                )
            ids.update(row[6] for row in self.select(scope) if row[6] is not None and row[5])
            return ids

        return self._cached(("courses", scope), compute)

    def summary(self, scope):
        """Headline figures of a scope."""
        times = 0
        tally_heads = 0
        per_tallied_course = Counter()
        for row in self.select(scope):
            times += row[5]
            if row[6] is not None:
                tally_heads += row[5]
                per_tallied_course[row[6]] += row[5]
        counted_ids = self.course_ids(scope)
        counted = [self.courses[cid] for cid in counted_ids]
        budgeted = counted
        if self.budget_course_ids is not None:
            budgeted = [self.courses[cid] for cid in counted_ids & self.budget_course_ids]
        named = self.named_distinct(scope)
        return {
            "courses": len(counted),
            "participant_times": times,
            "distinct_cadres": named + tally_heads,
            # Tallies carry no names: their heads count as people, an upper bound.
            "distinct_from_tallies": tally_heads,
            # The lower bound: the named people, or the largest tallied course.
            "distinct_low": max(named, max(per_tallied_course.values(), default=0)),
            "avg_class_size": round(times / len(counted), 1) if counted else 0.0,
            "courses_abroad": sum(1 for course in counted if course.abroad),
            "budget_planned": sum(course.budget_planned for course in budgeted),
            "budget_spent": sum(course.budget_spent for course in budgeted),
            "budget_courses": len(budgeted),
            "budget_scoped": self.budget_course_ids is not None,
        }

    def new_people_by_year(self, scope):
        """(named people by the year of their first counted course, tallied heads by year):
        one SQL query; the cumulative distinct people of a trajectory."""
        scope = self.normal(scope)

        def compute():
            if self.whole(scope):
                return summaries.people_by_first_year(self.programme.id)
            years = sorted({c.year for c in self.courses.values()})
            firsts = (
                self._named(scope)
                .annotate(year=year_of_course(years))
                .values("cadre_id")
                .annotate(first=Min("year"))
                .values_list("first", flat=True)
                .order_by()
            )
            return Counter(firsts)

        named = self._cached(("firsts", scope), compute)
        tallied = Counter()
        for row in self.select(scope):
            if row[6] is not None:
                tallied[row[0]] += row[5]
        return named, tallied

    def breakdown(self, scope, *keys):
        """Participant-times summed by a tuple of keys, each one of 'year', 'rank', 'unit',
        'recorded', 'type', 'abroad'. Ranks, types and localities are given by code."""
        ref = self.ref
        rank_code = {rank.id: rank.code for rank in ref.ranks}
        type_code = {t.id: t.code for t in ref.types}
        getters = {
            "year": lambda row: row[0],
            "type": lambda row: type_code[row[1]],
            "abroad": lambda row: row[2],
            "rank": lambda row: rank_code[row[3]],
            "unit": lambda row: ref.unit_code(row[4]),
            "recorded": lambda row: ref.recorded_code(row[4]),
        }
        funcs = [getters[k] for k in keys]
        out = Counter()
        for row in self.select(scope):
            out[tuple(f(row) for f in funcs)] += row[5]
        return out

    def courses_by(self, scope, key):
        """Counted courses by 'type' (code) or 'abroad'."""
        type_code = {t.id: t.code for t in self.ref.types}
        out = Counter()
        for course_id in self.course_ids(scope):
            course = self.courses[course_id]
            out[type_code[course.type_id] if key == "type" else course.abroad] += 1
        return out

    def people_by_unit(self, scope):
        """Distinct people (named + tallied heads) by current unit code: the upper bound."""
        return self.people_by_unit_range(scope)[1]

    def people_by_unit_range(self, scope):
        """(lower bound, upper bound) of the distinct people by current unit code: named +
        tallied heads at most; at least the named, or the largest tallied course there."""
        low, high = Counter(), Counter()
        for unit_id, n in self.named_distinct(scope, by_unit=True).items():
            code = self.ref.unit_code(unit_id)
            low[code] += n
            high[code] += n
        per_course = Counter()
        for row in self.select(scope):
            if row[6] is not None:
                code = self.ref.unit_code(row[4])
                high[code] += row[5]
                per_course[(code, row[6])] += row[5]
        for (code, _course), n in per_course.items():
            low[code] = max(low[code], n)
        return low, high


def year_of_course(years):
    """The course's year as a CASE over date ranges: portable SQL, and on SQLite much cheaper
    than a year extraction, which runs a Python function on every row."""
    if not years:
        return Value(0)
    whens = [
        When(course__start_date__lt=datetime.date(year + 1, 1, 1), then=Value(year))
        for year in years[:-1]
    ]
    if not whens:
        return Value(years[0])
    return Case(*whens, default=Value(years[-1]))


# --- targets --------------------------------------------------------------------------------


@dataclass
class TargetProgress:
    target: Target
    actual: float | None
    progress_pct: float | None
    status: str
    short_localities: list = field(default_factory=list)
    first_year: int = 0
    last_year: int = 0
    note: str = ""  # e.g. the baseline year used, the localities reaching N
    estimated: bool = False  # the status holds only under the upper bound of an estimate
    actual_low: float | None = None  # the lower bound when the actual rests on head counts
    covers: str = ""  # what the target counts, in words
    short_counts: list = field(default_factory=list)  # (code, name, people) per short unit
    localities_total: int | None = None  # per-province minimum: units judged
    trajectory: list = field(default_factory=list)  # (year, cumulative actual, linear path)

    @property
    def status_label(self):
        if self.estimated and self.status in ESTIMATE_LABELS:
            return ESTIMATE_LABELS[self.status]
        return STATUS_LABELS[self.status]

    @property
    def is_range(self):
        return self.actual_low is not None and self.actual_low != self.actual

    def as_json(self):
        """The target in the progress JSON: the contract's keys, plus (only where they
        apply) ``estimated``/``actual_low`` for figures resting on unnamed head counts and
        ``localities_total``/``short_counts`` for a per-province minimum."""
        data = {
            "code": self.target.code,
            "label": self.target.label,
            "metric": self.target.metric,
            "target": number(self.target.value_min),
            "actual": number(self.actual),
            "progress_pct": self.progress_pct,
            "status": self.status,
            "short_localities": list(self.short_localities),
        }
        if self.actual_low is not None:
            data["actual_low"] = number(self.actual_low)
            data["estimated"] = self.estimated
        if self.localities_total is not None:
            data["localities_total"] = self.localities_total
            data["short_counts"] = {code: n for code, _name, n in self.short_counts}
        return data


def number(value):
    """A JSON-friendly number: int when whole, float otherwise, None stays None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def grouped(value):
    """9.000 in Vietnamese, 9,000 in English: the active language's grouping."""
    return number_format(value, force_grouping=True)


def elapsed_share(first_year, last_year, as_of):
    """The share of the period [1 Jan first_year, 1 Jan last_year + 1) gone by on as_of."""
    start = datetime.date(first_year, 1, 1)
    end = datetime.date(last_year + 1, 1, 1)
    share = (as_of - start).days / (end - start).days
    return min(max(share, 0.0), 1.0)


def status_of(actual, goal, first_year, last_year, as_of):
    """not_started before the first year; achieved at the goal; once the period is over
    (1 January after its last year), missed; while it runs, on_track when at least the linear
    share of the goal the elapsed time calls for, else behind."""
    if as_of < datetime.date(first_year, 1, 1):
        return NOT_STARTED
    if actual is None:
        return NO_BASELINE
    if actual >= goal:
        return ACHIEVED
    if as_of >= datetime.date(last_year + 1, 1, 1):
        return MISSED
    if actual >= goal * elapsed_share(first_year, last_year, as_of):
        return ON_TRACK
    return BEHIND


def target_scope(target, programme):
    first = target.year_from or programme.first_year
    last = target.year_to or programme.last_year
    ranks = frozenset(r.id for r in target.ranks.all()) or None
    types = frozenset(t.id for t in target.course_types.all()) or None
    units = frozenset(loc.id for loc in target.localities.all()) or None
    return TargetScope(first, last, ranks, types, target.level, units)


def baseline_headcount(scope, ref, as_of=None):
    """(year, headcount) of the workforce baseline in a scope: the latest year of the period
    (and not after the "as of" year) that has rows in the scope; (None, 0) when there is none."""
    last = scope.year_to if as_of is None else min(scope.year_to, as_of.year)
    qs = WorkforceBaseline.objects.filter(year__gte=scope.year_from, year__lte=last)
    if scope.rank_ids is not None:
        qs = qs.filter(rank_id__in=scope.rank_ids)
    allowed = ref.allowed_localities(scope.level, scope.unit_ids)
    if allowed is not None:
        by_agency = Q(agency__locality_id__in=allowed)
        if scope.level:
            by_agency &= Q(agency__level=scope.level)
        qs = qs.filter(Q(locality_id__in=allowed) | by_agency)
    if scope.agency_id:
        qs = qs.filter(agency_id=scope.agency_id)
    by_year = dict(qs.values_list("year").annotate(n=Sum("headcount")).order_by())
    if not by_year:
        return None, 0
    year = max(by_year)
    return year, by_year[year]


def qualified_share(target, scope, ref):
    """(qualified, cadres in scope): holding the language (any when empty) at the level.

    One pass over the cadres per report (or national overview, which shares its ``ref``):
    cadres grouped by rank, locality and agency, with a count for each (language, level)
    that a qualification target asks for; each target sums the groups of its scope."""
    pair = (target.language.strip().lower(), target.language_level)
    groups = qualification_groups(ref, pair)
    allowed = ref.allowed_localities(scope.level, scope.unit_ids)
    qualified = total = 0
    for (rank_id, loc_id, agency_id), (n, by_pair) in groups.items():
        if scope.rank_ids is not None and rank_id not in scope.rank_ids:
            continue
        if allowed is not None and loc_id not in allowed:
            continue
        if scope.agency_id and agency_id != scope.agency_id:
            continue
        total += n
        qualified += by_pair[pair]
    return qualified, total


def qualification_groups(ref, pair):
    """{(rank id, locality id, agency id): (cadres, {(language, level): qualified})} for
    every (language, level) of the qualification targets (and ``pair``); cached on ``ref``."""
    cached = getattr(ref, "_qualification_groups", None)
    if cached is not None and pair in cached[0]:
        return cached[1]
    pairs = {
        (language.strip().lower(), level)
        for language, level in Target.objects.filter(
            metric=Target.Metric.QUALIFIED_PCT, language_level__isnull=False
        )
        .values_list("language", "language_level")
        .distinct()
        .order_by()
    }
    pairs.add(pair)
    pairs = sorted(pairs)
    counts = {}
    for i, (language, level) in enumerate(pairs):
        skills = LanguageSkill.objects.filter(cadre=OuterRef("pk"), level__gte=level)
        if language:
            skills = skills.filter(language=language)
        counts[f"q{i}"] = Count("id", filter=Q(Exists(skills)))
    # The cadres from their summary; the qualified ones from the cadres holding a skill.
    none = dict.fromkeys(pairs, 0)
    groups = {key: (n, none) for key, n in summaries.cadres_by_group().items()}
    rows = (
        Cadre.objects.filter(id__in=LanguageSkill.objects.values("cadre_id"))
        .values_list("rank_id", "locality_id", "agency_id")
        .annotate(**counts)
        .order_by()
    )
    for rank_id, loc_id, agency_id, *qualified in rows:
        key = (rank_id, loc_id, agency_id)
        groups[key] = (groups.get(key, (0, none))[0], dict(zip(pairs, qualified, strict=True)))
    ref._qualification_groups = (set(pairs), groups)
    return groups


def describe_scope(target, scope, data):
    """What a target counts, in words: years, ranks, course types, level, localities."""
    ref = data.ref
    parts = [_("years %(a)s–%(b)s") % {"a": scope.year_from, "b": scope.year_to}]
    ranks = [r.name for r in ref.ranks if scope.rank_ids is not None and r.id in scope.rank_ids]
    parts.append(_("ranks: %(r)s") % {"r": ", ".join(ranks)} if ranks else _("all ranks"))
    types = [t.name for t in ref.types if scope.type_ids is not None and t.id in scope.type_ids]
    parts.append(
        _("course types: %(t)s") % {"t": ", ".join(types)} if types else _("all course types")
    )
    if scope.level:
        parts.append(_("level: %(l)s") % {"l": dict(Level.choices)[scope.level]})
    if target.localities.all():
        names = [loc.name for loc in target.localities.all()]
        parts.append(_("localities: %(l)s") % {"l": ", ".join(names)})
    if data.access is not None:
        parts.append(_("within %(scope)s") % {"scope": data.access.label})
    return "; ".join(str(p) for p in parts)


CUMULATIVE = {
    Target.Metric.PARTICIPANT_TIMES,
    Target.Metric.COURSES,
    Target.Metric.DISTINCT_CADRES,
    Target.Metric.COVERAGE_PCT,
}


def trajectory(target, scope, data, as_of, headcount=None):
    """(year, cumulative actual or None after "as of", the linear path) for each year of a
    cumulative target; empty for the others (a minimum per province, a share, a class size)."""
    metric = target.metric
    if metric not in CUMULATIVE or (metric == Target.Metric.COVERAGE_PCT and not headcount):
        return []
    goal = float(target.value_min)
    first, last = scope.year_from, scope.year_to
    by_year = Counter()
    if metric == Target.Metric.PARTICIPANT_TIMES:
        for row in data.select(scope):
            by_year[row[0]] += row[5]
    elif metric == Target.Metric.COURSES:
        for course_id in data.course_ids(scope):
            by_year[data.courses[course_id].year] += 1
    else:
        named, tallied = data.new_people_by_year(scope)
        by_year = named + tallied
    points = []
    running = 0
    for year in range(first, last + 1):
        running += by_year.get(year, 0)
        value = running
        if metric == Target.Metric.COVERAGE_PCT:
            value = min(round(running / headcount * 100, 1), 100.0)
        path = round(goal * (year - first + 1) / (last - first + 1), 1)
        points.append((year, value if year <= as_of.year else None, path))
    return points


def target_progress(target, data, as_of, with_trajectory=True):
    """How far one target is: actual value (and its lower bound when it rests on unnamed
    head counts), progress %, status, the localities short and what the target covers."""
    programme, ref = data.programme, data.ref
    scope = data.limit(target_scope(target, programme))
    goal = float(target.value_min)
    metric = target.metric
    short = []
    short_counts = []
    note = ""
    actual = None
    low = None
    total_units = None
    headcount = None
    judged_goal = goal
    if metric in (
        Target.Metric.PARTICIPANT_TIMES,
        Target.Metric.DISTINCT_CADRES,
        Target.Metric.COURSES,
        Target.Metric.AVG_CLASS_SIZE,
    ):
        summary = data.summary(scope)
        actual = summary[metric]
        if metric == Target.Metric.DISTINCT_CADRES and summary["distinct_from_tallies"]:
            low = summary["distinct_low"]
            note = _("estimate: %(n)s of them from head counts without names; at least %(low)s") % {
                "n": grouped(summary["distinct_from_tallies"]),
                "low": grouped(low),
            }
    elif metric == Target.Metric.COVERAGE_PCT:
        year, headcount = baseline_headcount(scope, ref, data.as_of)
        if headcount:
            summary = data.summary(scope)
            # Unnamed head counts make "trained people" an upper bound (a person on two
            # tallied courses counts twice): never claim more than the whole workforce.
            actual = min(round(summary["distinct_cadres"] / headcount * 100, 1), 100.0)
            note = _("baseline %(year)s: %(n)s people") % {"year": year, "n": grouped(headcount)}
            if summary["distinct_from_tallies"]:
                low = min(round(summary["distinct_low"] / headcount * 100, 1), 100.0)
                note = _(
                    "%(note)s; estimate: %(n)s people trained counted from head counts without "
                    "names (each head a different person); between %(low)s%% and %(high)s%%"
                ) % {
                    "note": note,
                    "n": grouped(summary["distinct_from_tallies"]),
                    "low": number_format(low, 1),
                    "high": number_format(actual, 1),
                }
    elif metric == Target.Metric.PER_LOCALITY_MIN:
        if scope.unit_ids is not None:
            units = [loc for loc in ref.units if loc.id in scope.unit_ids]
        elif scope.level == Level.CENTRAL:
            units = [ref.central]
        else:
            units = list(ref.provinces)
        people_low, people = data.people_by_unit_range(scope)
        short_counts = [
            (loc.code, loc.name, people.get(loc.code, 0))
            for loc in units
            if people.get(loc.code, 0) < goal
        ]
        short = [code for code, _name, _n in short_counts]
        total_units = len(units)
        actual = total_units - len(short)  # units that reach the minimum
        reached_low = sum(1 for loc in units if people_low.get(loc.code, 0) >= goal)
        if reached_low != actual:
            low = reached_low
        judged_goal = total_units
        note = _("%(reached)s of %(total)s localities reach the minimum of %(goal)s") % {
            "reached": actual,
            "total": total_units,
            "goal": grouped(number(target.value_min)),
        }
        if low is not None:
            note = _(
                "%(note)s (estimate: counted from head counts without names; at least %(low)s)"
            ) % {"note": note, "low": low}
    elif metric == Target.Metric.QUALIFIED_PCT:
        qualified, total = qualified_share(target, scope, ref)
        if total:
            actual = round(qualified / total * 100, 1)
            note = _("%(q)s of %(n)s cadres (their present qualifications)") % {
                "q": grouped(qualified),
                "n": grouped(total),
            }
    progress = None
    if actual is not None:
        progress = round(actual / judged_goal * 100, 1) if judged_goal else 100.0
    status = status_of(actual, judged_goal, scope.year_from, scope.year_to, as_of)
    estimated = False
    if low is not None:
        estimated = status_of(low, judged_goal, scope.year_from, scope.year_to, as_of) != status
    return TargetProgress(
        target,
        actual,
        progress,
        status,
        short,
        scope.year_from,
        scope.year_to,
        note,
        estimated=estimated,
        actual_low=low,
        covers=describe_scope(target, scope, data),
        short_counts=short_counts,
        localities_total=total_units,
        trajectory=trajectory(target, scope, data, as_of, headcount) if with_trajectory else [],
    )


def programme_targets(data, as_of=None, with_trajectory=True):
    as_of = as_of or data.as_of or timezone.localdate()
    return [target_progress(target, data, as_of, with_trajectory) for target in data.targets()]


# --- the JSON of the contract ---------------------------------------------------------------


def progress_json(programme, as_of=None, data=None, user=None):
    """The ``progress_report`` JSON (docs/CONTRACT.md): a projection of the one report the
    page and the downloads show (``reports.report.build_report``), whole programme, rolled
    up to current units, in the user's scope when one is given; maps list only non-zero."""
    from .report import ReportFilters, build_report

    report = build_report(programme, ReportFilters(as_of=as_of), data=data, user=user)
    return report.as_json()


def health(progress_list):
    """Counts of target statuses, for the one-line health bar."""
    counts = defaultdict(int)
    for item in progress_list:
        counts[item.status] += 1
    return counts
