"""The whole story of a year (issue 14, "Proof"), with personas: the Lào Cai clerk builds the
2026 plan in the admin and from a sheet, the year's courses are entered, the clerk submits,
the ministry's manager returns it with a reason, the clerk fixes and resubmits, the manager
approves; then an edit, a delete, an import, a revert and a merge that touch Lào Cai 2026 are
each refused with a message naming the period, while Hà Nội 2026 stays editable; the
administrator reopens with a reason and the edit goes through."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cadres.models import Cadre
from courses.models import Course, ParticipantTally
from courses.services import merge_cadres
from imports.services import RevertRefused, revert_batch, run_import
from plans.figures import compare, plans_queryset
from plans.models import PeriodTransition, Plan, PlanLine, ReportingPeriod

from ..access.test_scope_on_save import course_change_form
from ..admin.conftest import make_cadre
from .conftest import current
from .helpers import messages_of, period_url, plan_form, write_csv

LOCKED_WORDS = ("approved", "đã duyệt")


def locked(text):
    return any(word in text for word in LOCKED_WORDS)


def import_command(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_spreadsheet", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_year_of_lao_cai_from_plan_to_lock_and_reopening(
    client,
    world,
    year_2026,
    earlier_batch,
    lao_cai_clerk,
    ha_noi_clerk,
    manager,
    administrator,
    tmp_path,
):
    lao_cai, ha_noi = current("15"), current("01")

    # 1. The Lào Cai clerk builds the 2026 plan in the admin (a line at home) ...
    client.force_login(lao_cai_clerk)
    response = client.post(
        reverse("admin:plans_plan_add"),
        plan_form(
            lao_cai,
            lines=[("KY_NANG", False, "CHUYEN_VIEN", 2, 50, 200_000_000, "local", 2)],
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    plan = Plan.objects.get(locality=lao_cai, year=2026, programme=None)
    assert plan.lines.get().participant_times == 50

    # ... cannot make one for Hà Nội ...
    response = client.post(reverse("admin:plans_plan_add"), plan_form(ha_noi))
    assert response.status_code == 200
    assert "locality" in response.context["adminform"].form.errors
    assert not Plan.objects.filter(locality=ha_noi).exists()

    # ... and adds the line abroad from a sheet.
    sheet = write_csv(
        tmp_path / "ke-hoach.csv",
        [
            [
                "Năm",
                "Tỉnh/thành",
                "Loại khóa",
                "Trong nước/nước ngoài",
                "Số khóa",
                "Số lượt",
                "Kinh phí",
                "Nguồn kinh phí",
            ],
            [
                "2026",
                "Lào Cai",
                "KIEN_THUC",
                "Nước ngoài",
                "1",
                "4",
                "100.000.000",
                "Ngân sách địa phương",
            ],
        ],
    )
    result = run_import("plans", str(sheet), user=lao_cai_clerk)
    assert result.ok, result.errors
    assert plan.lines.count() == 2
    comparison = compare(plans_queryset(user=lao_cai_clerk, year=2026))
    total = comparison.plans[0].total
    assert (total.planned.courses, total.actual.courses) == (3, 2)
    assert (total.planned.times, total.actual.times) == (
        54,
        29,
    )  # 20 + 5 + 2 tallied at home, 2 named abroad
    assert total.times_rate == 53.7

    # 2. The clerk looks at the period page (warnings shown) and submits with a note.
    url = period_url(2026, lao_cai)
    page = client.get(url)
    assert page.status_code == 200
    assert "warning_count" in page.context
    client.post(url, {"action": "submit", "note": "Đã nhập đủ số liệu năm 2026"})
    period = ReportingPeriod.objects.get(locality=lao_cai, year=2026)
    assert period.status == "submitted"
    assert period.submitted_by == lao_cai_clerk

    # The clerk may not approve their own year.
    assert client.post(url, {"action": "approve"}).status_code == 403

    # 3. The manager returns it: without a reason it is refused, with one it goes back.
    client.force_login(manager)
    client.post(url, {"action": "return", "note": ""})
    period.refresh_from_db()
    assert period.status == "submitted"
    client.post(url, {"action": "return", "note": "Thiếu danh sách khóa ở nước ngoài"})
    period.refresh_from_db()
    assert period.status == "returned"

    # 4. The clerk fixes a course (allowed: not approved) and resubmits.
    client.force_login(lao_cai_clerk)
    course = year_2026.lc_home
    response = client.post(
        reverse("admin:courses_course_change", args=[course.pk]),
        course_change_form(course, [], title="Kỹ năng đối ngoại (đã sửa)"),
    )
    assert response.status_code == 302
    client.post(url, {"action": "submit", "note": "Đã bổ sung"})
    period.refresh_from_db()
    assert period.status == "submitted"

    # 5. The manager approves.
    client.force_login(manager)
    client.post(url, {"action": "approve", "note": ""})
    period.refresh_from_db()
    assert period.status == "approved"
    assert period.approved_by == manager
    moves = list(period.transitions.values_list("from_status", "to_status", "user__username"))
    assert moves == [
        ("open", "submitted", "laocai"),
        ("submitted", "returned", "manager"),
        ("returned", "submitted", "laocai"),
        ("submitted", "approved", "manager"),
    ]
    assert "Thiếu danh sách" in client.get(url).content.decode()

    # 6. Lào Cai 2026 is locked: an edit in the admin is refused with a message ...
    client.force_login(lao_cai_clerk)
    response = client.post(
        reverse("admin:courses_course_change", args=[course.pk]),
        course_change_form(course, [], title="Sửa sau khi duyệt"),
        follow=True,
    )
    assert response.status_code == 200
    shown = " ".join(messages_of(response))
    assert locked(shown)
    assert "manager" in shown
    assert "Lào Cai" in shown
    course.refresh_from_db()
    assert course.title == "Kỹ năng đối ngoại (đã sửa)"

    # ... so is a delete ...
    response = client.post(
        reverse("admin:courses_course_delete", args=[year_2026.lc_abroad.pk]),
        {"post": "yes"},
        follow=True,
    )
    assert locked(" ".join(messages_of(response)))
    assert Course.objects.filter(pk=year_2026.lc_abroad.pk).exists()

    # ... an edit of the plan ...
    line = plan.lines.first()
    line.courses = 9
    with pytest.raises(ValidationError):
        line.save()

    # ... an import (the whole file: the Hà Nội row is not written either) ...
    tallies = write_csv(
        tmp_path / "so-luot.csv",
        [
            ["Mã khóa", "Cấp", "Tỉnh/thành", "Số lượt"],
            ["HN-2026-01", "CAP_PHONG", "Hà Nội", "3"],
            ["LC-2026-01", "CAP_PHONG", "Lào Cai", "9"],
        ],
    )
    before = ParticipantTally.objects.count()
    code, _out, err = import_command("tallies", tallies)
    assert code == 1
    assert "row 3" in err
    assert "approved" in err
    assert "row 2" not in err
    assert ParticipantTally.objects.count() == before

    # ... a revert of an import that touched Lào Cai 2026 (imported before the approval) ...
    with pytest.raises(RevertRefused) as refused:
        revert_batch(earlier_batch)
    assert locked(str(refused.value))

    # ... and a merge of a cadre enrolled on a Lào Cai 2026 course.
    twin = Cadre.objects.get(full_name="Giàng Seo Phử")
    keep = make_cadre("Giàng Seo Phử", locality=lao_cai)
    with pytest.raises(ValidationError) as refused:
        merge_cadres(keep=keep, remove=twin)
    assert locked(" ".join(refused.value.messages))
    assert Cadre.objects.filter(pk=twin.pk).exists()

    # 7. Hà Nội 2026 stays editable.
    client.force_login(ha_noi_clerk)
    response = client.post(
        reverse("admin:courses_course_change", args=[year_2026.hn.pk]),
        course_change_form(year_2026.hn, [], title="Hà Nội vẫn sửa được"),
    )
    assert response.status_code == 302
    assert Course.objects.get(pk=year_2026.hn.pk).title == "Hà Nội vẫn sửa được"

    # 8. The administrator reopens with a reason; the clerk's edit goes through.
    client.force_login(administrator)
    client.post(url, {"action": "reopen", "note": ""})
    period.refresh_from_db()
    assert period.status == "approved"  # a reason is required
    client.post(url, {"action": "reopen", "note": "Sở báo sai số lượt"})
    period.refresh_from_db()
    assert period.status == "open"
    assert PeriodTransition.objects.filter(period=period, to_status="open").get().note == (
        "Sở báo sai số lượt"
    )
    client.force_login(lao_cai_clerk)
    response = client.post(
        reverse("admin:courses_course_change", args=[course.pk]),
        course_change_form(course, [], title="Sửa sau khi mở lại"),
    )
    assert response.status_code == 302
    assert Course.objects.get(pk=course.pk).title == "Sửa sau khi mở lại"
    assert PlanLine.objects.filter(plan=plan).count() == 2


@pytest.fixture
def earlier_batch(world, year_2026, tmp_path):
    """Before the story: the national command imported a Lào Cai 2026 tally (batch kept)."""
    path = write_csv(
        tmp_path / "truoc.csv",
        [["Mã khóa", "Cấp", "Tỉnh/thành", "Số lượt"], ["LC-2026-01", "KHAC", "Lào Cai", "2"]],
    )
    result = run_import("tallies", str(path))
    assert result.ok, result.errors
    return result.batch
