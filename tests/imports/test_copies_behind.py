"""A participants list longer than a chunk: on PostgreSQL it is read inside the write
transaction and written as it is read, its COPYs on a writer thread (bulk.copies_behind);
on SQLite it is read whole first. Either way the import is exact, a re-import changes only
what changed, an error in the last row writes nothing, and a COPY's error comes back as
Django's error, not as a traceback of the thread."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from cadres.models import Cadre, Rank
from courses.models import Course, CourseType, Enrolment, Programme
from imports import bulk
from imports.models import ImportBatch
from imports.services import CHUNK, run_import
from tests.reports.test_summary_pause import HEADER, assert_exact

from .helpers import write_csv

ROWS = 2 * CHUNK + 1  # two full chunks and one more row


def people(count, result="Hoàn thành", codes=("K-ST-1", "K-ST-2", "K-ST-3")):
    return [
        [
            codes[n % len(codes)],
            f"Lê Văn Số {n}",
            "03/04/1981",
            f"0791810{n:05d}",
            "Chuyên viên",
            "Đà Nẵng",
            result,
        ]
        for n in range(count)
    ]


@pytest.fixture
def courses(db):
    for n, code in enumerate(["K-ST-1", "K-ST-2", "K-ST-3"], start=1):
        Course.objects.create(
            code=code,
            title="Khóa " + code,
            programme=Programme.objects.get(code="QD2007-2015"),
            course_type=CourseType.objects.get(code="KY_NANG"),
            start_date=datetime.date(2024, n, 2),
        )


def test_a_list_longer_than_a_chunk_imports_exactly_and_reimports_unchanged(courses, tmp_path):
    path = write_csv(tmp_path, "long.csv", [HEADER, *people(ROWS)])
    result = run_import("participants", path)
    assert result.ok, result.error_lines()[:3]
    assert (result.created, result.people_created) == (ROWS, ROWS)
    assert Enrolment.objects.count() == ROWS
    assert Cadre.objects.count() == ROWS
    assert set(Enrolment.objects.values_list("import_batch_id", flat=True)) == {result.batch.pk}
    assert_exact()
    again = run_import("participants", path)
    assert again.ok, again.error_lines()[:3]
    assert (again.created, again.updated, again.unchanged) == (0, 0, ROWS)
    assert again.batch is None  # a file that changes nothing leaves no batch
    # The same people with another result in the first rows, and new people after them:
    changed = people(50, result="Tham dự") + people(ROWS + 20)[ROWS:]
    path = write_csv(tmp_path, "changed.csv", [HEADER, *changed])
    third = run_import("participants", path)
    assert third.ok, third.error_lines()[:3]
    assert (third.created, third.updated, third.unchanged) == (20, 50, 0)
    assert Enrolment.objects.filter(status="attended").count() == 50
    assert_exact()


def test_an_error_in_the_last_row_of_a_long_list_writes_nothing(courses, tmp_path):
    rows = people(ROWS)
    rows[-1][2] = "31/02/1981"  # no such date
    path = write_csv(tmp_path, "long.csv", [HEADER, *rows])
    result = run_import("participants", path)
    assert not result.ok
    assert any(f"row {ROWS + 1}" in line for line in result.error_lines())
    assert not Enrolment.objects.exists()
    assert not Cadre.objects.exists()
    assert not ImportBatch.objects.filter(kind="participants").exists()
    assert_exact()


def test_a_failing_copy_behind_the_reading_is_raised_as_djangos_error(courses):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes once the file is read: there is no writer thread")
    course = Course.objects.get(code="K-ST-1")
    rank = Rank.objects.get(code="CHUYEN_VIEN")
    cadre = Cadre.objects.create(full_name="Lê Văn A", rank=rank)
    columns = ["course_id", "cadre_id", "status", "certificate_number", "rank_id"]
    twice = [(course.pk, cadre.pk, "attended", "", rank.pk)] * 2  # one person twice: refused

    def copy_then_query():
        with transaction.atomic(), bulk.copies_behind():
            bulk.insert_rows(Enrolment, columns, twice)
            # The next query waits for the COPY; its failure aborted the transaction, and
            # what is raised is the COPY's own error, not "current transaction is aborted".
            Cadre.objects.count()

    def copy_only():
        with transaction.atomic(), bulk.copies_behind():
            bulk.insert_rows(Enrolment, columns, twice)

    for write in (copy_then_query, copy_only):
        with pytest.raises(IntegrityError, match="enrolment_unique_cadre"):
            write()
        assert not Enrolment.objects.exists()
