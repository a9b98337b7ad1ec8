"""The reference data every database gets from the migrations."""

from collections import Counter

import pytest

from cadres.models import Locality, Rank
from courses.models import CourseType, Programme, Target

pytestmark = pytest.mark.django_db


def test_it_has_the_34_current_units_the_63_former_and_central_level():
    current = Locality.objects.current().exclude(code="TW")
    assert current.count() == 34
    assert Locality.objects.former().count() == 63
    assert Locality.objects.get(code="TW").era == Locality.Era.CURRENT


def test_every_former_province_maps_to_exactly_one_current_unit():
    for former in Locality.objects.former().select_related("successor"):
        assert former.successor is not None, former
        assert former.successor.era == Locality.Era.CURRENT
        assert former.successor.code != "TW"


def test_every_current_unit_has_at_least_one_predecessor():
    counts = Counter(Locality.objects.former().values_list("successor__code", flat=True))
    for unit in Locality.objects.current().exclude(code="TW"):
        assert counts[unit.code] >= 1, unit


def test_colliding_codes_are_told_apart_by_era():
    assert Locality.objects.get(era="former", code="15").name == "Yên Bái"
    assert Locality.objects.get(era="current", code="15").name == "Lào Cai"
    yen_bai = Locality.objects.get(era="former", code="15")
    assert yen_bai.current_unit.name == "Lào Cai"


@pytest.mark.parametrize(
    ("former", "successor"),
    [
        ("Hà Giang", "Tuyên Quang"),
        ("Vĩnh Phúc", "Phú Thọ"),
        ("Hòa Bình", "Phú Thọ"),
        ("Bình Dương", "Thành phố Hồ Chí Minh"),
        ("Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh"),
        ("Kon Tum", "Quảng Ngãi"),
        ("Bình Định", "Gia Lai"),
        ("Bạc Liêu", "Cà Mau"),
        ("Kiên Giang", "An Giang"),
        ("Thừa Thiên Huế", "Thành phố Huế"),
    ],
)
def test_the_successor_table_follows_resolution_202(former, successor):
    assert Locality.objects.get(era="former", name=former).successor.name == successor


def test_ranks_have_the_contract_codes_in_order():
    assert list(Rank.objects.values_list("code", flat=True)) == [
        "LANH_DAO_BO_TINH",
        "VU_TRUONG",
        "PHO_VU_TRUONG",
        "CAP_PHONG",
        "CHUYEN_VIEN",
        "KHAC",
    ]


def test_course_types_have_the_contract_codes():
    assert set(CourseType.objects.values_list("code", flat=True)) == {
        "KIEN_THUC",
        "KY_NANG",
        "GIANG_VIEN",
        "CAP_NHAT",
        "TAP_HUAN",
        "HOI_THAO",
        "NGOAI_NGU",
        "BIEN_PHIEN_DICH",
    }


def test_programmes_of_the_design_table_with_their_periods():
    periods = {p.code: (p.first_year, p.last_year) for p in Programme.objects.all()}
    assert periods == {
        "QD137-2003": (2003, 2010),
        "QD2375-2010": (2011, 2015),
        "QD2007-2015": (2016, 2020),
        "QD247-2016": (2016, 2020),
        "QD1275-2020": (2021, 2025),
        "NQ26-2018": (2018, 2030),
    }


def test_every_shipped_target_quotes_its_source_sentence():
    assert Target.objects.count() >= 8
    for target in Target.objects.all():
        assert target.source_quote.strip(), target.code


def test_resolution_26_targets_are_ranges():
    ranges = {
        t.code: (t.value_min, t.value_max)
        for t in Target.objects.filter(programme__code="NQ26-2018")
    }
    assert ranges["CENTRAL_LEADERS_INTL_50_60"] == (50, 60)
    assert ranges["LOCAL_LEADERS_INTL_25_35"] == (25, 35)


def test_the_shipped_current_units_agree_with_the_vietnam_provinces_package():
    """The migration reads cadres/data/; the package is only the cross-check."""
    from vietnam_provinces import Province

    published = {(f"{p.code.value:02d}", p.name) for p in Province.iter_all()}
    shipped = set(Locality.objects.current().exclude(code="TW").values_list("code", "name"))
    assert shipped == published
