"""Imports by a user with a scope: rows outside it are errors naming the row, nothing written.

Personas: a Lào Cai clerk (locality scope, current "15", which took in former "15" Yên Bái),
a ministry clerk (agency scope, Bộ Ngoại giao), the administrator (national). The command
has no user: national.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from accounts import scoping
from accounts.models import AccessScope
from cadres.models import Agency, Cadre, Level, Locality, WorkforceBaseline
from courses.models import Course, CourseType, Enrolment, ParticipantTally
from imports.models import ImportBatch
from imports.services import RevertRefused, revert_batch, run_import
from tests.conftest import PASSWORD

from .helpers import command, write_csv

PARTICIPANT_HEADER = ["Mã khóa", "Họ và tên", "Ngày sinh", "Cơ quan", "Tỉnh/thành", "Kết quả"]
# LC2018-01 is held in (former) Lào Cai: a Lào Cai clerk enrols people on it.
LAO_CAI_ROWS = [
    ["LC2018-01", "Lò Văn Páo", "05/04/1990", "Sở Ngoại vụ", "Lào Cai", "Hoàn thành"],
    ["LC2018-01", "Hoàng Thị Yến", "12/10/1985", "Sở Ngoại vụ", "Yên Bái", "Tham dự"],
]
HA_NOI_ROW = ["LC2018-01", "Nguyễn Văn Hà", "01/01/1980", "Sở Ngoại vụ", "Hà Nội", "Tham dự"]


def current(code):
    return Locality.objects.get(code=code, era=Locality.Era.CURRENT)


def clerk_with_scope(username, **scope):
    user = User.objects.create_user(username, f"{username}@example.vn", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Clerks"))
    AccessScope.objects.create(user=user, **scope)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def lao_cai_clerk(db):
    Course.objects.create(
        code="LC2018-01",
        title="Bồi dưỡng đối ngoại địa phương",
        course_type=CourseType.objects.order_by("pk").first(),
        start_date=datetime.date(2018, 6, 4),
        locality=Locality.objects.get(code="15", era=Locality.Era.FORMER),
    )
    return clerk_with_scope("laocai", kind="locality", locality=current("15"))


@pytest.fixture
def ministry_clerk(db):
    return clerk_with_scope("bng", kind="agency", agency=Agency.objects.get(code="BNG"))


def participants(tmp_path, *rows):
    return write_csv(tmp_path, "hoc-vien.csv", [PARTICIPANT_HEADER, *rows])


def nothing_written():
    return (
        Cadre.objects.count(),
        Enrolment.objects.count(),
        ImportBatch.objects.filter(kind="participants").count(),
    ) == (0, 0, 0)


# Participants ---------------------------------------------------------------------------------
def test_a_lao_cai_clerk_cannot_import_a_ha_noi_participant(tmp_path, courses, lao_cai_clerk):
    sheet = participants(tmp_path, *LAO_CAI_ROWS, HA_NOI_ROW)
    result = run_import("participants", sheet, user=lao_cai_clerk)
    assert result.error_lines() == [
        "row 4, column Tỉnh/thành: the participant's province (Thành phố Hà Nội (former)) "
        "is outside your scope (Lào Cai)."
    ]
    assert nothing_written()


def test_a_lao_cai_clerk_imports_lao_cai_and_former_yen_bai_participants(
    tmp_path, courses, lao_cai_clerk
):
    result = run_import("participants", participants(tmp_path, *LAO_CAI_ROWS), user=lao_cai_clerk)
    assert result.ok, result.error_lines()
    batch = ImportBatch.objects.get(kind="participants")
    assert (batch.user, batch.created) == (lao_cai_clerk, 2)
    places = set(Enrolment.objects.values_list("locality__name", "locality__era"))
    assert places == {("Lào Cai", "former"), ("Yên Bái", "former")}  # a 2018 course
    # Everything imported is in the clerk's own view of the data.
    assert scoping.enrolments(Enrolment.objects.all(), lao_cai_clerk).count() == 2
    assert scoping.cadres(Cadre.objects.all(), lao_cai_clerk).count() == 2


def test_a_row_without_a_province_is_outside_a_locality_scope(tmp_path, courses, lao_cai_clerk):
    no_province = ["LC2018-01", "Vũ Thị Mai", "02/02/1992", "Bộ Ngoại giao", "", "Tham dự"]
    result = run_import("participants", participants(tmp_path, no_province), user=lao_cai_clerk)
    assert result.error_lines() == [
        "row 2, column Tỉnh/thành: the participant's province (none given in the row) is "
        "outside your scope (Lào Cai)."
    ]
    assert nothing_written()


def test_a_person_outside_the_scope_is_never_enrolled_nor_disclosed(
    tmp_path, courses, lao_cai_clerk
):
    """Issue 8, hole 4: a Lào Cai clerk's row carrying a Hà Nội cadre's ID number, with or
    without the province Lào Cai, does not enrol the Hà Nội cadre, and says nothing of them."""
    header = ["Mã khóa", "Họ và tên", "Số định danh", "Email", "Tỉnh/thành"]
    first = write_csv(
        tmp_path,
        "a.csv",
        [header, ["K2018-01", "Nguyễn Văn Hà", "001080000001", "ha@hanoi.gov.vn", "Hà Nội"]],
    )
    assert command("participants", first)[0] == 0  # by the administrator's command
    for province in ("", "Lào Cai"):
        again = write_csv(
            tmp_path, "b.csv", [header, ["LC2018-01", "Giả Danh", "001080000001", "", province]]
        )
        result = run_import("participants", again, user=lao_cai_clerk)
        assert result.error_lines() == [
            "row 2, column Số định danh: this ID number conflicts with an existing person "
            "outside your scope: ask an administrator to enrol them, or check the number."
        ]
        assert result.people_matched == 0
        assert Enrolment.objects.count() == 1
    # The same email without an ID number: not theirs to match, a new Lào Cai person.
    same_email = write_csv(
        tmp_path, "c.csv", [header, ["LC2018-01", "Giả Danh", "", "ha@hanoi.gov.vn", "Lào Cai"]]
    )
    result = run_import("participants", same_email, user=lao_cai_clerk)
    assert result.ok, result.error_lines()
    assert (result.people_matched, result.people_created) == (0, 1)
    hanoi = Cadre.objects.get(id_number="001080000001")
    assert hanoi.full_name == "Nguyễn Văn Hà"
    assert hanoi.enrolments.count() == 1
    assert Enrolment.objects.filter(course__code="LC2018-01").get().cadre.full_name == "Giả Danh"


def test_a_scoped_clerk_enrols_only_on_courses_of_their_scope(tmp_path, courses, lao_cai_clerk):
    """As the admin's enrolment form offers them: K2018-01 (former Hà Giang, organised by
    the Academy) is not a Lào Cai course; its existence is not confirmed either."""
    rows = [["K2018-01", *LAO_CAI_ROWS[0][1:]], ["NO-SUCH", *LAO_CAI_ROWS[1][1:]]]
    result = run_import("participants", participants(tmp_path, *rows), user=lao_cai_clerk)
    assert result.error_lines() == [
        "row 2, column Mã khóa: No course in your scope has the code 'K2018-01'.",
        "row 3, column Mã khóa: No course in your scope has the code 'NO-SUCH'.",
    ]
    assert nothing_written()
    with_course = write_csv(tmp_path, "x.csv", [PARTICIPANT_HEADER[1:], LAO_CAI_ROWS[0][1:]])
    for code in ("K2018-01", "NO-SUCH"):
        result = run_import("participants", with_course, user=lao_cai_clerk, course=code)
        assert result.error_lines() == [f"--course: No course in your scope has the code '{code}'."]
    assert nothing_written()


def test_the_command_is_national(tmp_path, courses, lao_cai_clerk):
    code, _out, err = command("participants", participants(tmp_path, *LAO_CAI_ROWS, HA_NOI_ROW))
    assert code == 0, err
    assert Enrolment.objects.count() == 3


def test_a_ministry_clerk_imports_only_the_ministrys_participants(
    tmp_path, courses, ministry_clerk
):
    ministry = ["K2019-02", "Phạm Thu Hương", "02/01/1985", "Bộ Ngoại giao", "Trung ương", ""]
    province = ["K2019-02", "Lê Minh Tuấn", "30/11/1990", "Sở Ngoại vụ", "Hà Giang", ""]
    result = run_import(
        "participants", participants(tmp_path, ministry, province), user=ministry_clerk
    )
    assert result.error_lines() == [
        "row 3, column Cơ quan: the participant's agency (Sở Ngoại vụ) is outside your scope "
        "(Bộ Ngoại giao)."
    ]
    assert nothing_written()
    assert not Agency.objects.filter(name="Sở Ngoại vụ").exists()
    result = run_import("participants", participants(tmp_path, ministry), user=ministry_clerk)
    assert result.ok, result.error_lines()
    assert Enrolment.objects.get().agency.code == "BNG"


# Courses, tallies, baselines ------------------------------------------------------------------
COURSE_HEADER = ["Mã khóa", "Tên khóa", "Loại khóa", "Đơn vị tổ chức", "Ngày bắt đầu", "Tỉnh/thành"]


def test_a_lao_cai_clerk_imports_only_courses_held_in_lao_cai(tmp_path, courses, lao_cai_clerk):
    sheet = write_csv(
        tmp_path,
        "khoa.csv",
        [
            COURSE_HEADER,
            ["LC-01", "Tập huấn đối ngoại", "Tập huấn", "Bộ Ngoại giao", "10/09/2025", "Lào Cai"],
            ["HN-01", "Tập huấn đối ngoại", "Tập huấn", "Bộ Ngoại giao", "10/09/2025", "Hà Nội"],
            # K2019-02 exists, held in Hồ Chí Minh: a scoped clerk cannot take it over.
            ["K2019-02", "Đổi tên", "Kỹ năng", "Bộ Ngoại giao", "02/12/2019", "Lào Cai"],
        ],
    )
    before = Course.objects.count()
    result = run_import("courses", sheet, user=lao_cai_clerk)
    assert result.error_lines() == [
        "row 3, column Tỉnh/thành: the course HN-01 is outside your scope (Lào Cai).",
        "row 4, column Mã khóa: the course K2019-02 is outside your scope (Lào Cai).",
    ]
    assert Course.objects.count() == before
    assert Course.objects.get(code="K2019-02").title == "Kỹ năng đàm phán quốc tế"


def test_a_ministry_clerk_imports_only_courses_the_ministry_organises(tmp_path, db, ministry_clerk):
    sheet = write_csv(
        tmp_path,
        "khoa.csv",
        [
            COURSE_HEADER,
            ["BNG-01", "Kỹ năng lễ tân", "Kỹ năng", "Bộ Ngoại giao", "10/09/2025", "Hà Nội"],
            ["BCT-01", "Kỹ năng lễ tân", "Kỹ năng", "Bộ Công Thương", "10/09/2025", "Hà Nội"],
        ],
    )
    result = run_import("courses", sheet, user=ministry_clerk)
    assert result.error_lines() == [
        "row 3, column Đơn vị tổ chức: the course BCT-01 is outside your scope (Bộ Ngoại giao)."
    ]
    assert not Course.objects.exists()


def test_a_lao_cai_clerk_imports_only_tallies_of_lao_cai(tmp_path, courses, lao_cai_clerk):
    header = ["Mã khóa", "Cấp", "Tỉnh/thành", "Số lượt"]
    sheet = write_csv(
        tmp_path,
        "luot.csv",
        [
            header,
            ["K2018-01", "Chuyên viên", "Yên Bái", 12],  # former Yên Bái: in scope
            ["K2018-01", "Chuyên viên", "Hà Nội", 7],
            ["K2019-02", "Cấp phòng", "", 3],  # no province: the course's (Hồ Chí Minh)
            ["NO-SUCH", "Cấp phòng", "", 3],
        ],
    )
    result = run_import("tallies", sheet, user=lao_cai_clerk)
    # A course outside the scope and an unknown code: the same words (no oracle of codes).
    assert result.error_lines() == [
        "row 3, column Tỉnh/thành: the province Thành phố Hà Nội (former) is outside your "
        "scope (Lào Cai).",
        "row 4, column Mã khóa: No course in your scope has the code 'K2019-02'.",
        "row 5, column Mã khóa: No course in your scope has the code 'NO-SUCH'.",
    ]
    assert not ParticipantTally.objects.exists()
    ok = write_csv(tmp_path, "luot-lc.csv", [header, ["K2018-01", "Chuyên viên", "Yên Bái", 12]])
    assert run_import("tallies", ok, user=lao_cai_clerk).ok
    assert ParticipantTally.objects.get().count == 12


def test_a_lao_cai_clerk_imports_only_baselines_of_lao_cai(tmp_path, db, lao_cai_clerk):
    Agency.objects.create(name="Sở Ngoại vụ Lào Cai", level=Level.LOCAL, locality=current("15"))
    header = ["Năm", "Cấp", "Tỉnh/thành", "Cơ quan", "Số lượng"]
    sheet = write_csv(
        tmp_path,
        "bienche.csv",
        [
            header,
            [2026, "Chuyên viên", "Lào Cai", "", 40],
            [2026, "Cấp phòng", "", "Sở Ngoại vụ Lào Cai", 9],
            [2026, "Chuyên viên", "Hà Nội", "", 80],
            [2026, "Vụ trưởng", "", "Bộ Ngoại giao", 30],
        ],
    )
    result = run_import("baselines", sheet, user=lao_cai_clerk)
    assert result.error_lines() == [
        "row 4, column Tỉnh/thành: the province Thành phố Hà Nội is outside your scope (Lào Cai).",
        "row 5, column Cơ quan: the agency Bộ Ngoại giao is outside your scope (Lào Cai).",
    ]
    assert not WorkforceBaseline.objects.exists()


# The admin: upload, batch list, revert -------------------------------------------------------
def test_the_admin_preview_names_the_row_outside_the_scope(
    client, tmp_path, courses, lao_cai_clerk
):
    client.force_login(lao_cai_clerk)
    with open(participants(tmp_path, *LAO_CAI_ROWS, HA_NOI_ROW), "rb") as stream:
        response = client.post(
            reverse("admin:imports_importbatch_upload"), {"kind": "participants", "file": stream}
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "row 4, column Tỉnh/thành: the participant&#x27;s province" in html
    assert "confirm-import" not in html
    assert nothing_written()


def test_a_scoped_clerk_lists_and_reverts_only_their_own_imports(
    client, tmp_path, courses, lao_cai_clerk, admin_user
):
    national = ImportBatch.objects.get(file_name="courses.xlsx")  # by the command
    assert run_import("participants", participants(tmp_path, *LAO_CAI_ROWS), user=lao_cai_clerk).ok
    own = ImportBatch.objects.get(kind="participants")
    client.force_login(lao_cai_clerk)
    changelist = client.get(reverse("admin:imports_importbatch_changelist"))
    assert list(changelist.context["cl"].queryset) == [own]
    other = client.get(reverse("admin:imports_importbatch_change", args=[national.pk]))
    assert other.status_code == 404  # as if it did not exist, like every admin out of scope
    with pytest.raises(RevertRefused, match="only your own imports"):
        revert_batch(national, user=lao_cai_clerk)
    assert Course.objects.filter(code="K2018-01").exists()
    revert_batch(own, user=lao_cai_clerk)
    assert Enrolment.objects.count() == 0
    assert Cadre.objects.count() == 0
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:imports_importbatch_changelist"))
    assert changelist.context["cl"].result_count == ImportBatch.objects.count() == 3


def test_a_shared_mailbox_matches_the_first_person_in_the_clerks_scope(
    tmp_path, courses, lao_cai_clerk
):
    """Where an office mailbox is shared by someone outside the clerk's scope (recorded
    first) and someone inside it, a row without an ID number matches the one inside, and a
    person the file creates with that mailbox is matched by the file's later rows: one
    person each, never a duplicate, and nothing of the outsider shown."""
    Course.objects.create(
        code="LC2018-02",
        title="Bồi dưỡng đối ngoại địa phương (lớp 2)",
        course_type=CourseType.objects.order_by("pk").first(),
        start_date=datetime.date(2018, 9, 3),
        locality=Locality.objects.get(code="15", era=Locality.Era.FORMER),
    )
    header = ["Mã khóa", "Họ và tên", "Số định danh", "Email", "Tỉnh/thành"]
    shared, other = "ngoaivu@chung.gov.vn", "vanthu@chung.gov.vn"
    recorded = write_csv(
        tmp_path,
        "a.csv",
        [
            header,
            ["K2018-01", "Nguyễn Văn Hà", "001080000001", shared, "Hà Nội"],
            ["K2018-01", "Lò Văn Páo", "010090000002", shared, "Lào Cai"],
            ["K2018-01", "Trần Văn Ngoài", "001080000003", other, "Hà Nội"],
        ],
    )
    assert command("participants", recorded)[0] == 0  # by the administrator's command
    pao = Cadre.objects.get(id_number="010090000002")
    sheet = write_csv(
        tmp_path,
        "b.csv",
        [
            header,
            ["LC2018-01", "Lò Văn Páo", "", shared, "Lào Cai"],
            ["LC2018-01", "Giàng Thị Mới", "", other, "Lào Cai"],
            ["LC2018-02", "Giàng Thị Mới", "", other, "Lào Cai"],
        ],
    )
    result = run_import("participants", sheet, user=lao_cai_clerk)
    assert result.ok, result.error_lines()
    assert (result.people_matched, result.people_created) == (1, 1)
    assert sorted(pao.enrolments.values_list("course__code", flat=True)) == [
        "K2018-01",
        "LC2018-01",
    ]
    new = Cadre.objects.get(full_name="Giàng Thị Mới")
    assert sorted(new.enrolments.values_list("course__code", flat=True)) == [
        "LC2018-01",
        "LC2018-02",
    ]
    outsiders = Cadre.objects.filter(id_number__in=["001080000001", "001080000003"])
    assert [c.enrolments.count() for c in outsiders] == [1, 1]
