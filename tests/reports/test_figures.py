"""The figures of the hand-made programme (tests/reports/conftest.py), worked out by hand."""

from reports.figures import ProgrammeData, progress_json
from reports.figures import TargetScope as Scope


def test_it_totals_the_counted_participants(world):
    report = progress_json(world.programme)
    assert report["programme"] == "TEST-P"
    assert (report["first_year"], report["last_year"]) == (2020, 2023)
    assert report["totals"] == {
        "courses": 4,  # C5 has only a registered cadre: nothing counted
        "participant_times": 15,
        "distinct_cadres": 4 + 10,  # A, B, E, F named + 10 tallied heads
        "avg_class_size": 3.8,  # 15 / 4 = 3.75
        "courses_abroad": 1,
    }


def test_it_breaks_down_by_rank_and_year(world):
    report = progress_json(world.programme)
    assert report["by_rank"] == {"VU_TRUONG": 5, "CHUYEN_VIEN": 10}
    assert report["by_year"] == {"2020": 2, "2021": 12, "2022": 1}


def test_it_rolls_former_provinces_up_to_their_successor(world):
    # A was trained twice while recorded in former Yên Bái (old 15): both count for Lào Cai
    # (current 15) with B and the tally of 3; E has no locality; the TW tally is central.
    report = progress_json(world.programme)
    assert report["by_locality"] == {"15": 6, "01": 6, "TW": 2, "unknown": 1}


def test_it_counts_a_named_list_or_the_tallies_never_both(world):
    data = ProgrammeData(world.programme)
    assert data.course_ids(Scope()) == {world.c1.id, world.c2.id, world.c3.id, world.c4.id}
    # 2022: F on C4 only; the tallies of C4 (7) and C5 (4) do not count, their courses have names
    assert data.breakdown(Scope(), "year") == {(2020,): 2, (2021,): 12, (2022,): 1}


def test_as_recorded_keeps_former_provinces_apart(world):
    data = ProgrammeData(world.programme)
    recorded = data.breakdown(Scope(), "recorded")
    assert recorded[("15*",)] == 2  # former Yên Bái
    assert recorded[("15",)] == 4  # current Lào Cai: B + tally 3


def test_scope_filters_apply_to_every_figure(world):
    data = ProgrammeData(world.programme)
    lao_cai = Scope(unit_ids=frozenset([world.lao_cai.id]))
    assert data.summary(lao_cai)["participant_times"] == 6
    assert data.summary(lao_cai)["distinct_cadres"] == 2 + 3  # A, B + tally
    assert data.summary(Scope(level="central"))["participant_times"] == 2
    assert data.summary(Scope(level="local"))["participant_times"] == 12
    assert data.summary(Scope(year_from=2021, year_to=2021))["courses"] == 2
    only_vu = data.summary(Scope(rank_ids=frozenset([world.vu.id])))
    assert (only_vu["participant_times"], only_vu["courses"]) == (5, 3)
    totals = data.summary(Scope())
    assert (totals["budget_planned"], totals["budget_spent"]) == (300, 230)


def test_an_empty_programme_has_zeros_and_no_division_by_zero(world):
    world.programme.courses.all().delete()
    report = progress_json(world.programme)
    assert report["totals"]["participant_times"] == 0
    assert report["totals"]["avg_class_size"] == 0
    assert report["by_locality"] == {}
