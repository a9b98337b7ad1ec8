"""Bad plans are refused: by the database first, then by clean() with a message on the field,
and by the sheet with the row and column; nothing is written."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from cadres.models import Agency, Rank
from courses.models import CourseType, Programme
from plans.models import Plan, PlanLine, ReportingPeriod

from .conftest import current
from .helpers import plan_form, write_csv


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def kn():
    return CourseType.objects.get(code="KIEN_THUC")


def test_the_database_refuses_bad_plans_and_lines(db):
    lc = current("15")
    bng = Agency.objects.get(code="BNG")
    refused(lambda: Plan.objects.create(year=2026))  # no unit
    refused(lambda: Plan.objects.create(year=2026, locality=lc, agency=bng))  # both
    plan = Plan.objects.create(year=2026, locality=lc)
    refused(lambda: Plan.objects.create(year=2026, locality=lc))  # twice the same
    Plan.objects.create(year=2026, locality=lc, programme=Programme.objects.get(code="NQ26-2018"))
    PlanLine.objects.create(plan=plan, course_type=kn(), courses=1)
    refused(lambda: PlanLine.objects.create(plan=plan, course_type=kn(), courses=2))
    PlanLine.objects.create(plan=plan, course_type=kn(), abroad=True)  # another line
    officer = Rank.objects.get(code=Rank.OFFICER)
    PlanLine.objects.create(plan=plan, course_type=kn(), rank=officer)
    refused(lambda: PlanLine.objects.create(plan=plan, course_type=kn(), rank=officer))
    refused(lambda: PlanLine.objects.create(plan=plan, course_type=kn(), quarter=5))
    refused(lambda: ReportingPeriod.objects.create(year=2026, locality=lc, status="done"))
    ReportingPeriod.objects.create(year=2026, locality=lc)
    refused(lambda: ReportingPeriod.objects.create(year=2026, locality=lc))


def test_clean_says_which_field_is_wrong(db):
    qd = Programme.objects.get(code="QD2007-2015")  # 2016-2020
    plan = Plan(year=2026, locality=current("15"), programme=qd)
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert "year" in error.value.message_dict
    assert "2016-2020" in error.value.message_dict["year"][0]
    plan = Plan.objects.create(year=2026, locality=current("15"))
    PlanLine.objects.create(plan=plan, course_type=kn())
    twin = PlanLine(plan=plan, course_type=kn(), budget=10)
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert {"course_type", "funding_source"} <= set(error.value.message_dict)


def test_the_admin_form_shows_a_negative_number_on_its_field(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:plans_plan_add"),
        plan_form(current("15"), lines=[("KY_NANG", False, "", -2, 10, 0, "", 0)]),
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "courses" in formset.forms[0].errors
    assert not Plan.objects.exists()


def test_the_admin_list_shows_totals(client, admin_user):
    plan = Plan.objects.create(year=2026, locality=current("15"))
    PlanLine.objects.create(plan=plan, course_type=kn(), courses=2, participant_times=1500)
    client.force_login(admin_user)
    page = client.get(reverse("admin:plans_plan_changelist")).content.decode()
    assert "1.500" in page
    page = client.get(reverse("admin:plans_plan_change", args=[plan.pk])).content.decode()
    assert "1.500" in page


def test_a_lao_cai_clerk_sees_lao_cai_plans_only(client, world, lao_cai_clerk):
    mine = Plan.objects.create(year=2026, locality=current("15"))
    other = Plan.objects.create(year=2026, locality=current("01"))
    client.force_login(lao_cai_clerk)
    assert client.get(reverse("admin:plans_plan_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:plans_plan_change", args=[other.pk])).status_code in (
        302,
        404,
    )
    listing = client.get(reverse("admin:plans_plan_changelist")).content.decode()
    assert "Lào Cai" in listing
    assert "Hà Nội · 2026" not in listing


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_spreadsheet", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


HEADER = [
    "Năm",
    "Tỉnh/thành",
    "Cơ quan",
    "Mã đề án",
    "Loại khóa",
    "Số khóa",
    "Cấp",
    "Số lượt",
    "Kinh phí",
    "Nguồn kinh phí",
    "Quý",
]


def test_import_spreadsheet_plans_creates_then_changes_nothing(db, tmp_path):
    path = write_csv(
        tmp_path / "plans.csv",
        [
            HEADER,
            [
                "2026",
                "Lào Cai",
                "",
                "",
                "KIEN_THUC",
                "2",
                "CHUYEN_VIEN",
                "60",
                "150.000.000",
                "Ngân sách địa phương",
                "2",
            ],
            ["2026", "", "BNG", "NQ26-2018", "Kỹ năng", "1", "", "40", "0", "", ""],
            ["2019", "", "BNG", "QD2007-2015", "KY_NANG", "3", "", "250", "1 000 000", "NSTW", "0"],
        ],
    )
    code, out, err = command("plans", path)
    assert code == 0, err
    assert "3 created" in out
    assert Plan.objects.count() == 3
    assert PlanLine.objects.count() == 3
    line = PlanLine.objects.get(plan__locality__code="15")
    assert (line.budget, line.funding_source, line.quarter, line.rank.code) == (
        150_000_000,
        "local",
        2,
        "CHUYEN_VIEN",
    )
    code, out, err = command("plans", path)
    assert code == 0
    assert "3 unchanged" in out
    assert PlanLine.objects.count() == 3


def test_a_bad_plans_sheet_names_every_bad_row_and_writes_nothing(db, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            HEADER,
            ["2026", "Lào Cai", "", "", "KIEN_THUC", "-1", "", "10", "", "", ""],  # negative
            ["2026", "Atlantis", "", "", "KIEN_THUC", "1", "", "10", "", "", ""],  # unknown
            ["2026", "", "BNG", "QD2007-2015", "KIEN_THUC", "1", "", "10", "", "", ""],  # year
            ["2026", "Hà Nội", "", "", "KY_NANG", "1", "", "10", "", "", ""],
            ["2026", "Hà Nội", "", "", "KY_NANG", "2", "", "20", "", "", ""],  # duplicate
            ["2026", "Hà Nội", "BNG", "", "KY_NANG", "2", "", "20", "", "", ""],  # both
            ["2026", "Huế", "", "", "KY_NANG", "2", "", "20", "5", "", ""],  # no source
            ["2026", "Huế", "", "", "KY_NANG", "2", "", "20", "", "", "7"],  # quarter
        ],
    )
    code, _out, err = command("plans", path)
    assert code == 1
    lines = err.strip().splitlines()
    assert any(line.startswith("row 2, column Số khóa:") for line in lines)
    assert any(line.startswith("row 3, column Tỉnh/thành:") for line in lines)
    assert any(line.startswith("row 4, column Năm:") and "2016-2020" in line for line in lines)
    assert any(line.startswith("row 6,") and "row 5" in line for line in lines)
    assert any(line.startswith("row 7,") for line in lines)
    assert any(line.startswith("row 8, column Nguồn kinh phí") for line in lines)
    assert any(line.startswith("row 9, column Quý") for line in lines)
    assert not any(line.startswith("row 5,") for line in lines)
    assert not Plan.objects.exists()
    assert not PlanLine.objects.exists()


def test_a_clerk_imports_plans_of_their_scope_only(world, lao_cai_clerk, tmp_path):
    from imports.services import run_import

    path = write_csv(
        tmp_path / "p.csv",
        [HEADER, ["2026", "Hà Nội", "", "", "KY_NANG", "1", "", "10", "", "", ""]],
    )
    result = run_import("plans", str(path), user=lao_cai_clerk)
    assert not result.ok
    assert "Lào Cai" in result.errors[0][2]
    assert not Plan.objects.exists()


def test_the_plans_template_downloads(client, admin_user):
    from openpyxl import load_workbook

    client.force_login(admin_user)
    response = client.get(reverse("admin:imports_importbatch_template", args=["plans"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in next(book.active.iter_rows())]
    assert header[:5] == ["Năm", "Tỉnh/thành", "Cơ quan", "Mã đề án", "Loại khóa"]
