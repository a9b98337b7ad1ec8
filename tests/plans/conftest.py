"""The world of tests/access (Lào Cai, Hà Nội, the ministry) and its personas, plus the
2026 courses of Lào Cai and Hà Nội that the plans are compared with."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from cadres.models import Rank
from courses.models import CourseType

from ..access.conftest import (  # noqa: F401  (fixtures)
    current,
    ha_noi_clerk,
    lao_cai_clerk,
    manager,
    ministry_clerk,
    staff,
    world,
)
from ..admin.conftest import enrol, make_cadre, make_course, tally


@pytest.fixture
def administrator(db):
    return staff("quantri", "Administrators")


@pytest.fixture
def year_2026(world):  # noqa: F811 (the fixture)
    """Lào Cai: a skills course at home (tallies 20 officers + 5 division heads, 150 million
    spent) and a knowledge course abroad organised by Sở Ngoại vụ Lào Cai (2 named
    participants). Hà Nội: one skills course (tally 40)."""
    lc_home = make_course(
        "LC-2026-01",
        start=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 6),
        locality=current("15"),
        organiser=world.agencies.lc,
        budget_spent=150_000_000,
        planned_participants=30,
    )
    tally(lc_home, 20, locality=current("15"))
    tally(lc_home, 5, rank_code=Rank.DIVISION, locality=current("15"))
    lc_abroad = make_course(
        "LC-2026-02",
        start=datetime.date(2026, 6, 1),
        type_code="KIEN_THUC",
        country="Lào",
        organiser=world.agencies.lc,
        budget_spent=80_000_000,
    )
    enrol(lc_abroad, world.cadres.lc)
    enrol(lc_abroad, make_cadre("Giàng Seo Phử", locality=current("15")))
    hn = make_course(
        "HN-2026-01",
        start=datetime.date(2026, 4, 1),
        locality=current("01"),
        organiser=world.agencies.hn,
    )
    tally(hn, 40, locality=current("01"))
    return SimpleNamespace(lc_home=lc_home, lc_abroad=lc_abroad, hn=hn)


def types():
    return {t.code: t for t in CourseType.objects.all()}


__all__ = ["Group", "types"]
