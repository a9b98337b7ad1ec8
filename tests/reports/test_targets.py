"""Every target metric and status on the hand-made programme (see conftest.py)."""

import datetime

import pytest
from django.utils import translation

from reports.figures import ProgrammeData, elapsed_share, programme_targets, status_of
from tests.reports.conftest import AS_OF_MID, add_baseline, add_skill, add_target, current

LATE = datetime.date(2023, 7, 1)  # seven eighths of 2020-2023 gone by


def progress(world, as_of=AS_OF_MID):
    return {p.target.code: p for p in programme_targets(ProgrammeData(world.programme), as_of)}


def test_participant_times_statuses_follow_the_linear_pace(world):
    add_target(world, "PT20", "participant_times", 20)
    add_target(world, "PT15", "participant_times", 15)
    mid = progress(world)
    assert (mid["PT20"].actual, mid["PT20"].progress_pct, mid["PT20"].status) == (
        15,
        75.0,
        "on_track",  # half the period gone: 10 needed
    )
    assert mid["PT15"].status == "achieved"
    assert progress(world, LATE)["PT20"].status == "behind"  # 17.5 needed
    assert progress(world, datetime.date(2019, 12, 31))["PT20"].status == "not_started"


def test_distinct_cadres_courses_and_class_size(world):
    add_target(world, "PEOPLE", "distinct_cadres", 14)
    add_target(world, "VU_COURSES", "courses", 4, ranks=[world.vu])
    add_target(world, "CLASS", "avg_class_size", 5)
    result = progress(world, LATE)
    assert (result["PEOPLE"].actual, result["PEOPLE"].status) == (14, "achieved")
    # courses with a director counted: C1 (A), C2 (A), C3 (tally of 3)
    assert (result["VU_COURSES"].actual, result["VU_COURSES"].progress_pct) == (3, 75.0)
    assert result["VU_COURSES"].status == "behind"  # 3 < 4 * 7/8
    assert (result["CLASS"].actual, result["CLASS"].progress_pct) == (3.8, 76.0)


def test_coverage_uses_the_latest_baseline_year_in_the_period(world):
    add_target(world, "LOCAL_50", "coverage_pct", 50, level="local")
    add_baseline(2021, world.vu, world.lao_cai, 10)
    add_baseline(2023, world.cv, world.lao_cai, 20)
    add_baseline(2023, world.cv, world.ha_noi, 20)
    add_baseline(2023, world.cv, world.tw, 100)  # central: not in a local scope
    add_baseline(2025, world.cv, world.ha_noi, 1000)  # after the period
    result = progress(world)["LOCAL_50"]
    # local people trained: A, B, F named + tallies 3 (Lào Cai) + 5 (Hà Nội) = 11 of 40
    assert (result.actual, result.progress_pct, result.status) == (27.5, 55.0, "on_track")
    assert "2023" in str(result.note)


def test_coverage_counted_from_head_counts_never_passes_the_whole_workforce(world):
    add_target(world, "LOCAL_50", "coverage_pct", 50, level="local")
    add_baseline(2023, world.cv, world.lao_cai, 4)
    with translation.override("en"):
        result = progress(world)["LOCAL_50"]
    # 11 local people trained (8 of them from unnamed tallies) against a workforce of 4
    assert (result.actual, result.progress_pct, result.status) == (100.0, 200.0, "achieved")
    assert "head counts" in str(result.note)


def test_coverage_without_a_baseline_says_so(world):
    leaders = world.vu.__class__.objects.get(code="LANH_DAO_BO_TINH")
    add_target(world, "LEADERS", "coverage_pct", 80, ranks=[leaders])
    result = progress(world)["LEADERS"]
    assert (result.actual, result.progress_pct, result.status) == (None, None, "no_baseline")
    assert result.as_json()["status"] == "no_baseline"


def test_per_locality_minimum_lists_the_localities_short(world):
    cao_bang = current("04")
    add_target(
        world,
        "TWO_EACH",
        "per_locality_min",
        2,
        year_from=2021,
        year_to=2021,
        localities=[world.lao_cai, world.ha_noi, cao_bang],
    )
    result = progress(world)["TWO_EACH"]
    # 2021: Lào Cai = A (former Yên Bái) + tally 3 = 4, Hà Nội = tally 5, Cao Bằng = 0.
    # The actual is the number of localities that reach 2: 2 of 3; 2021 is over on 1/1/2022.
    assert result.short_localities == ["04"]
    assert [(code, n) for code, _name, n in result.short_counts] == [("04", 0)]
    assert (result.actual, result.localities_total, result.status) == (2, 3, "missed")
    assert result.progress_pct == 66.7
    assert result.as_json()["short_localities"] == ["04"]
    assert result.as_json()["short_counts"] == {"04": 0}


def test_per_locality_minimum_defaults_to_the_34_provincial_units(world):
    add_target(world, "LOCAL_ONE", "per_locality_min", 1, level="local")
    result = progress(world)["LOCAL_ONE"]
    assert len(result.short_localities) == 32  # all but Lào Cai (15) and Hà Nội (01)
    assert (result.actual, result.localities_total) == (2, 34)
    assert "15" not in result.short_localities
    assert "TW" not in result.short_localities


def test_qualified_share_of_the_cadres_in_scope(world):
    add_target(world, "EN_B2", "qualified_pct", 50, level="local", language="en", language_level=4)
    add_target(world, "ANY_B2", "qualified_pct", 50, level="local", language_level=4)
    add_skill(world.a, "en", 4)  # local (former Yên Bái): qualified
    add_skill(world.b, "en", 3)  # level too low
    add_skill(world.c, "fr", 5)  # qualified in any language, not in English
    add_skill(world.f, "en", 6)
    add_skill(world.d, "en", 6)  # central: out of a local scope
    result = progress(world)
    # local cadres now: A, B, C, F, G
    assert (result["EN_B2"].actual, result["EN_B2"].status) == (40.0, "on_track")
    assert (result["ANY_B2"].actual, result["ANY_B2"].status) == (60.0, "achieved")


def test_a_range_target_is_achieved_at_its_lower_end(world):
    add_target(world, "RANGE", "participant_times", 12, value_max=20)
    result = progress(world)["RANGE"]
    assert (result.status, result.progress_pct) == ("achieved", 125.0)
    assert result.as_json()["target"] == 12


@pytest.mark.parametrize(
    ("actual", "as_of", "expected"),
    [
        (0, datetime.date(2019, 6, 1), "not_started"),
        (100, datetime.date(2021, 1, 1), "achieved"),
        # 2020 is 366 of the 1827 days: 20.03 needed
        (21, datetime.date(2021, 1, 1), "on_track"),
        (20, datetime.date(2021, 1, 1), "behind"),
        (99, datetime.date(2024, 12, 31), "behind"),  # the last day of the period
        (99, datetime.date(2025, 1, 1), "missed"),  # the period is over
        (99, datetime.date(2030, 1, 1), "missed"),
        (None, datetime.date(2021, 1, 1), "no_baseline"),
    ],
)
def test_status_rules(actual, as_of, expected):
    assert status_of(actual, 100, 2020, 2024, as_of) == expected


def test_elapsed_share_is_clamped():
    assert elapsed_share(2020, 2024, datetime.date(2010, 1, 1)) == 0
    assert elapsed_share(2020, 2024, datetime.date(2040, 1, 1)) == 1
