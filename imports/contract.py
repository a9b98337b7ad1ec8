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


# The columns several kinds share, each built once -------------------------------------------
UNIT_ALIASES = ("Tỉnh", "Địa phương")
AGENCY_ALIASES = ("Đơn vị công tác", "Đơn vị")


def course_column(**extra):
    """The course a row belongs to, by its code."""
    return Column(
        "course",
        "Mã khóa",
        "course",
        True,
        COURSE,
        "K2026-01",
        write=lambda r: r.course.code,
        **extra,
    )


def rank_column(required, aliases, example, *, written=True):
    """The rank (a drop-down of ranks); ``written``: exported by the rank's name."""
    return Column(
        "rank",
        "Cấp",
        "rank",
        required,
        aliases,
        example,
        dropdown="ranks",
        write=(lambda r: _name(r.rank)) if written else None,
    )


def locality_column(example, on_date=None, *, aliases=UNIT_ALIASES):
    """The province or city (a drop-down of localities); with ``on_date`` (record -> date) it
    is exported as the importer reads it back for the record's date (locality_cell)."""
    write = (lambda r: locality_cell(r.locality, on_date(r))) if on_date else None
    return Column(
        "locality",
        "Tỉnh/thành",
        "locality",
        False,
        aliases,
        example,
        dropdown="localities",
        write=write,
    )


def agency_column(example="", *, aliases=AGENCY_ALIASES, written=True, **extra):
    """The agency, by code or name; ``written``: exported as agency_cell writes it."""
    write = (lambda r: agency_cell(r.agency)) if written else None
    return Column("agency", "Cơ quan", "agency", False, aliases, example, write=write, **extra)


def gender_column(gender_of, example=""):
    """The gender (a drop-down of genders); ``gender_of``: record -> its gender code."""
    return Column(
        "gender",
        "Giới tính",
        "gender",
        example=example,
        dropdown="genders",
        write=lambda r: GENDER_NAMES.get(gender_of(r), ""),
    )


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
        locality_column("Hà Nội", lambda c: c.start_date, aliases=("Địa điểm",)),
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
        course_column(note="(or `--course`)"),
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
        gender_column(lambda e: e.cadre.gender, "Nữ"),
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
        rank_column(False, ("Cấp bậc", "Nhóm chức vụ"), ""),
        agency_column("Sở Ngoại vụ", note="(or `Đơn vị công tác`)"),
        locality_column("Tuyên Quang", lambda e: e.course.start_date),
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
        course_column(),
        rank_column(True, ("Cấp bậc", "Chức vụ"), "Chuyên viên"),
        locality_column("Hà Nội", lambda t: t.course.start_date),
        gender_column(lambda t: t.gender),
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
        rank_column(True, ("Cấp bậc",), "Chuyên viên"),
        locality_column("Hà Nội", baseline_date),
        agency_column(),
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
