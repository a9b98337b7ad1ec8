"""The admin flow: upload -> preview (dry run) -> confirm; errors file; templates; revert."""

import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from cadres.models import Cadre
from courses.models import Enrolment
from imports.models import ImportBatch

from .helpers import fixture

UPLOAD = reverse("admin:imports_importbatch_upload")


def upload(client, name, kind="participants", **extra):
    with open(fixture(name), "rb") as stream:
        return client.post(UPLOAD, {"kind": kind, "file": stream, **extra})


def test_it_previews_then_imports_on_confirm(client, admin_user, courses):
    client.force_login(admin_user)
    response = upload(client, "participants.xlsx")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="count-created">7<' in html
    assert 'id="count-people-created">5<' in html
    assert "confirm-import" in html
    assert "Nguyễn Thị Hoà" in html
    assert Cadre.objects.count() == 0  # a preview writes nothing
    token = response.context["token"]
    confirm = client.post(reverse("admin:imports_importbatch_confirm", args=[token]))
    assert confirm.status_code == 302
    batch = ImportBatch.objects.get(kind="participants")
    assert batch.user == admin_user
    assert batch.created == 7
    assert batch.file_name == "participants.xlsx"
    assert Enrolment.objects.count() == 7
    assert confirm["Location"] == reverse("admin:imports_importbatch_change", args=[batch.pk])


def test_a_rejected_file_lists_every_error_and_gives_the_annotated_file(
    client, admin_user, courses
):
    client.force_login(admin_user)
    response = upload(client, "participants_errors.xlsx")
    html = response.content.decode()
    assert "row 5, column Ngày sinh: 31/02/1980 is not a valid date." in html
    assert "confirm-import" not in html
    errors = client.get(
        reverse("admin:imports_importbatch_errors", args=[response.context["token"]])
    )
    assert errors.status_code == 200
    sheet = load_workbook(io.BytesIO(errors.content)).worksheets[0]
    header = [c.value for c in sheet[4]]
    assert header[-1] == "Lỗi"
    column = len(header)
    assert "31/02/1980" in sheet.cell(row=5, column=column).value
    assert sheet.cell(row=9, column=column).value is None  # the good row has no error
    assert Cadre.objects.count() == 0


def test_a_csv_error_file_stays_csv(client, admin_user, courses):
    client.force_login(admin_user)
    response = upload(client, "tallies_bad_numbers.csv", kind="tallies")
    errors = client.get(
        reverse("admin:imports_importbatch_errors", args=[response.context["token"]])
    )
    lines = errors.content.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(",Lỗi")
    assert "không" not in lines[0]
    assert "is not a number" in lines[1]


def test_a_file_over_the_limit_is_a_form_error(client, admin_user, settings, db):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    client.force_login(admin_user)
    response = upload(client, "participants.xlsx")
    assert response.status_code == 200
    assert "the limit is" in response.content.decode()
    assert "file" in response.context["form"].errors


def test_importing_needs_its_own_permission(client, clerk, db):
    """Staff who may list the data (a manager) may not import; the Clerks role (the migrated
    group, which holds imports.import_spreadsheet) may."""
    viewer = type(clerk).objects.create_user("viewer", "viewer@example.vn", "x", is_staff=True)
    viewer.groups.add(Group.objects.get(name="Managers"))
    client.force_login(viewer)
    assert client.get(UPLOAD).status_code == 403
    assert clerk.has_perm("imports.import_spreadsheet")
    client.force_login(clerk)
    assert client.get(UPLOAD + "?kind=tallies").status_code == 200


@pytest.mark.parametrize("kind", ["courses", "participants", "tallies", "baselines"])
def test_templates_have_headers_an_example_and_dropdowns(client, admin_user, kind):
    client.force_login(admin_user)
    response = client.get(reverse("admin:imports_importbatch_template", args=[kind]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value
    assert sheet["A2"].value
    validations = sheet.data_validations.dataValidation
    assert validations
    assert all(v.type == "list" for v in validations)
    assert "Danh mục" in workbook.sheetnames


def test_revert_action_from_the_batch_list(client, admin_user, courses):
    client.force_login(admin_user)
    token = upload(client, "participants.xlsx").context["token"]
    client.post(reverse("admin:imports_importbatch_confirm", args=[token]))
    batch = ImportBatch.objects.get(kind="participants")
    changelist = reverse("admin:imports_importbatch_changelist")
    listing = client.get(changelist)
    assert "participants.xlsx" in listing.content.decode()
    client.post(changelist, {"action": "revert_selected", "_selected_action": [batch.pk]})
    batch.refresh_from_db()
    assert batch.status == "applied"  # a confirmation page first (tests/lost/test_revert.py)
    client.post(
        changelist, {"action": "revert_selected", "_selected_action": [batch.pk], "post": "yes"}
    )
    batch.refresh_from_db()
    assert batch.status == "reverted"
    assert Cadre.objects.count() == 0
