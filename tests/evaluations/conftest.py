"""Two finished courses of one programme: A (25 participants, two lecturers) and B (6
participants, one lecturer of A and one of its own), with their personal links."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone

from courses.models import Enrolment, Programme
from evaluations.models import Lecturer
from evaluations.services import invitations_for

from ..access.conftest import ha_noi_clerk, lao_cai_clerk, ministry_clerk, world  # noqa: F401
from ..admin.conftest import enrol, make_cadre, make_course


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def evaluated(db):
    today = timezone.localdate()
    programme = Programme.objects.get(code="QD1275-2020")
    course_a = make_course(
        "EV-A",
        title="Kỹ năng đàm phán quốc tế",
        programme=programme,
        start=today - datetime.timedelta(days=5),
        end_date=today - datetime.timedelta(days=1),
    )
    course_b = make_course(
        "EV-B",
        title="Cập nhật tình hình thế giới",
        type_code="CAP_NHAT",
        programme=programme,
        start=today - datetime.timedelta(days=3),
        end_date=today - datetime.timedelta(days=2),
    )
    for n in range(25):
        status = Enrolment.Status.COMPLETED if n % 3 else Enrolment.Status.ATTENDED
        enrol(course_a, make_cadre(f"Học viên A{n:02d}"), status)
    for n in range(6):
        enrol(course_b, make_cadre(f"Học viên B{n:02d}"), Enrolment.Status.COMPLETED)
    enrol(course_a, make_cadre("Người Rút Lui"), Enrolment.Status.WITHDRAWN)
    giang = Lecturer.objects.create(course=course_a, full_name="Nguyễn Văn Giảng", order=1)
    bao_a = Lecturer.objects.create(
        course=course_a, full_name="Trần Thị Báo", role=Lecturer.Role.SPEAKER, order=2
    )
    bao_b = Lecturer.objects.create(
        course=course_b, full_name="Trần  Thị Báo", role=Lecturer.Role.SPEAKER, order=1
    )
    khach = Lecturer.objects.create(course=course_b, full_name="Lê Khách", order=2)
    return SimpleNamespace(
        programme=programme,
        a=course_a,
        b=course_b,
        links_a=invitations_for(course_a),
        links_b=invitations_for(course_b),
        giang=giang,
        bao_a=bao_a,
        bao_b=bao_b,
        khach=khach,
    )
