"""Absolute effects in the views: the forest's `Effect`s and show's summary-of-findings rows."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from rmcli.kb import KnowledgeBase, Therapy
from rmcli.kb.model import Study
from rmcli.sof import summary_of_findings
from rmcli.views.effects import effect, findings_headers, findings_row, method
from rmcli.views.forest import forest


def therapy(kb: KnowledgeBase, therapy_id: str) -> Therapy:
    return next(t for t in kb.therapies if t.id == therapy_id)


def make(**fields: Any) -> Study:
    base: dict[str, Any] = {
        "label": "Trial",
        "kind": "rct",
        "n": 200,
        "design": "d",
        "population": "RPL",
        "outcome": "Live birth (index pregnancy)",
        "result": "r",
        "measure": "RR",
        "estimate": 1.5,
        "ci_low": 1.2,
        "ci_high": 2.0,
        "direction": "higher-better",
        "control_events": 40,
        "control_total": 100,
        "refs": ["ref"],
        "checked": "primary",
    }
    return Study(**{**base, **fields})


# -- evidence --absolute -------------------------------------------------------------------


def test_an_effect_names_its_outcome_baseline_and_nnt() -> None:
    # p = 0.4; RR 1.5 (1.2 to 2.0): +200 (+80 to +400) per 1000; NNT 5 (3 to 13)
    e = effect(make())
    assert e.absolute is not None and e.note is None
    assert e.outcome == "Live birth"  # the aside in parentheses is left out
    assert e.line == (
        "200 more live births per 1000 women (80 more to 400 more); control arm 400 per 1000; "
        "NNT 5 (3 to 13)."
    )


def test_an_undesirable_outcome_counts_women_and_harm_is_an_nnh() -> None:
    e = effect(make(outcome="Miscarriage", direction="lower-better"))
    assert e.line == (
        "200 more women with miscarriage per 1000 (80 more to 400 more); control arm 400 per "
        "1000; NNH 5 (3 to 13)."
    )


def test_a_user_baseline_is_said_to_be_the_users() -> None:
    e = effect(make(control_events=None, control_total=None), 0.2)
    assert e.baseline == "baseline you gave: 200 per 1000"
    assert e.difference.startswith("100 more live births per 1000 women")


@pytest.mark.parametrize(
    ("fields", "note", "words"),
    [
        ({"control_events": None}, "baseline unknown", "Live birth: baseline unknown"),
        (
            {"comparison": "IVIG vs intralipid"},
            "comparison order unclear",
            "Live birth: comparison order unclear",
        ),
    ],
)
def test_without_an_effect_the_reason_is_given(
    fields: dict[str, Any], note: str, words: str
) -> None:
    e = effect(make(**fields))
    assert e.absolute is None and e.note == note
    assert e.line.startswith(words)
    assert e.nnt == "" and e.difference.startswith("not estimated")


def test_the_method_names_where_the_baseline_came_from() -> None:
    assert "control-arm risk" in method(None) and "--baseline RISK" in method(None)
    assert "the baseline risk you gave (0.25, 250 per 1000)" in method(0.25)


def test_only_ratio_points_get_an_effect_and_only_when_asked(kb: KnowledgeBase) -> None:
    t = therapy(kb, "heparin")
    plain = forest(t, kb)
    assert plain.method is None
    assert all(p.absolute is None for panel in plain.panels for p in panel.points)
    for view in (forest(t, kb, absolute=True), forest(t, kb, baseline=0.3)):  # baseline implies it
        assert view.method is not None
        for panel in view.panels:
            assert all((p.absolute is not None) == (panel.scale == "log") for p in panel.points)


def test_a_user_baseline_gives_every_orientable_ratio_an_effect(kb: KnowledgeBase) -> None:
    view = forest(therapy(kb, "ivig"), kb, baseline=0.3)
    effects = [p.absolute for panel in view.panels for p in panel.points if p.absolute]
    assert effects and all(e.absolute is not None for e in effects)
    assert {e.absolute.baseline_source for e in effects if e.absolute} == {"user"}


# -- show: the summary of findings ---------------------------------------------------------


def test_a_findings_row_with_a_control_arm(kb: KnowledgeBase) -> None:
    t = therapy(kb, "progesterone")
    row = next(r for r in summary_of_findings(t) if r.study == "PROMISE 2015")
    cells = dict(zip(findings_headers(), findings_row(row, t), strict=True))
    assert cells == {
        "Outcome": "Live birth after 24 weeks",
        "Study and participants": "PROMISE 2015 (RCT, 826 participants) [promise-2015]",
        "Relative effect (95% CI)": "RR 1.04 (0.94 to 1.15)",
        "Risk per 1000 (95% CI)": "633 without, 658 with progesterone (595 to 728)",
        "Absolute difference": (
            "25 more live births after 24 weeks per 1000 women (38 fewer to 95 more)"
        ),
        "GRADE certainty": "not rated",
    }


def test_a_control_risk_the_source_gives_is_the_baseline(kb: KnowledgeBase) -> None:
    """Haas 2019 gives its control risks per 1000 (275 miscarriages), not arm counts."""
    t = therapy(kb, "progesterone")
    row = next(r for r in summary_of_findings(t) if r.study == "Haas 2019 Cochrane (miscarriage)")
    outcome, study, relative, risks, difference, certainty = findings_row(row, t)
    assert (outcome, relative, certainty) == ("Miscarriage", "RR 0.73 (0.54 to 1.00)", "moderate")
    assert study == "Haas 2019 Cochrane (miscarriage) (meta-analysis, 1,684 participants) " + (
        "[haas-2019-cochrane]"
    )
    assert risks == "275 without, 201 with progesterone (148 to 275)"
    assert difference.startswith("74 fewer women with miscarriage per 1000")


def test_a_findings_row_without_a_baseline_keeps_its_relative_effect(kb: KnowledgeBase) -> None:
    t = therapy(kb, "progesterone")
    pooled = make(kind="meta-analysis", n=None, control_events=None, control_total=None)
    t = msgspec.structs.replace(t, evidence=[pooled])
    (row,) = summary_of_findings(t)
    _, study, _, risks, difference, _ = findings_row(row, t)
    assert study == "Trial (meta-analysis) [ref]"  # no size given, so none is shown
    assert risks == "baseline unknown (no control-arm counts)"
    assert difference == "not estimated without a baseline"


def test_a_findings_row_carries_the_nnt_and_the_label(kb: KnowledgeBase) -> None:
    t = therapy(kb, "tnf-inhibitors")
    (row,) = summary_of_findings(t)
    cells = findings_row(msgspec.structs.replace(row, checked="secondary"), t)
    assert cells[1].endswith("[fu-2019] †")
    assert cells[4].endswith("; NNT 6 (5 to 14)")
    assert "with TNF-α inhibitors" in cells[3]
