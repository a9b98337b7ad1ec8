"""Comparing what people type: the one normalisation used by imports, identity and search.

Codes, names and aliases are compared after Unicode NFC, lower-casing, removing diacritics
(đ counts as d) and every character that is not a letter or a digit (DESIGN.md).
"""

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_LOCALITY_PREFIXES = ("thanhpho", "tinh", "tp")


def fold(value):
    """Lower-case ASCII letters and digits only: 'Thừa Thiên - Huế' -> 'thuathienhue'."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).lower()
    text = text.replace("đ", "d").replace("ð", "d")  # Đ, and the look-alike Ð (U+00D0)
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _NOT_ALNUM.sub("", text)


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
