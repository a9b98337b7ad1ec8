"""Personas with a scope, and a small world in two provinces and one ministry.

- lao_cai_clerk: Clerks, scope current "15" Lào Cai (which took in former "15" Yên Bái)
- ha_noi_clerk: Clerks, scope current "01" Hà Nội
- ministry_clerk: Clerks, scope the agency BNG (Bộ Ngoại giao)
- manager: Managers (read-only), national
- lao_cai_manager: Managers (read-only), scope Lào Cai
- outsider (tests/conftest.py): a login with no role
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User

from accounts.models import AccessScope
from cadres.models import Agency, LanguageSkill, Level, Locality, WorkforceBaseline

from ..admin.conftest import enrol, make_cadre, make_course, rank, tally
from ..conftest import PASSWORD


def current(code):
    return Locality.objects.get(code=code, era=Locality.Era.CURRENT)


def former(code):
    return Locality.objects.get(code=code, era=Locality.Era.FORMER)


def staff(username, group, **scope):
    user = User.objects.create_user(username, f"{username}@example.vn", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if scope:
        AccessScope.objects.create(user=user, **scope)
    return User.objects.get(pk=user.pk)  # no cached permissions or scope


@pytest.fixture
def lao_cai_clerk(db):
    return staff("laocai", "Clerks", kind="locality", locality=current("15"))


@pytest.fixture
def ha_noi_clerk(db):
    return staff("hanoi", "Clerks", kind="locality", locality=current("01"))


@pytest.fixture
def ministry_clerk(db):
    return staff("bng", "Clerks", kind="agency", agency=Agency.objects.get(code="BNG"))


@pytest.fixture
def manager(db):
    return staff("manager", "Managers")


@pytest.fixture
def lao_cai_manager(db):
    return staff("laocaimanager", "Managers", kind="locality", locality=current("15"))


@pytest.fixture
def world(db):
    """Records in Lào Cai (one of them in former Yên Bái), Hà Nội and the ministry (BNG)."""
    bng = Agency.objects.get(code="BNG")
    so_lc = Agency.objects.create(
        name="Sở Ngoại vụ Lào Cai", level=Level.LOCAL, locality=current("15")
    )
    so_hn = Agency.objects.create(
        name="Sở Ngoại vụ Hà Nội", level=Level.LOCAL, locality=current("01")
    )

    lc = make_cadre(
        "Lò Văn Páo",
        agency=so_lc,
        locality=current("15"),
        id_number="010090001234",
        birth_date=datetime.date(1990, 4, 5),
    )
    yb = make_cadre("Hoàng Thị Yến", locality=former("15"))  # recorded in former Yên Bái
    hn = make_cadre("Nguyễn Văn Hà", agency=so_hn, locality=current("01"))
    mofa = make_cadre("Trần Quốc Bảo", agency=bng, locality=current("TW"))

    course_lc = make_course(
        "LC-2024", locality=current("15"), organiser=so_lc, start=datetime.date(2024, 5, 6)
    )
    course_hn = make_course("HN-2024", locality=current("01"), organiser=so_hn)
    course_hn_tallied = make_course(
        "HN-2018", locality=current("01"), start=datetime.date(2018, 3, 1)
    )
    course_bng = make_course("BNG-2023", country="Singapore", organiser=bng)

    enrolments = SimpleNamespace(
        lc_on_lc=enrol(course_lc, lc),
        yb_on_lc=enrol(course_lc, yb),
        hn_on_lc=enrol(course_lc, hn),  # a Hà Nội person on a Lào Cai course
        hn_on_hn=enrol(course_hn, hn),
        mofa_on_bng=enrol(course_bng, mofa),
        lc_on_bng=enrol(course_bng, lc),  # a Lào Cai person on the ministry's course abroad
    )
    tallies = SimpleNamespace(
        lc_on_hn=tally(course_hn_tallied, 5, locality=current("15")),
        unplaced_on_hn=tally(course_hn_tallied, 10),
        yb_on_hn=tally(course_hn_tallied, 2, locality=former("15")),
    )
    skills = [
        LanguageSkill.objects.create(cadre=lc, language="en", level=4),
        LanguageSkill.objects.create(cadre=hn, language="en", level=3),
        LanguageSkill.objects.create(cadre=mofa, language="fr", level=5),
    ]
    baselines = [
        WorkforceBaseline.objects.create(
            year=2020, rank=rank(), locality=current("15"), headcount=30
        ),
        WorkforceBaseline.objects.create(
            year=2020, rank=rank(), locality=former("15"), headcount=9
        ),
        WorkforceBaseline.objects.create(
            year=2020, rank=rank(), locality=current("01"), headcount=50
        ),
        WorkforceBaseline.objects.create(year=2020, rank=rank(), agency=bng, headcount=80),
    ]
    return SimpleNamespace(
        agencies=SimpleNamespace(bng=bng, lc=so_lc, hn=so_hn),
        cadres=SimpleNamespace(lc=lc, yb=yb, hn=hn, mofa=mofa),
        courses=SimpleNamespace(
            lc=course_lc, hn=course_hn, hn_tallied=course_hn_tallied, bng=course_bng
        ),
        enrolments=enrolments,
        tallies=tallies,
        skills=skills,
        baselines=baselines,
    )
