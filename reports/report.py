"""A programme's report as data: the filters read from a URL, the headline figures, the
targets and the tables that the page, the .xlsx and the .csv all show the same way."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Level, Locality
from courses.models import Target
from plans.figures import plan_json

from .figures import (
    UNKNOWN,
    UNKNOWN_LABEL,
    ProgrammeData,
    Reference,
    TargetScope,
    programme_targets,
)


@dataclass
class ReportFilters:
    """The filters of a report page; the query string keeps them so a view can be shared."""

    year_from: int | None = None
    year_to: int | None = None
    rank: str = ""
    course_type: str = ""
    level: str = ""
    locality: str = ""
    as_recorded: bool = False
    as_of: datetime.date | None = None
    notices: list = field(default_factory=list)
    access_label: str = ""  # set when the figures are limited to a scoped user's access

    PARAMS = ("year_from", "year_to", "rank", "type", "level", "locality", "recorded", "as_of")

    @classmethod
    def from_query(cls, query, ref):
        """Read filters from a QueryDict; nonsense values are dropped with a notice."""
        filters = cls()

        def notice(name, value):
            filters.notices.append(
                _("The filter %(name)s=“%(value)s” was not understood and is ignored.")
                % {"name": name, "value": value}
            )

        for name in ("year_from", "year_to"):
            raw = query.get(name, "").strip()
            if raw:
                if raw.isdigit() and 1900 <= int(raw) <= 2100:
                    setattr(filters, name, int(raw))
                else:
                    notice(name, raw)
        choices = (
            ("rank", "rank", ref.rank_by_code),
            ("type", "course_type", ref.type_by_code),
            ("level", "level", dict(Level.choices)),
            ("locality", "locality", ref.unit_by_code),
        )
        for param, attr, known in choices:
            raw = query.get(param, "").strip()
            if raw:
                if raw in known:
                    setattr(filters, attr, raw)
                else:
                    notice(param, raw)
        filters.as_recorded = query.get("recorded", "") in {"1", "on", "true"}
        raw = query.get("as_of", "").strip()
        if raw:
            for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
                try:
                    filters.as_of = datetime.datetime.strptime(raw, fmt).date()
                    break
                except ValueError:
                    continue
            else:
                notice("as_of", raw)
        if filters.year_from and filters.year_to and filters.year_from > filters.year_to:
            notice("year_to", filters.year_to)
            filters.year_to = None
        return filters

    @property
    def narrows(self):
        """Whether a filter other than "as of" is set (the targets do not follow those)."""
        return bool(
            self.year_from
            or self.year_to
            or self.rank
            or self.course_type
            or self.level
            or self.locality
        )

    def scope(self, ref):
        return TargetScope(
            year_from=self.year_from,
            year_to=self.year_to,
            rank_ids=frozenset([ref.rank_by_code[self.rank].id]) if self.rank else None,
            type_ids=(
                frozenset([ref.type_by_code[self.course_type].id]) if self.course_type else None
            ),
            level=self.level,
            unit_ids=frozenset([ref.unit_by_code[self.locality].id]) if self.locality else None,
        )

    def params(self):
        """The filters as query parameters (only those that are set)."""
        values = {
            "year_from": self.year_from or "",
            "year_to": self.year_to or "",
            "rank": self.rank,
            "type": self.course_type,
            "level": self.level,
            "locality": self.locality,
            "recorded": "1" if self.as_recorded else "",
            "as_of": self.as_of.isoformat() if self.as_of else "",
        }
        return {key: value for key, value in values.items() if value}

    def querystring(self):
        return urlencode(self.params())

    def described(self, ref):
        """Human-readable lines saying which filters apply (written at the top of exports)."""
        lines = []
        if self.access_label:
            lines.append(
                (_("Your access"), _("figures of %(scope)s only") % {"scope": self.access_label})
            )
        if self.year_from or self.year_to:
            lines.append(
                (_("Years"), f"{self.year_from or '…'}–{self.year_to or '…'}"),
            )
        if self.rank:
            lines.append((_("Rank"), ref.rank_by_code[self.rank].name))
        if self.course_type:
            lines.append((_("Course type"), ref.type_by_code[self.course_type].name))
        if self.level:
            lines.append((_("Level"), str(dict(Level.choices)[self.level])))
        if self.locality:
            lines.append((_("Locality"), ref.unit_by_code[self.locality].name))
        if self.as_recorded:
            lines.append((_("Localities"), _("as recorded (former provinces not rolled up)")))
        if self.as_of:
            lines.append((_("As of"), self.as_of.strftime("%d/%m/%Y")))
        return lines or [(_("Filters"), _("none (the whole programme)"))]


class Percent(float):
    """A percentage (50.0 means 50%): the .xlsx writes it as 0.5 with a percent format."""


@dataclass
class Table:
    """A titled table: the first cell of each row is its label; footer holds the totals."""

    key: str
    title: str
    columns: list
    rows: list
    footer: list | None = None
    labels: int = 1  # how many leading columns are labels, not numbers
    sheet: str = ""  # the .xlsx sheet name, at most 31 characters


@dataclass
class Report:
    programme: object
    filters: ReportFilters
    ref: Reference
    as_of: datetime.date
    totals: dict
    targets: list
    tables: list
    by_year: list  # (year, participant-times), for the chart
    by_rank: list  # (rank name, participant-times), for the chart
    shortfalls: list  # (target, [(locality name, people)])
    data: object = None  # the ProgrammeData the figures come from
    scope: object = None  # the TargetScope of the page's filters and the user's access
    by_unit: dict = field(default_factory=dict)  # current unit code -> participant-times

    @property
    def filter_lines(self):
        return self.filters.described(self.ref)

    @property
    def place(self):
        """Where the report is made, for the printed heading: the user's province when the
        report is limited to one, else Hà Nội."""
        access = self.data.access if self.data is not None else None
        if access is not None and access.kind == "locality":
            return access.label
        return "Hà Nội"

    def table(self, key):
        return next(t for t in self.tables if t.key == key)

    def as_json(self):
        """The ``progress_report`` JSON (docs/CONTRACT.md), a projection of this report:
        the one place where that dict is put together."""
        data, scope, ref = self.data, self.scope, self.ref
        totals = self.totals

        def sparse(counter, order):
            return {str(key): counter[(key,)] for key in order if counter[(key,)]}

        by_rank = data.breakdown(scope, "rank")
        by_year = data.breakdown(scope, "year")
        by_unit = data.breakdown(scope, "unit")
        return {
            "programme": self.programme.code,
            "first_year": self.programme.first_year,
            "last_year": self.programme.last_year,
            "totals": {
                key: totals[key]
                for key in (
                    "courses",
                    "participant_times",
                    "distinct_cadres",
                    "avg_class_size",
                    "courses_abroad",
                )
            },
            "by_rank": sparse(by_rank, [rank.code for rank in ref.ranks]),
            "by_year": sparse(by_year, sorted(key[0] for key in by_year)),
            "by_locality": sparse(by_unit, [loc.code for loc in ref.units] + [UNKNOWN]),
            "targets": [t.as_json() for t in self.targets],
            # plans.figures: planned against actual participant-times (issue 14), in the
            # report's scope like every other figure
            "plan": plan_json(
                self.programme, {key[0]: n for key, n in by_year.items()}, access=data.access
            ),
        }


def build_report(programme, filters, ref=None, access=None, user=None, data=None):
    """Everything a programme page shows, from a fixed number of queries; limited to a scoped
    user's access (accounts.scoping) when a user or an access is given. The page, the
    downloads, the command and the JSON (``Report.as_json``) all come from this object."""
    ref = ref or (data.ref if data is not None else Reference.load())
    as_of = filters.as_of or timezone.localdate()
    if data is None:
        data = ProgrammeData(programme, ref, access, as_of=as_of, user=user)
    scope = data.limit(filters.scope(ref))
    if data.access is not None:
        filters.access_label = data.access.label
    totals = data.summary(scope)
    targets = programme_targets(data, as_of)
    ranks = ref.ranks
    rank_names = [rank.name for rank in ranks]

    first = filters.year_from or programme.first_year
    last = filters.year_to or programme.last_year
    year_rank = data.breakdown(scope, "year", "rank")
    data_years = {year for year, _rank in year_rank}
    years = sorted(set(range(first, last + 1)) | data_years)
    year_table = _cross_table(
        "year_rank",
        _("Participant-times by year and rank"),
        [_("Year")],
        rank_names,
        [((y,), y) for y in years],
        ranks,
        year_rank,
    )
    year_table.sheet = _("By year and rank")

    if filters.as_recorded:
        by_loc = data.breakdown(scope, "recorded", "rank")
        codes = sorted({code for code, _rank in by_loc}, key=_locality_sort)
        recorded = {}
        for loc in ref.localities.values():
            recorded[ref.recorded_code(loc.id)] = str(loc)
        loc_rows = [
            ((_shown_code(code), recorded.get(code, str(UNKNOWN_LABEL))), code) for code in codes
        ]
    else:
        by_loc = data.breakdown(scope, "unit", "rank")
        units = ref.units
        if filters.locality:
            units = [ref.unit_by_code[filters.locality]]
        loc_rows = [((loc.code, loc.name), loc.code) for loc in units]
        if not filters.locality:
            loc_rows.append(((_shown_code(UNKNOWN), str(UNKNOWN_LABEL)), UNKNOWN))
    locality_table = _cross_table(
        "locality_rank",
        _("Participant-times by locality and rank"),
        [_("Code"), _("Locality")],
        rank_names,
        loc_rows,
        ranks,
        by_loc,
    )
    locality_table.sheet = _("By locality and rank")

    by_type = data.breakdown(scope, "type")
    type_courses = data.courses_by(scope, "type")
    type_rows = [[t.name, type_courses[t.code], by_type[(t.code,)]] for t in ref.types]
    type_table = Table(
        "course_types",
        _("Course types"),
        [_("Course type"), _("Courses"), _("Participant-times")],
        type_rows,
        [_("Total"), sum(type_courses.values()), sum(by_type.values())],
        sheet=_("Course types"),
    )
    by_place = data.breakdown(scope, "abroad")
    place_courses = data.courses_by(scope, "abroad")
    place_rows = [
        [_("At home"), place_courses[False], by_place[(False,)]],
        [_("Abroad"), place_courses[True], by_place[(True,)]],
    ]
    place_table = Table(
        "home_abroad",
        _("At home and abroad"),
        [_("Where"), _("Courses"), _("Participant-times")],
        place_rows,
        [_("Total"), sum(place_courses.values()), sum(by_place.values())],
        sheet=_("At home and abroad"),
    )

    if totals["distinct_from_tallies"]:
        people_rows = [
            [
                _("Distinct people, at most (each head counted without a name is one person)"),
                totals["distinct_cadres"],
            ],
            [_("Distinct people, at least"), totals["distinct_low"]],
            [
                _("Participant-times counted from head counts without names"),
                totals["distinct_from_tallies"],
            ],
        ]
    else:
        people_rows = [[_("Distinct people"), totals["distinct_cadres"]]]
    if totals["budget_scoped"]:
        budget_rows = [
            [
                _("Budget planned (VND), courses organised or held in your scope"),
                totals["budget_planned"],
            ],
            [
                _("Budget spent (VND), courses organised or held in your scope"),
                totals["budget_spent"],
            ],
        ]
    else:
        budget_rows = [
            [_("Budget planned (VND)"), totals["budget_planned"]],
            [_("Budget spent (VND)"), totals["budget_spent"]],
        ]
    summary_table = Table(
        "summary",
        _("Headline figures"),
        [_("Figure"), _("Value")],
        [
            [_("Courses"), totals["courses"]],
            [_("Participant-times"), totals["participant_times"]],
            *people_rows,
            [_("Average class size"), totals["avg_class_size"]],
            [_("Courses abroad"), totals["courses_abroad"]],
            *budget_rows,
        ],
        sheet=_("Headline figures"),
    )
    target_table = Table(
        "targets",
        _("Targets"),
        [
            _("Target"),
            _("What it counts"),
            _("Goal"),
            _("Actual"),
            _("Actual, at least (estimate)"),
            _("Progress"),
            _("Status"),
            _("Localities short (people trained)"),
            _("Basis"),
        ],
        [
            [
                t.target.label,
                t.covers,
                _goal_text(t.target),
                t.actual,
                t.actual_low if t.is_range else None,
                Percent(t.progress_pct) if t.progress_pct is not None else None,
                str(t.status_label),
                ", ".join(f"{name} ({n})" for _code, name, n in t.short_counts),
                str(t.note),
            ]
            for t in targets
        ],
        sheet=_("Targets"),
    )
    shortfalls = [
        (t, [(name, n) for _code, name, n in t.short_counts])
        for t in targets
        if t.target.metric == Target.Metric.PER_LOCALITY_MIN
    ]
    by_unit = {code: n for (code,), n in data.breakdown(scope, "unit").items()}
    return Report(
        programme=programme,
        filters=filters,
        ref=ref,
        as_of=as_of,
        totals=totals,
        targets=targets,
        tables=[summary_table, target_table, year_table, locality_table, type_table, place_table],
        by_year=[(str(y), sum(year_rank[(y, r.code)] for r in ranks)) for y in years],
        by_rank=[(r.name, sum(year_rank[(y, r.code)] for y in years)) for r in ranks],
        shortfalls=shortfalls,
        data=data,
        scope=scope,
        by_unit=by_unit,
    )


def _goal_text(target):
    def fmt(value):
        return f"{value:g}" if value is not None else ""

    text = fmt(target.value_min)
    if target.value_max is not None:
        text += f"–{fmt(target.value_max)}"
    return text + ("%" if target.is_percent else "")


def _locality_sort(code):
    return (code == UNKNOWN, code == Locality.CENTRAL_CODE, code)


def _cross_table(key, title, label_columns, rank_names, row_keys, ranks, counts):
    """Rows x ranks with a total column and a total row; counts keyed (row key, rank code)."""
    rows = []
    col_totals = [0] * len(ranks)
    for labels, row_key in row_keys:
        values = [counts[(row_key, rank.code)] for rank in ranks]
        col_totals = [a + b for a, b in zip(col_totals, values, strict=True)]
        rows.append([*labels, *values, sum(values)])
    pad = [""] * (len(label_columns) - 1)
    footer = [_("Total"), *pad, *col_totals, sum(col_totals)]
    columns = [*label_columns, *rank_names, _("Total")]
    return Table(key, title, columns, rows, footer, labels=len(label_columns))


def _shown_code(code):
    """A locality code as a page or a download shows it: "unknown" (the key the JSON keeps)
    is a dash, with its translated label beside it."""
    return "—" if code == UNKNOWN else code
