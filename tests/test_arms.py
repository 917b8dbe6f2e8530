"""Reading a study's comparison: which arm of its ratio is the therapy."""

from __future__ import annotations

import builders
import pytest

from rmcli.arms import arms, orientation
from rmcli.kb.model import Study


def study(comparison: str | None) -> Study:
    return builders.study(comparison=comparison)


@pytest.mark.parametrize(
    ("comparison", "expected"),
    [
        (None, "therapy/control"),
        ("dydrogesterone vs placebo", "therapy/control"),
        ("Placebo versus progesterone", "control/therapy"),
        ("no treatment vs LMWH", "control/therapy"),
        ("LMWH vs no LMWH", "therapy/control"),
        ("heparin plus aspirin vs aspirin alone", "therapy/control"),
        ("exposed vs unexposed", "therapy/control"),
        ("usual care vs IVIG", "control/therapy"),
        ("IVIG vs intralipid", None),  # head to head: which is the control?
        ("placebo vs no treatment", None),
        ("IVIG", None),
        ("A vs B vs placebo", None),
    ],
)
def test_orientation(comparison: str | None, expected: str | None) -> None:
    assert orientation(study(comparison)) == expected


def test_arms_are_the_two_sides_of_vs_numerator_first() -> None:
    assert arms(study("Placebo versus progesterone")) == ("Placebo", "progesterone")
    assert arms(study("heparin plus aspirin vs. aspirin alone")) == (
        "heparin plus aspirin",
        "aspirin alone",
    )
    assert arms(study(None)) is None
    assert arms(study("A vs B vs placebo")) is None
