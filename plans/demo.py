"""Demo plans and periods, so that a new user sees plan against actual after ``make run``.

Plans are derived from the demo's own courses (plans.figures.actual_index, the same rule as
the plans page): for each unit, year and programme below, every (course type, place) done
is planned a little above what was done, and one course of trainers is planned and not held.
Nothing of the seed's figures changes: plans and periods are new rows only. Idempotent.
"""

import math

from cadres.models import Agency, Locality, Rank
from courses.models import CourseType, Programme

from .figures import actual_index
from .models import FundingSource, PeriodTransition, Plan, PlanLine, ReportingPeriod

# (unit kind, code, programme, years)
DEMO_PLANS = [
    ("agency", "HVNG", "QD2007-2015", range(2016, 2021)),
    ("agency", "BNG", "QD2007-2015", range(2016, 2021)),
    ("locality", "01", "QD1275-2020", range(2021, 2026)),
    ("locality", "31", "QD1275-2020", range(2021, 2026)),
    ("locality", "22", "QD1275-2020", range(2023, 2026)),
]
# (unit kind, code, year, status): a submitted and an approved year.
DEMO_PERIODS = [
    ("locality", "01", 2025, ReportingPeriod.Status.APPROVED),
    ("locality", "31", 2025, ReportingPeriod.Status.SUBMITTED),
]
PRICE_PER_TIME = 2_500_000  # VND a participant-time, for the planned budget


def _unit(kind, code):
    if kind == "agency":
        return Agency.objects.filter(code=code).first()
    return Locality.objects.filter(era=Locality.Era.CURRENT, code=code).first()


def load():
    """Create the demo plans and periods that are missing; returns how many plans were made."""
    programmes = {p.code: p for p in Programme.objects.all()}
    years = {year for *_x, span in DEMO_PLANS for year in span}
    index = actual_index(years)
    types = {t.code: t for t in CourseType.objects.all()}
    officer = Rank.objects.filter(code=Rank.OFFICER).first()
    made = 0
    for kind, code, programme_code, span in DEMO_PLANS:
        unit = _unit(kind, code)
        programme = programmes.get(programme_code)
        if unit is None or programme is None:
            continue
        for year in span:
            plan, created = Plan.objects.get_or_create(
                year=year,
                programme=programme,
                locality=unit if kind == "locality" else None,
                agency=unit if kind == "agency" else None,
            )
            if not created:
                continue
            made += 1
            source = FundingSource.CENTRAL if kind == "agency" else FundingSource.LOCAL
            lines = []
            for (key, y, prog, type_id, abroad), figures in sorted(
                index.items(), key=lambda item: (item[0][3], item[0][4])
            ):
                if key != (kind, unit.pk) or y != year or prog != programme.pk:
                    continue
                times = int(math.ceil(figures.times * 1.1 / 10) * 10)
                lines.append(
                    PlanLine(
                        plan=plan,
                        course_type_id=type_id,
                        abroad=abroad,
                        courses=figures.courses + (1 if figures.courses >= 3 else 0),
                        participant_times=times,
                        budget=times * PRICE_PER_TIME,
                        funding_source=source,
                    )
                )
            if "GIANG_VIEN" in types and not any(
                line.course_type_id == types["GIANG_VIEN"].pk and not line.abroad for line in lines
            ):
                lines.append(
                    PlanLine(
                        plan=plan,
                        course_type=types["GIANG_VIEN"],
                        rank=officer,
                        courses=1,
                        participant_times=30,
                        budget=30 * PRICE_PER_TIME,
                        funding_source=source,
                        quarter=3,
                    )
                )
            PlanLine.objects.bulk_create(lines)
    for kind, code, year, status in DEMO_PERIODS:
        unit = _unit(kind, code)
        if unit is None:
            continue
        period, created = ReportingPeriod.objects.get_or_create(
            year=year,
            locality=unit if kind == "locality" else None,
            agency=unit if kind == "agency" else None,
        )
        if not created:
            continue
        steps = [ReportingPeriod.Status.SUBMITTED]
        if status == ReportingPeriod.Status.APPROVED:
            steps.append(ReportingPeriod.Status.APPROVED)
        previous = ReportingPeriod.Status.OPEN
        for step in steps:
            PeriodTransition.objects.create(
                period=period, from_status=previous, to_status=step, note="demo"
            )
            previous = step
        period.status = status
        period.save()
    return made
