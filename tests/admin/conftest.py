"""Builders for the admin tests: real rows, with their relations filled, in a few lines."""

import datetime
import itertools

import pytest

from cadres.models import Agency, Cadre, Level, Locality, Rank
from courses.models import Course, CourseType, Enrolment, ParticipantTally, Programme

_serial = itertools.count(1)


def rank(code=Rank.OFFICER):
    return Rank.objects.get(code=code)


def locality(code="01", era=Locality.Era.CURRENT):
    return Locality.objects.get(code=code, era=era)


def make_agency(name=None, locality_code="01", **fields):
    n = next(_serial)
    return Agency.objects.create(
        name=name or f"Sở Ngoại vụ số {n}",
        level=fields.pop("level", Level.LOCAL),
        locality=locality(locality_code),
        **fields,
    )


def make_cadre(full_name=None, rank_code=Rank.OFFICER, **fields):
    n = next(_serial)
    fields.setdefault("locality", locality())
    return Cadre.objects.create(
        full_name=full_name or f"Nguyễn Văn An {n}", rank=rank(rank_code), **fields
    )


def make_course(code=None, start=datetime.date(2019, 3, 1), type_code="KY_NANG", **fields):
    n = next(_serial)
    return Course.objects.create(
        code=code or f"K-{n}",
        title=fields.pop("title", f"Kỹ năng đàm phán quốc tế {n}"),
        course_type=CourseType.objects.get(code=type_code),
        start_date=start,
        **fields,
    )


def enrol(course, cadre, status=Enrolment.Status.ATTENDED, **fields):
    return Enrolment.objects.create(course=course, cadre=cadre, status=status, **fields)


def tally(course, count, rank_code=Rank.OFFICER, **fields):
    return ParticipantTally.objects.create(
        course=course, rank=rank(rank_code), count=count, **fields
    )


def programme(code="QD2007-2015"):
    return Programme.objects.get(code=code)


@pytest.fixture
def admin_client_for(client):
    """The test client logged in as a given user (force_login: no login form involved)."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in
