"""Two clerks import overlapping participant lists at the same moment, each on its own
database connection: the imports take turns, and nobody or no enrolment is created twice."""

import datetime
import threading

import pytest
from django.db import connection

from cadres.models import Cadre
from courses.models import Course, CourseType, Enrolment
from imports.services import run_import

from .helpers import write_csv

HEADER = ["Mã khóa", "Họ và tên", "Ngày sinh", "Số định danh", "Cấp", "Tỉnh/thành"]


def person(number):
    return [
        "K-CONC",
        f"Nguyễn Văn Số {number}",
        "01/02/1985",
        f"0011850{number:05d}",
        "Chuyên viên",
        "Lào Cai",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_overlapping_imports_at_once_create_each_person_once(tmp_path):
    Course.objects.create(
        code="K-CONC",
        title="Khóa đồng thời",
        course_type=CourseType.objects.get(code="KY_NANG"),
        start_date=datetime.date(2026, 3, 2),
    )
    # 0-149 and 100-249: 50 people on both lists.
    first = write_csv(tmp_path, "a.csv", [HEADER] + [person(n) for n in range(0, 150)])
    second = write_csv(tmp_path, "b.csv", [HEADER] + [person(n) for n in range(100, 250)])
    start = threading.Barrier(2)
    results = {}

    def run(name, path):
        try:
            start.wait()
            results[name] = run_import("participants", path)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(n, p)) for n, p in [("a", first), ("b", second)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert results["a"].ok, results["a"].error_lines()
    assert results["b"].ok, results["b"].error_lines()
    assert Cadre.objects.count() == 250
    assert Cadre.objects.values("id_number").distinct().count() == 250
    assert Enrolment.objects.filter(course__code="K-CONC").count() == 250
    created = sorted([results["a"].created, results["b"].created])
    assert created == [100, 150]  # whichever came second found 50 people already there
