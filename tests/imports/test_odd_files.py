"""Real files that once crashed the server or were refused: each ends as the contract says,
through the command and through the admin (preview, "download errors" link, confirm), with
nothing half written, no traceback and no 500. Files: tests/fixtures/make_fixtures.py."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cadres.models import Cadre
from courses.models import Enrolment, ParticipantTally
from imports.models import ImportBatch

from .helpers import command, fixture

UPLOAD = reverse("admin:imports_importbatch_upload")

REFUSED = {
    "bomb_sparse.xlsx": "its sheet claims 1,048,576 rows x 16,384 columns (A1:XFD1048576)",
    "bomb_sparse_undeclared.xlsx": "its sheet has cells as far as A1:XFD1048576",
    "bomb_wide_declared.xlsx": "its sheet claims 100,000 rows x 1,000 columns (A1:ALL100000)",
    "bomb_compression.xlsx": "a compression no spreadsheet has (a 'zip bomb')",
}


def upload(client, name, kind="participants"):
    with open(fixture(name), "rb") as stream:
        return client.post(UPLOAD, {"kind": kind, "file": stream})


def nothing_written():
    return not (
        Cadre.objects.exists()
        or Enrolment.objects.exists()
        or ImportBatch.objects.filter(kind__in=["participants", "tallies"]).exists()
    )


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_hostile_workbook_is_refused_with_what_is_wrong_and_what_to_do(
    name, courses, client, admin_user
):
    code, _out, err = command("participants", fixture(name))
    assert code == 1
    assert REFUSED[name] in err
    assert "Traceback" not in err
    assert "save it again" in err  # what to do
    client.force_login(admin_user)
    response = upload(client, name)
    assert response.status_code == 200
    assert REFUSED[name].replace("'", "&#x27;") in response.content.decode()
    errors = client.get(
        reverse("admin:imports_importbatch_errors", args=[response.context["token"]])
    )
    assert errors.status_code == 200  # the page again, with the message: no 500
    assert REFUSED[name].replace("'", "&#x27;") in errors.content.decode()
    assert nothing_written()


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("participants_cp1258.csv", "Windows-1258"), ("participants_utf16.txt", "UTF-16")],
)
def test_vietnamese_windows_encodings_are_read_and_named(
    name, encoding, courses, client, admin_user
):
    code, out, err = command("participants", fixture(name), "--dry-run")
    assert code == 0, err
    assert f"encoding: {encoding}" in out
    client.force_login(admin_user)
    response = upload(client, name)
    html = response.content.decode()
    assert response.status_code == 200
    assert "confirm-import" in html
    assert f"{encoding}" in html
    assert "Đặng Văn Lực" in html
    confirm = client.post(
        reverse("admin:imports_importbatch_confirm", args=[response.context["token"]])
    )
    assert confirm.status_code == 302
    names = set(Cadre.objects.values_list("full_name", flat=True))
    assert names == {"Nguyễn Thị Hương", "Đặng Văn Lực", "Trương Thị Ưng"}


def test_a_file_mixing_utf8_and_bad_bytes_is_refused_naming_the_row(
    tmp_path, courses, client, admin_user
):
    good = "Mã khóa,Họ và tên\r\n" + "K2018-01,Nguyễn Văn Tốt\r\n" * 5000
    path = tmp_path / "tron.csv"
    path.write_bytes(
        good.encode() + "K2018-01,Lê Văn Xấu\r\n".encode("cp1258", "replace") + b"\xff\xfe\r\n"
    )
    code, _out, err = command("participants", path)
    assert code == 1
    assert "Traceback" not in err
    assert "UTF-8 text with invalid bytes at row 5002" in err
    client.force_login(admin_user)
    with open(path, "rb") as stream:
        response = client.post(UPLOAD, {"kind": "participants", "file": stream})
    assert response.status_code == 200
    assert "row 5002" in response.content.decode()
    errors = client.get(
        reverse("admin:imports_importbatch_errors", args=[response.context["token"]])
    )
    assert errors.status_code == 200
    assert nothing_written()


def test_control_characters_are_errors_naming_row_and_column_in_the_dry_run(
    courses, client, admin_user
):
    code, _out, err = command("participants", fixture("participants_nul.csv"), "--dry-run")
    assert code == 1
    assert err.splitlines() == [
        "row 3, column Họ và tên: the cell holds the control character NUL (U+0000), which no "
        "text may hold: delete it (it often comes with text copied from another program).",
        "row 4, column Chức vụ: the cell holds the control character VT (U+000B), which no "
        "text may hold: delete it (it often comes with text copied from another program).",
    ]
    client.force_login(admin_user)
    response = upload(client, "participants_nul.csv")
    assert response.status_code == 200
    assert "confirm-import" not in response.content.decode()
    token = response.context["token"]
    errors = client.get(reverse("admin:imports_importbatch_errors", args=[token]))
    assert errors.status_code == 200
    # A forced confirm runs as a job (imports/tasks.py) whose page shows the errors.
    confirm = client.post(reverse("admin:imports_importbatch_confirm", args=[token]), follow=True)
    assert confirm.status_code == 200
    assert "U+0000" in confirm.content.decode()
    assert nothing_written()


def test_the_error_file_keeps_the_csv_dialect_and_maps_messages_by_record(
    courses, client, admin_user
):
    code, _out, err = command("tallies", fixture("tallies_semicolon.csv"))
    assert code == 1
    assert err.splitlines() == [
        "row 4, column Cấp: 'Cấp vụ' is not a known rank.",
        "row 4, column Số lượt: 'mười' is not a number.",
    ]
    client.force_login(admin_user)
    response = upload(client, "tallies_semicolon.csv", kind="tallies")
    errors = client.get(
        reverse("admin:imports_importbatch_errors", args=[response.context["token"]])
    )
    assert errors.status_code == 200
    assert errors["Content-Disposition"].endswith('tallies_semicolon-loi.csv"')
    raw = errors.content
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "Mã khóa;Cấp;Số lượt;Ghi chú;Lỗi"
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert records[1] == ["K2020-03", "Chuyên viên", "12", "Đợt 1\nbổ sung sau"]  # no Lỗi
    assert records[2] == ["K2020-03", "Cấp phòng", "3", ""]
    assert records[3][:4] == ["K2020-03", "Cấp vụ", "mười", "sai"]
    assert "'mười' is not a number" in records[3][4]
    assert not ParticipantTally.objects.exists()


def test_a_list_with_title_rows_and_a_footer_block_imports_its_people_only(
    courses, client, admin_user
):
    code, out, err = command("participants", fixture("participants_footer.xlsx"))
    assert code == 0, err
    assert "3 rows, 3 created" in out
    assert "footer rows skipped: 8, 11, 12, 13, 15" in out
    # "Tổng Văn Cộng" looks like a total and the late row sits under the totals: both read.
    assert set(Cadre.objects.values_list("full_name", flat=True)) == {
        "Tổng Văn Cộng",
        "Hoàng Thị Lập",
        "Ngô Văn Bổ Sung",
    }
    client.force_login(admin_user)
    response = upload(client, "participants_footer.xlsx")
    html = response.content.decode()
    assert 'id="import-footer"' in html
    assert 'id="count-unchanged">3<' in html


def test_two_people_sharing_an_office_mailbox_are_two_people(courses, client, admin_user):
    client.force_login(admin_user)
    response = upload(client, "participants_shared_email.csv")
    html = response.content.decode()
    assert "confirm-import" in html
    assert 'id="count-people-created">2<' in html
    confirm = client.post(
        reverse("admin:imports_importbatch_confirm", args=[response.context["token"]])
    )
    assert confirm.status_code == 302
    assert sorted(Cadre.objects.values_list("id_number", "email")) == [
        ("002080000301", "ngoaivu@hagiang.gov.vn"),
        ("002085000302", "ngoaivu@hagiang.gov.vn"),
    ]
    code, out, _err = command("participants", fixture("participants_shared_email.csv"))
    assert code == 0
    assert "2 unchanged" in out
    assert "people: 2 matched, 0 created" in out


def test_the_xlsx_error_file_is_streamed_with_the_messages_on_their_rows(
    courses, client, admin_user
):
    client.force_login(admin_user)
    response = upload(client, "participants_errors.xlsx")
    errors = client.get(
        reverse("admin:imports_importbatch_errors", args=[response.context["token"]])
    )
    sheet = load_workbook(io.BytesIO(errors.content)).worksheets[0]
    header = [c.value for c in sheet[4]]
    assert header[-1] == "Lỗi"
    assert "31/02/1980" in sheet.cell(row=5, column=len(header)).value
