"""The summaries stay exact when an import's or a revert's bulk writes pause the triggers
(reports.summaries.paused): after every kind of import, a re-import, a revert, two
overlapping imports and a failing one, ``recompute_summaries --check`` is clean and the pause
pause is over; a hand edit made while an import writes still updates the summaries
(PostgreSQL, where it can run at the same time)."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from cadres.models import Cadre, Locality, Rank
from courses.models import Course, CourseType, Enrolment, Programme
from imports import bulk
from imports.models import ImportBatch
from imports.services import revert_batch, run_import
from reports import summaries
from reports.summaries import CourseSummary, PersonSummary
from tests.imports.helpers import command, fixture, write_csv

HEADER = ["Mã khóa", "Họ và tên", "Ngày sinh", "Số định danh", "Cấp", "Tỉnh/thành", "Kết quả"]


def assert_exact():
    """The check command finds no difference, and nothing is left paused: every trigger is
    in place (SQLite drops them for the bulk writes and creates them again) and switched on
    (PostgreSQL)."""
    assert summaries.missing_triggers(connection) == set()
    assert not summaries.is_paused()
    out = io.StringIO()
    assert summaries.differences() == {}
    call_command("recompute_summaries", "--check", stdout=out, stderr=io.StringIO())
    assert "The summaries match the rows." in out.getvalue()


def person(number, course="K-PAUSE", result="Hoàn thành"):
    return [
        course,
        f"Trần Thị Số {number}",
        "01/02/1985",
        f"0011850{number:05d}",
        "Chuyên viên",
        "Lào Cai",
        result,
    ]


def a_course(code="K-PAUSE", programme="QD2007-2015", start=datetime.date(2024, 3, 2)):
    return Course.objects.create(
        code=code,
        title="Khóa " + code,
        programme=Programme.objects.get(code=programme),
        course_type=CourseType.objects.get(code="KY_NANG"),
        start_date=start,
    )


def test_a_write_inside_the_pause_is_left_to_the_refresh_and_one_outside_to_the_trigger(db):
    assert summaries.missing_triggers(connection) == set()
    course = a_course()
    cadre = Cadre.objects.create(full_name="Lê Văn Một", rank=Rank.objects.get(code="CHUYEN_VIEN"))

    with transaction.atomic(), summaries.paused():
        Enrolment.objects.create(course=course, cadre=cadre, status="completed")
        # the trigger did nothing: the summary has not moved yet
        assert not CourseSummary.objects.filter(course_id=course.pk).exists()
        assert summaries.is_paused()
    # nothing was noted: the pause is over, the summary stays behind until recomputed
    assert not summaries.is_paused()
    assert summaries.differences()
    summaries.recompute()
    other = Cadre.objects.create(full_name="Lê Văn Hai", rank=cadre.rank)
    Enrolment.objects.create(course=course, cadre=other, status="attended")
    assert_exact()
    assert CourseSummary.objects.get(course_id=course.pk).n == 2


def test_every_kind_a_reimport_and_reverts_keep_the_summaries_exact(db, tmp_path):
    for kind, name in [
        ("courses", "courses.xlsx"),
        ("courses", "courses_en.csv"),
        ("participants", "participants.xlsx"),
        ("participants", "participants_en.csv"),
        ("tallies", "tallies.csv"),
        ("baselines", "baselines.xlsx"),
    ]:
        code, _out, err = command(kind, fixture(name))
        assert code == 0, err
        assert_exact()
    a_course()
    first = write_csv(tmp_path, "a.csv", [HEADER] + [person(n) for n in range(40)])
    code, out, err = command("participants", first)
    assert code == 0, err
    assert "40 created" in out
    assert_exact()
    batch = ImportBatch.objects.latest("id")
    # the same list again: nothing to change, no batch
    code, out, _err = command("participants", first)
    assert code == 0
    assert ImportBatch.objects.latest("id") == batch
    assert_exact()
    # a re-import that changes results: ten enrolments no longer counted
    again = write_csv(
        tmp_path,
        "b.csv",
        [HEADER] + [person(n, result="Vắng" if n < 10 else "Hoàn thành") for n in range(40)],
    )
    code, out, err = command("participants", again)
    assert code == 0, err
    assert "10 updated" in out
    assert CourseSummary.objects.get(course_id=Course.objects.get(code="K-PAUSE").pk).n == 30
    assert_exact()
    # the course moved to another programme and year by a courses import
    moved = write_csv(
        tmp_path,
        "c.csv",
        [
            ["Mã khóa", "Tên khóa", "Mã đề án", "Loại khóa", "Ngày bắt đầu", "Ngày kết thúc"],
            ["K-PAUSE", "Khóa chuyển", "QD1275-2020", "KY_NANG", "15/05/2021", "20/05/2021"],
        ],
    )
    code, out, err = command("courses", moved)
    assert code == 0, err
    assert_exact()
    people = PersonSummary.objects.filter(programme_id=Programme.objects.get(code="QD1275-2020").pk)
    assert people.count() >= 30
    # every batch reverted, the latest first
    for each in ImportBatch.objects.filter(status=ImportBatch.Status.APPLIED).order_by("-id"):
        revert_batch(each)
        assert_exact()
    assert not Enrolment.objects.exists()


def test_a_failing_import_writes_nothing_and_leaves_no_pause(db, tmp_path):
    a_course()
    # errors in rows: nothing written
    code, _out, _err = command("participants", fixture("participants_errors.xlsx"))
    assert code != 0
    assert_exact()
    # a failure inside the write transaction, after the rows went in: all rolled back

    class Fails:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def note(self, batch_id, **kwargs):
            raise IntegrityError("simulated failure after the writes")

        def refresh(self):
            pass

    bulk.register_write_hook(Fails)
    try:
        path = write_csv(tmp_path, "a.csv", [HEADER] + [person(n) for n in range(20)])
        result = run_import("participants", path)
    finally:
        bulk.unregister_write_hook(Fails)
    assert not result.ok
    assert "simulated failure" in " ".join(result.error_lines())
    assert not Enrolment.objects.exists()
    assert_exact()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_overlapping_imports_keep_the_summaries_exact(tmp_path):
    a_course()
    first = write_csv(tmp_path, "a.csv", [HEADER] + [person(n) for n in range(0, 80)])
    second = write_csv(tmp_path, "b.csv", [HEADER] + [person(n) for n in range(50, 130)])
    start = threading.Barrier(2)
    results = {}

    def run(name, path):
        try:
            start.wait()
            results[name] = run_import("participants", path)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, p)) for n, p in [("a", first), ("b", second)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results["a"].ok, results["a"].error_lines()
    assert results["b"].ok, results["b"].error_lines()
    assert Enrolment.objects.filter(course__code="K-PAUSE").count() == 130
    assert CourseSummary.objects.get(course_id=Course.objects.get(code="K-PAUSE").pk).n == 130
    assert_exact()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hand_edit_while_an_import_writes_still_updates_the_summaries(tmp_path):
    """PostgreSQL: the import's pause is its own transaction's: the clerk's triggers run;
    the import's refresh, after the edit committed, counts it once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: no edit can run during an import")
    on_file = a_course()
    elsewhere = a_course(code="K-OTHER", start=datetime.date(2023, 6, 1))
    rank = Rank.objects.get(code="CHUYEN_VIEN")
    lao_cai = Locality.objects.get(era="current", code="15")
    clerk_people = [
        Cadre.objects.create(full_name=f"Phạm Văn {i}", rank=rank, locality=lao_cai)
        for i in range(2)
    ]
    edited = {}

    def hand_edit():
        try:
            # on the course of the file, and on another one of the same programme
            for course, cadre in zip([on_file, elsewhere], clerk_people, strict=True):
                Enrolment.objects.create(course=course, cadre=cadre, status="attended")
            edited["course"] = CourseSummary.objects.get(course_id=elsewhere.pk).n
        finally:
            connection.close()

    class EditMeanwhile:
        def __enter__(self):
            thread = threading.Thread(target=hand_edit)
            thread.start()
            thread.join(timeout=60)
            return self

        def __exit__(self, *exc):
            return False

        def note(self, batch_id, **kwargs):
            pass

        def refresh(self):
            pass

    bulk.register_write_hook(EditMeanwhile)
    try:
        path = write_csv(tmp_path, "a.csv", [HEADER] + [person(n) for n in range(30)])
        result = run_import("participants", path)
    finally:
        bulk.unregister_write_hook(EditMeanwhile)
    assert result.ok, result.error_lines()
    assert edited["course"] == 1  # the clerk's trigger ran, during the import
    assert CourseSummary.objects.get(course_id=on_file.pk).n == 31
    assert CourseSummary.objects.get(course_id=elsewhere.pk).n == 1
    assert_exact()


def test_an_import_that_only_adds_rows_adds_its_counts_to_what_is_there(db, tmp_path):
    """A batch of new enrolments only (the usual list) adds its counts to the summary rows
    already there, as the insert triggers would have: a person already counted in the
    programme gets n + 1 and the earlier first year; a rank and province already counted add
    up; a course of another programme and a person outside the file are untouched."""
    later = a_course(code="K-LATER", start=datetime.date(2024, 3, 2))
    earlier = a_course(code="K-EARLIER", start=datetime.date(2021, 5, 4))
    other_programme = a_course(code="K-OTHER", programme="QD1275-2020")
    known = Cadre.objects.create(
        full_name="Trần Thị Số 1",
        id_number="001185000001",
        rank=Rank.objects.get(code="CHUYEN_VIEN"),
        locality=Locality.objects.get(era="current", code="15"),
    )
    bystander = Cadre.objects.create(full_name="Lê Văn Ngoài", rank=known.rank)
    for course, cadre in [(later, known), (other_programme, known), (later, bystander)]:
        Enrolment.objects.create(course=course, cadre=cadre, status="completed")
    assert_exact()
    path = write_csv(
        tmp_path, "a.csv", [HEADER] + [person(n, course="K-EARLIER") for n in range(1, 6)]
    )
    with CaptureQueriesContext(connection):  # the debug cursor of DEBUG=True (make run)
        result = run_import("participants", path)
    assert result.ok, result.error_lines()
    assert result.people_matched == 1
    assert result.people_created == 4
    assert_exact()  # every summary table equals its recomputation from the rows
    qd = Programme.objects.get(code="QD2007-2015")
    mine = PersonSummary.objects.get(programme_id=qd.pk, cadre_id=known.pk)
    assert (mine.n, mine.first_year) == (2, 2021)
    assert CourseSummary.objects.get(course_id=earlier.pk).n == 5
    assert CourseSummary.objects.get(course_id=later.pk).n == 2
