"""Data-quality checks (DHIS2's validation rules, kept simple): records that look wrong, each
with a link to fix it. Every check takes an accounts.scoping.Scope (a user's, or a unit's
for a submission) and runs a fixed number of queries.

Checks:
- ``empty_course``: a course whose end date (else start date) has passed, not cancelled,
  with neither a named list nor tallies;
- ``above_baseline``: more distinct named cadres trained (ever, by their locality at the
  course rolled up to the current unit, and rank) than the latest workforce baseline of that
  unit and rank;
- ``both_lists``: a course with both a named list and tallies (only the list counts);
- ``tally_oversize``: tallies summing to more than TALLY_FACTOR times the planned size;
- ``cadre_incomplete``: a cadre without a locality, or of rank "other" (no rank given);
- ``duplicate``: likely duplicate people (cadres.services.duplicate_pairs).
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from cadres.models import Cadre, Locality, Rank, WorkforceBaseline
from cadres.services import duplicate_pairs
from courses.models import Course, Enrolment, ParticipantTally

TALLY_FACTOR = 3
LIMIT = 500  # rows per check on a page

CHECKS = {
    "empty_course": gettext_lazy("Courses with no participants after their end date"),
    "above_baseline": gettext_lazy("More trained cadres than the workforce baseline"),
    "both_lists": gettext_lazy("Courses with both a named list and tallies"),
    "tally_oversize": gettext_lazy("Tallies far above the planned size"),
    "cadre_incomplete": gettext_lazy("Cadres without a rank or a locality"),
    "duplicate": gettext_lazy("Likely duplicate people"),
}


@dataclass
class Warning:
    check: str
    text: str
    url: str

    @property
    def title(self):
        return CHECKS[self.check]


def unit_scope(period_or_plan):
    """The accounts.scoping.Scope of a unit (a period's or a plan's)."""
    if period_or_plan.locality_id:
        loc = period_or_plan.locality
        ids = Locality.objects.unit_ids(loc.pk)
        return scoping.Scope(
            kind="locality", label=loc.name, locality_ids=frozenset(ids), locality_code=loc.code
        )
    agency = period_or_plan.agency
    return scoping.Scope(kind="agency", label=str(agency), agency_id=agency.pk)


def _courses(scope):
    qs = Course.objects.all()
    return qs if scope.is_national else qs.filter(scoping.course_condition(scope))


def _cadres(scope):
    """The cadres of a unit's scope, by the cadres' own rule (CadreQuerySet)."""
    qs = Cadre.objects.all()
    if scope.is_national:
        return qs
    condition = qs.scope_condition(scope, None)
    return qs.none() if condition is None else qs.filter(condition)


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def run_checks(scope, *, year=None, today=None, limit=LIMIT):
    """{check code: [Warning]} in the scope (and the year, for the course checks)."""
    today = today or timezone.localdate()
    courses = _courses(scope)
    if year:
        courses = courses.filter(start_date__year=year)
    has_enrolment = Exists(Enrolment.objects.filter(course_id=OuterRef("pk")))
    has_tally = Exists(ParticipantTally.objects.filter(course_id=OuterRef("pk")))
    found = {code: [] for code in CHECKS}

    empty = (
        courses.annotate(last_day=Coalesce("end_date", "start_date"))
        .filter(last_day__lt=today)
        .exclude(status=Course.Status.CANCELLED)
        .filter(~has_enrolment, ~has_tally)
        .order_by("start_date", "code")[:limit]
    )
    for course in empty:
        found["empty_course"].append(
            Warning(
                "empty_course",
                _("%(code)s ended on %(date)s and has no participants.")
                % {
                    "code": course.code,
                    "date": (course.end_date or course.start_date).strftime("%d/%m/%Y"),
                },
                _change_url(course),
            )
        )

    for course in courses.filter(has_enrolment, has_tally).order_by("start_date", "code")[:limit]:
        found["both_lists"].append(
            Warning(
                "both_lists",
                _("%(code)s has a named list and tallies: only the named list counts.")
                % {"code": course.code},
                _change_url(course),
            )
        )

    oversize = (
        courses.filter(planned_participants__gt=0)
        .annotate(tallied=Sum("tallies__count"))
        .filter(tallied__gt=F("planned_participants") * TALLY_FACTOR)
        .order_by("start_date", "code")[:limit]
    )
    for course in oversize:
        found["tally_oversize"].append(
            Warning(
                "tally_oversize",
                _("%(code)s: tallies add up to %(n)s for %(planned)s planned participants.")
                % {
                    "code": course.code,
                    "n": course.tallied,
                    "planned": course.planned_participants,
                },
                _change_url(course),
            )
        )

    cadres = _cadres(scope)
    incomplete = cadres.filter(Q(locality__isnull=True) | Q(rank__code=Rank.OTHER)).order_by(
        "name_key", "pk"
    )[:limit]
    for cadre in incomplete:
        missing = _("locality") if cadre.locality_id is None else _("rank")
        found["cadre_incomplete"].append(
            Warning(
                "cadre_incomplete",
                _("%(name)s (#%(id)s) has no %(missing)s.")
                % {"name": cadre.full_name, "id": cadre.pk, "missing": missing},
                _change_url(cadre),
            )
        )

    found["above_baseline"] = _above_baseline(scope)

    duplicates_url = reverse("admin:cadres_cadre_duplicates")
    for pair in duplicate_pairs(cadres, limit=limit)[:limit]:
        found["duplicate"].append(
            Warning(
                "duplicate",
                _("%(a)s (#%(a_id)s) and %(b)s (#%(b_id)s): %(reasons)s.")
                % {
                    "a": pair.first.full_name,
                    "a_id": pair.first.pk,
                    "b": pair.second.full_name,
                    "b_id": pair.second.pk,
                    "reasons": ", ".join(str(r) for r in pair.reasons),
                },
                duplicates_url,
            )
        )
    return found


def _above_baseline(scope):
    """Distinct named cadres trained by (current unit, rank) against the latest baseline of
    that unit and rank (locality baselines; former provinces count for their successor)."""
    units = Locality.objects.unit_map()
    trained = (
        Enrolment.objects.counted()
        .filter(locality__isnull=False)
        .annotate(unit=Locality.unit_of("locality"))
        .values_list("unit", "rank_id")
        .annotate(n=Count("cadre_id", distinct=True))
        .order_by()
    )
    baselines = {}
    rows = WorkforceBaseline.objects.filter(locality__isnull=False).values_list(
        "year", "locality_id", "rank_id", "headcount", "pk"
    )
    latest = {}
    for year, loc, rank, headcount, pk in rows.order_by("year"):
        unit = units[loc] or loc
        key = (unit, rank)
        if latest.get(key) != year:
            latest[key] = year
            baselines[key] = [0, pk]
        baselines[key][0] += headcount
    allowed = None
    if not scope.is_national:
        allowed = scope.locality_ids if scope.kind == "locality" else set()
    names = {loc.pk: loc.name for loc in Locality.objects.current()}
    rank_names = {rank.pk: rank.name for rank in Rank.objects.all()}
    warnings = []
    for unit, rank, n in trained:
        if allowed is not None and unit not in allowed:
            continue
        base = baselines.get((unit, rank))
        if base is None or n <= base[0]:
            continue
        warnings.append(
            Warning(
                "above_baseline",
                _(
                    "%(unit)s, %(rank)s: %(n)s distinct cadres trained, the workforce "
                    "baseline (%(year)s) is %(base)s."
                )
                % {
                    "unit": names.get(unit, unit),
                    "rank": rank_names.get(rank, rank),
                    "n": n,
                    "year": latest[(unit, rank)],
                    "base": base[0],
                },
                reverse("admin:cadres_workforcebaseline_change", args=[base[1]]),
            )
        )
    return warnings


def count(found):
    return sum(len(items) for items in found.values())


def as_lines(found):
    lines = []
    for code, items in found.items():
        for item in items:
            lines.append(f"[{code}] {item.text} {item.url}")
    return lines
