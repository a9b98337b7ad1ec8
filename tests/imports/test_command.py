"""import_spreadsheet: each kind from real fixture files, the summary line, the exit codes."""

import re

from django.utils import translation

from cadres.models import Agency, Cadre, WorkforceBaseline
from courses.models import Course, Enrolment, ParticipantTally
from imports.models import ImportBatch

from .helpers import command, fixture

ERROR_LINE = re.compile(r"^row \d+, column .+: .+$")


def test_it_imports_courses_from_xlsx_with_title_rows(db):
    code, out, err = command("courses", fixture("courses.xlsx"))
    assert code == 0, err
    assert out.count("\n") == 1
    assert "4 created, 0 updated, 0 unchanged" in out
    assert "Ghi chú" in out  # the ignored column is named
    course = Course.objects.get(code="K2018-01")
    assert course.locality.era == "former"
    assert course.locality.name == "Hà Giang"
    assert course.programme.code == "QD2007-2015"
    assert course.course_type.code == "KIEN_THUC"
    assert course.budget_planned == 250_000_000
    assert Course.objects.get(code="K2019-02").budget_planned == 180_000_000
    assert Course.objects.get(code="K2019-02").title == "Kỹ năng đàm phán quốc tế"  # NFC
    abroad = Course.objects.get(code="K2020-03")
    assert abroad.country == "Singapore"
    assert abroad.locality is None
    assert Course.objects.get(code="K2025-04").locality.era == "current"
    assert Course.objects.get(code="K2025-04").mode == "hybrid"
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.rows, batch.created, batch.file_name) == (
        "courses",
        4,
        4,
        "courses.xlsx",
    )
    assert len(batch.checksum) == 64


def test_it_imports_courses_with_english_headers_from_csv_with_bom(db):
    code, _out, err = command("courses", fixture("courses_en.csv"))
    assert code == 0, err
    assert Course.objects.get(code="EN2021-02").course_type.code == "BIEN_PHIEN_DICH"
    assert Course.objects.get(code="EN2021-01").mode == "online"


def test_it_imports_participants_matching_people_and_inferring_ranks(courses):
    code, out, err = command("participants", fixture("participants.xlsx"))
    assert code == 0, err
    assert "7 created" in out
    assert "people: 0 matched, 5 created" in out
    assert "STT" in out
    assert "Số điện thoại" in out
    assert Cadre.objects.count() == 5
    hoa = Cadre.objects.get(id_number="001180000123")
    assert hoa.full_name == "Nguyễn Thị Hoà"  # stored NFC although the sheet is NFD
    assert hoa.enrolments.count() == 2  # same ID number, spelled Hoà and Hòa
    by_course = {e.course.code: e for e in hoa.enrolments.select_related("course", "rank")}
    assert by_course["K2018-01"].rank.code == "PHO_VU_TRUONG"  # from "Phó Giám đốc Sở..."
    assert by_course["K2018-01"].status == "completed"
    assert by_course["K2019-02"].rank.code == "VU_TRUONG"  # the rank column wins
    assert by_course["K2018-01"].locality.era == "former"
    huong = Enrolment.objects.get(cadre__id_number="079185000456")
    assert huong.rank.code == "PHO_VU_TRUONG"  # "Phó Vụ trưởng Vụ ASEAN" is not VU_TRUONG
    assert huong.agency.name == "Bộ Ngoại giao"
    tuan = Cadre.objects.get(name_key="leminhtuan")  # no ID, no email: name+birth+locality
    assert tuan.enrolments.count() == 2
    assert Enrolment.objects.get(cadre=tuan, course__code="K2019-02").rank.code == "CAP_PHONG"
    duc = Cadre.objects.get(email="duc.tv@yenbai.gov.vn")
    assert duc.locality.code == "15"
    assert duc.locality.era == "current"
    assert Enrolment.objects.get(cadre=duc).locality.name == "Yên Bái"
    assert Enrolment.objects.get(cadre=duc).agency.locality.code == duc.agency.locality.code == "15"
    assert Agency.objects.filter(name="Sở Ngoại vụ").count() == 2  # Tuyên Quang, Lào Cai


def test_it_imports_participants_with_english_headers(courses):
    code, _out, err = command("participants", fixture("participants_en.csv"))
    assert code == 0, err
    bao = Cadre.objects.get(id_number="048079000789")
    assert bao.rank.code == "PHO_VU_TRUONG"  # "Deputy Director"
    assert Enrolment.objects.get(cadre__email="lan.vt@danang.gov.vn").status == "completed"


def test_it_imports_tallies_and_baselines(courses):
    code, _out, err = command("tallies", fixture("tallies.csv"))
    assert code == 0, err
    assert ParticipantTally.objects.count() == 4
    tally = ParticipantTally.objects.get(rank__code="CAP_PHONG")
    assert (tally.count, tally.gender, tally.locality.name) == (1000, "F", "Hà Giang")
    code, _out, err = command("baselines", fixture("baselines.xlsx"))
    assert code == 0, err
    assert WorkforceBaseline.objects.count() == 4
    assert WorkforceBaseline.objects.get(agency__name="Bộ Ngoại giao").headcount == 30
    assert WorkforceBaseline.objects.get(year=2026).locality.era == "current"


def test_it_takes_the_course_from_the_option(courses, tmp_path):
    from .helpers import write_csv

    path = write_csv(tmp_path, "ds.csv", [["Họ và tên", "Ngày sinh"], ["Mai Anh", "01/02/1990"]])
    code, _out, err = command("participants", path, "--course", "K2019-02")
    assert code == 0, err
    assert Enrolment.objects.get().course.code == "K2019-02"
    code, _out, err = command("participants", path, "--course", "NOPE")
    assert code == 1
    assert "NOPE" in err


def test_dry_run_writes_nothing(courses):
    before = ImportBatch.objects.count()
    code, out, err = command("participants", fixture("participants.xlsx"), "--dry-run")
    assert code == 0, err
    assert "7 created" in out
    assert "dry run" in out
    assert Cadre.objects.count() == 0
    assert Enrolment.objects.count() == 0
    assert ImportBatch.objects.count() == before


def test_it_reports_every_bad_row_with_sheet_row_numbers_and_writes_nothing(courses):
    batches = ImportBatch.objects.count()
    code, out, err = command("participants", fixture("participants_errors.xlsx"))
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert all(ERROR_LINE.match(line) for line in lines), lines
    # Title row 1, a note row 2, a blank row 3, the header row 4: data start at row 5.
    assert "row 5, column Ngày sinh: 31/02/1980 is not a valid date." in lines
    assert any(line.startswith("row 6, column Mã khóa:") and "K9999-99" in line for line in lines)
    assert any(line.startswith("row 7, column Họ và tên:") for line in lines)
    assert {line.split(":")[0] for line in lines if line.startswith("row 8")} == {
        "row 8, column Giới tính",
        "row 8, column Cấp",
        "row 8, column Tỉnh/thành",
        "row 8, column Kết quả",
    }
    assert Cadre.objects.count() == 0
    assert Enrolment.objects.count() == 0
    assert ImportBatch.objects.count() == batches


def test_bad_numbers_are_errors(courses):
    code, _out, err = command("tallies", fixture("tallies_bad_numbers.csv"))
    assert code == 1
    assert "row 2, column Số lượt: 'mười' is not a number." in err
    assert "row 3, column Số lượt: -3 is negative" in err
    assert ParticipantTally.objects.count() == 0


def test_bad_files_are_refused_with_a_clear_message(db):
    cases = {
        "empty.csv": "is empty",
        "no_header.csv": "has no header row",
        "unknown_headers.csv": "Unknown headers: Tên, Tuổi, Quê quán",
        "missing_columns.csv": "required column(s) missing: Mã khóa/course",
        "not_really.xlsx": "is not a readable .xlsx workbook",
    }
    for name, message in cases.items():
        code, _out, err = command("participants", fixture(name))
        assert code == 1, name
        assert message in err, (name, err)
    assert (
        "Expected headers: Mã khóa/course" in command("participants", fixture("no_header.csv"))[2]
    )
    assert ImportBatch.objects.count() == 0
    assert Cadre.objects.count() == 0


def test_too_large_and_too_long_files_are_refused(courses, tmp_path, settings):
    from .helpers import write_csv

    rows = [["Mã khóa", "Họ và tên"]] + [["K2019-02", f"Người {i}"] for i in range(5)]
    path = write_csv(tmp_path, "long.csv", rows)
    settings.IMPORT_MAX_ROWS = 3
    code, _out, err = command("participants", path)
    assert code == 1
    assert "more than 3 rows" in err
    settings.IMPORT_MAX_ROWS = 1000
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    code, _out, err = command("participants", path)
    assert code == 1
    assert "the limit is" in err
    assert Cadre.objects.count() == 0


def test_a_workbook_longer_than_the_row_limit_is_refused_by_its_row_count(courses, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(["Mã khóa", "Họ và tên", "Ngày sinh", "Cơ quan", "Tỉnh/thành"])
    for i in range(2500):  # the file check stops reading after the limit and its slack
        sheet.append(["K2019-02", f"Người {i}", "01/01/1980", "Sở Ngoại vụ", "Hà Nội"])
    path = tmp_path / "long.xlsx"
    workbook.save(path)
    code, _out, err = command("participants", path, "--max-rows", "100")
    assert code == 1
    assert "long.xlsx has more than 100 rows: split it into several files." in err
    assert "as far as" not in err  # not the far-cell message, with a rectangle it never saw
    assert Cadre.objects.count() == 0


def test_an_impossible_date_is_an_error_not_a_guess(courses, tmp_path):
    from .helpers import write_csv

    path = write_csv(
        tmp_path,
        "c.csv",
        [
            ["Mã khoá", "Tên khoá", "Loại khoá", "Ngày bắt đầu"],  # "Khoá" spelled the old way
            ["X1", "Lớp", "KIEN_THUC", "31/02/2021"],
            ["X2", "Lớp", "KIEN_THUC", "2021-13-01"],
        ],
    )
    code, _out, err = command("courses", path)
    assert code == 1
    assert "row 2, column Ngày bắt đầu: 31/02/2021 is not a valid date." in err
    assert "row 3, column Ngày bắt đầu: 2021-13-01 is not a valid date." in err
    assert not Course.objects.filter(code__in=["X1", "X2"]).exists()


def test_the_command_speaks_english_unless_asked_for_vietnamese(db, settings):
    settings.LANGUAGE_CODE = "vi"  # the interface's language does not change the output
    with translation.override("vi"):
        code, out, err = command("courses", fixture("courses.xlsx"))
    assert code == 0, err
    assert "4 rows, 4 created, 0 updated, 0 unchanged" in out
    code, out, err = command("courses", fixture("courses.xlsx"), "--language", "vi")
    assert code == 0, err
    assert "unchanged" not in out
    assert "4" in out
    code, _out, err = command("tallies", fixture("tallies_bad_numbers.csv"), "--language", "vi")
    assert code == 1
    assert err.startswith("row ")
    assert "is not a number" not in err
