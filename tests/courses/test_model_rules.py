"""The rules of the model hold in the database itself, even when code bypasses forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cadres.models import Agency, Cadre, Locality, Rank, WorkforceBaseline
from courses.models import (
    Course,
    CourseType,
    Enrolment,
    ParticipantTally,
    Programme,
    Target,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return Rank.objects.get(code="CHUYEN_VIEN")


@pytest.fixture
def lao_cai():
    return Locality.objects.get(era="current", code="15")


@pytest.fixture
def course():
    return Course.objects.create(
        code="K-2021-01",
        title="Kỹ năng đàm phán quốc tế",
        course_type=CourseType.objects.get(code="KY_NANG"),
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2021, 3, 5),
    )


@pytest.fixture
def cadre(officer, lao_cai):
    return Cadre.objects.create(full_name="Nguyễn Văn An", rank=officer, locality=lao_cai)


def integrity_error(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_course_cannot_end_before_it_starts(course):
    course.end_date = datetime.date(2021, 2, 1)
    integrity_error(course.save)
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "end_date" in error.value.message_dict


def test_a_course_is_at_home_or_abroad_not_both(course, lao_cai):
    course.locality, course.country = lao_cai, "Nhật Bản"
    integrity_error(course.save)


def test_course_codes_are_unique(course):
    integrity_error(
        lambda: Course.objects.create(
            code="K-2021-01",
            title="x",
            course_type=course.course_type,
            start_date=course.start_date,
        )
    )


def test_one_enrolment_per_cadre_and_course(course, cadre):
    Enrolment.objects.create(course=course, cadre=cadre)
    integrity_error(lambda: Enrolment.objects.create(course=course, cadre=cadre))


def test_an_enrolment_keeps_rank_and_place_as_they_were_at_the_course(course, cadre):
    enrolment = Enrolment.objects.create(course=course, cadre=cadre)
    assert enrolment.rank.code == "CHUYEN_VIEN"
    cadre.rank = Rank.objects.get(code="CAP_PHONG")
    cadre.save()
    enrolment.refresh_from_db()
    assert enrolment.rank.code == "CHUYEN_VIEN"
    assert enrolment.locality.code == "15"


def test_an_id_number_is_unique_when_given(officer):
    Cadre.objects.create(full_name="Trần Thị Bình", rank=officer, id_number="001190000001")
    Cadre.objects.create(full_name="Lê Văn Cường", rank=officer)
    Cadre.objects.create(full_name="Phạm Thị Dung", rank=officer)  # two without: fine
    integrity_error(
        lambda: Cadre.objects.create(full_name="Khác", rank=officer, id_number="001190000001")
    )


def test_a_cadre_name_is_stored_clean_and_folded(officer):
    decomposed = "Nguye\u0302\u0303n  Thi\u0323 Ðào"
    cadre = Cadre.objects.create(full_name=decomposed, rank=officer, email=" A@B.VN ")
    assert cadre.full_name == "Nguyễn Thị Ðào"
    assert cadre.email == "a@b.vn"
    assert cadre.name_key.startswith("nguyenthi")


def test_a_tally_count_cannot_be_negative(course, officer):
    integrity_error(lambda: ParticipantTally.objects.create(course=course, rank=officer, count=-1))


def test_one_tally_per_course_rank_locality_and_gender(course, officer, lao_cai):
    ParticipantTally.objects.create(course=course, rank=officer, count=3)
    integrity_error(lambda: ParticipantTally.objects.create(course=course, rank=officer, count=4))
    ParticipantTally.objects.create(course=course, rank=officer, locality=lao_cai, count=5)
    integrity_error(
        lambda: ParticipantTally.objects.create(
            course=course, rank=officer, locality=lao_cai, count=6
        )
    )


def test_a_course_counts_its_named_list_if_it_has_one_else_its_tallies(course, cadre, officer):
    ParticipantTally.objects.create(course=course, rank=officer, count=40)
    assert ParticipantTally.objects.counted().count() == 1
    Enrolment.objects.create(course=course, cadre=cadre)
    assert ParticipantTally.objects.counted().count() == 0
    assert Enrolment.objects.counted().count() == 1


def test_only_attended_or_completed_enrolments_count(course, cadre, officer):
    other = Cadre.objects.create(full_name="Đỗ Văn Em", rank=officer)
    Enrolment.objects.create(course=course, cadre=cadre, status="withdrawn")
    Enrolment.objects.create(course=course, cadre=other, status="completed")
    assert list(Enrolment.objects.counted().values_list("cadre__full_name", flat=True)) == [
        "Đỗ Văn Em"
    ]


def test_a_baseline_names_a_locality_or_an_agency_not_both(officer, lao_cai):
    agency = Agency.objects.get(code="BNG")
    integrity_error(
        lambda: WorkforceBaseline.objects.create(
            year=2020, rank=officer, locality=lao_cai, agency=agency, headcount=3
        )
    )
    integrity_error(lambda: WorkforceBaseline.objects.create(year=2020, rank=officer, headcount=3))
    WorkforceBaseline.objects.create(year=2020, rank=officer, locality=lao_cai, headcount=3)
    integrity_error(
        lambda: WorkforceBaseline.objects.create(
            year=2020, rank=officer, locality=lao_cai, headcount=4
        )
    )


def test_a_former_locality_must_point_to_a_successor():
    integrity_error(lambda: Locality.objects.create(code="99", era="former", name="Không có"))
    integrity_error(lambda: Locality.objects.create(code="15", era="current", name="Trùng mã"))


def test_a_programme_period_is_ordered():
    integrity_error(
        lambda: Programme.objects.create(code="X", name="X", first_year=2020, last_year=2019)
    )


def test_a_target_range_is_ordered_and_percentages_stay_under_100():
    programme = Programme.objects.get(code="QD2007-2015")
    integrity_error(
        lambda: Target.objects.create(
            programme=programme,
            code="BAD",
            label="x",
            metric="coverage_pct",
            value_min=60,
            value_max=50,
        )
    )
    target = Target(
        programme=programme, code="PCT", label="x", metric="coverage_pct", value_min=120
    )
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "value_min" in error.value.message_dict
