"""Matching the way real sheets are written: ranks from titles, localities across the merger."""

import datetime

import pytest

from imports.matching import Lookups
from imports.values import BadValue, date, whole_number

BEFORE = datetime.date(2019, 1, 1)
AFTER = datetime.date(2025, 8, 1)


@pytest.fixture
def lookups(db):
    return Lookups()


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Phó Giám đốc Sở Ngoại vụ", "PHO_VU_TRUONG"),
        ("Phó Vụ trưởng Vụ ASEAN", "PHO_VU_TRUONG"),
        ("P. Vụ trưởng", "PHO_VU_TRUONG"),
        ("Vụ trưởng Vụ Hợp tác quốc tế", "VU_TRUONG"),
        ("Giám đốc Sở Ngoại vụ", "VU_TRUONG"),
        ("Phó Trưởng phòng Lãnh sự", "CAP_PHONG"),
        ("Chuyên viên chính", "CHUYEN_VIEN"),
        ("Thứ trưởng", "LANH_DAO_BO_TINH"),
    ],
)
def test_rank_from_position_title_takes_the_longest_alias(lookups, title, code):
    assert lookups.rank_from_title(title).code == code
    assert lookups.rank(title).code == code  # a title in the rank column works too


def test_an_alias_shared_by_two_ranks_is_ambiguous_and_names_them(lookups):
    from cadres.models import Rank

    Rank.objects.filter(code="KHAC").update(aliases="Khác\nGiám đốc")
    fresh = Lookups()
    with pytest.raises(BadValue) as error:
        fresh.rank("Giám đốc")
    assert "VU_TRUONG" in str(error.value)
    assert "KHAC" in str(error.value)


def test_localities_with_or_without_prefix_and_diacritics(lookups):
    assert lookups.locality("Thành phố Hồ Chí Minh", AFTER).code == "79"
    assert lookups.locality("TP. HCM", AFTER).code == "79"
    assert lookups.locality("tinh tuyen quang", AFTER).code == "08"
    assert lookups.locality("Khánh Hoà", AFTER).name == lookups.locality("Khánh Hòa", AFTER).name
    assert lookups.locality(8, AFTER).code == "08"  # a number cell


def test_former_provinces_only_before_the_merger(lookups):
    ha_giang = lookups.locality("Hà Giang", BEFORE)
    assert ha_giang.era == "former"
    assert ha_giang.successor.code == "08"
    assert lookups.locality("15", BEFORE).name == "Yên Bái"
    assert lookups.locality("15", AFTER).name == "Lào Cai"
    with pytest.raises(BadValue) as error:
        lookups.locality("Hà Giang", AFTER)
    assert "former province" in str(error.value)
    assert "Tuyên Quang" in str(error.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05/07/1975", datetime.date(1975, 7, 5)),
        ("5/7/1975", datetime.date(1975, 7, 5)),
        ("1975-07-05", datetime.date(1975, 7, 5)),
        (datetime.datetime(1975, 7, 5), datetime.date(1975, 7, 5)),
        (27580, datetime.date(1975, 7, 5)),  # an Excel serial day
    ],
)
def test_dates(raw, expected):
    assert date(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2020", "2020-02-30", "hôm qua", "07/05"])
def test_impossible_or_unreadable_dates_are_errors(raw):
    with pytest.raises(BadValue):
        date(raw)


def test_numbers():
    assert whole_number("1.000") == 1000
    assert whole_number("250.000.000") == 250_000_000
    assert whole_number(12.0) == 12
    for bad in ["mười", "-1", "1,5", 2.5, "12a"]:
        with pytest.raises(BadValue):
            whole_number(bad)
