"""Absolute effects (GRADE) against hand-computed cases; every figure is worked in a comment."""

from __future__ import annotations

import math
from typing import Any

import builders
import msgspec
import pytest

from rmcli.absolute import (
    Absolute,
    absolute,
    baseline_text,
    control_risk,
    effect_text,
    nnt_text,
    outcome_phrase,
    outcome_text,
    parse_baseline,
    people,
    per_1000,
    unavailable,
)
from rmcli.arms import orientation
from rmcli.cli.run import exit_code
from rmcli.errors import ExitCode, UsageError
from rmcli.kb import KnowledgeBase
from rmcli.kb.model import Study


def study(**fields: Any) -> Study:
    return builders.study(
        **{"label": "Trial", "measure": "RR", "direction": "higher-better", **fields}
    )


def effect(baseline: float | None = None, **fields: Any) -> Absolute:
    result = absolute(study(**fields), baseline)
    assert result is not None
    return result


# RR ---------------------------------------------------------------------------------------------


def test_rr_with_the_trials_own_control_arm() -> None:
    # PROMISE-like: placebo 271/428 = 0.633178. RR 1.04 (0.94 to 1.15):
    # 633.178 x 0.04 = 25.33 -> 25; x -0.06 = -37.99 -> -38; x 0.15 = 94.98 -> 95.
    a = effect(
        outcome="Live birth after 24 weeks",
        estimate=1.04,
        ci_low=0.94,
        ci_high=1.15,
        control_events=271,
        control_total=428,
    )
    assert a.baseline_source == "control arm"
    assert a.baseline_risk == pytest.approx(271 / 428)
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (25, -38, 95)
    assert a.control_per_1000 == 633
    assert (a.therapy_per_1000, a.therapy_per_1000_low, a.therapy_per_1000_high) == (658, 595, 728)
    assert a.nnt_kind == "not estimable" and a.nnt is None
    assert effect_text(a) == (
        "25 more live births after 24 weeks per 1000 women (38 fewer to 95 more)"
    )
    assert nnt_text(a) == "NNT not estimable (95% CI includes no difference)"
    assert baseline_text(a) == "control arm 633 per 1000"


def test_rr_with_a_user_baseline_and_an_undesirable_outcome() -> None:
    # p = 0.2, RR 0.5 (0.25 to 0.75): 200 x -0.5 = -100; x -0.75 = -150; x -0.25 = -50.
    # Fewer miscarriages is benefit: NNT 1/0.1 = 10 (1/0.15 = 6.7 -> 7 to 1/0.05 = 20).
    a = effect(
        0.2,
        outcome="Miscarriage",
        direction="lower-better",
        estimate=0.5,
        ci_low=0.25,
        ci_high=0.75,
        control_events=1,
        control_total=2,  # ignored: the user's baseline wins
    )
    assert a.baseline_source == "user" and a.baseline_risk == 0.2
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (-100, -150, -50)
    assert (a.control_per_1000, a.therapy_per_1000) == (200, 100)
    assert (a.nnt_kind, a.nnt, a.nnt_low, a.nnt_high) == ("NNT", 10, 7, 20)
    assert not a.desirable
    assert effect_text(a) == "100 fewer women with miscarriage per 1000 (150 fewer to 50 fewer)"
    assert nnt_text(a) == "NNT 10 (7 to 20)"
    assert baseline_text(a) == "baseline you gave: 200 per 1000"


def test_harm_is_an_nnh() -> None:
    # p = 0.1, RR 2 (1.5 to 3) for an undesirable outcome: +100 (+50 to +200); NNH 10 (5 to 20).
    a = effect(
        0.1,
        outcome="Preterm birth",
        direction="lower-better",
        estimate=2.0,
        ci_low=1.5,
        ci_high=3.0,
    )
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (100, 50, 200)
    assert (a.nnt_kind, a.nnt, a.nnt_low, a.nnt_high) == ("NNH", 10, 5, 20)
    assert effect_text(a) == "100 more women with preterm birth per 1000 (50 more to 200 more)"


def test_adjusted_rr_converts_like_rr() -> None:
    a = effect(0.2, measure="aRR", estimate=0.5, ci_low=0.25, ci_high=0.75)
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (-100, -150, -50)
    assert a.nnt_kind == "NNH"  # fewer live births is harm


# OR ---------------------------------------------------------------------------------------------


def test_or_with_a_user_baseline_crossing_no_effect() -> None:
    # p = 0.5. OR 1.5: 0.75 / 1.25 = 0.6 -> +100. OR 0.5: 0.25 / 0.75 = 1/3 -> -166.7 -> -167.
    # OR 3: 1.5 / 2 = 0.75 -> +250.
    a = effect(0.5, measure="OR", estimate=1.5, ci_low=0.5, ci_high=3.0)
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (100, -167, 250)
    assert (a.therapy_per_1000, a.therapy_per_1000_low, a.therapy_per_1000_high) == (600, 333, 750)
    assert a.nnt is None and a.nnt_kind == "not estimable"
    assert effect_text(a) == "100 more live births per 1000 women (167 fewer to 250 more)"


@pytest.mark.parametrize("measure", ["OR", "aOR", "Peto OR"])
def test_or_with_the_trials_control_arm(measure: str) -> None:
    # control 20/80 = 0.25. OR 3: 0.75 / 1.5 = 0.5 -> +250. OR 1.5: 0.375 / 1.125 = 1/3 -> +83.3.
    # OR 9: 2.25 / 3 = 0.75 -> +500. NNT 1/0.25 = 4 (1/0.5 = 2 to 1/0.08333 = 12 exactly).
    a = effect(
        measure=measure,
        estimate=3.0,
        ci_low=1.5,
        ci_high=9.0,
        control_events=20,
        control_total=80,
    )
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (250, 83, 500)
    assert (a.nnt_kind, a.nnt, a.nnt_low, a.nnt_high) == ("NNT", 4, 2, 12)
    assert nnt_text(a) == "NNT 4 (2 to 12)"


def test_hazard_ratio_uses_the_time_to_event_conversion() -> None:
    # p = 0.5. HR 2: 1 - 0.5^2 = 0.75 -> +250. HR 1.5: 1 - 0.5^1.5 = 0.6464 -> +146.
    # HR 3: 1 - 0.125 = 0.875 -> +375. Undesirable outcome, so NNH 4 (1/0.375 -> 3 to 6.8 -> 7).
    a = effect(
        0.5,
        measure="aHR",
        outcome="Spontaneous abortion",
        direction="lower-better",
        estimate=2.0,
        ci_low=1.5,
        ci_high=3.0,
    )
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (250, 146, 375)
    assert (a.nnt_kind, a.nnt, a.nnt_low, a.nnt_high) == ("NNH", 4, 3, 7)


# NNT edge cases ---------------------------------------------------------------------------------


def test_a_ci_limit_of_exactly_no_effect_is_not_estimable() -> None:
    # Control 20/80, OR 3 (1.0 to 9.0): the lower limit converts to exactly 0.
    a = effect(
        measure="OR", estimate=3.0, ci_low=1.0, ci_high=9.0, control_events=20, control_total=80
    )
    assert a.risk_difference_low == 0.0
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (250, 0, 500)
    assert a.nnt is None and a.nnt_low is None and a.nnt_high is None
    assert effect_text(a) == "250 more live births per 1000 women (no difference to 500 more)"
    rr = effect(0.2, estimate=0.73, ci_low=0.54, ci_high=1.0)
    assert rr.risk_difference_high == 0.0 and rr.nnt_kind == "not estimable"


def test_a_point_of_exactly_no_effect() -> None:
    # p = 0.4, RR 1 (0.8 to 1.25): 0; 400 x -0.2 = -80; 400 x 0.25 = +100.
    a = effect(0.4, estimate=1.0, ci_low=0.8, ci_high=1.25)
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (0, -80, 100)
    assert a.nnt is None
    assert effect_text(a) == "0 more or fewer live births per 1000 women (80 fewer to 100 more)"
    flat = effect(0.4, estimate=1.0, ci_low=1.0, ci_high=1.0)
    assert (flat.per_1000, flat.nnt_kind) == (0, "not estimable")


def test_a_huge_nnt_is_a_whole_number() -> None:
    # p = 0.5, RR 1.000001 (1.0000005 to 1.0000015): differences 5e-7 (2.5e-7 to 7.5e-7).
    # NNT 2,000,000 (1/7.5e-7 = 1,333,333.3 -> 1,333,334 to 1/2.5e-7 = 4,000,000).
    a = effect(0.5, estimate=1.000001, ci_low=1.0000005, ci_high=1.0000015)
    assert (a.nnt_kind, a.nnt, a.nnt_low, a.nnt_high) == ("NNT", 2_000_000, 1_333_334, 4_000_000)
    assert nnt_text(a) == "NNT 2,000,000 (1,333,334 to 4,000,000)"
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (0, 0, 0)
    assert effect_text(a) == "<1 more live births per 1000 women (<1 more to <1 more)"


def test_people_rounds_up_but_forgives_float_error() -> None:
    assert people(0.25) == 4
    assert people(1 / 3 - 1 / 4) == 12  # 12.000000000000002 in floats
    assert people(-0.3) == 4  # 3.33 -> 4, sign ignored
    assert people(1.0) == 1


def test_per_1000_rounds_half_away_from_zero() -> None:
    assert per_1000(0.0625) == 63  # 62.5
    assert per_1000(-0.0625) == -63
    assert per_1000(0.0624) == 62
    assert per_1000(0.0) == 0


# Orientation ------------------------------------------------------------------------------------


def test_a_control_first_comparison_is_inverted() -> None:
    # Kumar-like: "placebo vs dydrogesterone", miscarriage RR 2.4 (1.3 to 5.9), lower-better
    # because miscarriage is an undesirable outcome. Therapy vs placebo: 1/2.4 = 0.4167
    # (1/5.9 = 0.1695 to 1/1.3 = 0.7692). p = 0.24: 240 x -0.5833 = -140; x -0.8305 = -199.3;
    # x -0.2308 = -55.4. Fewer miscarriages is benefit: NNT 1/0.14 = 7.1 -> 8
    # (1/0.1993 = 5.02 -> 6 to 1/0.0554 = 18.1 -> 19).
    kumar = study(
        outcome="Miscarriage",
        comparison="placebo vs dydrogesterone",
        estimate=2.4,
        ci_low=1.3,
        ci_high=5.9,
        direction="lower-better",
    )
    assert orientation(kumar) == "control/therapy"
    a = absolute(kumar, 0.24)
    assert a is not None
    assert a.inverted and not a.desirable
    assert (a.ratio, a.ratio_low, a.ratio_high) == pytest.approx((1 / 2.4, 1 / 5.9, 1 / 1.3))
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (-140, -199, -55)
    assert (a.nnt_kind, a.nnt, a.nnt_low, a.nnt_high) == ("NNT", 8, 6, 19)
    assert effect_text(a) == "140 fewer women with miscarriage per 1000 (199 fewer to 55 fewer)"


def test_an_unclear_comparison_gives_no_absolute_effect() -> None:
    s = study(comparison="IVIG vs intralipid", estimate=1.2, ci_low=0.9, ci_high=1.6)
    assert unavailable(s, 0.3) == "comparison order unclear"
    assert absolute(s, 0.3) is None


# Baselines --------------------------------------------------------------------------------------


def test_baseline_unknown_and_not_a_ratio() -> None:
    rr = study(estimate=1.1, ci_low=0.9, ci_high=1.3)
    assert absolute(rr) is None and unavailable(rr) == "baseline unknown"
    assert unavailable(rr, 0.3) is None
    rd = study(measure="RD", estimate=5.1, ci_low=-0.8, ci_high=11.0)
    assert unavailable(rd, 0.3) == "not a ratio estimate" and absolute(rd, 0.3) is None
    bare = study(measure=None, direction=None)
    assert unavailable(bare, 0.3) == "not a ratio estimate"


@pytest.mark.parametrize(("events", "total"), [(0, 50), (50, 50), (None, 50), (3, None), (0, 0)])
def test_degenerate_control_arms_give_no_baseline(events: int | None, total: int | None) -> None:
    s = study(estimate=1.1, ci_low=0.9, ci_high=1.3, control_events=events, control_total=total)
    assert control_risk(s) is None and unavailable(s) == "baseline unknown"


@pytest.mark.parametrize(
    ("value", "expected"), [("0.35", 0.35), (" 0.5 ", 0.5), (0.01, 0.01), ("1e-3", 0.001)]
)
def test_valid_baselines(value: str | float, expected: float) -> None:
    assert parse_baseline(value) == expected


@pytest.mark.parametrize(
    "value", [0, 1, -0.1, 1.5, "nan", "inf", "-inf", "0", "1", "1.5", "abc", "", True, math.nan]
)
def test_invalid_baselines_are_usage_errors(value: str | float) -> None:
    with pytest.raises(UsageError) as caught:
        parse_baseline(value)
    assert exit_code(caught.value) == ExitCode.USAGE
    assert "--baseline must be a proportion" in caught.value.message
    assert caught.value.hint


def test_baseline_hints_point_to_the_proportion() -> None:
    with pytest.raises(UsageError) as percent:
        parse_baseline("35%")
    assert percent.value.hint is not None and "0.35" in percent.value.hint
    with pytest.raises(UsageError) as scaled:
        parse_baseline(35)
    assert scaled.value.hint is not None and "0.35" in scaled.value.hint
    with pytest.raises(UsageError) as hostile:
        parse_baseline("\x1b[31mred")
    assert "\x1b" not in hostile.value.message


def test_absolute_rechecks_the_baseline() -> None:
    with pytest.raises(UsageError):
        absolute(study(estimate=1.1, ci_low=0.9, ci_high=1.3), 1.5)


# Wording ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "desirable", "phrase"),
    [
        ("Live birth", True, "live births"),
        ("Live birth after 24 weeks", True, "live births after 24 weeks"),
        ("Live birth at 34 weeks or later", True, "live births at 34 weeks or later"),
        ("Live birth (aspirin alone vs placebo)", True, "live births"),
        ("Birth of a healthy baby", True, "births of a healthy baby"),
        ("Healthy baby", True, "healthy babies"),
        ("Ongoing pregnancy at 22 weeks", True, "ongoing pregnancies at 22 weeks"),
        ("Success, defined as a pregnancy", True, "women with success, defined as a pregnancy"),
        ("Miscarriage", False, "women with miscarriage"),
        ("No live birth", False, "women with no live birth"),
        ("Postpartum haemorrhage", False, "women with postpartum haemorrhage"),
        ("Preterm birth (harm outcome, exposed vs unexposed)", False, "women with preterm birth"),
        ("HELLP syndrome", False, "women with HELLP syndrome"),
    ],
)
def test_outcome_phrase(outcome: str, desirable: bool, phrase: str) -> None:
    assert outcome_phrase(outcome, desirable) == phrase


def test_outcome_text_drops_nested_asides() -> None:
    assert outcome_text("Live birth (as (read) here).") == "Live birth"
    assert outcome_text("(only an aside)") == "(only an aside)"


# Contract and the bundled knowledge base --------------------------------------------------------


def test_json_carries_the_contract_keys_first() -> None:
    a = effect(0.2, estimate=0.5, ci_low=0.25, ci_high=0.75)
    encoded = msgspec.json.decode(msgspec.json.encode(a))
    assert list(encoded)[:5] == [
        "baseline_risk",
        "baseline_source",
        "per_1000",
        "per_1000_low",
        "per_1000_high",
    ]
    assert encoded["nnt_kind"] == "NNH" and encoded["nnt"] == 10


@pytest.mark.parametrize("baseline", [None, 0.05, 0.3, 0.95])
def test_every_bundled_study_is_consistent(kb: KnowledgeBase, baseline: float | None) -> None:
    for therapy in kb.therapies:
        for s in therapy.evidence:
            a = absolute(s, baseline)
            if a is None:
                assert unavailable(s, baseline) is not None
                continue
            assert a.per_1000_low <= a.per_1000 <= a.per_1000_high
            assert a.therapy_per_1000 - a.control_per_1000 == a.per_1000
            assert a.therapy_per_1000_low >= 0 and a.therapy_per_1000_high <= 1000
            if a.nnt is not None:
                assert a.nnt_low is not None and a.nnt_high is not None
                assert 1 <= a.nnt_low <= a.nnt <= a.nnt_high
            assert effect_text(a) and nnt_text(a)


def test_a_risk_above_one_is_capped() -> None:
    # p = 0.8, RR 1.1 (0.9 to 1.5): 800 x 0.1 = +80; x -0.1 = -80; 0.8 x 1.5 = 1.2 -> capped at
    # 1: +200, not +400.
    a = effect(0.8, estimate=1.1, ci_low=0.9, ci_high=1.5)
    assert (a.per_1000, a.per_1000_low, a.per_1000_high) == (80, -80, 200)
    assert a.capped and a.therapy_per_1000_high == 1000
    assert effect_text(a) == (
        "80 more live births per 1000 women (80 fewer to 200 more, capped at 1000 in 1000)"
    )
    assert not effect(0.5, estimate=1.1, ci_low=0.9, ci_high=1.5).capped
    assert not effect(0.8, measure="OR", estimate=1.1, ci_low=0.9, ci_high=9.0).capped
