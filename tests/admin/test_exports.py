"""Exports from the admin lists: xlsx and csv, the active filters honoured, the Vietnamese
headers of the spreadsheet contract, values an import accepts, and formulae defused."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from cadres.models import Locality, WorkforceBaseline
from cadres.resources import WorkforceBaselineExportResource
from courses.resources import (
    CourseExportResource,
    EnrolmentExportResource,
    ParticipantTallyExportResource,
)

from .conftest import enrol, locality, make_agency, make_cadre, make_course, programme, rank, tally

XLSX, CSV = "0", "1"  # positions in cadres.resources.EXPORT_FORMATS


def export(client, changelist, resource, file_format=XLSX, filters=None):
    """Post the admin's export form with every column ticked, from a filtered list."""
    data = {"format": file_format, "resource": "0"}
    for field in resource().get_export_order():
        data[f"{resource.__name__.lower()}_{field}"] = "on"
    url = reverse(changelist.replace("changelist", "export"))
    query = "?" + "&".join(f"{k}={v}" for k, v in (filters or {}).items()) if filters else ""
    return client.post(url + query, data)


def sheet_rows(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)], book.active


@pytest.fixture
def courses(db):
    in_programme = make_course(
        code="QD2007-K1",
        title="Kỹ năng hội nhập",
        programme=programme(),
        start=datetime.date(2019, 3, 4),
        end_date=datetime.date(2019, 3, 6),
        locality=locality("04"),
        planned_participants=9000,
        budget_planned=150_000_000,
    )
    abroad = make_course(
        code="QD2007-K2",
        title='=HYPERLINK("x")',
        programme=programme(),
        start=datetime.date(2020, 9, 1),
        country="Singapore",
        organiser=make_agency(name="Trường Bồi dưỡng cán bộ đối ngoại", code="TBD-DN"),
    )
    make_course(code="OTHER", programme=programme("QD247-2016"))
    return in_programme, abroad


def test_courses_export_to_xlsx_with_the_list_filter(admin_client_for, admin_user, courses):
    response = export(
        admin_client_for(admin_user),
        "admin:courses_course_changelist",
        CourseExportResource,
        filters={"programme__id__exact": programme().pk},
    )

    rows, _sheet = sheet_rows(response)
    assert rows[0] == [
        "Mã khóa",
        "Tên khóa",
        "Mã đề án",
        "Loại khóa",
        "Đơn vị tổ chức",
        "Ngày bắt đầu",
        "Ngày kết thúc",
        "Tỉnh/thành",
        "Nước ngoài",
        "Hình thức",
        "Số học viên dự kiến",
        "Kinh phí dự toán",
        "Kinh phí thực hiện",
    ]
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"QD2007-K1", "QD2007-K2"}  # OTHER is filtered out
    assert by_code["QD2007-K1"] == [
        "QD2007-K1",
        "Kỹ năng hội nhập",
        "QD2007-2015",
        "Bồi dưỡng kỹ năng",  # course types, modes... by their Vietnamese names
        None,
        datetime.datetime(2019, 3, 4),  # real dates
        datetime.datetime(2019, 3, 6),
        "Cao Bằng (mới)",  # the current unit, on a course dated before the merger
        None,
        "Trực tiếp",
        9000,
        150_000_000,
        None,
    ]
    assert by_code["QD2007-K2"][4] == "TBD-DN"
    assert by_code["QD2007-K2"][8] == "Singapore"


def test_a_formula_in_a_name_comes_out_as_text(admin_client_for, admin_user, courses):
    response = export(
        admin_client_for(admin_user), "admin:courses_course_changelist", CourseExportResource
    )
    rows, sheet = sheet_rows(response)
    titles = [row[1] for row in rows[1:]]
    # Kept whole (nothing stripped), stored as a string: no formula, no apostrophe shown.
    assert '=HYPERLINK("x")' in titles
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_courses_export_to_csv_for_excel(admin_client_for, admin_user, courses):
    response = export(
        admin_client_for(admin_user),
        "admin:courses_course_changelist",
        CourseExportResource,
        file_format=CSV,
        filters={"held": "abroad"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mã khóa,Tên khóa,Mã đề án,Loại khóa,")
    assert len(lines) == 2
    assert lines[1].startswith(
        'QD2007-K2,"\'=HYPERLINK(""x"")",QD2007-2015,Bồi dưỡng kỹ năng,TBD-DN,01/09/2020,'
    )


def test_a_big_number_is_written_without_a_thousand_separator(
    admin_client_for, admin_user, courses
):
    response = export(
        admin_client_for(admin_user),
        "admin:courses_course_changelist",
        CourseExportResource,
        file_format=CSV,
        filters={"held": "home", "programme__id__exact": programme().pk},
    )
    line = response.content.decode("utf-8-sig").splitlines()[1]
    assert line.endswith(",Cao Bằng (mới),,Trực tiếp,9000,150000000,")


def test_enrolments_export_as_a_participant_list(admin_client_for, admin_user):
    course = make_course(code="K-2019", start=datetime.date(2019, 5, 6))
    yen_bai = locality("15", Locality.Era.FORMER)
    cadre = make_cadre(
        full_name="Hoàng Văn Hải",
        rank_code="PHO_VU_TRUONG",
        birth_date=datetime.date(1975, 2, 3),
        gender="M",
        id_number="001075000123",
        email="hai@mofa.gov.vn",
        position="Phó Giám đốc Sở",
        agency=make_agency(name="Sở Ngoại vụ Yên Bái"),
        locality=yen_bai,
    )
    enrol(course, cadre)
    cadre.rank = rank("VU_TRUONG")  # promoted later: the list keeps the rank at the course
    cadre.save()
    enrol(make_course(code="K-OTHER"), make_cadre())

    response = export(
        admin_client_for(admin_user),
        "admin:courses_enrolment_changelist",
        EnrolmentExportResource,
        filters={"course__start_date_year": "2019", "q": "K-2019"},
    )

    rows, _sheet = sheet_rows(response)
    assert rows == [
        [
            "Mã khóa",
            "Họ và tên",
            "Ngày sinh",
            "Năm sinh",
            "Giới tính",
            "Số định danh",
            "Email",
            "Chức vụ",
            "Cấp",
            "Cơ quan",
            "Tỉnh/thành",
            "Kết quả",
        ],
        [
            "K-2019",
            "Hoàng Văn Hải",
            datetime.datetime(1975, 2, 3),
            None,  # the birth year is written only when there is no birth date
            "Nam",
            "001075000123",
            "hai@mofa.gov.vn",
            "Phó Giám đốc Sở",
            rank("PHO_VU_TRUONG").name,  # as at the course, by its name
            "Sở Ngoại vụ Yên Bái",
            "Yên Bái",  # a former province on a 2019 course: its name alone
            "Tham dự",
        ],
    ]


def test_tallies_and_baselines_export_with_contract_headers(admin_client_for, admin_user):
    tally(make_course(code="K-T"), 42, locality=locality("04"), gender="F")
    WorkforceBaseline.objects.create(year=2020, rank=rank(), locality=locality("04"), headcount=7)
    client = admin_client_for(admin_user)

    tallies, _sheet = sheet_rows(
        export(client, "admin:courses_participanttally_changelist", ParticipantTallyExportResource)
    )
    baselines, _sheet = sheet_rows(
        export(client, "admin:cadres_workforcebaseline_changelist", WorkforceBaselineExportResource)
    )

    assert tallies == [
        ["Mã khóa", "Cấp", "Tỉnh/thành", "Giới tính", "Số lượt"],
        ["K-T", rank().name, "Cao Bằng (mới)", "Nữ", 42],
    ]
    assert baselines == [
        ["Năm", "Cấp", "Tỉnh/thành", "Cơ quan", "Số lượng"],
        [2020, rank().name, "Cao Bằng (mới)", None, 7],
    ]


def test_exporting_needs_the_view_permission(client, db, courses):
    user = User.objects.create_user("viewer", is_staff=True)
    client.force_login(user)
    assert export(client, "admin:courses_course_changelist", CourseExportResource).status_code == (
        403
    )
    user.user_permissions.add(Permission.objects.get(codename="view_course"))
    client.force_login(User.objects.get(pk=user.pk))
    rows, _sheet = sheet_rows(
        export(client, "admin:courses_course_changelist", CourseExportResource)
    )
    assert len(rows) == 4


def test_every_list_exports(admin_client_for, admin_user, courses):
    """Every admin list with an export (walked from the registry, none picked by hand) gives
    an xlsx with a header row and one row per record of the list; with nothing ticked the
    form asks for a column instead."""
    from django.contrib import admin as django_admin
    from django.test import RequestFactory
    from import_export.admin import ExportMixin

    client = admin_client_for(admin_user)
    request = RequestFactory().get("/")
    request.user = admin_user
    exporting = [
        (model, model_admin)
        for model, model_admin in django_admin.site._registry.items()
        if isinstance(model_admin, ExportMixin)
    ]
    assert len(exporting) >= 6
    for model, model_admin in exporting:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        resource = model_admin.get_export_resource_classes(request)[0]
        fields = resource().get_export_order()
        response = client.post(reverse(f"{info}_export"), {"format": XLSX, "resource": "0"})
        assert response.status_code == 200, model
        assert response.context["form"].errors, model
        rows, _sheet = sheet_rows(export(client, f"{info}_changelist", resource))
        assert len(rows[0]) == len(fields), model
        assert all(rows[0]), model  # every column has a header
        assert len(rows) - 1 == model_admin.get_queryset(request).count(), model
