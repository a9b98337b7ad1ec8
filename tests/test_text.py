"""trainingmgr.text: the one normalisation every match goes through (docs/CONTRACT.md)."""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainingmgr.text import clean_spaces, fold, fold_locality


def pipeline_fold(value):
    """The definition, step by step (the original implementation): fold() must agree."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).lower()
    text = text.replace("đ", "d").replace("ð", "d")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^0-9a-z]+", "", text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Thừa Thiên - Huế", "thuathienhue"),
        ("Nguyễn Thị Hoà", "nguyenthihoa"),
        ("Mã khóa", "makhoa"),
        ("Mã khoá", "makhoa"),  # the two placements of the tone mark
        ("Đà Nẵng", "danang"),
        ("đường ĐỊA", "duongdia"),
        ("Ðà Lạt", "dalat"),  # Ð (U+00D0, Icelandic eth) written for Đ
        ("P. Vụ trưởng", "pvutruong"),
        ("Tỉnh/thành", "tinhthanh"),
        ("  K-2026/01 (HN) ", "k202601hn"),
        ("Số CCCD: 001.180.000.123", "socccd001180000123"),
        ("ÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ", "aaaaaaaaaaaaaaaaa"),
        ("Ơ Ư ơ ư Ờ Ứ", "ououou"),
        ("中文 русский", ""),  # letters outside a-z are dropped
        ("", ""),
        (None, ""),
        (2026, "2026"),
    ],
)
def test_it_folds_what_people_type(value, expected):
    assert fold(value) == expected
    assert fold(value) == pipeline_fold(value)


def test_decomposed_text_folds_like_composed_text():
    composed = "Nguyễn Thị Hoà, Sở Ngoại vụ Quảng Trị"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert fold(decomposed) == fold(composed) == "nguyenthihoasongoaivuquangtri"


def test_d_with_stroke_is_d_in_both_cases_and_both_forms():
    for text in ("đ", "Đ", unicodedata.normalize("NFD", "Đ"), "ð", "Ð"):
        assert fold(text) == "d"


def test_every_composed_letter_folds_as_the_pipeline_does():
    """Each character with a canonical decomposition, composed and decomposed, and each
    Latin letter followed by each combining diacritic."""
    checked = 0
    for code in range(0x110000):
        char = chr(code)
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<"):
            for text in (char, unicodedata.normalize("NFD", char)):
                assert fold(text) == pipeline_fold(text), repr(text)
                checked += 1
    marks = [chr(code) for code in range(0x300, 0x370)]
    for code in [*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250)]:
        for mark in marks:
            text = chr(code) + mark
            assert fold(text) == pipeline_fold(text), repr(text)
            checked += 1
    assert checked > 40_000


@given(st.text())
def test_any_text_folds_as_the_pipeline_does(text):
    assert fold(text) == pipeline_fold(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Thành phố Hà Nội", "hanoi"),
        ("TP. Hồ Chí Minh", "hochiminh"),
        ("TP Hồ Chí Minh", "hochiminh"),
        ("Tp.Cần Thơ", "cantho"),
        ("Tỉnh Lào Cai", "laocai"),
        ("tinh  LÀO CAI", "laocai"),
        ("Lào Cai", "laocai"),
        ("Tỉnh", "tinh"),  # a prefix alone is kept: nothing would be left
        ("Thành phố", "thanhpho"),
    ],
)
def test_a_locality_folds_without_its_prefix(value, expected):
    assert fold_locality(value) == expected


def test_clean_spaces_composes_and_collapses_white_space():
    assert clean_spaces(unicodedata.normalize("NFD", "  Nguyễn\u00a0 Thị\tHoà ")) == (
        "Nguyễn Thị Hoà"
    )
    assert clean_spaces(None) == ""
