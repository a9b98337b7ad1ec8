"""A clerk working in Vietnamese meets no English: every admin page (list, add, change,
history, delete confirmation of every registered model), a form with errors, the date and
select widgets' texts and the report pages.

A page fails on any phrase of ENGLISH_SEEN (the strings found on the landed code) and on
any English message of the catalogues (Django's, the libraries', the project's) that shows
up untranslated in the page's visible text."""

import contextlib
import datetime
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import NoReverseMatch, reverse

from accounts.models import AccessScope
from cadres.models import Agency, LanguageSkill, WorkforceBaseline
from courses.models import Programme, Target
from imports.models import ImportBatch, ImportChange

from .conftest import enrol, locality, make_cadre, make_course, rank, tally

ROOT = Path(__file__).resolve().parents[2]
DJANGO = Path(django.__file__).parent

# Found in Vietnamese pages on the landed code (issue 12).
ENGLISH_SEEN = [
    "Please correct the error",
    "Reset password",
    "by selecting them",
    "Show counts",
    "Hide counts",
    "Lý do thay đổi: None",
    "(participants)",
    "Participants",
    "Code (Mã khóa)",
    "Skip to main content",
    "Toggle theme",
]

# Words that are the same in both languages, or names.
SAME_IN_BOTH = {"Email", "Email address", "OK", "ID", "JSON", "SHA-256", "IPv4", "IPv6"}


def _po_entries(path):
    """(msgid, msgstr) pairs of a .po file (the plural's first form)."""
    text = path.read_text(encoding="utf-8")
    found = []
    for block in re.split(r"\n\s*\n", text):
        parts, current = {}, None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(
                r"(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?|msgstr\[\d\]) (.*)", line
            )
            if match:
                current = match.group(1)
                parts[current] = json.loads(match.group(2))
            elif line.startswith('"') and current:
                parts[current] += json.loads(line)
        if parts.get("msgid"):
            found.append((parts["msgid"], parts.get("msgstr", parts.get("msgstr[0]", ""))))
    return found


def english_segments():
    """Phrases of two words or more from every English message an admin page may show,
    cut at placeholders and tags, unless the Vietnamese translation keeps them."""
    sources = [
        *(DJANGO / "contrib").glob("*/locale/en/LC_MESSAGES/django.po"),
        DJANGO / "conf/locale/en/LC_MESSAGES/django.po",
    ]
    vietnamese = {}
    for path in [
        *(DJANGO / "contrib").glob("*/locale/vi/LC_MESSAGES/django.po"),
        DJANGO / "conf/locale/vi/LC_MESSAGES/django.po",
        ROOT / "locale_overrides/vi/LC_MESSAGES/django.po",
        ROOT / "locale_vendor/vi/LC_MESSAGES/django.po",
        ROOT / "locale/vi/LC_MESSAGES/django.po",
    ]:
        vietnamese.update(_po_entries(path))
    messages = [msgid for path in sources for msgid, _ in _po_entries(path)]
    messages += list(vietnamese)  # the libraries' and the project's msgids
    segments = set()
    for msgid in messages:
        if msgid in SAME_IN_BOTH:
            continue
        translated = vietnamese.get(msgid, "")
        for piece in re.split(r"%\(\w+\)\w|%\w|\{\w*\}|<[^>]+>|[“”\"():…]", msgid):
            piece = " ".join(piece.split()).strip(" .,;-")
            words = re.findall(r"[A-Za-z]+", piece)
            if len(words) >= 2 and len(piece) >= 8 and piece not in translated:
                segments.add(piece)
    return segments


class VisibleText(HTMLParser):
    """The text a person reads: text outside scripts and styles, plus titles, placeholders,
    labels for assistive technology and the words on buttons."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attrs = dict(attrs)
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(self.hidden - 1, 0)

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


_SEGMENTS = None


def english_in(html):
    global _SEGMENTS
    if _SEGMENTS is None:
        _SEGMENTS = english_segments()
    text = visible_text(html)
    found = [phrase for phrase in ENGLISH_SEEN if phrase in text]
    # "unknown" as a label; "<unknown>" is what django-axes records for a missing user agent.
    found += re.findall(r"(?<![<\w])unknown(?![>\w])", text)
    found += sorted(
        segment
        for segment in _SEGMENTS
        if re.search(r"(?<![A-Za-z])" + re.escape(segment) + r"(?![A-Za-z])", text)
    )
    return found


@pytest.fixture
def every_kind_of_record(db, admin_user):
    bng = Agency.objects.get(code="BNG")
    cadre = make_cadre("Trần Thị Lan", agency=bng, locality=locality("01"))
    course = make_course(
        title="Bồi dưỡng Tiếng Anh",
        programme=Programme.objects.get(code="QD2007-2015"),
        organiser=bng,
        locality=locality("01"),
        start=datetime.date(2019, 5, 6),
        end_date=datetime.date(2019, 5, 9),
    )
    enrol(course, cadre)
    tally(make_course(), 12, locality=locality("48"))
    LanguageSkill.objects.create(cadre=cadre, language="en", level=4)
    WorkforceBaseline.objects.create(year=2020, rank=rank(), locality=locality("01"), headcount=9)
    Target.objects.get_or_create(
        programme=Programme.objects.get(code="QD2007-2015"),
        code="T1",
        defaults={"label": "Phần lớn", "metric": "coverage_pct", "value_min": 50},
    )
    clerk_user = User.objects.create_user(
        "lan", password="mat-khau-du-dai-2025", first_name="Lan", is_staff=True
    )
    clerk_user.groups.add(Group.objects.get(name="Clerks"))
    AccessScope.objects.create(user=clerk_user, kind="locality", locality=locality("01"))
    batch = ImportBatch.objects.create(
        kind="participants", file_name="danh-sach.xlsx", checksum="0" * 64, user=admin_user
    )
    ImportChange.objects.create(
        batch=batch, model="cadres.agency", object_id=bng.pk, action="created"
    )
    AccessAttempt.objects.create(
        username="lan", ip_address="10.0.0.1", user_agent="Firefox", failures_since_start=2
    )
    AccessLog.objects.create(username="lan", ip_address="10.0.0.1", user_agent="Firefox")
    AccessFailureLog.objects.create(username="lan", ip_address="10.0.0.1", user_agent="Firefox")


def admin_pages(user):
    """(name, url) of every page of every registered model the user may open."""
    pages = [("index", reverse("admin:index")), ("password", reverse("admin:password_change"))]
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        label = model._meta.label
        pages.append((f"{label} list", reverse(f"{info}_changelist")))
        if model_admin.has_add_permission(_request_for(user)):
            pages.append((f"{label} add", reverse(f"{info}_add")))
        obj = model_admin.get_queryset(_request_for(user)).order_by("pk").first()
        if obj is None:
            continue
        pages.append((f"{label} change", reverse(f"{info}_change", args=[obj.pk])))
        pages.append((f"{label} history", reverse(f"{info}_history", args=[obj.pk])))
        if model_admin.has_delete_permission(_request_for(user), obj):
            pages.append((f"{label} delete", reverse(f"{info}_delete", args=[obj.pk])))
        with contextlib.suppress(NoReverseMatch):
            pages.append((f"{label} export", reverse(f"{info}_export")))
    return pages


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_every_admin_page_is_in_vietnamese(admin_client_for, admin_user, every_kind_of_record):
    client = admin_client_for(admin_user)
    english = {}
    for name, url in admin_pages(admin_user):
        response = client.get(url, follow=True)
        assert response.status_code == 200, (name, url, response.status_code)
        found = english_in(response.content.decode())
        if found:
            english[f"{name} {url}"] = found
    assert english == {}


def test_a_form_with_errors_is_in_vietnamese(admin_client_for, admin_user, every_kind_of_record):
    client = admin_client_for(admin_user)
    for model in ("courses_course", "cadres_cadre", "auth_user"):
        response = client.post(reverse(f"admin:{model}_add"), {})
        assert response.status_code == 200
        html = response.content.decode()
        assert "errornote" in html
        assert english_in(html) == [], model


def test_the_user_page_speaks_vietnamese(admin_client_for, admin_user, every_kind_of_record):
    user = User.objects.get(username="lan")
    html = (
        admin_client_for(admin_user)
        .get(reverse("admin:auth_user_change", args=[user.pk]))
        .content.decode()
    )
    assert "Đặt lại mật khẩu" in html  # "Reset password"
    assert english_in(html) == []


def test_the_select_and_calendar_widgets_speak_vietnamese(admin_client_for, admin_user):
    """The texts of admin's JavaScript ("Choose Các nhóm by selecting them…", the days)."""
    source = DJANGO / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"
    script = admin_client_for(admin_user).get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    missing = [msgid for msgid, _ in _po_entries(source) if msgid not in catalogue]
    # Context entries are keyed "context\x04msgid" in the catalogue.
    missing = [m for m in missing if not any(key.endswith("\x04" + m) for key in catalogue)]
    assert missing == []
    assert catalogue["Choose all %s"] == "Chọn tất cả %s"


def test_the_report_pages_are_in_vietnamese(admin_client_for, admin_user, every_kind_of_record):
    client = admin_client_for(admin_user)
    for url in [reverse("reports:programme_list")] + [
        reverse("reports:programme_detail", args=[code])
        for code in Programme.objects.values_list("code", flat=True)
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert english_in(response.content.decode()) == [], url
