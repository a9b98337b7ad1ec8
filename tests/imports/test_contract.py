"""The sheet contract (imports/contract.py) is the one definition: the README's table, the
importer's headers, the admin's exports and the templates all follow it."""

import io
from pathlib import Path

from django.urls import reverse
from openpyxl import load_workbook

from cadres.resources import WorkforceBaselineExportResource
from courses.resources import (
    CourseExportResource,
    EnrolmentExportResource,
    ParticipantTallyExportResource,
)
from imports.contract import SHEETS, readme_table
from imports.kinds import KINDS, register

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = {
    "courses": CourseExportResource,
    "participants": EnrolmentExportResource,
    "tallies": ParticipantTallyExportResource,
    "baselines": WorkforceBaselineExportResource,
}


def test_the_readme_and_docs_tables_are_the_contracts():
    for doc in ("README.md", "docs/IMPORTS.md"):
        assert readme_table() in (ROOT / doc).read_text(encoding="utf-8"), doc


def test_the_importer_reads_every_header_of_the_contract():
    for kind, sheet in SHEETS.items():
        headers = KINDS[kind].header_map()
        for column in sheet.columns:
            for header in column.headers:
                from trainingmgr.text import fold

                assert headers[fold(header)] == column.name, (kind, header)


def test_exports_write_the_contracts_vietnamese_headers():
    for kind, resource in RESOURCES.items():
        headers = [resource().fields[name].column_name for name in resource().get_export_order()]
        assert headers == [c.vi for c in SHEETS[kind].columns if c.exported]


def test_templates_speak_vietnamese_names_not_codes(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:imports_importbatch_template", args=["participants"]))
    assert response["Content-Disposition"] == 'attachment; filename="mau-hoc-vien.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet, lists = book.worksheets
    assert sheet.title == "Học viên"
    assert [c.value for c in sheet[1]][:3] == ["Mã khóa", "Họ và tên", "Ngày sinh"]
    assert sheet["B2"].value == "Nguyễn Thị Hòa"  # a filled example row
    listed = {c.value for col in lists.iter_cols(min_row=2) for c in col if c.value}
    assert {"Chuyên viên", "Hoàn thành", "Nữ", "Thành phố Hà Nội"} <= listed
    assert not listed & {"CHUYEN_VIEN", "KY_NANG", "completed", "F"}
    courses = client.get(reverse("admin:imports_importbatch_template", args=["courses"]))
    types = load_workbook(io.BytesIO(courses.content)).worksheets[1]
    assert "KY_NANG" not in {c.value for col in types.iter_cols() for c in col}


def test_the_export_form_offers_xlsx_and_vietnamese_labels(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:courses_course_export"))
    html = response.content.decode()
    assert "---" not in html.split('name="format"')[1].split("</select>")[0]
    assert "Code (Mã khóa)" not in html
    assert "Mã khóa" in html


def test_a_kind_of_another_app_registers_with_one_line():
    class PlanImporter(KINDS["tallies"]):
        kind = "plans-test"

    try:
        register(PlanImporter)
        assert KINDS["plans-test"] is PlanImporter
        from imports.admin import UploadForm

        assert "plans-test" in dict(UploadForm().fields["kind"].choices)
    finally:
        KINDS.pop("plans-test")
