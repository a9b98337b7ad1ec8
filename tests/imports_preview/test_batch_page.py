"""After confirming, the clerk reads on the batch's page what it created and changed, in
words with links; administrators alone may open the details as recorded."""

import re

from django.urls import reverse

from cadres.models import Cadre
from courses.models import Course
from imports import preview
from imports.models import ImportBatch

from ..access.conftest import staff
from ..admin.conftest import make_course
from ..imports.helpers import command, fixture


def batch_page(client, batch, **params):
    return client.get(reverse("admin:imports_importbatch_change", args=[batch.pk]), params)


def plain(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_participants_batch_lists_the_people_it_created_with_links(client, courses):
    clerk = staff("pageclerk", "Clerks")
    code, _out, err = command("participants", fixture("participants.xlsx"))
    assert code == 0, err
    batch = ImportBatch.objects.get(kind="participants")
    batch.user = clerk
    batch.save()
    client.force_login(clerk)
    response = batch_page(client, batch)
    assert response.status_code == 200
    html = response.content.decode()
    text = plain(html)
    hoa = Cadre.objects.get(full_name="Nguyễn Thị Hoà")
    assert "Created cadre Nguyễn Thị Hoà" in text
    assert f'href="{reverse("admin:cadres_cadre_change", args=[hoa.pk])}"' in html
    assert "Created agency Sở Ngoại vụ" in text
    assert "Created enrolment" in text
    # The details in words; no raw JSON for a clerk.
    assert "People created 5" in text
    assert "batch-raw-details" not in html
    assert '"people_created"' not in html
    assert "{&#x27;" not in html
    assert "001180000123" not in html  # no ID number on the page


def test_an_administrator_may_open_the_details_as_recorded(client, admin_user, courses):
    command("participants", fixture("participants.xlsx"))
    batch = ImportBatch.objects.get(kind="participants")
    client.force_login(admin_user)
    html = batch_page(client, batch).content.decode()
    assert 'id="batch-raw-details"' in html
    assert "people_created" in html


def test_an_update_says_which_value_changed_from_what_to_what(client, admin_user, courses):
    code, _out, err = command("courses", fixture("courses_changed.csv"))
    assert code == 0, err
    batch = ImportBatch.objects.filter(kind="courses").order_by("-id").first()
    client.force_login(admin_user)
    html = batch_page(client, batch).content.decode()
    text = plain(html)
    assert "Updated course K2018-01 · Bồi dưỡng kiến thức hội nhập quốc tế" in text
    assert "Planned participants: 80 → 85" in text
    assert "Created course K2026-09 · Khóa mới hoàn toàn" in text
    k2018 = Course.objects.get(code="K2018-01")
    assert f'href="{reverse("admin:courses_course_change", args=[k2018.pk])}"' in html


def test_a_big_batch_is_paginated(client, admin_user, courses, monkeypatch):
    monkeypatch.setattr(preview, "BATCH_PAGE_SIZE", 5)
    command("participants", fixture("participants.xlsx"))
    batch = ImportBatch.objects.get(kind="participants")
    client.force_login(admin_user)
    first = batch_page(client, batch)
    entries = first.context["entries"]
    assert entries.paginator.count == 2 + 5 + 7  # agencies, people, enrolments
    assert entries.paginator.num_pages == 3
    assert len(entries) == 5
    last = batch_page(client, batch, page=3).context["entries"]
    assert len(last) == 4
    assert all(e["action"] == "Created enrolment" for e in last)
    pages = [batch_page(client, batch, page=n).context["entries"] for n in (1, 2, 3)]
    shown = [entry["html"] for page in pages for entry in page]
    assert len(set(map(str, shown))) == 14
    assert batch_page(client, batch, page="x").status_code == 200  # a bad page: the first


def test_the_history_page_shows_no_none_for_a_missing_reason(client, admin_user):
    course = make_course()  # saved one by one: a history entry, with no reason
    client.force_login(admin_user)
    html = client.get(reverse("admin:courses_course_history", args=[course.pk])).content.decode()
    table = html.split('id="change-history"')[1].split("</table>")[0]
    cells = re.findall(r"<td>\s*(.*?)\s*</td>", table, re.S)
    assert "—" in cells
    assert "None" not in cells
