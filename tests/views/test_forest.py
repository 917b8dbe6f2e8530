"""The forest view: axes, bounds, positions, ticks, verdicts by named arm, the reading."""

from __future__ import annotations

import itertools
import math
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rmcli.estimates import natural
from rmcli.kb import KnowledgeBase, Therapy
from rmcli.kb.model import Study
from rmcli.kb.values import RATIO_MEASURES
from rmcli.views.forest import (
    LOG_TICKS,
    Panel,
    forest,
    linear_ticks,
    log_ticks,
    not_plotted,
    panels,
    position,
    reading,
    scale_of,
    verdict,
)

NICE_TICKS = sorted({t for level in LOG_TICKS for t in level})

DIFFERENCE_MEASURES = ["RD", "MD", "SMD", "log-OR"]
WIDTHS = [20, 30, 46, 56, 76, 116]


def study(label: str = "Trial", **fields: Any) -> Study:
    base: dict[str, Any] = {
        "label": label,
        "kind": "rct",
        "design": "RCT",
        "population": "women with recurrent miscarriage",
        "outcome": "Live birth",
        "result": f"{label}: result text",
        "refs": ["ref-1"],
        "checked": "primary",
    }
    return Study(**{**base, **fields})


def estimate(
    label: str,
    value: float,
    low: float,
    high: float,
    measure: str = "RR",
    direction: str = "higher-better",
    **fields: Any,
) -> Study:
    return study(
        label,
        measure=measure,
        estimate=value,
        ci_low=low,
        ci_high=high,
        direction=direction,
        **fields,
    )


def with_evidence(therapy: Therapy, *studies: Study) -> Therapy:
    return msgspec.structs.replace(therapy, evidence=list(studies))


@pytest.fixture
def base(kb: KnowledgeBase) -> Therapy:
    return next(t for t in kb.therapies if t.id == "heparin")


def log_panel(low: float, high: float) -> Panel:
    return Panel(scale="log", null=1.0, low=low, high=high, ticks=[], points=[])


def linear_panel(low: float, high: float) -> Panel:
    return Panel(scale="linear", null=0.0, low=low, high=high, ticks=[], points=[])


def code(study: Study, name: str = "Heparin") -> str:
    return verdict(study, name)[0]


# -- axis type ------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", sorted(RATIO_MEASURES))
def test_ratio_measures_use_a_log_axis(measure: str) -> None:
    assert scale_of(measure) == "log"


@pytest.mark.parametrize("measure", DIFFERENCE_MEASURES)
def test_difference_measures_use_a_linear_axis(measure: str) -> None:
    assert scale_of(measure) == "linear"


def test_ratio_and_difference_measures_are_split_into_a_log_then_a_linear_panel(
    base: Therapy,
) -> None:
    therapy = with_evidence(
        base,
        estimate("Linear one", -2.0, -5.0, 1.0, measure="RD"),
        estimate("Log one", 0.8, 0.5, 1.3, measure="OR"),
        study("No estimate"),
        estimate("Log two", 1.5, 1.1, 2.0, measure="aHR"),
        estimate("Linear two", 0.3, 0.1, 0.5, measure="SMD"),
    )
    drawn = panels(therapy)
    assert [(p.scale, p.null) for p in drawn] == [("log", 1.0), ("linear", 0.0)]
    assert [p.label for p in drawn[0].points] == ["Log one", "Log two"]
    assert [p.label for p in drawn[1].points] == ["Linear one", "Linear two"]


def test_only_one_panel_when_all_measures_share_an_axis(base: Therapy) -> None:
    therapy = with_evidence(base, estimate("A", 1.2, 0.9, 1.6), estimate("B", 2.0, 1.2, 3.0))
    assert [p.scale for p in panels(therapy)] == ["log"]


def test_a_point_carries_the_study_fields(base: Therapy) -> None:
    source = estimate(
        "Full",
        0.7,
        0.5,
        0.9,
        measure="OR",
        direction="lower-better",
        n=120,
        certainty="moderate",
        outcome="Miscarriage",
        refs=["a", "b"],
    )
    (panel,) = panels(with_evidence(base, source))
    (point,) = panel.points
    assert (point.label, point.n, point.measure, point.outcome) == (
        "Full",
        120,
        "OR",
        "Miscarriage",
    )
    assert (point.estimate, point.ci_low, point.ci_high) == (0.7, 0.5, 0.9)
    assert (point.direction, point.certainty, point.refs, point.checked) == (
        "lower-better",
        "moderate",
        ["a", "b"],
        "primary",
    )
    assert point.verdict == "favours treatment"


# -- bounds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high"),
    [(2.0, 5.0), (0.1, 0.4), (0.5, 2.0), (1.0, 1.0), (10.0, 80.0)],
    ids=["all-above", "all-below", "crossing", "degenerate-at-null", "far-above"],
)
def test_log_bounds_include_no_effect_and_every_ci(base: Therapy, low: float, high: float) -> None:
    therapy = with_evidence(base, estimate("A", math.sqrt(low * high), low, high))
    (panel,) = panels(therapy)
    assert panel.scale == "log"
    assert 0 < panel.low < min(1.0, low)
    assert panel.high > max(1.0, high)


@pytest.mark.parametrize(
    ("low", "high"),
    [(2.0, 5.0), (-9.0, -3.0), (-4.0, 6.0), (0.0, 0.0), (-0.02, -0.01)],
    ids=["all-above", "all-below", "crossing", "degenerate-at-null", "tiny"],
)
def test_linear_bounds_include_no_effect_and_every_ci(
    base: Therapy, low: float, high: float
) -> None:
    therapy = with_evidence(base, estimate("A", (low + high) / 2, low, high, measure="MD"))
    (panel,) = panels(therapy)
    assert panel.scale == "linear"
    assert panel.low < min(0.0, low)
    assert panel.high > max(0.0, high)


def test_bounds_of_every_bundled_panel_include_no_effect_and_every_ci(kb: KnowledgeBase) -> None:
    checked = 0
    for therapy in kb.therapies:
        for panel in panels(therapy):
            assert panel.low < panel.null < panel.high, therapy.id
            for p in panel.points:
                assert panel.low < p.ci_low <= p.estimate <= p.ci_high < panel.high
                checked += 1
    assert checked >= 20


# -- position ---------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_position_maps_the_bounds_to_the_first_and_last_column(width: int) -> None:
    for panel in (log_panel(0.25, 8.0), linear_panel(-12.0, 3.0)):
        assert position(panel, panel.low, width) == 0
        assert position(panel, panel.high, width) == width - 1


def test_position_clamps_values_outside_the_axis() -> None:
    panel = log_panel(0.5, 2.0)
    assert position(panel, 0.01, 40) == 0
    assert position(panel, 100.0, 40) == 39
    linear = linear_panel(-1.0, 1.0)
    assert position(linear, -50.0, 40) == 0
    assert position(linear, 50.0, 40) == 39


@pytest.mark.parametrize("width", WIDTHS)
def test_position_is_monotonic(width: int) -> None:
    for panel in (log_panel(0.05, 20.0), linear_panel(-30.0, 15.0)):
        values = [
            panel.low * (panel.high / panel.low) ** (i / 500)
            if panel.scale == "log"
            else panel.low + (panel.high - panel.low) * i / 500
            for i in range(501)
        ]
        columns = [position(panel, v, width) for v in values]
        assert columns == sorted(columns)
        assert columns[0] == 0 and columns[-1] == width - 1


def test_the_log_axis_is_symmetric_in_ratios_and_the_linear_axis_in_differences() -> None:
    width = 101
    log = log_panel(0.25, 4.0)
    assert position(log, 1.0, width) == 50
    for factor in (1.5, 2.0, 3.0):
        left = 50 - position(log, 1 / factor, width)
        right = position(log, factor, width) - 50
        assert abs(left - right) <= 1
    # On a log axis 0.5 is as far below 1 as 2 is above it; on a linear axis it is not.
    assert position(log, 0.5, width) == 25 and position(log, 2.0, width) == 75
    linear = linear_panel(-4.0, 4.0)
    assert position(linear, 0.0, width) == 50
    assert position(linear, -2.0, width) == 25 and position(linear, 2.0, width) == 75


@settings(max_examples=150, deadline=None)
@given(
    low=st.floats(0.05, 0.95),
    high=st.floats(1.05, 20.0),
    width=st.sampled_from(WIDTHS),
)
def test_a_ci_crossing_one_puts_the_null_column_strictly_between_its_ends(
    low: float, high: float, width: int
) -> None:
    """Whenever the axis has room (more than a column and a half either side of 1)."""
    panel = log_panel(min(low, 1.0) / 1.15, max(high, 1.0) * 1.15)
    per_column = (math.log(panel.high) - math.log(panel.low)) / (width - 1)
    if min(-math.log(low), math.log(high)) < 1.5 * per_column:
        return
    left, null, right = (position(panel, v, width) for v in (low, 1.0, high))
    assert left < null < right


@pytest.mark.parametrize("width", WIDTHS)
def test_every_bundled_ci_clearly_crossing_no_effect_is_drawn_across_it(
    kb: KnowledgeBase, width: int
) -> None:
    """Bundled estimates whose CI crosses no effect by more than a column and a half."""
    for therapy in kb.therapies:
        for panel in panels(therapy):
            log = panel.scale == "log"

            def axis(v: float, log: bool = log) -> float:
                return math.log(v) if log else v

            per_column = (axis(panel.high) - axis(panel.low)) / (width - 1)
            for p in panel.points:
                margin = min(axis(panel.null) - axis(p.ci_low), axis(p.ci_high) - axis(panel.null))
                if margin < 1.5 * per_column:
                    continue
                left, null, right = (
                    position(panel, v, width) for v in (p.ci_low, panel.null, p.ci_high)
                )
                assert left < null < right, (therapy.id, p.label, width)


# -- ticks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high"), [(0.4, 3.0), (0.05, 25.0), (0.9, 1.2), (0.3, 1.1), (0.87, 1.15), (0.67, 1.59)]
)
def test_log_ticks_are_round_values_inside_the_axis_at_least_three(low: float, high: float) -> None:
    found = log_ticks(low, high)
    assert found == sorted(found)
    assert set(found) <= set(NICE_TICKS)
    assert all(low <= t <= high for t in found)
    assert 1 in found
    assert 3 <= len(found) <= 7


@pytest.mark.parametrize(
    ("low", "high"),
    [(-17.0, 11.5), (-0.3, 0.05), (-1.0, 1.0), (-2.5, 130.0), (-0.01, 0.004), (-0.6, 0.5)],
)
def test_linear_ticks_are_evenly_spaced_inside_the_axis_and_include_zero(
    low: float, high: float
) -> None:
    found = linear_ticks(low, high)
    assert 3 <= len(found) <= 12
    assert all(low - 1e-9 <= t <= high + 1e-9 for t in found)
    assert 0 in found
    steps = {round(b - a, 8) for a, b in itertools.pairwise(found)}
    assert len(steps) == 1
    (step,) = steps
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in {1.0, 1.25, 2.0, 2.5, 5.0}


def test_every_bundled_panel_has_three_ticks_one_at_no_effect(kb: KnowledgeBase) -> None:
    for therapy in kb.therapies:
        for panel in panels(therapy):
            assert panel.null in panel.ticks, therapy.id
            assert len(panel.ticks) >= 3, therapy.id
            assert panel.low <= panel.ticks[0] and panel.ticks[-1] <= panel.high


# -- verdict ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "low", "high", "direction", "expected"),
    [
        ("RR", 1.2, 2.0, "higher-better", "favours treatment"),
        ("RR", 1.2, 2.0, "lower-better", "favours control"),
        ("OR", 0.3, 0.8, "higher-better", "favours control"),
        ("OR", 0.3, 0.8, "lower-better", "favours treatment"),
        ("HR", 0.6, 1.4, "higher-better", "inconclusive"),
        ("HR", 0.6, 1.4, "lower-better", "inconclusive"),
        ("RR", 1.0, 1.3, "higher-better", "inconclusive"),
        ("RR", 0.7, 1.0, "lower-better", "inconclusive"),
        ("RD", 2.0, 9.0, "higher-better", "favours treatment"),
        ("RD", 2.0, 9.0, "lower-better", "favours control"),
        ("MD", -9.0, -2.0, "higher-better", "favours control"),
        ("MD", -9.0, -2.0, "lower-better", "favours treatment"),
        ("SMD", -0.4, 0.3, "higher-better", "inconclusive"),
        ("log-OR", 0.0, 0.5, "higher-better", "inconclusive"),
    ],
)
def test_verdict_honours_the_direction(
    measure: str, low: float, high: float, direction: str, expected: str
) -> None:
    value = (low + high) / 2
    assert code(estimate("S", value, low, high, measure, direction)) == expected


def test_a_ratio_ci_between_zero_and_one_is_not_read_on_a_linear_scale() -> None:
    """0.3-0.8 excludes 1 (a ratio) although it would exclude 0 too: the null is 1."""
    assert code(estimate("S", 0.5, 0.3, 0.8, "RR", "higher-better")) == "favours control"
    assert code(estimate("S", 0.5, 0.3, 0.8, "RD", "higher-better")) == "favours treatment"


@pytest.mark.parametrize(
    ("comparison", "low", "high", "direction", "expected", "words"),
    [
        # Kumar 2014: placebo vs dydrogesterone, miscarriage RR 2.4: dydrogesterone is better
        ("placebo vs dydrogesterone", 1.3, 4.4, "lower-better", "favours treatment",
         "favours dydrogesterone"),
        ("placebo vs dydrogesterone", 0.3, 0.8, "lower-better", "favours control",
         "favours placebo"),
        ("No treatment vs progesterone", 0.3, 0.8, "higher-better", "favours treatment",
         "favours progesterone"),
        # an active comparator: the therapy is the numerator
        ("IVIG vs LMWH plus aspirin", 1.2, 2.0, "higher-better", "favours treatment",
         "favours IVIG"),
        ("IVIG vs LMWH plus aspirin", 0.4, 0.8, "higher-better", "favours control",
         "favours LMWH plus aspirin"),
        ("placebo vs dydrogesterone", 0.8, 1.3, "lower-better", "inconclusive", "inconclusive"),
    ],
)  # fmt: skip
def test_a_named_comparison_says_which_arm_it_favours(
    comparison: str, low: float, high: float, direction: str, expected: str, words: str
) -> None:
    s = estimate("S", (low + high) / 2, low, high, "RR", direction, comparison=comparison)
    assert verdict(s, "Progesterone") == (expected, words)


def test_without_a_comparison_the_verdict_names_the_therapy() -> None:
    helps = estimate("S", 1.5, 1.2, 2.0, "RR", "higher-better")
    harms = estimate("S", 0.5, 0.3, 0.8, "RR", "higher-better")
    assert verdict(helps, "Heparin") == ("favours treatment", "favours Heparin")
    assert verdict(harms, "Heparin") == ("favours control", "favours control")


# -- not plotted and the reading --------------------------------------------------------------


def test_studies_without_an_estimate_are_not_plotted_but_listed(base: Therapy) -> None:
    therapy = with_evidence(
        base,
        study("Narrative only"),
        estimate("Drawn", 1.1, 0.8, 1.5),
        study("Another narrative", n=40),
    )
    assert [s.label for s in not_plotted(therapy)] == ["Narrative only", "Another narrative"]
    drawn = [p.label for panel in panels(therapy) for p in panel.points]
    assert drawn == ["Drawn"]


def test_bundled_studies_are_plotted_or_listed_exactly_once(kb: KnowledgeBase) -> None:
    for therapy in kb.therapies:
        drawn = [p.label for panel in panels(therapy) for p in panel.points]
        listed = [s.label for s in not_plotted(therapy)]
        assert sorted(drawn + listed) == sorted(s.label for s in therapy.evidence)
        assert not set(drawn) & set(listed)


def test_reading_counts_each_verdict_after_the_status(base: Therapy) -> None:
    therapy = with_evidence(
        base,
        estimate("Helps", 2.0, 1.3, 3.0),
        estimate("Harms", 0.5, 0.3, 0.8),
        estimate("Unclear", 1.0, 0.7, 1.4),
        estimate("Unclear diff", 1.0, -2.0, 4.0, measure="RD"),
        study("Unplotted"),
    )
    text = reading(therapy, panels(therapy))
    assert text.startswith(f"Overall status: {therapy.overall.status} (certainty ")
    assert "headline: " in text
    assert "Of 4 plotted estimates, 1 favour Heparin" in text
    assert "1 favour the comparator" in text
    assert "2 are inconclusive" in text
    assert "not a pooled result" in text
    assert "\n" not in text


def test_reading_without_any_estimate_says_so(base: Therapy) -> None:
    therapy = with_evidence(base, study("Only narrative"))
    assert panels(therapy) == []
    text = reading(therapy, [])
    assert text.startswith("Overall status: ")
    assert "No study gives an effect estimate with a 95% CI" in text
    assert "listed below" in text


def test_bundled_reading_matches_the_verdicts(kb: KnowledgeBase) -> None:
    for therapy in kb.therapies:
        drawn = panels(therapy)
        points = [p for panel in drawn for p in panel.points]
        text = reading(therapy, drawn)
        assert text.startswith(f"Overall status: {therapy.overall.status}"), therapy.id
        if not points:
            assert "No study" in text, therapy.id
            continue
        inconclusive = sum(p.verdict == "inconclusive" for p in points)
        assert f"Of {len(points)} plotted estimate" in text, therapy.id
        assert f"{inconclusive} are inconclusive" in text


def test_each_point_names_population_outcome_and_prints_the_estimate_once(
    kb: KnowledgeBase,
) -> None:
    for therapy in kb.therapies:
        view = forest(therapy, kb)
        for panel in view.panels:
            for p in panel.points:
                assert p.population and p.outcome
                assert p.effect.startswith(p.figure)
                unit = " percentage points" if p.measure == "RD" else ""
                assert p.figure.startswith(
                    f"{p.measure} {p.numbers[0]}{unit} (95% CI {p.numbers[1]} to "
                )
        shown = [s for s in not_plotted(natural(therapy)) if s.checked != "unverified"]
        assert [u.label for u in view.not_plotted] == [s.label for s in shown]


def test_every_study_with_an_effect_and_ci_or_arm_counts_is_drawn(kb: KnowledgeBase) -> None:
    """SPIN 2010 (an OR with its CI) and the count-only APS trials are drawn; a ratio from
    counts says so; nothing with an effect and CI is left in the undrawn list."""
    heparin = next(t for t in kb.therapies if t.id == "heparin")
    view = forest(heparin, kb)
    points = {p.label: p for panel in view.panels for p in panel.points}
    assert "SPIN 2010" in points
    kutteh = points["Kutteh 1996"]
    # 20/25 vs 11/25: RR 1.82; log method, SE sqrt(1/20 - 1/25 + 1/11 - 1/25) = 0.247
    assert kutteh.effect.startswith("RR 1.82 (95% CI 1.12 to 2.95), computed from counts")
    for therapy in kb.therapies:
        for study in forest(therapy, kb).not_plotted:
            source = next(s for s in therapy.evidence if s.label == study.label)
            assert source.estimate is None and source.treated_events is None, study.label


def test_a_log_odds_ratio_is_shown_as_an_odds_ratio(base: Therapy) -> None:
    logged = estimate("L", 0.9, 0.11, 1.69, measure="log-OR")
    (point,) = [p for panel in panels(natural(with_evidence(base, logged))) for p in panel.points]
    assert point.effect.startswith("OR 2.46 (95% CI 1.12 to 5.42)")


def test_points_keep_the_sources_decimals(base: Therapy) -> None:
    therapy = with_evidence(
        base,
        estimate("A", 1.25, 1.0, 1.56),
        estimate("B", 1.28, 0.78, 2.1),
        estimate("C", 0.9, 0.7, 1.2, decimals=2),
    )
    effects = [p.effect for panel in panels(therapy) for p in panel.points]
    assert effects == [
        "RR 1.25 (95% CI 1.00 to 1.56)",
        "RR 1.28 (95% CI 0.78 to 2.10)",
        "RR 0.90 (95% CI 0.70 to 1.20)",
    ]
