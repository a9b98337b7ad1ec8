"""The target semantics of issue 11, on the hand-made programme TEST-P (conftest.py), with
the figures worked out by hand, the same on the page, the downloads, the command and the JSON.

Counted participants (course start dates): C1 1/5/2020 A, B; C2 1/5/2021 A, E (abroad);
C3 1/5/2021 tallies 3 (VU Lào Cai) + 5 (CV Hà Nội) + 2 (CV TW); C4 1/5/2022 F."""

import csv
import datetime
import io
import json

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import AccessScope
from reports.figures import ProgrammeData, programme_targets
from tests.access.conftest import staff
from tests.reports.conftest import AS_OF_MID, add_baseline, add_target

LATE = datetime.date(2023, 7, 1)


def page(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("reports:programme_detail", args=["TEST-P"]) + query)
    assert response.status_code == 200
    return response


def command_json(*args):
    out = io.StringIO()
    call_command("progress_report", "TEST-P", *args, stdout=out)
    return json.loads(out.getvalue())


def csv_rows(client, query=""):
    response = client.get(reverse("reports:programme_csv", args=["TEST-P"]) + query)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_target_of_an_ended_period_is_missed_not_behind(client, manager, world):
    add_target(world, "PT100", "participant_times", 100)
    add_target(world, "PT10", "participant_times", 10)
    # 31/12/2023 is the last day of 2020-2023: still running, so behind
    before = {t["code"]: t["status"] for t in command_json("--as-of", "2023-12-31")["targets"]}
    assert before["PT100"] == "behind"
    after = command_json("--as-of", "2024-01-01")
    assert [(t["code"], t["status"]) for t in after["targets"]] == [
        ("PT10", "achieved"),
        ("PT100", "missed"),
    ]
    html = page(client, manager, "?as_of=2024-01-01").content.decode()
    assert "không đạt" in html
    assert "chậm tiến độ</span>" not in html
    client.cookies["django_language"] = "en"
    rows = csv_rows(client, "?as_of=2024-01-01")
    assert any("not achieved" in row for row in rows)


def test_as_of_cuts_every_figure_at_the_courses_started_by_then(client, manager, world):
    # 30/04/2021: only C1 has started; 01/05/2021: C2 and C3 start that day and count.
    for as_of, times, courses, people in [
        ("2021-04-30", 2, 1, 2),
        ("2021-05-01", 14, 3, 3 + 10),  # A, B, E named + 10 tallied heads
        ("2021-12-31", 14, 3, 13),
        ("2022-05-01", 15, 4, 14),
    ]:
        body = command_json("--as-of", as_of)
        assert body["totals"]["participant_times"] == times, as_of
        assert body["totals"]["courses"] == courses, as_of
        assert body["totals"]["distinct_cadres"] == people, as_of
        report = page(client, manager, f"?as_of={as_of}").context["report"]
        assert report.totals["participant_times"] == times
        assert report.table("year_rank").footer[-1] == times
        assert sum(report.by_unit.values()) == times
    assert command_json("--as-of", "2021-12-31")["by_year"] == {"2020": 2, "2021": 12}
    book = load_workbook(
        io.BytesIO(
            client.get(
                reverse("reports:programme_xlsx", args=["TEST-P"]) + "?as_of=2021-04-30"
            ).content
        )
    )
    summary = {row[0]: row[1] for row in book[book.sheetnames[0]].iter_rows(values_only=True)}
    assert summary["Lượt học viên"] == 2


def test_baselines_count_up_to_the_as_of_year(world):
    add_target(world, "LOCAL_50", "coverage_pct", 50, level="local")
    add_baseline(2021, world.vu, world.lao_cai, 40)
    add_baseline(2023, world.cv, world.lao_cai, 1000)
    data = ProgrammeData(world.programme, as_of=datetime.date(2022, 1, 1))
    result = programme_targets(data)[0]
    assert "2021" in str(result.note)  # the 2023 baseline is not known on 1/1/2022


def test_distinct_people_from_head_counts_are_a_range(client, manager, world):
    add_target(world, "PEOPLE12", "distinct_cadres", 12)
    data = ProgrammeData(world.programme)
    with translation.override("vi"):
        result = programme_targets(data, LATE)[0]
        # at most 4 named (A, B, E, F) + 10 heads = 14; at least max(4 named, C3's 10) = 10
        assert (result.actual, result.actual_low) == (14, 10)
        # 14 reaches 12; 10 is short of 12 * 7/8 = 10.5: the status rests on the estimate
        assert (result.status, result.estimated) == ("achieved", True)
        assert str(result.status_label) == "đạt (ước tính)"
    response = page(client, manager, "?as_of=2023-07-01")
    html = response.content.decode()
    assert response.context["report"].totals["distinct_low"] == 10
    assert "10 đến 14" in html
    assert "đạt (ước tính)" in html
    target = command_json("--as-of", "2023-07-01")["targets"][0]
    assert (target["status"], target["actual"], target["actual_low"], target["estimated"]) == (
        "achieved",
        14,
        10,
        True,
    )


def test_coverage_on_head_counts_is_a_range_and_says_it_is_an_estimate(world):
    add_target(world, "LOCAL_50", "coverage_pct", 50, level="local")
    add_baseline(2023, world.cv, world.lao_cai, 40)
    with translation.override("vi"):
        result = programme_targets(ProgrammeData(world.programme), AS_OF_MID)[0]
        # local people: at most A, B, F + 3 + 5 heads = 11 of 40 = 27.5%;
        # at least max(3 named, C3's 8 local heads) = 8 of 40 = 20%.
        assert (result.actual, result.actual_low) == (27.5, 20.0)
        # half the period gone: 25% needed; 27.5 on track, 20 behind
        assert (result.status, result.estimated) == ("on_track", True)
        assert str(result.status_label) == "đúng tiến độ (ước tính)"
        assert "ước tính" in str(result.note)


def test_named_lists_only_are_exact_not_estimates(world):
    world.programme.courses.get(code="C3").delete()
    add_target(world, "PEOPLE3", "distinct_cadres", 3)
    result = programme_targets(ProgrammeData(world.programme), LATE)[0]
    assert (result.actual, result.actual_low, result.estimated) == (4, None, False)
    assert str(result.status_label) in {"achieved", "đạt"}


def test_per_province_minimum_names_the_short_provinces_with_their_counts(client, manager, world):
    cao_bang = world.lao_cai.__class__.objects.get(era="current", code="04")
    add_target(
        world,
        "TWO_EACH",
        "per_locality_min",
        2,
        localities=[world.lao_cai, world.ha_noi, cao_bang],
    )
    html = page(client, manager, "?as_of=2022-06-30").content.decode()
    # Lào Cai 2 named (A, B) + 3 heads = 5; Hà Nội F + 5 heads = 6; Cao Bằng 0
    assert "2 trên 3 tỉnh/thành đạt" in html
    assert "Cao Bằng (0)" in html
    target = command_json("--as-of", "2022-06-30")["targets"][0]
    assert (target["actual"], target["localities_total"], target["short_counts"]) == (
        2,
        3,
        {"04": 0},
    )


def test_the_target_boxes_say_what_they_count_and_that_filters_do_not_apply(client, manager, world):
    add_target(world, "VU3", "courses", 3, ranks=[world.vu], level="local")
    report = page(client, manager).context["report"]
    covers = report.targets[0].covers
    assert "2020–2023" in covers
    assert "Vụ trưởng" in covers
    html = page(client, manager, "?year_from=2021").content.decode()
    assert "Các bộ lọc ở trên không áp dụng cho chỉ tiêu" in html
    assert (
        "Các bộ lọc ở trên không áp dụng cho chỉ tiêu" not in page(client, manager).content.decode()
    )


def test_unknown_locality_is_explained_with_links_for_staff(client, manager, world):
    html = page(client, manager).content.decode()
    # E on C2 has no locality: one participant-time
    assert "không ghi tỉnh/thành" in html.lower()
    enrolments = reverse("admin:courses_enrolment_changelist")
    assert (
        f"{enrolments}?course__programme__id__exact={world.programme.pk}&amp;locality__isnull=True"
        in html
    )
    client.force_login(manager)
    listing = client.get(
        f"{enrolments}?course__programme__id__exact={world.programme.pk}&locality__isnull=True"
    )
    assert listing.status_code == 200
    assert "Hoàng Văn E" in listing.content.decode()


def test_budgets_of_a_scoped_report_are_of_the_courses_in_scope(client, world):
    """The rule (README, roles): a scoped report shows the budgets of the courses the scope
    covers (held or organised there) that have participants counted in it."""
    world.c1.locality = world.lao_cai  # C1 (budget 100/80) held in Lào Cai
    world.c1.save()
    lao_cai = staff("laocai", "Managers", kind="locality", locality=world.lao_cai)
    report = page(client, lao_cai).context["report"]
    # counted in Lào Cai: C1, C2 (A abroad, budget 200/150, organised by nobody there), C3
    assert report.totals["courses"] == 3
    assert (report.totals["budget_planned"], report.totals["budget_spent"]) == (100, 80)
    html = page(client, lao_cai).content.decode()
    assert "chỉ các khóa tổ chức hoặc diễn ra trong phạm vi của bạn" in html
    client.cookies["django_language"] = "en"
    rows = csv_rows(client)
    assert ["Budget planned (VND), courses organised or held in your scope", "100"] in rows
    national = staff("national", "Managers")
    assert page(client, national).context["report"].totals["budget_planned"] == 300
    AccessScope.objects.filter(user=lao_cai).update(locality=world.ha_noi)
    assert (
        page(client, staff("hn", "Managers", kind="locality", locality=world.ha_noi))
        .context["report"]
        .totals["budget_planned"]
        == 0
    )  # C3 and C4 have no budget, C1 is not Hà Nội's
