"""Comparing what people type: the one normalisation used by imports, identity and search.

Codes, names and aliases are compared after Unicode NFC, lower-casing, removing diacritics
(đ counts as d) and every character that is not a letter or a digit (docs/CONTRACT.md, matching).
"""

import unicodedata

_LOCALITY_PREFIXES = ("thanhpho", "tinh", "tp")
_KEEP = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")
# Characters seen beyond this many are folded without being remembered: a hostile file of
# random Unicode must not grow the table without bound.
_TABLE_LIMIT = 20_000


def _fold_char(char):
    """The definition of fold() applied to one character."""
    text = unicodedata.normalize("NFC", char).lower()
    text = text.replace("đ", "d").replace("ð", "d")  # Đ, and the look-alike Ð (U+00D0)
    text = unicodedata.normalize("NFD", text)
    # Combining marks (the diacritics) and every other character that is not [0-9a-z] go.
    return "".join(ch for ch in text if ch in _KEEP)


class _FoldTable(dict):
    """A str.translate table from each character to its folded form, filled on first sight.

    Folding works character by character: composing (NFC), lower-casing and decomposing
    (NFD) never turn two characters into letters other than those each gives alone, so a
    precomputed per-character answer gives exactly the same text as the whole pipeline
    (tests/test_text.py checks it against the pipeline on every composed letter of Unicode).
    """

    def __missing__(self, code):
        folded = _fold_char(chr(code)) or None  # None: str.translate drops the character
        if len(self) < _TABLE_LIMIT:
            self[code] = folded
        return folded


_TABLE = _FoldTable()
for _code in range(128):
    _TABLE[_code]


def fold(value):
    """Lower-case ASCII letters and digits only: 'Thừa Thiên - Huế' -> 'thuathienhue'."""
    if value is None:
        return ""
    return str(value).translate(_TABLE)


def fold_locality(value):
    """fold() without a leading 'Tỉnh', 'Thành phố' or 'TP.'."""
    key = fold(value)
    for prefix in _LOCALITY_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


def clean_spaces(value):
    """NFC text with runs of white space collapsed: how names are stored."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())
