"""Reverting an import undoes what it did and nothing done after it (issue 10, item 2):
rows changed or used since are kept and named, after a confirmation page that says so."""

import datetime

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from accounts.models import AccessScope
from cadres.models import Agency, Cadre, LanguageSkill
from courses.models import Enrolment, ParticipantTally, Programme
from courses.services import merge_cadres
from history.models import TRACKED
from imports.models import ImportBatch
from imports.services import plan_revert, revert_batch, run_import

from ..access.conftest import current, staff
from ..admin.conftest import enrol, make_course
from ..imports.helpers import command, fixture, write_csv
from ..imports.test_scope import LAO_CAI_ROWS, lao_cai_clerk, participants  # noqa: F401

CHANGELIST = "admin:imports_importbatch_changelist"


def imported(name="participants.xlsx", kind="participants"):
    code, _out, err = command(kind, fixture(name))
    assert code == 0, err
    return ImportBatch.objects.latest("id")


def choose_revert(client, batch, confirm=False):
    data = {"action": "revert_selected", ACTION_CHECKBOX_NAME: [batch.pk]}
    if confirm:
        data["post"] = "yes"
    return client.post(reverse(CHANGELIST), data)


def by_hand(obj, user):
    """Save as the admin does: the history records who changed it."""
    obj._history_user = user
    obj.save()


def test_a_person_given_an_email_and_a_language_by_hand_is_kept(client, courses, admin_user):
    batch = imported()
    tuan = Cadre.objects.get(full_name="Lê Minh Tuấn")
    tuan.email = "tuan.lm@hagiang.gov.vn"
    by_hand(tuan, admin_user)
    LanguageSkill.objects.create(cadre=tuan, language="en", level=LanguageSkill.Level.B2)

    client.force_login(admin_user)
    page = choose_revert(client, batch)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lê Minh Tuấn" in html
    assert "changed by admin" in html
    assert ImportBatch.objects.get(pk=batch.pk).status == "applied"  # nothing yet

    response = choose_revert(client, batch, confirm=True)
    assert response.status_code == 302
    tuan.refresh_from_db()
    assert tuan.email == "tuan.lm@hagiang.gov.vn"
    assert tuan.languages.get().language == "en"
    assert list(Cadre.objects.values_list("full_name", flat=True)) == ["Lê Minh Tuấn"]
    assert not Enrolment.objects.filter(import_batch=batch).exists()
    batch.refresh_from_db()
    assert batch.status == "reverted"
    assert batch.reverted_by == admin_user


def test_a_tally_corrected_by_hand_after_the_import_keeps_the_correction(
    client, courses, admin_user, tmp_path
):
    imported("tallies.csv", "tallies")
    path = write_csv(tmp_path, "t.csv", [["Mã khóa", "Cấp", "Số lượt"], ["K2020-03", "VT", 9]])
    assert command("tallies", path)[0] == 0
    update = ImportBatch.objects.latest("id")
    tally = ParticipantTally.objects.get(rank__code="VU_TRUONG")
    client.force_login(admin_user)
    form = client.get(reverse("admin:courses_participanttally_change", args=[tally.pk]))
    data = {
        "course": tally.course_id,
        "rank": tally.rank_id,
        "locality": "",
        "gender": "",
        "count": "999",
    }
    saved = client.post(reverse("admin:courses_participanttally_change", args=[tally.pk]), data)
    assert form.status_code == 200
    assert saved.status_code == 302, saved.content[:2000]
    tally.refresh_from_db()
    assert tally.count == 999

    html = choose_revert(client, update).content.decode()
    assert "Will be kept" in html
    assert "changed by admin" in html
    choose_revert(client, update, confirm=True)
    tally.refresh_from_db()
    assert tally.count == 999  # not put back to 5, nor to 9
    update.refresh_from_db()
    assert update.status == "reverted"
    assert update.details["revert"]["restored"] == 0


def test_an_imported_person_into_whom_a_hand_entered_record_was_merged_keeps_everything(
    courses, admin_user
):
    hand = Cadre.objects.create(
        full_name="Lê Minh Tuấn",
        birth_date=datetime.date(1990, 11, 30),
        id_number="002090001234",
        rank=Cadre._meta.get_field("rank").related_model.objects.get(code="CHUYEN_VIEN"),
        locality=current("01"),
    )
    LanguageSkill.objects.create(cadre=hand, language="fr", level=LanguageSkill.Level.B2)
    batch = imported()
    duplicate = Cadre.objects.filter(import_batch=batch, full_name="Lê Minh Tuấn").get()
    merge_cadres(keep=duplicate, remove=hand, user=admin_user)

    revert_batch(batch, user=admin_user)
    kept = Cadre.objects.get(pk=duplicate.pk)
    assert kept.id_number == "002090001234"
    assert kept.languages.get().language == "fr"
    assert Cadre.objects.count() == 1


def test_a_person_moved_to_ha_noi_and_enrolled_there_survives_the_lao_cai_revert(
    lao_cai_clerk,  # noqa: F811 (the fixture imported above)
    tmp_path,
    admin_user,
):
    assert run_import("participants", participants(tmp_path, *LAO_CAI_ROWS), user=lao_cai_clerk).ok
    batch = ImportBatch.objects.get(kind="participants")
    pao = Cadre.objects.get(full_name="Lò Văn Páo")
    pao.locality = current("01")
    by_hand(pao, admin_user)
    ha_noi_course = make_course(code="HN-2024-01", locality=current("01"))
    enrol(ha_noi_course, pao)

    plan = plan_revert(batch, user=lao_cai_clerk)
    assert pao.pk not in plan.remove["cadres.cadre"]
    revert_batch(batch, user=lao_cai_clerk)
    pao.refresh_from_db()
    assert pao.locality == current("01")
    assert list(pao.enrolments.values_list("course__code", flat=True)) == ["HN-2024-01"]
    assert not Cadre.objects.filter(full_name="Hoàng Thị Yến").exists()


def test_choosing_revert_and_go_only_shows_what_would_happen(client, courses, admin_user):
    batch = imported()
    cadres, enrolments = Cadre.objects.count(), Enrolment.objects.count()
    client.force_login(admin_user)
    page = choose_revert(client, batch)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Will be removed" in html
    assert 'id="confirm-revert"' in html
    plan = page.context["plans"][0]["plan"]
    assert dict(plan.removed_counts)["cadres"] == cadres == 5
    assert dict(plan.removed_counts)["enrolments"] == enrolments
    assert (Cadre.objects.count(), Enrolment.objects.count()) == (cadres, enrolments)
    assert ImportBatch.objects.get(pk=batch.pk).status == "applied"
    choose_revert(client, batch, confirm=True)
    assert (Cadre.objects.count(), Enrolment.objects.count()) == (0, 0)


def test_a_new_agency_now_lead_agency_and_scope_agency_is_reported_not_a_500(
    client, courses, admin_user, tmp_path
):
    path = write_csv(
        tmp_path,
        "p.csv",
        [
            ["Mã khóa", "Họ và tên", "Năm sinh", "Cơ quan", "Tỉnh/thành"],
            ["K2018-01", "Đỗ Văn Long", "1988", "Sở Ngoại vụ Mới", "Hà Nội"],
        ],
    )
    assert command("participants", path)[0] == 0
    batch = ImportBatch.objects.latest("id")
    agency = Agency.objects.get(name="Sở Ngoại vụ Mới")
    programme = Programme.objects.order_by("pk").first()
    programme.lead_agency = agency
    programme.save()
    scoped = staff("somoi", "Clerks", kind="agency", agency=agency)

    client.force_login(admin_user)
    page = choose_revert(client, batch)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Protected:" in html
    assert f"lead agency of programme {programme.code}" in html
    assert "scope agency of user somoi" in html
    response = choose_revert(client, batch, confirm=True)
    assert response.status_code == 302
    assert Agency.objects.filter(pk=agency.pk).exists()
    assert AccessScope.objects.get(user=scoped).agency == agency
    assert not Cadre.objects.filter(full_name="Đỗ Văn Long").exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == "reverted"


def test_a_revert_writes_one_history_entry_not_one_per_row(courses, admin_user):
    batch = imported()
    rows_before = sum(model.history.count() for model in TRACKED)
    reverted = revert_batch(batch, user=admin_user)
    assert sum(model.history.count() for model in TRACKED) == rows_before
    assert reverted.reverted_by == admin_user
    assert reverted.reverted_at is not None
    assert reverted.details["revert"]["removed"]["cadres"] == 5
