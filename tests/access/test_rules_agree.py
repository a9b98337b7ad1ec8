"""One rule per model, two readings: ``visible_to(user)`` (SQL) and ``covers(user, obj)`` (the
same Q evaluated on an object, as forms and imports check a row before writing it). On
every combination of places a course, a tally, a cadre, a baseline and an enrolment can have,
and for each scoped persona, both readings agree, saved or not yet saved."""

import itertools

import pytest

from cadres.models import Cadre, WorkforceBaseline
from courses.models import Course, Enrolment, ParticipantTally
from trainingmgr.visibility import covers

from ..admin.conftest import make_cadre, make_course, rank
from .conftest import current, former

PERSONAS = ["lao_cai_clerk", "ha_noi_clerk", "ministry_clerk", "lao_cai_manager"]


@pytest.fixture
def places(world):
    return {
        "localities": [None, current("15"), former("15"), current("01"), current("TW")],
        "agencies": [None, world.agencies.lc, world.agencies.hn, world.agencies.bng],
    }


def unsaved_copy(obj):
    """The object as a form or an import would hold it before saving: same values, no pk."""
    copy = type(obj).objects.get(pk=obj.pk)
    copy.pk = None
    return copy


def assert_agree(user, model, objects):
    visible = set(model.objects.visible_to(user).values_list("pk", flat=True))
    for obj in objects:
        assert covers(user, obj) == (obj.pk in visible), (user, model, obj)
        assert covers(user, unsaved_copy(obj)) == (obj.pk in visible), (user, model, obj)


@pytest.mark.parametrize("persona", PERSONAS)
def test_courses_and_tallies(request, places, persona):
    user = request.getfixturevalue(persona)
    courses, tallies = [], []
    for held, organiser in itertools.product(places["localities"], places["agencies"]):
        course = make_course(locality=held, organiser=organiser, country="" if held else "Lào")
        courses.append(course)
        for counted_for in places["localities"]:
            tallies.append(
                ParticipantTally.objects.create(
                    course=course, rank=rank(), locality=counted_for, count=1
                )
            )
    assert_agree(user, Course, courses)
    assert_agree(user, ParticipantTally, tallies)


@pytest.mark.parametrize("persona", PERSONAS)
def test_cadres_baselines_and_enrolments(request, places, world, persona):
    user = request.getfixturevalue(persona)
    cadres, baselines, enrolments = [], [], []
    for year, (place, agency) in enumerate(
        itertools.product(places["localities"], places["agencies"]), start=2000
    ):
        if place is None and agency is None:
            continue
        cadre = make_cadre(locality=place, agency=agency)
        cadres.append(cadre)
        baselines.append(
            WorkforceBaseline.objects.create(
                year=year,
                rank=rank(),
                locality=None if agency else place,
                agency=agency,
                headcount=3,
            )
        )
        enrolments.append(Enrolment.objects.create(course=world.courses.hn, cadre=cadre))
    assert_agree(user, Cadre, cadres)
    assert_agree(user, WorkforceBaseline, baselines)
    assert_agree(user, Enrolment, enrolments)
