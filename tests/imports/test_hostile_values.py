"""Cell values a hostile or careless sheet holds, found by trying them (round 11): each ends
as an error naming its row and column, or is read as the contract says; never a traceback,
a 500 or a failed write, and nothing half written."""

import csv
import datetime
import io
import unicodedata
import urllib.parse

import pytest
from django.urls import reverse

from cadres.models import Cadre, WorkforceBaseline
from courses.models import Course, ParticipantTally
from imports.models import ImportBatch
from imports.services import run_import
from plans.models import PlanLine

from .helpers import command, fixture, write_csv

UPLOAD = reverse("admin:imports_importbatch_upload")
TALLY_HEADER = ["Mã khóa", "Cấp", "Tỉnh/thành", "Số lượt"]
PEOPLE_HEADER = ["Mã khóa", "Họ và tên", "Số định danh", "Email", "Tỉnh/thành"]
PLAN_HEADER = ["Năm", "Tỉnh/thành", "Mã đề án", "Loại khóa", "Số khóa", "Số lượt", "Kinh phí"]
SUPERSCRIPT = str.maketrans(
    "0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
)
HUGE = str(10**12)  # within what int() reads, beyond every count column


def fullwidth(text):
    """The text in fullwidth ASCII (U+FF01-U+FF5E), as a Vietnamese IME may type it."""
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


def tallies(tmp_path, *rows, name="luot.csv"):
    return write_csv(tmp_path, name, [TALLY_HEADER, *rows])


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("²", "'²' is not a number."),
        ("1²", "'1²' is not a number."),
        ("9" * 5000, f"'{'9' * 18}…' is too large a number."),
    ],
)
def test_a_count_int_cannot_read_is_an_error_of_its_cell(tmp_path, courses, cell, message):
    """str.isdigit() is true of superscripts, which int() refuses; int() refuses 4,300
    digits. Both were a ValueError traceback (command) and a 500 (admin preview)."""
    code, _out, err = command("tallies", tallies(tmp_path, ["K2020-03", "Vụ trưởng", "", cell]))
    assert code == 1
    assert err.splitlines() == [f"row 2, column Số lượt: {message}"]
    assert not ParticipantTally.objects.exists()


def test_a_count_beyond_its_column_is_an_error_when_it_updates_too(tmp_path, courses):
    """Creates were validated and updates were not: the dry run said "1 updated" and the
    write failed with OverflowError (SQLite) or out of range (PostgreSQL)."""
    assert command("tallies", tallies(tmp_path, ["K2020-03", "Vụ trưởng", "", "5"]))[0] == 0
    huge = tallies(tmp_path, ["K2020-03", "Vụ trưởng", "", HUGE], name="lon.csv")
    for dry_run in (True, False):
        result = run_import("tallies", huge, dry_run=dry_run)
        assert [(row, column) for row, column, _message in result.errors] == [(2, "Số lượt")]
        assert "2147483647" in result.errors[0][2].replace(".", "").replace(",", "")
    assert ParticipantTally.objects.get().count == 5


def test_a_headcount_beyond_its_column_is_an_error_when_it_updates_too(tmp_path, db):
    header = ["Năm", "Cấp", "Tỉnh/thành", "Số lượng"]
    first = write_csv(tmp_path, "a.csv", [header, ["2016", "Chuyên viên", "Lào Cai", "40"]])
    assert command("baselines", first)[0] == 0
    huge = write_csv(tmp_path, "b.csv", [header, ["2016", "Chuyên viên", "Lào Cai", HUGE]])
    code, _out, err = command("baselines", huge)
    assert code == 1
    assert err.startswith("row 2, column Số lượng: ")
    assert WorkforceBaseline.objects.get().headcount == 40


def test_plan_numbers_beyond_their_columns_are_errors(tmp_path, db):
    """Plan lines were not validated at all: 10**12 planned courses crashed the write."""
    rows = [["2026", "Lào Cai", "", "KIEN_THUC", HUGE, "60", "0"]]
    code, _out, err = command("plans", write_csv(tmp_path, "p.csv", [PLAN_HEADER, *rows]))
    assert code == 1
    assert err.startswith("row 2, column Số khóa: ")
    assert not PlanLine.objects.exists()


def test_the_error_file_of_a_windows_1258_csv_is_written_in_windows_1258(
    tmp_path, courses, client, admin_user
):
    """Python's cp1258 codec has no precomposed 'ỗ': the "Lỗi" header and every Vietnamese
    message made the "download errors" link answer 500. They are written as Windows-1258
    spells them (letter + tone mark), and read back as the same text."""
    bad = (
        fixture("participants_cp1258.csv").read_bytes()
        + b"KHONG-CO,Nguy\xea\xden V\xe3n A,,,,,\r\n"
    )
    path = tmp_path / "Danh sách học viên.csv"
    path.write_bytes(bad)
    client.force_login(admin_user)
    with open(path, "rb") as stream:
        response = client.post(UPLOAD, {"kind": "participants", "file": stream})
    assert response.status_code == 200
    errors = client.get(
        reverse("admin:imports_importbatch_errors", args=[response.context["token"]])
    )
    assert errors.status_code == 200
    # Named as the upload, in Vietnamese (RFC 6266), not "Danh s_ch h_c vi_n-loi.csv".
    quoted = urllib.parse.quote("Danh sách học viên-loi.csv")
    assert errors["Content-Disposition"] == f"attachment; filename*=utf-8''{quoted}"
    text = unicodedata.normalize("NFC", errors.content.decode("cp1258"))
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert records[0][-1] == "Lỗi"
    assert records[1][1] == "Nguyễn Thị Hương"
    assert records[-1][:2] == ["KHONG-CO", "Nguyễn Văn A"]
    assert "KHONG-CO" in records[-1][-1]
    assert not Cadre.objects.exists()
    assert not ImportBatch.objects.filter(kind="participants").exists()


def test_emails_and_id_numbers_are_read_as_the_person_typed_them(tmp_path, courses):
    """A pasted zero-width space, fullwidth letters or digits, or an ID number typed as a
    number (its leading zero lost) named the same person, and made a new one each time."""
    first = write_csv(
        tmp_path,
        "a.csv",
        [
            PEOPLE_HEADER,
            ["K2018-01", "Phạm Tuấn Tài", "084071783038", "", "Hà Giang"],
            ["K2018-01", "Lê Thu Hà", "", "ha.lt@mofa.gov.vn", "Hà Giang"],
        ],
    )
    assert command("participants", first)[0] == 0
    again = write_csv(
        tmp_path,
        "b.csv",
        [
            PEOPLE_HEADER,
            ["K2020-03", "Phạm Tuấn Tài", fullwidth("084071783038"), "", "Hà Giang"],
            ["K2019-02", "Lê Thu Hà", "", f"ha.lt@{fullwidth('mofa')}.gov.vn\u200b", "Hà Giang"],
        ],
    )
    result = run_import("participants", again)
    assert result.ok, result.error_lines()
    assert (result.people_matched, result.people_created) == (2, 0)
    # As an Excel number: 84071783038, which lost the CCCD's leading zero.
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(PEOPLE_HEADER)
    book.active.append(["K2019-02", "Phạm Tuấn Tài", 84071783038, "", "Hà Giang"])
    book.save(tmp_path / "c.xlsx")
    result = run_import("participants", tmp_path / "c.xlsx")
    assert result.ok, result.error_lines()
    assert (result.people_matched, result.people_created) == (1, 0)
    assert Cadre.objects.count() == 2
    assert Cadre.objects.get(full_name="Phạm Tuấn Tài").enrolments.count() == 3


def test_id_numbers_and_emails_that_cannot_be_stored_exactly_are_errors(tmp_path, courses):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([*PEOPLE_HEADER, "Cơ quan"])
    book.active.append(["K2018-01", "Số Quá Dài", 12345678901234567, "", "Hà Giang"])
    book.active.append(["K2018-01", "Số Mũ", "084071783038".translate(SUPERSCRIPT), "", "Hà Giang"])
    book.active.append(["K2018-01", "Thư Dài", "", "a" * 300 + "@mofa.gov.vn", "Hà Giang"])
    book.active.append(["K2018-01", "Cơ Quan Dài", "", "", "Hà Giang", "Sở " * 200])
    book.save(tmp_path / "d.xlsx")
    result = run_import("participants", tmp_path / "d.xlsx", dry_run=True)
    assert [(row, column) for row, column, _message in result.errors] == [
        (2, "Số định danh"),
        (3, "Số định danh"),
        (4, "Email"),
        (5, "Cơ quan"),  # a new agency's name, too long: its cell, not "name"
    ]
    assert "format the column as Text" in result.errors[0][2]
    assert result.errors[1][2] == "An ID number has digits only."
    assert "at most 254" in result.errors[2][2]
    assert not Cadre.objects.exists()


@pytest.mark.parametrize("cell", ["01/01/0001", "31/12/9999", "1850-06-01"])
def test_a_date_outside_1900_2100_is_an_error(tmp_path, db, cell):
    """A course dated 01/01/0001 was imported and counted in the reports' year 1."""
    header = ["Mã khóa", "Tên khóa", "Loại khóa", "Ngày bắt đầu"]
    sheet = write_csv(tmp_path, "k.csv", [header, ["K-XA", "Khóa xa", "KIEN_THUC", cell]])
    code, _out, err = command("courses", sheet)
    assert code == 1
    assert "row 2, column Ngày bắt đầu: " in err
    assert "between 1900 and 2100" in err
    assert not Course.objects.exists()


def test_a_column_given_twice_is_read_from_whichever_cell_is_filled(tmp_path, courses):
    """Round 11 found "Cấp" twice with the value in the second: the second column was
    ignored and the row told "a value is required". Two columns of one field now give one
    value: the filled one, or both when they agree; two different values are an error of
    the row naming both columns, never one of them dropped."""
    header = ["Mã khóa", "Cấp", "Tỉnh/thành", "Cấp", "Số lượt"]
    rows = [
        ["K2020-03", "", "Lào Cai", "Chuyên viên", "3"],
        ["K2020-03", "Vụ trưởng", "Lào Cai", "", "2"],
        ["K2020-03", "Chuyên viên", "Quảng Nam", "Chuyên  viên", "1"],
        ["K2020-03", "Chuyên viên", "Hà Nội", "Vụ trưởng", "4"],
    ]
    path = write_csv(tmp_path, "hai_cap.csv", [header, *rows])
    code, _out, err = command("tallies", path)
    assert code == 1
    assert err.splitlines() == [
        "row 5, column Cấp: this column and the column “Cấp” both give this value, and they "
        "differ (“Chuyên viên”, “Vụ trưởng”): keep one of the columns, or make them agree."
    ]
    assert not ParticipantTally.objects.exists()
    rows[3][3] = ""
    code, _out, err = command("tallies", write_csv(tmp_path, "sua.csv", [header, *rows]))
    assert code == 0, err
    assert sorted(ParticipantTally.objects.values_list("rank__code", "count")) == [
        ("CHUYEN_VIEN", 1),
        ("CHUYEN_VIEN", 3),
        ("CHUYEN_VIEN", 4),
        ("VU_TRUONG", 2),
    ]


def test_an_agency_given_under_two_headers_must_agree(tmp_path, courses):
    """ "Cơ quan" and its alias "Đơn vị công tác" are one field: different values are an
    error, not the second column silently ignored."""
    header = ["Mã khóa", "Họ và tên", "Số định danh", "Cơ quan", "Đơn vị công tác"]
    rows = [
        ["K2020-03", "Lê Văn An", "001090000001", "Sở Ngoại vụ", "Sở Ngoại vụ"],
        ["K2020-03", "Lê Thị Bình", "001090000002", "", "Sở Tư pháp"],
        ["K2020-03", "Trần Văn Cường", "001090000003", "Sở Ngoại vụ", "UBND tỉnh"],
    ]
    code, _out, err = command("participants", write_csv(tmp_path, "cq.csv", [header, *rows]))
    assert code == 1
    assert [line.split(":")[0] for line in err.splitlines()] == ["row 4, column Cơ quan"]
    assert "“Đơn vị công tác”" in err
    assert not Cadre.objects.exists()


@pytest.mark.parametrize(
    ("birth", "column"),
    [
        ({"Ngày sinh": "15/03/2031"}, "Ngày sinh"),  # in the future
        ({"Ngày sinh": "02/03/2020"}, "Ngày sinh"),  # the course's date typed in its place
        ({"Năm sinh": "2010"}, "Năm sinh"),
    ],
)
def test_a_participant_younger_than_15_at_the_course_is_an_error(tmp_path, courses, birth, column):
    """Round 11 accepted a birth date in the future or after the course. The message does
    not repeat the birth date (personal data, shown to staff who may not see it)."""
    course = Course.objects.get(code="K2020-03")
    header = ["Mã khóa", "Họ và tên", "Số định danh", *birth]
    row = ["K2020-03", "Lê Văn An", "001090000001", *birth.values()]
    result = run_import("participants", write_csv(tmp_path, "tre.csv", [header, row]))
    assert [(r, c) for r, c, _m in result.errors] == [(2, column)]
    message = result.errors[0][2]
    assert "under 15 when the course starts" in message
    assert course.start_date.strftime("%d/%m/%Y") in message
    assert next(iter(birth.values())) not in message
    assert not Cadre.objects.exists()
    # Fifteen on the first day: accepted.
    start = course.start_date
    row[3] = (
        f"{start.day:02d}/{start.month:02d}/{start.year - 15}"
        if "Ngày sinh" in birth
        else str(start.year - 15)
    )
    result = run_import("participants", write_csv(tmp_path, "du.csv", [header, row]))
    assert not result.errors, result.errors
    assert Cadre.objects.count() == 1


@pytest.mark.parametrize(
    "cell", ["2020-03-02 08:30", "02/03/2020 08:30", "2020-03-02T08:30:15", "2.3.2020 8:30:00.5"]
)
def test_a_date_with_its_time_of_day_is_read_as_the_date(cell):
    """What a date-and-time cell shows when saved as CSV; round 11 refused it."""
    from imports import values

    assert values.date(cell) == datetime.date(2020, 3, 2)


@pytest.mark.parametrize("cell", ["02/03/2020 25", "2020-03-02 8h30", "02/03/2020 08:30 sáng"])
def test_a_date_with_something_else_after_it_is_still_refused(cell):
    from imports import values

    with pytest.raises(values.BadValue, match="is not a date"):
        values.date(cell)


@pytest.mark.parametrize("name", ["Danh sách.xls", "Danh sách.xlsx", "Danh sách.csv"])
def test_an_old_or_password_protected_workbook_is_told_what_it_is(tmp_path, db, name):
    """Both are OLE2 compound files: the .xls had been read as a CSV in an unknown encoding,
    the encrypted .xlsx called "another kind of file renamed"."""
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 16)
    code, _out, err = command("tallies", path)
    assert code == 1
    assert err.strip() == (
        f"{name} is an Excel 97-2003 workbook (.xls) or a workbook protected by a password, "
        "which an import cannot read: open it in Excel, remove the password if it has one "
        "(File > Info > Protect Workbook), and save it as .xlsx (Excel Workbook) or as CSV UTF-8."
    )
