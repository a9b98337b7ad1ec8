"""The sheet contract: one declarative definition per kind.

Each kind lists its columns: field name, Vietnamese and English headers, other accepted
headers, whether required, an example value, the drop-down list a template offers, and how
a record's value is written to a cell (``write``; what the importer reads back to the same
record). From these definitions come:

- the importer's header matching (imports.kinds: ``header_map``, ``required_fields``,
  ``display_names``);
- the admin's exports (cadres/resources.py, courses/resources.py: one column per field);
- the downloadable templates (imports.sheets.template: headers, example row, drop-downs);
- the README's table of columns (``readme_table``; tests/imports/test_contract.py checks it).

A kind defined in another app registers itself with imports.kinds.register (one line in its
AppConfig.ready), with its own ``Sheet`` definition.
"""

import datetime
from dataclasses import dataclass, field

from cadres.models import MERGER_DATE, Locality

from . import values as v

MERGER = datetime.date.fromisoformat(MERGER_DATE)
# The era written next to a locality whose name alone would be read in the other era.
FORMER_MARK = "(cũ)"
CURRENT_MARK = "(mới)"


@dataclass(frozen=True)
class Column:
    name: str  # the field
    vi: str  # the Vietnamese header (what exports and templates write)
    en: str  # the English header
    required: bool = False
    aliases: tuple = ()  # other accepted headers
    example: object = ""
    dropdown: str = ""  # the list a template offers: ranks, types, localities, modes...
    write: object = None  # record -> cell value, for exports
    note: str = ""  # README: "(or `--course`)"
    personal: bool = False  # ID numbers, birth dates: cadres.view_personal_data only
    exported: bool = True
    in_template: bool = True

    @property
    def headers(self):
        return (self.vi, self.en, self.name, *self.aliases)

    @property
    def display(self):
        """'Mã khóa/course', as messages name a column."""
        return f"{self.vi}/{self.en}"

    def readme(self):
        same = self.vi.lower() == self.en.lower()
        head = f"`{self.vi}`" if same else f"`{self.vi}`/{self.en}"
        return head + ("\\*" if self.required else "") + (f" {self.note}" if self.note else "")


@dataclass(frozen=True)
class Sheet:
    kind: str
    title: str  # the template's and the export's sheet title, in Vietnamese
    file_stem: str  # "khoa-hoc": khoa-hoc-01-12-2026.xlsx
    columns: tuple = field(default_factory=tuple)
    readme_joiner: dict = field(default_factory=dict)  # {field: " or "} instead of ", "

    def column(self, name):
        return next(c for c in self.columns if c.name == name)

    def readme(self):
        parts = []
        for index, column in enumerate(self.columns):
            if not column.in_template and column.note == "":
                continue
            text = column.readme()
            if index and parts:
                parts.append(self.readme_joiner.get(column.name, ", "))
            parts.append(text)
        return "".join(parts)


# How values are written -----------------------------------------------------------------------
def locality_cell(locality, on_date):
    """A locality as the importer finds it back for a record of that date: its name, with its
    era written when the date alone would read the name in the other era (a current unit on
    a record before 01/07/2025, a former province after it): "Hà Giang (cũ)"."""
    if locality is None:
        return ""
    before = on_date is None or on_date < MERGER
    if locality.era == Locality.Era.FORMER and not before:
        return f"{locality.name} {FORMER_MARK}"
    if locality.era == Locality.Era.CURRENT and before and not locality.is_central:
        return f"{locality.name} {CURRENT_MARK}"
    return locality.name


def agency_cell(agency):
    """An agency by its code when it has one (unique), else by its name."""
    if agency is None:
        return ""
    return agency.code or agency.name


def _name(obj):
    return obj.name if obj is not None else ""


def _code(obj):
    return obj.code if obj is not None else ""


GENDER_NAMES = v.GENDERS.names
STATUS_NAMES = v.ENROLMENT_STATUSES.names
MODE_NAMES = v.COURSE_MODES.names


def _choice(names):
    return lambda value: names.get(value, value or "")


def baseline_date(baseline):
    return datetime.date(baseline.year, 1, 1)


# The kinds ----------------------------------------------------------------------------------
COURSE = ("Mã khóa học", "Mã lớp")
COURSES = Sheet(
    "courses",
    "Khóa học",
    "khoa-hoc",
    (
        Column("code", "Mã khóa", "code", True, COURSE, "K2026-01", write=lambda c: c.code),
        Column(
            "title",
            "Tên khóa",
            "title",
            True,
            ("Tên khóa học", "Tên lớp"),
            "Bồi dưỡng kiến thức hội nhập quốc tế",
            write=lambda c: c.title,
        ),
        Column(
            "programme",
            "Mã đề án",
            "programme",
            False,
            ("Đề án",),
            "QD1275-2020",
            write=lambda c: _code(c.programme),
        ),
        Column(
            "course_type",
            "Loại khóa",
            "type",
            True,
            ("Loại",),
            "Kiến thức",
            dropdown="types",
            write=lambda c: _name(c.course_type),
        ),
        Column(
            "organiser",
            "Đơn vị tổ chức",
            "organiser",
            False,
            ("organizer",),
            "Học viện Ngoại giao",
            write=lambda c: agency_cell(c.organiser),
        ),
        Column(
            "start_date",
            "Ngày bắt đầu",
            "start_date",
            True,
            ("Từ ngày",),
            datetime.date(2026, 5, 4),
            write=lambda c: c.start_date,
        ),
        Column(
            "end_date",
            "Ngày kết thúc",
            "end_date",
            False,
            ("Đến ngày",),
            datetime.date(2026, 5, 8),
            write=lambda c: c.end_date,
        ),
        Column(
            "locality",
            "Tỉnh/thành",
            "locality",
            False,
            ("Địa điểm",),
            "Hà Nội",
            dropdown="localities",
            write=lambda c: locality_cell(c.locality, c.start_date),
        ),
        Column("country", "Nước ngoài", "country", write=lambda c: c.country),
        Column(
            "mode",
            "Hình thức",
            "mode",
            example="Trực tiếp",
            dropdown="modes",
            write=lambda c: MODE_NAMES.get(c.mode, c.mode),
        ),
        Column(
            "planned_participants",
            "Số học viên dự kiến",
            "planned",
            example=80,
            write=lambda c: c.planned_participants,
        ),
        Column(
            "budget_planned",
            "Kinh phí dự toán",
            "budget_planned",
            example=250_000_000,
            write=lambda c: c.budget_planned,
        ),
        Column(
            "budget_spent", "Kinh phí thực hiện", "budget_spent", write=lambda c: c.budget_spent
        ),
    ),
)

PARTICIPANTS = Sheet(
    "participants",
    "Học viên",
    "hoc-vien",
    (
        Column(
            "course",
            "Mã khóa",
            "course",
            True,
            COURSE,
            "K2026-01",
            note="(or `--course`)",
            write=lambda e: e.course.code,
        ),
        Column(
            "full_name",
            "Họ và tên",
            "full_name",
            True,
            ("Họ tên", "Tên học viên", "Name"),
            "Nguyễn Thị Hòa",
            write=lambda e: e.cadre.full_name,
        ),
        Column(
            "birth_date",
            "Ngày sinh",
            "birth_date",
            False,
            ("Ngày tháng năm sinh",),
            datetime.date(1980, 3, 12),
            note="(or `Năm sinh`)",
            personal=True,
            write=lambda e: e.cadre.birth_date,
        ),
        Column(
            "birth_year",
            "Năm sinh",
            "birth_year",
            in_template=False,
            write=lambda e: None if e.cadre.birth_date else e.cadre.birth_year,
        ),
        Column(
            "gender",
            "Giới tính",
            "gender",
            example="Nữ",
            dropdown="genders",
            write=lambda e: GENDER_NAMES.get(e.cadre.gender, ""),
        ),
        Column(
            "id_number",
            "Số định danh",
            "id_number",
            False,
            ("CCCD", "Số CCCD", "Số CMND"),
            "001180000123",
            personal=True,
            write=lambda e: e.cadre.id_number,
        ),
        Column(
            "email",
            "Email",
            "email",
            False,
            ("Thư điện tử",),
            "hoa.nt@example.gov.vn",
            write=lambda e: e.cadre.email,
        ),
        Column(
            "position",
            "Chức vụ",
            "position",
            False,
            ("Chức danh",),
            "Phó Giám đốc Sở Ngoại vụ",
            write=lambda e: e.cadre.position,
        ),
        Column(
            "rank",
            "Cấp",
            "rank",
            False,
            ("Cấp bậc", "Nhóm chức vụ"),
            "",
            dropdown="ranks",
            write=lambda e: _name(e.rank),
        ),
        Column(
            "agency",
            "Cơ quan",
            "agency",
            False,
            ("Đơn vị công tác", "Đơn vị"),
            "Sở Ngoại vụ",
            note="(or `Đơn vị công tác`)",
            write=lambda e: agency_cell(e.agency),
        ),
        Column(
            "locality",
            "Tỉnh/thành",
            "locality",
            False,
            ("Tỉnh", "Địa phương"),
            "Tuyên Quang",
            dropdown="localities",
            write=lambda e: locality_cell(e.locality, e.course.start_date),
        ),
        Column(
            "status",
            "Kết quả",
            "status",
            False,
            ("Trạng thái",),
            "Hoàn thành",
            dropdown="statuses",
            write=lambda e: STATUS_NAMES.get(e.status, e.status),
        ),
    ),
)

TALLIES = Sheet(
    "tallies",
    "Số lượt",
    "so-luot",
    (
        Column(
            "course", "Mã khóa", "course", True, COURSE, "K2026-01", write=lambda t: t.course.code
        ),
        Column(
            "rank",
            "Cấp",
            "rank",
            True,
            ("Cấp bậc", "Chức vụ"),
            "Chuyên viên",
            dropdown="ranks",
            write=lambda t: _name(t.rank),
        ),
        Column(
            "locality",
            "Tỉnh/thành",
            "locality",
            False,
            ("Tỉnh", "Địa phương"),
            "Hà Nội",
            dropdown="localities",
            write=lambda t: locality_cell(t.locality, t.course.start_date),
        ),
        Column(
            "gender",
            "Giới tính",
            "gender",
            dropdown="genders",
            write=lambda t: GENDER_NAMES.get(t.gender, ""),
        ),
        Column(
            "count",
            "Số lượt",
            "count",
            True,
            ("Số lượt học viên", "Số học viên", "Số lượng"),
            25,
            write=lambda t: t.count,
        ),
    ),
)

BASELINES = Sheet(
    "baselines",
    "Số biên chế",
    "so-bien-che",
    (
        Column("year", "Năm", "year", True, (), 2026, write=lambda b: b.year),
        Column(
            "rank",
            "Cấp",
            "rank",
            True,
            ("Cấp bậc",),
            "Chuyên viên",
            dropdown="ranks",
            write=lambda b: _name(b.rank),
        ),
        Column(
            "locality",
            "Tỉnh/thành",
            "locality",
            False,
            ("Tỉnh", "Địa phương"),
            "Hà Nội",
            dropdown="localities",
            write=lambda b: locality_cell(b.locality, baseline_date(b)),
        ),
        Column(
            "agency",
            "Cơ quan",
            "agency",
            False,
            ("Đơn vị công tác", "Đơn vị"),
            write=lambda b: agency_cell(b.agency),
        ),
        Column(
            "headcount",
            "Số lượng",
            "headcount",
            True,
            ("Số người",),
            40,
            write=lambda b: b.headcount,
        ),
    ),
    readme_joiner={"agency": " or "},
)

SHEETS = {sheet.kind: sheet for sheet in (COURSES, PARTICIPANTS, TALLIES, BASELINES)}


def register(sheet):
    """Add a kind's sheet definition (a kind of another app)."""
    SHEETS[sheet.kind] = sheet
    return sheet


def readme_table():
    """The README's table of columns, as the contract says it."""
    lines = ["| kind | columns (Vietnamese / English) |", "|---|---|"]
    lines += [f"| {kind} | {sheet.readme()} |" for kind, sheet in SHEETS.items()]
    return "\n".join(lines)


def importer_columns(kind):
    """The columns as the importers list them: (field, vi, en, required, other headers)."""
    return [(c.name, c.vi, c.en, c.required, list(c.aliases)) for c in SHEETS[kind].columns]
