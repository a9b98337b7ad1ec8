"""A clerk uploads a sheet and reads, before confirming, what each row matched and what the
import would create; near-duplicate agencies are suggested and can be mapped (issue 12)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import PersonalDataAccess
from cadres.models import Agency, Cadre, Level, Locality
from courses.models import Course, Enrolment
from imports import preview
from imports.models import ImportBatch, Job

from ..access.conftest import current, staff
from ..admin.conftest import make_course
from ..imports.helpers import command, fixture, write_csv

UPLOAD = reverse("admin:imports_importbatch_upload")


def upload(client, path, kind="participants", **extra):
    with open(path, "rb") as stream:
        return client.post(UPLOAD, {"kind": kind, "file": stream, **extra})


def confirm(client, response, **choices):
    url = reverse("admin:imports_importbatch_confirm", args=[response.context["token"]])
    return client.post(url, choices)


def matches_row(response, number):
    """The described row ``number`` of the preview, as its cells' text."""
    described = response.context["described"]
    for row_number, cells in described["rows"]:
        if row_number == number:
            texts = [re.sub(r"<[^>]+>", "", str(cell)) for cell in cells]
            return dict(zip(described["header"], texts, strict=True))
    raise AssertionError(f"row {number} not described")


def test_it_says_what_each_row_matched(client, admin_user, courses):
    client.force_login(admin_user)
    response = upload(client, fixture("participants.xlsx"))
    assert response.status_code == 200
    first = matches_row(response, 5)
    course = Course.objects.get(code="K2018-01")
    assert first["Mã khóa"].startswith(f"K2018-01 — {course.title}")
    assert "existing" in first["Mã khóa"]
    assert first["Person"].startswith("Nguyễn Thị Hoà")
    assert "new" in first["Person"]
    # The province as the current unit it counts in; the rank by its name, from the title.
    assert first["Tỉnh/thành"] == "Hà Giang (former) → Tuyên Quang"
    with_rank = matches_row(response, 9)  # VU_TRUONG given as a code
    assert with_rank["Cấp"] == "Vụ trưởng, Giám đốc Sở và tương đương"
    assert matches_row(response, 5)["Cấp"] == "Phó Vụ trưởng, Phó Giám đốc Sở và tương đương"

    html = response.content.decode()
    assert 'id="import-matches"' in html
    assert f'href="{reverse("admin:courses_course_change", args=[course.pk])}"' in html
    assert Cadre.objects.count() == 0  # still a dry run


def test_an_existing_person_is_named_with_a_link_and_masked_personal_data(
    client, admin_user, courses
):
    code, _out, err = command("participants", fixture("participants.xlsx"))
    assert code == 0, err
    hoa = Cadre.objects.get(id_number="001180000123")
    clerk = staff("quangngai", "Clerks")  # national, without cadres.view_personal_data
    client.force_login(clerk)
    response = upload(client, fixture("participants.xlsx"))
    html = response.content.decode()
    person = matches_row(response, 5)["Person"]
    assert person.startswith("Nguyễn Thị Hoà")
    assert "existing" in person
    assert f'href="{reverse("admin:cadres_cadre_change", args=[hoa.pk])}"' in html
    assert "ID ••••••••0123" in person
    assert "born 1980" in person
    assert "001180000123" not in html
    assert "12/03/1980" not in html
    assert not PersonalDataAccess.objects.exists()
    client.force_login(admin_user)  # who may see personal data sees it, and is recorded
    person = matches_row(upload(client, fixture("participants.xlsx")), 5)["Person"]
    assert "ID 001180000123" in person
    assert "born 12/03/1980" in person
    seen = PersonalDataAccess.objects.get()
    assert seen.username == "admin"
    assert hoa.pk in seen.object_ids


def test_a_course_sheet_says_which_courses_are_new_and_what_changes(client, admin_user, courses):
    client.force_login(admin_user)
    response = upload(client, fixture("courses_changed.csv"), kind="courses")
    row = matches_row(response, 2)
    assert "existing" in row["Mã khóa"]
    assert "Planned participants: 80 → 85" in row["Mã khóa"]
    assert response.context["described"]["courses"] == ["K2026-09 — Khóa mới hoàn toàn"]
    assert "K2026-09 — Khóa mới hoàn toàn" in response.content.decode()


@pytest.fixture
def quang_ngai(db):
    """The course of a Quảng Ngãi clerk, and the province's People's Committee, written out."""
    province = current("51")
    committee = Agency.objects.create(
        name="Ủy ban nhân dân tỉnh Quảng Ngãi", level=Level.LOCAL, locality=province
    )
    course = make_course("QN2025-01", start=datetime.date(2025, 9, 8), locality=province)
    clerk = staff("qnclerk", "Clerks", kind="locality", locality=province)
    return committee, course, clerk


def quang_ngai_sheet(tmp_path, agency="UBND Quảng Ngãi"):
    return write_csv(
        tmp_path,
        "quang_ngai.csv",
        [
            ["Mã khóa", "Họ và tên", "Năm sinh", "Đơn vị công tác", "Tỉnh/thành"],
            ["QN2025-01", "Đinh Văn Bình", "1988", agency, "Quảng Ngãi"],
            ["QN2025-01", "Võ Thị Lan", "1991", agency, "Quảng Ngãi"],
            ["QN2025-01", "Trần Quốc Huy", "1979", "Trường Đại học Phạm Văn Đồng", "Quảng Ngãi"],
        ],
    )


def test_ubnd_quang_ngai_is_named_and_its_near_duplicate_suggested(client, quang_ngai, tmp_path):
    committee, _course, clerk = quang_ngai
    client.force_login(clerk)
    response = upload(client, quang_ngai_sheet(tmp_path))
    described = response.context["described"]
    agencies = {entry["name"]: entry for entry in described["agencies"]}
    assert set(agencies) == {"UBND Quảng Ngãi", "Trường Đại học Phạm Văn Đồng"}
    assert agencies["UBND Quảng Ngãi"]["suggestions"] == [committee]
    assert agencies["UBND Quảng Ngãi"]["rows"] == [2, 3]
    assert agencies["Trường Đại học Phạm Văn Đồng"]["suggestions"] == []  # unrelated
    assert described["people"] == ["Đinh Văn Bình", "Võ Thị Lan", "Trần Quốc Huy"]
    html = response.content.decode()
    assert "Use the existing agency “Ủy ban nhân dân tỉnh Quảng Ngãi”" in html
    assert Agency.objects.count() == Agency.objects.filter(pk__lte=committee.pk).count()


def test_the_chosen_agency_is_used_on_confirm_and_recorded(client, quang_ngai, tmp_path):
    committee, course, clerk = quang_ngai
    before = set(Agency.objects.values_list("pk", flat=True))
    client.force_login(clerk)
    response = upload(client, quang_ngai_sheet(tmp_path))
    key = response.context["described"]["agencies"][0]["field"]
    done = confirm(client, response, **{key: str(committee.pk)})
    assert done.status_code == 302
    batch = ImportBatch.objects.get()
    new = set(Agency.objects.values_list("name", flat=True).exclude(pk__in=before))
    assert new == {"Trường Đại học Phạm Văn Đồng"}  # UBND Quảng Ngãi was not created
    enrolled = Enrolment.objects.filter(course=course, cadre__full_name="Võ Thị Lan").get()
    assert enrolled.agency == committee
    assert enrolled.cadre.agency == committee
    assert batch.details["agencies_mapped"] == {"UBND Quảng Ngãi": committee.pk}
    page = client.get(reverse("admin:imports_importbatch_change", args=[batch.pk]))
    assert "UBND Quảng Ngãi → " in page.content.decode()


def test_an_agency_outside_the_clerks_scope_is_refused(client, quang_ngai, tmp_path):
    committee, _course, clerk = quang_ngai
    elsewhere = Agency.objects.create(
        name="Ủy ban nhân dân thành phố Hà Nội", level=Level.LOCAL, locality=current("01")
    )
    client.force_login(clerk)
    response = upload(client, quang_ngai_sheet(tmp_path))
    key = response.context["described"]["agencies"][0]["field"]
    refused = confirm(client, response, **{key: str(elsewhere.pk)})
    assert refused.status_code == 200  # the preview again, with the reason
    assert "is not one you may choose" in refused.content.decode()
    assert not ImportBatch.objects.exists()
    assert not Job.objects.exists()
    assert not Cadre.objects.exists()
    # Nor is a choice the preview did not offer, nor a value that is no number.
    for value in (str(committee.pk + 1000), "x'; --"):
        again = confirm(client, refused, **{key: value})
        assert again.status_code == 200
        assert not ImportBatch.objects.exists()
    # The suggestion itself goes through.
    assert confirm(client, refused, **{key: str(committee.pk)}).status_code == 302
    assert ImportBatch.objects.get().details["agencies_mapped"] == {"UBND Quảng Ngãi": committee.pk}


def test_suggestions_come_only_from_agencies_the_clerk_may_see(client, quang_ngai, tmp_path):
    committee, _course, clerk = quang_ngai
    committee.locality = current("01")  # now a Hà Nội agency: not the clerk's to see
    committee.save()
    client.force_login(clerk)
    response = upload(client, quang_ngai_sheet(tmp_path))
    assert all(not e["suggestions"] for e in response.context["described"]["agencies"])
    assert "Ủy ban nhân dân tỉnh Quảng Ngãi" not in response.content.decode()


def test_agency_names_are_compared_with_abbreviations_expanded():
    tokens = preview.agency_tokens
    assert tokens("UBND Quảng Ngãi") == tokens("Ủy ban nhân dân tỉnh Quảng Ngãi")
    assert tokens("Sở NGV TP. Đà Nẵng") == tokens("Sở Ngoại vụ thành phố Đà Nẵng")
    assert tokens("Sở Ngoại vụ Thanh Hóa") == {"so", "ngoai", "vu", "thanh", "hoa"}
    same = preview.similarity(tokens("UBND Quảng Ngãi"), tokens("Ủy ban nhân dân tỉnh Quảng Ngãi"))
    other = preview.similarity(tokens("UBND Quảng Ngãi"), tokens("Ủy ban nhân dân tỉnh Quảng Nam"))
    assert same == 1.0
    assert other < preview.SIMILARITY


def test_the_preview_reads_in_vietnamese(client, admin_user, courses, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(admin_user)
    with translation.override("vi"):
        response = upload(client, fixture("participants.xlsx"), HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()
    assert "Hà Giang (cũ) → Tuyên Quang" in html
    assert "(participants)" not in html
    assert "Person" not in html
    assert Locality.objects.filter(code="02", era="former").exists()
