"""The report pages: login, the list with its health bars, a programme page, filters, 404."""

from django.urls import reverse

from tests.reports.conftest import add_target


def detail(client, query=""):
    return client.get(reverse("reports:programme_detail", args=["TEST-P"]) + query)


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in (
        reverse("reports:programme_list"),
        reverse("reports:programme_detail", args=["TEST-P"]),
        reverse("reports:programme_xlsx", args=["TEST-P"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_an_account_without_a_role_is_refused_the_reports(client, outsider, world):
    client.force_login(outsider)
    for url in (
        reverse("reports:programme_list"),
        reverse("reports:programme_detail", args=["TEST-P"]),
        reverse("reports:programme_csv", args=["TEST-P"]),
    ):
        assert client.get(url).status_code == 403


def test_a_manager_sees_the_list_with_health(client, manager, world):
    add_target(world, "PT15", "participant_times", 15)  # achieved
    add_target(world, "PT100", "participant_times", 100)  # missed (the period is over)
    client.force_login(manager)
    response = client.get(reverse("reports:programme_list"))
    assert response.status_code == 200
    rows = {row["programme"].code: row for row in response.context["rows"]}
    assert "QD2007-2015" in rows  # the shipped programmes
    assert rows["TEST-P"]["health"]["achieved"] == 1
    assert rows["TEST-P"]["health"]["missed"] == 1
    assert "1 đạt · 0 đúng tiến độ · 0 chậm tiến độ · 1 không đạt" in response.content.decode()


def test_programme_page_shows_figures_tables_and_targets(client, manager, world):
    add_target(world, "PT20", "participant_times", 20)
    client.force_login(manager)
    response = detail(client)
    html = response.content.decode()
    assert response.status_code == 200
    report = response.context["report"]
    assert report.totals["participant_times"] == 15
    assert '<dd id="fig-participant-times">15</dd>' in html
    assert "Label PT20" in html
    assert "<svg" in html
    year_table = report.table("year_rank")
    assert year_table.footer[-1] == 15
    assert [row[0] for row in year_table.rows] == [2020, 2021, 2022, 2023]
    locality_table = report.table("locality_rank")
    assert len(locality_table.rows) == 34 + 2  # 34 current units, TW and unknown
    lao_cai = next(row for row in locality_table.rows if row[0] == "15")
    assert lao_cai[-1] == 6


def test_numbers_are_written_the_vietnamese_way(client, manager, world):
    world.c3.tallies.filter(rank=world.cv, locality=world.ha_noi).update(count=9000)
    client.force_login(manager)
    html = detail(client).content.decode()
    assert '<dd id="fig-participant-times">9.010</dd>' in html


def test_filters_are_applied_and_kept_in_the_links(client, manager, world):
    client.force_login(manager)
    response = detail(client, "?locality=15&year_from=2020&year_to=2021")
    report = response.context["report"]
    assert report.totals["participant_times"] == 6  # A twice (former Yên Bái), B, tally 3
    assert [row[0] for row in report.table("locality_rank").rows] == ["15"]
    html = response.content.decode()
    assert "report.xlsx?year_from=2020&amp;year_to=2021&amp;locality=15" in html
    central = detail(client, "?level=central").context["report"]
    assert central.totals["participant_times"] == 2


def test_as_recorded_shows_former_provinces(client, manager, world):
    client.force_login(manager)
    report = detail(client, "?recorded=1").context["report"]
    rows = {row[0]: row for row in report.table("locality_rank").rows}
    assert rows["15*"][-1] == 2
    assert "Yên Bái" in rows["15*"][1]
    assert rows["15"][-1] == 4


def test_nonsense_filters_are_ignored_with_a_notice(client, manager, world):
    client.force_login(manager)
    response = detail(client, "?year_from=abc&rank=NOPE&level=x&locality=99&as_of=soon")
    assert response.status_code == 200
    assert len(response.context["report"].filters.notices) == 5
    assert response.context["report"].totals["participant_times"] == 15
    assert "abc" in response.content.decode()


def test_an_unknown_programme_is_404(client, manager, world):
    client.force_login(manager)
    assert client.get(reverse("reports:programme_detail", args=["NOPE"])).status_code == 404
    assert client.get(reverse("reports:programme_xlsx", args=["NOPE"])).status_code == 404


def test_distinct_people_say_how_many_come_from_head_counts(client, manager, world):
    client.force_login(manager)
    response = detail(client)
    # C3's tallies (3 + 5 + 2) have no names: the page gives a range, at least C3's 10 heads,
    # at most the 4 named people + 10 heads, and says it is an estimate.
    assert response.context["report"].totals["distinct_from_tallies"] == 10
    html = response.content.decode()
    assert '<dd id="fig-distinct" class="range">10 đến 14</dd>' in html
    assert "ước tính: 10 người trong số đó từ số liệu tổng hợp không có tên" in html
