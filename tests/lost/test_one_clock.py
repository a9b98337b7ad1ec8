"""Every time a user reads is on their clock (Asia/Ho_Chi_Minh): the batch's title, its
page, the messages and the export file names agree with its "imported at" field."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from imports.models import ImportBatch

from ..imports.helpers import command, fixture

# 09:53 UTC is 16:53 in Hà Nội.
UTC_MOMENT = datetime.datetime(2026, 12, 1, 9, 53, tzinfo=datetime.UTC)
# 20:30 UTC on 30/11 is already 03:30 on 01/12 in Hà Nội.
LATE_UTC = datetime.datetime(2026, 11, 30, 20, 30, tzinfo=datetime.UTC)


def imported_at(moment):
    command("participants", fixture("participants.xlsx"))
    batch = ImportBatch.objects.latest("id")
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=moment)
    batch.refresh_from_db()
    return batch


def test_the_batch_title_page_and_field_show_one_clock(client, admin_user, courses):
    batch = imported_at(UTC_MOMENT)
    assert str(batch).endswith("16:53 01/12/2026")
    client.force_login(admin_user)
    page = client.get(reverse("admin:imports_importbatch_change", args=[batch.pk]))
    html = page.content.decode()
    assert "09:53" not in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "16:53 01/12/2026" in title
    assert html.count("16:53 01/12/2026") >= 2  # the title and the "imported at" field


def test_the_revert_messages_use_the_local_clock(client, admin_user, courses):
    batch = imported_at(UTC_MOMENT)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:imports_importbatch_changelist"),
        {"action": "revert_selected", "_selected_action": [batch.pk], "post": "yes"},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown
    assert "16:53 01/12/2026" in shown[0]
    assert "09:53" not in shown[0]
    batch.refresh_from_db()
    local = timezone.localtime(batch.reverted_at)
    listing = client.get(reverse("admin:imports_importbatch_change", args=[batch.pk]))
    assert f"{local:%H:%M}" in listing.content.decode()


def test_the_export_file_is_named_after_the_local_day(client, admin_user, courses, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: LATE_UTC)
    from courses.resources import CourseExportResource

    from ..admin.test_exports import export

    client.force_login(admin_user)
    response = export(client, "admin:courses_course_changelist", CourseExportResource)
    disposition = response.get("Content-Disposition", "")
    assert "khoa-hoc-01-12-2026.xlsx" in disposition, (response.status_code, disposition)
