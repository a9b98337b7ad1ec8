"""A finished course of the Academy with six participants, two of whom may not have a
certificate (one withdrew, one attended without completing)."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from cadres.models import Agency
from certificates.models import NumberingPattern
from courses.models import Enrolment

from ..access.conftest import current, ha_noi_clerk, lao_cai_clerk, world  # noqa: F401
from ..admin.conftest import enrol, make_cadre, make_course

COURSE_TITLE = "Bồi dưỡng kiến thức hội nhập quốc tế"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def academy(db):
    agency, _ = Agency.objects.get_or_create(
        code="HVNG",
        defaults={
            "name": "Học viện Ngoại giao",
            "level": "central",
            "locality": current("TW"),
        },
    )
    NumberingPattern.objects.update_or_create(
        agency=agency,
        defaults={
            "prefix": "HVNG",
            "signer_name": "Phạm Lan Dung",
            "signer_title": "Giám đốc Học viện Ngoại giao",
        },
    )
    return agency


@pytest.fixture
def course_world(academy):
    so_lc = Agency.objects.create(name="Sở Ngoại vụ Lào Cai", level="local", locality=current("15"))
    course = make_course(
        "HVNG-2026-07",
        title=COURSE_TITLE,
        organiser=academy,
        locality=current("01"),
        start=datetime.date(2026, 10, 5),
        end_date=datetime.date(2026, 10, 9),
    )
    people = SimpleNamespace(
        hang=make_cadre(
            "Nguyễn Thị Hằng",
            locality=current("01"),
            id_number="001190012345",
            birth_date=datetime.date(1990, 2, 3),
        ),
        duc=make_cadre("Trần Minh Đức", locality=current("01")),
        yen=make_cadre("Hoàng Thị Yến", agency=so_lc, locality=current("15")),
        quang=make_cadre("Lê Văn Quảng", locality=current("01")),
        withdrew=make_cadre("Phạm Thị Thủy", locality=current("01")),
        attended=make_cadre("Đỗ Quốc Việt", locality=current("01")),
    )
    done = Enrolment.Status.COMPLETED
    enrolments = SimpleNamespace(
        hang=enrol(course, people.hang, done),
        duc=enrol(course, people.duc, done),
        yen=enrol(course, people.yen, done),
        quang=enrol(course, people.quang, done),
        withdrew=enrol(course, people.withdrew, Enrolment.Status.WITHDRAWN),
        attended=enrol(course, people.attended, Enrolment.Status.ATTENDED),
    )
    return SimpleNamespace(course=course, people=people, enrolments=enrolments, academy=academy)
