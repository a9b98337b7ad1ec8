"""`manage.py load_demo`: the seed's figures, exactly, and a demo that loads only once."""

import random
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Sum

from cadres.models import Agency, Cadre, LanguageSkill, Locality, WorkforceBaseline
from courses.models import Course, Enrolment, ParticipantTally
from demo import build as demo

pytestmark = pytest.mark.django_db


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded(db):
    return load_demo()


def participant_times(courses):
    """The counting rule, written out: counted enrolments plus tallies of courses without any."""
    enrolled = Enrolment.objects.counted().filter(course__in=courses).count()
    tallied = ParticipantTally.objects.counted().filter(course__in=courses)
    return enrolled + (tallied.aggregate(n=Sum("count"))["n"] or 0)


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for label in ("cadres", "courses", "imports")
        for model in apps.get_app_config(label).get_models()
    }


def test_it_reproduces_qd2007_2016_2020_by_rank(loaded):
    courses = Course.objects.filter(programme__code="QD2007-2015")
    assert courses.count() == 106
    by_year = dict(
        courses.values_list("start_date__year").annotate(n=Count("id")).order_by("start_date__year")
    )
    assert by_year == {2016: 7, 2017: 21, 2018: 7, 2019: 12, 2020: 59}
    assert participant_times(courses) == 9000
    tallies = ParticipantTally.objects.counted().filter(course__in=courses)
    by_rank = dict(tallies.values_list("rank__code").annotate(n=Sum("count")).order_by())
    assert by_rank == {
        "VU_TRUONG": 540,
        "PHO_VU_TRUONG": 900,
        "CAP_PHONG": 1800,
        "CHUYEN_VIEN": 5760,
    }
    assert round(9000 / courses.count()) == 85
    assert not Enrolment.objects.filter(course__in=courses).exists()
    assert set(courses.values_list("organiser__code", flat=True)) == {"HVNG", "BNG"}


def test_qd2007_tallies_name_central_level_and_former_provinces(loaded):
    tallies = ParticipantTally.objects.filter(course__programme__code="QD2007-2015")
    places = set(tallies.exclude(locality=None).values_list("locality__era", "locality__code"))
    assert ("current", "TW") in places
    assert any(era == "former" for era, _ in places)
    assert {era for era, code in places if code != "TW"} == {"former"}
    assert tallies.filter(locality=None).exists()
    assert tallies.exclude(locality=None).count() > tallies.filter(locality=None).count()


def test_it_reproduces_qd137_2007_2010(loaded):
    courses = Course.objects.filter(programme__code="QD137-2003").in_period(2007, 2010)
    assert courses.count() == 213
    assert participant_times(courses) == 26376
    assert set(courses.values_list("organiser__code", flat=True)) == {"TDTBDCBCT"}


def test_it_reproduces_qd247_2019_at_home_and_abroad(loaded):
    courses = Course.objects.filter(programme__code="QD247-2016", start_date__year=2019)
    abroad = courses.abroad()
    assert abroad.count() == 3
    assert not abroad.filter(locality__isnull=False).exists()
    home = courses.at_home()
    assert home.count() == 61
    by_type = dict(home.values_list("course_type__code").annotate(n=Count("id")).order_by())
    assert by_type == {
        "KY_NANG": 33,
        "TAP_HUAN": 2,
        "CAP_NHAT": 6,
        "HOI_THAO": 15,
        "BIEN_PHIEN_DICH": 5,
    }
    assert participant_times(courses) == 8534
    places = ParticipantTally.objects.filter(course__in=courses).values_list(
        "locality__era", flat=True
    )
    assert set(places) == {"former"}
    # Other years exist and leave 2019 as it is.
    other = Course.objects.filter(programme__code="QD247-2016").exclude(start_date__year=2019)
    assert other.exists()


def test_courses_from_2021_have_named_lists_of_cadres(loaded):
    courses = Course.objects.filter(programme__code__in=["QD1275-2020", "NQ26-2018"])
    assert courses.filter(start_date__year=2021).exists()
    assert courses.filter(start_date__year=2026).exists()
    assert not ParticipantTally.objects.filter(course__in=courses).exists()
    enrolments = Enrolment.objects.filter(course__in=courses)
    statuses = set(enrolments.values_list("status", flat=True))
    assert statuses == {"registered", "attended", "completed", "withdrawn"}
    assert enrolments.counted().count() > 0.85 * enrolments.count()
    assert not enrolments.filter(status="completed", certificate_number="").exists()
    assert 200 <= Cadre.objects.count() <= 500
    several = Cadre.objects.annotate(n=Count("enrolments")).filter(n__gte=2)
    assert several.count() >= 50
    assert courses.exclude(budget_planned=None).exists()
    assert set(courses.values_list("mode", flat=True)) == {"in_person", "online", "hybrid"}


def test_enrolments_keep_the_former_province_before_the_merger(loaded):
    before = Enrolment.objects.filter(course__start_date__lt="2025-07-01")
    after = Enrolment.objects.filter(course__start_date__gte="2025-07-01")
    assert before.filter(locality__era="former").exists()
    assert after.exists()
    assert not after.filter(locality__era="former").exists()
    assert not Enrolment.objects.filter(locality=None).exists()
    assert not Enrolment.objects.filter(agency=None).exists()
    central = Enrolment.objects.filter(cadre__locality__code="TW")
    assert set(central.values_list("locality__code", flat=True)) == {"TW"}


def test_cadres_look_real(loaded):
    ids = list(Cadre.objects.exclude(id_number="").values_list("id_number", flat=True))
    assert len(ids) >= 100
    assert all(re.fullmatch(r"\d{12}", number) for number in ids)
    assert Cadre.objects.exclude(email="").count() >= 100
    assert not Cadre.objects.filter(birth_date=None).exists()
    assert Cadre.objects.filter(position="Phó Giám đốc Sở Ngoại vụ").exists()
    assert Cadre.objects.filter(full_name__regex=r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ]").exists()
    for cadre in Cadre.objects.all()[:50]:
        assert cadre.name_key
        assert cadre.birth_year == cadre.birth_date.year
    english_b2 = LanguageSkill.objects.filter(language="en", level__gte=4)
    assert english_b2.filter(cadre__rank__code="PHO_VU_TRUONG", cadre__agency__level="local")
    assert LanguageSkill.objects.exclude(language="en").exists()


def test_agencies_are_central_or_provincial_foreign_affairs_departments(loaded):
    for code in ("BNG", "HVNG", "BCT", "TDTBDCBCT"):
        agency = Agency.objects.get(code=code)
        assert (agency.level, agency.locality.code) == ("central", "TW")
    departments = Agency.objects.filter(name__startswith="Sở Ngoại vụ")
    assert departments.count() >= 5
    assert set(departments.values_list("level", flat=True)) == {"local"}
    assert set(departments.values_list("locality__era", flat=True)) == {"current"}


def test_workforce_baselines_cover_every_current_unit_and_central_level(loaded):
    units = Locality.objects.current().count()  # 34 + TW
    for year in (2016, 2020, 2025):
        rows = WorkforceBaseline.objects.filter(year=year)
        assert rows.values("locality").distinct().count() == units
        assert not rows.filter(locality__era="former").exists()
        assert rows.filter(rank__code="CHUYEN_VIEN", locality__code="TW").get().headcount > 0


def test_running_it_twice_changes_nothing(loaded):
    before = row_counts()
    assert before["courses.Course"] > 0
    output = load_demo()
    assert row_counts() == before
    assert len(output.strip().splitlines()) == 1


def test_once_does_nothing_on_a_loaded_database(loaded):
    WorkforceBaseline.objects.filter(year=2016, locality__code="TW").delete()
    before = row_counts()
    load_demo("--once")
    assert row_counts() == before
    # Without --once the missing rows come back, and only they.
    load_demo()
    assert WorkforceBaseline.objects.filter(year=2016, locality__code="TW").exists()
    assert row_counts()["cadres.WorkforceBaseline"] > before["cadres.WorkforceBaseline"]


def test_once_loads_an_empty_database(db):
    assert not Course.objects.exists()
    load_demo("--once")
    assert Course.objects.filter(code=demo.MARKER_COURSE).exists()


def test_the_same_seed_builds_the_same_data(db):
    geo = demo.Geography.from_db()
    first = demo.build(random.Random(demo.SEED), geo)
    second = demo.build(random.Random(demo.SEED), geo)
    assert [(c.code, c.title, c.tallies) for c in first.courses] == [
        (c.code, c.title, c.tallies) for c in second.courses
    ]
    assert [c.key for c in first.cadres] == [c.key for c in second.cadres]
