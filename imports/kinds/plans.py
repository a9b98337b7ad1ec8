"""The ``plans`` kind of spreadsheet: one plan line a row; the plan (unit, year, programme)
is found or created. A kind of the engine like the other four (it was plans/sheet.py, a
plug-in registered from plans.apps: the engine sits above plans and reads its models).

Rules: a row names a province or an agency (one of the two), a year (inside the programme's
years when a programme is given) and a course type; numbers are 0 or more; two rows with the
same line key (unit, year, programme, course type, home/abroad, rank, funding source,
quarter) are an error; a line already in the database is updated (importing the same file
twice changes nothing); a row that would create or change a line of an approved unit and year
is refused (imports.kinds.locks.refuse_locked_row, as for every kind).
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import FundingSource, Plan, PlanLine

from .. import contract
from .. import values as v
from ..matching import read_unit
from .engine import Importer

FUNDING = gettext_lazy("funding source")
PLACE = gettext_lazy("home or abroad")

FUNDING_SOURCES = v._Table(
    [
        (FundingSource.CENTRAL, ["central", "Ngân sách trung ương", "NSTW", "Trung ương", "TW"]),
        (FundingSource.LOCAL, ["local", "Ngân sách địa phương", "NSĐP", "Địa phương", "ĐP"]),
        (FundingSource.OTHER, ["other", "Nguồn khác", "Khác", "Tài trợ", "Xã hội hóa"]),
    ]
)
PLACES = v._Table(
    [
        (False, ["home", "Trong nước", "Không", "No", "0"]),
        (True, ["abroad", "Nước ngoài", "Có", "Yes", "x", "1"]),
    ]
)

LINE_FIELDS = ["courses", "participant_times", "budget"]


def _quarter(raw):
    value = v.whole_number(raw)
    if value > 4:
        raise v.BadValue(
            _("%(value)s is not a quarter (1-4, or 0 for the whole year).") % {"value": value}
        )
    return value


PLANS_SHEET = contract.Sheet(
    kind="plans",
    title="Kế hoạch",
    file_stem="ke-hoach",
    columns=(
        contract.Column("year", "Năm", "year", True, ("Năm kế hoạch",), 2026),
        contract.locality_column("Lào Cai"),
        contract.agency_column(aliases=("Đơn vị",), written=False),
        contract.Column("programme", "Mã đề án", "programme", False, ("Đề án",)),
        contract.Column(
            "course_type",
            "Loại khóa",
            "type",
            True,
            ("Loại",),
            "Bồi dưỡng kiến thức",
            dropdown="types",
        ),
        contract.Column(
            "abroad",
            "Trong nước/nước ngoài",
            "abroad",
            False,
            ("Nơi tổ chức", "home_abroad"),
            "Trong nước",
        ),
        contract.Column("courses", "Số khóa", "courses", False, ("Số lớp",), 2),
        contract.rank_column(False, ("Cấp bậc",), "Chuyên viên", written=False),
        contract.Column(
            "participant_times", "Số lượt", "participant_times", False, ("Số lượt học viên",), 120
        ),
        contract.Column("budget", "Kinh phí", "budget", False, ("Kinh phí dự kiến",), 300000000),
        contract.Column(
            "funding_source",
            "Nguồn kinh phí",
            "funding_source",
            False,
            ("Nguồn",),
            "Ngân sách địa phương",
        ),
        contract.Column("quarter", "Quý", "quarter", False, (), 2),
    ),
)
contract.register(PLANS_SHEET)


class PlanImporter(Importer):
    kind = "plans"
    COLUMNS = contract.importer_columns("plans")
    ORDER = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plans = {
            (p.locality_id, p.agency_id, p.year, p.programme_id): p for p in Plan.objects.all()
        }
        self.lines = {
            (
                line.plan_id,
                line.course_type_id,
                line.abroad,
                line.rank_id,
                line.funding_source,
                line.quarter,
            ): line
            for line in PlanLine.objects.all()
        }
        self.in_file = {}
        self.new_plans = {}
        self.new_lines = []
        self.changed_lines = []

    def row(self, number, row):
        lk = self.lookups
        year = self.read(number, row, "year", v.year, required=True)
        on_date = datetime.date(year, 12, 31) if year else None
        locality, agency_obj = read_unit(self, number, row, on_date)
        programme = self.read(number, row, "programme", lk.programme)
        course_type = self.read(number, row, "course_type", lk.course_type, required=True)
        abroad = self.read(
            number, row, "abroad", lambda raw: v.choice(raw, PLACES, PLACE), default=False
        )
        rank = self.read(number, row, "rank", lk.rank)
        numbers = {
            name: self.read(number, row, name, v.whole_number, default=0) for name in LINE_FIELDS
        }
        source = self.read(
            number,
            row,
            "funding_source",
            lambda raw: v.choice(raw, FUNDING_SOURCES, FUNDING),
            default="",
        )
        quarter = self.read(number, row, "quarter", _quarter, default=0)
        if self.bad:
            return
        if locality is not None:
            locality = locality.current_unit
        if programme is not None and not programme.first_year <= year <= programme.last_year:
            self.error(
                number,
                "year",
                _("%(year)s is outside the programme %(code)s (%(first)s-%(last)s).")
                % {
                    "year": year,
                    "code": programme.code,
                    "first": programme.first_year,
                    "last": programme.last_year,
                },
            )
            self.bad = True
            return
        if numbers["budget"] and not source:
            self.error(
                number, "funding_source", _("say which funding source the budget comes from.")
            )
            self.bad = True
            return
        # The numbers within their columns' ranges (courses and participant-times at most
        # 2,147,483,647), whether the line is new or updated: an error of the row, not a
        # failed write.
        self.validate(number, PlanLine(funding_source=source, **numbers), LINE_FIELDS)
        if self.bad:
            return
        plan = Plan(
            locality=locality,
            agency=agency_obj,
            year=year,
            programme=programme,
            import_batch_id=self.batch_id,
        )
        if not self.in_scope(plan):
            field = "locality" if locality is not None else "agency"
            self.outside_scope(number, field, str(plan.unit))
            return
        plan_key = (plan.locality_id, plan.agency_id, year, plan.programme_id)
        line_key = (
            plan_key,
            course_type.pk,
            abroad,
            rank.pk if rank else None,
            source,
            quarter,
        )
        if line_key in self.in_file:
            self.error(
                number,
                "course_type",
                _(
                    "row %(row)s already gives this line (unit, year, programme, course type, "
                    "place, rank, funding source and quarter)."
                )
                % {"row": self.in_file[line_key]},
            )
            self.bad = True
            return
        self.in_file[line_key] = number
        existing_plan = self.plans.get(plan_key)
        existing = None
        if existing_plan is not None:
            existing = self.lines.get((existing_plan.pk, *line_key[1:]))
        if existing is not None:
            old = {name: getattr(existing, name) for name in LINE_FIELDS}
            changed = {name: value for name, value in old.items() if numbers[name] != value}
            if not changed:
                self.result.unchanged += 1
                return
            self.result.updated += 1
            if self.writing:
                self.log_update(PlanLine, existing.pk, changed)
                for name in LINE_FIELDS:
                    setattr(existing, name, numbers[name])
                self.changed_lines.append(existing)
            return
        self.result.created += 1
        if self.writing:
            if existing_plan is None:
                existing_plan = self.new_plans.get(plan_key)
                if existing_plan is None:
                    existing_plan = self.new_plans[plan_key] = plan
            self.new_lines.append(
                PlanLine(
                    plan=existing_plan,
                    course_type=course_type,
                    abroad=abroad,
                    rank=rank,
                    funding_source=source,
                    quarter=quarter,
                    import_batch_id=self.batch_id,
                    **numbers,
                )
            )

    @property
    def pending(self):
        return len(self.new_lines) + len(self.changed_lines)

    def flush(self):
        fresh = [plan for plan in self.new_plans.values() if plan.pk is None]
        Plan.objects.bulk_create(fresh)
        for plan in fresh:
            self.plans[(plan.locality_id, plan.agency_id, plan.year, plan.programme_id)] = plan
        for line in self.new_lines:
            line.plan_id = line.plan.pk
        PlanLine.objects.bulk_create(self.new_lines, batch_size=1000)
        self.new_lines = []
        for line in self.changed_lines:
            PlanLine.objects.filter(pk=line.pk).update(
                **{name: getattr(line, name) for name in LINE_FIELDS}
            )
        self.changed_lines = []
        super().flush()
