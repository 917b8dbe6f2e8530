"""Wording every view shares: citations, labels, stances said once, estimates, dates."""

from __future__ import annotations

import datetime
from typing import Any

import msgspec
import pytest
from builders import position

from rmcli.kb.model import KnowledgeBase, Study
from rmcli.views.common import (
    LABELS,
    STANCE_WORDS,
    cite,
    comparison_arms,
    estimate,
    first_sentence,
    legend,
    review_overdue,
    reviewed_text,
    short_name,
    stance_line,
)


def study(**changes: Any) -> Study:
    base: dict[str, Any] = {
        "label": "Smith 2020",
        "kind": "rct",
        "design": "Double-blind RCT.",
        "n": 120,
        "population": "Unexplained RPL.",
        "outcome": "Live birth.",
        "result": "More live births.",
        "refs": ["smith-2020"],
        "checked": "primary",
    }
    return Study(**{**base, **changes})


@pytest.mark.parametrize(
    ("checked", "suffix"),
    [
        ("primary", "[a; b]"),
        ("secondary", "[a; b] †"),
        ("unverified", "[a; b] (unverified)"),
        ("inference", "[a; b] ‡"),
    ],
)
def test_cite_adds_refs_and_label(checked: Any, suffix: str) -> None:
    assert cite("A claim.", ["a", "b"], checked) == f"A claim. {suffix}"


def test_cite_without_refs_and_with_hostile_text() -> None:
    assert cite("A claim.", [], "unverified") == "A claim. (unverified)"
    assert cite("x\x1b[2Jy", [], "primary") == "x\\x1b[2Jy"


def test_the_legend_names_only_the_marks_used() -> None:
    assert legend(["A claim. [a] †", "Another. [b]"]) == "† secondary source"
    assert legend(["x ‡", "y †"]) == "† secondary source · ‡ inference from the sources"
    assert legend(["plain"]) is None


def test_every_verification_label_and_stance_has_words() -> None:
    assert set(LABELS) == {"primary", "secondary", "unverified", "inference"}
    assert STANCE_WORDS["unknown"] == "position not verified"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"grade": "conditional, ⊕○○○", "certainty": "very-low"}, "suggests (conditional; ⊕○○○)"),
        ({"grade": "conditional recommendation"}, "suggests (conditional; certainty low)"),
        (
            {"grade": "conditional, very low quality evidence", "certainty": "very-low"},
            "suggests (conditional; very low quality evidence)",
        ),
        ({"strength": "gpp", "grade": "good practice point", "certainty": "not-stated"},
         "suggests (good practice point)"),
        ({"strength": "consensus", "grade": "expert consensus", "certainty": "not-stated"},
         "suggests (consensus)"),
        ({"strength": "not-stated", "grade": "level 2a, grade B", "certainty": "not-stated"},
         "suggests (level 2a; grade B)"),
        ({"strength": "strong", "grade": "NICE 'offer' (NG126, 2021)", "certainty": "not-stated"},
         "suggests (strong; NICE 'offer' (NG126, 2021))"),
    ],
)  # fmt: skip
def test_stance_line_says_strength_grade_and_certainty_once(
    changes: dict[str, Any], expected: str
) -> None:
    assert stance_line(position(**changes)) == expected


def test_stance_line_drops_empty_details() -> None:
    line = stance_line(position(stance="unknown", strength="not-stated", certainty="not-stated"))
    assert line == "position not verified"


@pytest.mark.parametrize(
    ("numbers", "decimals", "expected"),
    [
        ((1.25, 1.0, 1.56), None, "RR 1.25 (95% CI 1.00 to 1.56)"),
        ((1.28, 0.78, 2.1), None, "RR 1.28 (95% CI 0.78 to 2.10)"),
        ((0.9, 0.7, 1.2), None, "RR 0.9 (95% CI 0.7 to 1.2)"),
        ((0.9, 0.7, 1.2), 2, "RR 0.90 (95% CI 0.70 to 1.20)"),
        ((2.0, 1.0, 4.0), None, "RR 2 (95% CI 1 to 4)"),
        ((1.0, 0.5, 2.0), 2, "RR 1.00 (95% CI 0.50 to 2.00)"),
        ((-2.6, -15.0, 9.9), None, "RR -2.6 (95% CI -15.0 to 9.9)"),
    ],
)
def test_an_estimate_is_printed_once_at_the_sources_precision(
    numbers: tuple[float, float, float], decimals: int | None, expected: str
) -> None:
    value, low, high = numbers
    s = study(measure="RR", estimate=value, ci_low=low, ci_high=high, decimals=decimals)
    assert estimate(s) == expected
    assert estimate(study()) == ""


def test_an_estimate_names_its_comparison() -> None:
    s = study(
        measure="RR", estimate=2.4, ci_low=1.3, ci_high=4.4, comparison="placebo vs dydrogesterone"
    )
    assert estimate(s) == "RR 2.4 (95% CI 1.3 to 4.4), placebo vs dydrogesterone"
    assert comparison_arms(s, "Progesterone") == ("placebo", "dydrogesterone", False)
    forward = study(comparison="IVIG vs LMWH plus aspirin")
    assert comparison_arms(forward, "IVIG") == ("IVIG", "LMWH plus aspirin", True)
    assert comparison_arms(study(), "Heparin") == ("Heparin", "control", True)


@pytest.mark.parametrize(
    ("reviewed", "today", "months", "overdue"),
    [
        ("2024-12-01", "2026-12-01", 24, True),
        ("2024-12-02", "2026-12-01", 24, False),
        ("2026-11-25", "2026-12-01", 24, False),
        ("2020-01-31", "2021-01-30", 12, False),
        ("2020-01-31", "2021-01-31", 12, True),
        ("2026-12-01", "2026-12-01", 0, False),
    ],
)
def test_review_overdue_counts_whole_months(
    reviewed: str, today: str, months: int, overdue: bool
) -> None:
    date = datetime.date.fromisoformat
    assert review_overdue(date(reviewed), date(today), months) is overdue


def test_reviewed_text_flags_an_overdue_review() -> None:
    day = datetime.date(2020, 1, 1)
    assert reviewed_text(day, False, 24) == "2020-01-01"
    assert reviewed_text(day, True, 24) == "2020-01-01 (review overdue: older than 24 months)"


def test_short_name_and_first_sentence(kb: KnowledgeBase) -> None:
    heparin = next(t for t in kb.therapies if t.id == "heparin")
    unnamed = msgspec.structs.replace(heparin, short_name=None)
    assert short_name(unnamed) == "Heparin"  # the name up to its parenthetical
    tnf = next(t for t in kb.therapies if t.id == "tnf-inhibitors")
    assert short_name(msgspec.structs.replace(tnf, short_name="low-dose aspirin")) == (
        "Low-dose aspirin"  # the knowledge base's short name, capitalised for a row
    )
    assert first_sentence("One. Two.") == "One."
    assert first_sentence("e.g. nothing") == "e.g. nothing"
