"""Importing twice changes nothing; an update is logged; a batch reverts, keeping what
something newer depends on."""

import pytest

from cadres.models import Agency, Cadre
from courses.models import Course, Enrolment, ParticipantTally
from imports.models import ImportBatch
from imports.services import RevertRefused, revert_batch

from .helpers import command, fixture, write_csv


def test_reimporting_the_same_file_changes_nothing(courses):
    for kind, name in [("participants", "participants.xlsx"), ("tallies", "tallies.csv")]:
        code, _first, err = command(kind, fixture(name))
        assert code == 0, err
        batches = ImportBatch.objects.count()
        code, second, err = command(kind, fixture(name))
        assert code == 0, err
        assert "0 created, 0 updated" in second, second
        assert "nothing to change" in second
        assert ImportBatch.objects.count() == batches  # not even an empty batch
    code, out, err = command("courses", fixture("courses.xlsx"))
    assert "0 created, 0 updated, 4 unchanged" in out
    assert (
        "people: 5 matched, 0 created" in command("participants", fixture("participants.xlsx"))[1]
    )
    assert Cadre.objects.count() == 5
    assert Enrolment.objects.count() == 7


def test_a_tally_row_replaces_the_count_and_revert_restores_it(courses, tmp_path):
    command("tallies", fixture("tallies.csv"))
    path = write_csv(tmp_path, "t.csv", [["Mã khóa", "Cấp", "Số lượt"], ["K2020-03", "VT", 9]])
    code, out, _err = command("tallies", path)
    assert code == 0
    assert "0 created, 1 updated, 0 unchanged" in out
    assert ParticipantTally.objects.get(rank__code="VU_TRUONG").count == 9
    assert ParticipantTally.objects.count() == 4
    revert_batch(ImportBatch.objects.latest("id"))
    assert ParticipantTally.objects.get(rank__code="VU_TRUONG").count == 5


def test_updating_a_course_then_reverting(courses, tmp_path):
    path = write_csv(
        tmp_path,
        "c.csv",
        [
            ["Mã khóa", "Tên khóa", "Loại khóa", "Ngày bắt đầu"],
            ["K2018-01", "Tên mới", "KY_NANG", "15/05/2018"],
        ],
    )
    code, out, err = command("courses", path)
    assert code == 0, err
    assert "1 updated" in out
    course = Course.objects.get(code="K2018-01")
    assert (course.title, course.course_type.code) == ("Tên mới", "KY_NANG")
    assert course.budget_planned == 250_000_000  # a column the sheet lacks is kept
    batch = ImportBatch.objects.latest("id")
    revert_batch(batch)
    course.refresh_from_db()
    assert course.title == "Bồi dưỡng kiến thức hội nhập quốc tế"
    assert str(course.start_date) == "2018-05-14"
    batch.refresh_from_db()
    assert batch.status == "reverted"
    assert batch.reverted_at is not None


def test_reverting_participants_deletes_people_enrolments_and_agencies_it_created(courses):
    agencies = Agency.objects.count()
    command("participants", fixture("participants.xlsx"))
    batch = ImportBatch.objects.latest("id")
    assert batch.details["people_created"] == 5
    revert_batch(batch)
    assert Cadre.objects.count() == 0
    assert Enrolment.objects.count() == 0
    assert Agency.objects.count() == agencies
    with pytest.raises(RevertRefused, match="already reverted"):
        revert_batch(batch)


def test_revert_keeps_a_person_a_later_import_enrolled_and_reverts_the_rest(courses, tmp_path):
    command("participants", fixture("participants.xlsx"))
    first = ImportBatch.objects.latest("id")
    path = write_csv(
        tmp_path,
        "p.csv",
        [["Mã khóa", "Họ và tên", "Số định danh"], ["K2020-03", "Nguyễn Thị Hòa", "001180000123"]],
    )
    code, out, err = command("participants", path)
    assert code == 0, err
    assert "1 matched" in out
    hoa = Enrolment.objects.get(import_batch=ImportBatch.objects.latest("id")).cadre
    reverted = revert_batch(first)
    # Hòa is enrolled by the later import: kept, with that enrolment; the rest is gone.
    assert list(Cadre.objects.all()) == [hoa]
    assert Enrolment.objects.get().import_batch_id != first.pk
    assert "enrolled on a course" in " ".join(reverted.revert_plan.kept)
    first.refresh_from_db()
    assert first.status == "reverted"
    assert first.details["revert"]["kept"]
    revert_batch(ImportBatch.objects.latest("id"))
    assert Enrolment.objects.count() == 0
