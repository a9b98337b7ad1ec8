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
    # Django's own strings that its Vietnamese catalogues lack (admin, auth, forms, widgets).
    ROOT / "locale_overrides" / "vi" / "LC_MESSAGES" / "django.po",
    ROOT / "locale_overrides" / "vi" / "LC_MESSAGES" / "djangojs.po",
    ROOT / "certificates" / "locale" / "vi" / "LC_MESSAGES" / "django.po",
    ROOT / "evaluations" / "locale" / "vi" / "LC_MESSAGES" / "django.po",
    ROOT / "plans" / "locale" / "vi" / "LC_MESSAGES" / "django.po",
]


def contexts(path):
    """{msgid: msgctxt} of the entries of a .po file that have a context."""
    found = {}
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        context = re.search(r'^msgctxt "(.*)"$', block, re.M)
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        if context and msgid:
            found.setdefault(msgid.group(1), []).append(context.group(1))
    return found


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
    assert len(entries(path)) > 20
    assert missing == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.parent.name)
def test_the_compiled_catalogue_matches_its_source(path):
    """A .po edited without recompiling would leave the interface half in English."""
    with open(path.with_suffix(".mo"), "rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    with_context = contexts(path)
    for msgid, msgstrs, _fuzzy in entries(path):
        if len(msgstrs) == 1:
            found = {compiled.gettext(unquote(msgid))} | {
                compiled.pgettext(unquote(ctx), unquote(msgid))
                for ctx in with_context.get(msgid, [])
            }
            assert unquote(msgstrs[0]) in found, msgid


def test_the_apps_and_import_export_speak_vietnamese():
    with translation.override("vi"):
        assert translation.gettext("Participant-times") == "Lượt học viên"
        assert translation.gettext("Import") == "Nhập dữ liệu"  # django-import-export
        assert translation.gettext("Export") == "Xuất dữ liệu"


def test_django_strings_missing_from_its_catalogues_are_vietnamese():
    """Strings newer than Django's Vietnamese catalogue, seen in English on the landed code."""
    with translation.override("vi"):
        assert translation.gettext("Show counts") == "Hiện số lượng"
        assert translation.gettext("Reset password") == "Đặt lại mật khẩu"
        assert (
            translation.ngettext(
                "Please correct the error below.", "Please correct the errors below.", 2
            )
            == "Vui lòng sửa các lỗi dưới đây."
        )


def test_commands_speak_their_language(db):
    """progress_report's text and load_demo's summary in the command's language."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_demo", "--language", "vi", stdout=out)
    assert out.getvalue().startswith("Đã nạp bộ dữ liệu mẫu")
    out = StringIO()
    call_command("load_demo", "--once", stdout=out)
    assert "already loaded" in out.getvalue()  # English by default
    vi, en = StringIO(), StringIO()
    call_command(
        "progress_report", "QD2007-2015", "--format", "text", "--language", "vi", stdout=vi
    )
    call_command(
        "progress_report", "QD2007-2015", "--format", "text", "--language", "en", stdout=en
    )
    assert "Lượt học viên" in vi.getvalue()
    assert "Participant-times" not in vi.getvalue()
    assert "Participant-times" in en.getvalue()
    # Numbers grouped the language's way: 9.000 in Vietnamese, 9,000 in English.
    import re

    assert re.search(r"\d\.\d{3}\b", vi.getvalue())
    assert re.search(r"\d,\d{3}\b", en.getvalue())
