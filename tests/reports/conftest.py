"""A small hand-made programme whose figures are worked out by hand in the tests.

Programme TEST-P, 2020-2023. Cadres (present locality): A VU_TRUONG in former Yên Bái (old 15,
rolls up to current 15 Lào Cai), B CHUYEN_VIEN in current Lào Cai (15), C in Hà Nội (01),
D at central level (TW), E without locality, F and G in Hà Nội.

C1 2020 skills, home, budget 100/80: A attended, B completed, C registered, D withdrawn
C2 2021 interpreting, abroad (Nhật Bản), budget 200/150: A attended, E attended
C3 2021 skills, tallies only: VU_TRUONG Lào Cai 3, CHUYEN_VIEN Hà Nội 5, CHUYEN_VIEN TW 2
C4 2022 skills: F attended, plus a tally of 7 that must NOT count (the course has names)
C5 2022 skills: G registered only, plus a tally of 4 that must NOT count (it has a named list)

Counted: C1 2 (A, B), C2 2 (A, E), C3 10, C4 1 (F) = 15 participant-times in 4 courses.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, User

from cadres.models import Cadre, LanguageSkill, Locality, Rank, WorkforceBaseline
from courses.models import Course, CourseType, Enrolment, ParticipantTally, Programme, Target
from tests.conftest import PASSWORD

AS_OF_MID = datetime.date(2022, 1, 1)  # half of 2020-2023 gone by


class World:
    """Handles on the objects of the hand-made data set."""


def current(code):
    return Locality.objects.get(era="current", code=code)


@pytest.fixture
def world(db):
    w = World()
    w.vu = Rank.objects.get(code="VU_TRUONG")
    w.cv = Rank.objects.get(code="CHUYEN_VIEN")
    w.lao_cai = current("15")
    w.yen_bai = Locality.objects.get(era="former", code="15")
    w.ha_noi = current("01")
    w.tw = current("TW")
    skills = CourseType.objects.get(code="KY_NANG")
    interpreting = CourseType.objects.get(code="BIEN_PHIEN_DICH")
    w.programme = Programme.objects.create(
        code="TEST-P", name="Chương trình thử", first_year=2020, last_year=2023
    )

    def cadre(name, rank, locality):
        return Cadre.objects.create(full_name=name, rank=rank, locality=locality)

    w.a = cadre("Nguyễn Văn A", w.vu, w.yen_bai)
    w.b = cadre("Trần Thị B", w.cv, w.lao_cai)
    w.c = cadre("Lê Văn C", w.cv, w.ha_noi)
    w.d = cadre("Phạm Văn D", w.cv, w.tw)
    w.e = cadre("Hoàng Văn E", w.cv, None)
    w.f = cadre("Vũ Thị F", w.cv, w.ha_noi)
    w.g = cadre("Đỗ Văn G", w.cv, w.ha_noi)

    def course(code, year, kind, **extra):
        return Course.objects.create(
            code=code,
            title=code,
            programme=w.programme,
            course_type=kind,
            start_date=datetime.date(year, 5, 1),
            **extra,
        )

    w.c1 = course("C1", 2020, skills, budget_planned=100, budget_spent=80)
    w.c2 = course(
        "C2", 2021, interpreting, country="Nhật Bản", budget_planned=200, budget_spent=150
    )
    w.c3 = course("C3", 2021, skills)
    w.c4 = course("C4", 2022, skills)
    w.c5 = course("C5", 2022, skills)
    attended = Enrolment.Status.ATTENDED
    for crs, person, status in [
        (w.c1, w.a, attended),
        (w.c1, w.b, Enrolment.Status.COMPLETED),
        (w.c1, w.c, Enrolment.Status.REGISTERED),
        (w.c1, w.d, Enrolment.Status.WITHDRAWN),
        (w.c2, w.a, attended),
        (w.c2, w.e, attended),
        (w.c4, w.f, attended),
        (w.c5, w.g, Enrolment.Status.REGISTERED),
    ]:
        Enrolment.objects.create(course=crs, cadre=person, status=status)
    for crs, rank, locality, count in [
        (w.c3, w.vu, w.lao_cai, 3),
        (w.c3, w.cv, w.ha_noi, 5),
        (w.c3, w.cv, w.tw, 2),
        (w.c4, w.cv, w.ha_noi, 7),
        (w.c5, w.cv, w.ha_noi, 4),
    ]:
        ParticipantTally.objects.create(course=crs, rank=rank, locality=locality, count=count)
    return w


def add_target(world, code, metric, value_min, **extra):
    ranks = extra.pop("ranks", [])
    localities = extra.pop("localities", [])
    types = extra.pop("course_types", [])
    target = Target.objects.create(
        programme=world.programme,
        code=code,
        label=f"Label {code}",
        metric=metric,
        value_min=value_min,
        **extra,
    )
    target.ranks.set(ranks)
    target.localities.set(localities)
    target.course_types.set(types)
    return target


def add_baseline(year, rank, locality, headcount):
    return WorkforceBaseline.objects.create(
        year=year, rank=rank, locality=locality, headcount=headcount
    )


def add_skill(cadre, language, level):
    return LanguageSkill.objects.create(cadre=cadre, language=language, level=level)


@pytest.fixture
def manager(db):
    """A manager: staff, in the read-only Managers group created by the migration."""
    user = User.objects.create_user("manager", "manager@mofa.gov.vn", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Managers"))
    return user
