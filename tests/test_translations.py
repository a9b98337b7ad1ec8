"""Vietnamese first: the catalogues are complete, and the interface speaks Vietnamese."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po",
    ROOT / "locale_vendor" / "vi" / "LC_MESSAGES" / "django.po",
    ROOT / "plans" / "locale" / "vi" / "LC_MESSAGES" / "django.po",
]


def entries(path):
    """(msgid, [msgstr...]) of a .po file, without the header."""
    text = path.read_text(encoding="utf-8")
    found = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        msgid, msgstrs, current = "", [], None
        for line in lines:
            if line.startswith("msgid "):
                current, msgid = "id", line[6:].strip().strip('"')
            elif line.startswith("msgid_plural"):
                current = "plural"
            elif line.startswith("msgstr"):
                current = "str"
                msgstrs.append(line.split(" ", 1)[1].strip().strip('"'))
            elif line.startswith('"'):
                if current == "id":
                    msgid += line.strip().strip('"')
                elif current == "str":
                    msgstrs[-1] += line.strip().strip('"')
        if msgid:
            found.append((msgid, msgstrs, "fuzzy" in block.split("msgid", 1)[0]))
    return found


def unquote(text):
    return ast.literal_eval(f'"{text}"')


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.parent.name)
def test_every_message_has_a_vietnamese_translation(path):
    missing = [msgid for msgid, msgstrs, fuzzy in entries(path) if fuzzy or not all(msgstrs)]
    assert len(entries(path)) > 30
    assert missing == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.parent.name)
def test_the_compiled_catalogue_matches_its_source(path):
    """A .po edited without recompiling would leave the interface half in English."""
    with open(path.with_suffix(".mo"), "rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    for msgid, msgstrs, _fuzzy in entries(path):
        if len(msgstrs) == 1:
            assert compiled.gettext(unquote(msgid)) == unquote(msgstrs[0]), msgid


def test_the_apps_and_import_export_speak_vietnamese():
    with translation.override("vi"):
        assert translation.gettext("Participant-times") == "Lượt học viên"
        assert translation.gettext("Import") == "Nhập dữ liệu"  # django-import-export
        assert translation.gettext("Export") == "Xuất dữ liệu"
