"""Which arm of a study's ratio is the therapy: one reading for the plot and the absolute effects.

A ratio is stored as therapy vs control unless `comparison` names its arms, numerator first
("placebo vs dydrogesterone"). An arm is the control when it is a placebo, sham, untreated,
unexposed, observation, usual- or standard-care, no-treatment or "alone"/"only" arm.
"""

from __future__ import annotations

import re
from typing import Literal

from rmcli.kb.model import Study

Orientation = Literal["therapy/control", "control/therapy"]

CONTROL_ARM = re.compile(
    r"\b(placebo|sham|untreated|unexposed|usual care|standard care|no treatment|"
    r"no intervention|observation|nothing|standard treatment|expectant management|"
    r"controls?|alone|only)\b|^no\b",
    re.IGNORECASE,
)
VERSUS = re.compile(r"\s+(?:vs\.?|versus)\s+", re.IGNORECASE)


def arms(study: Study) -> tuple[str, str] | None:
    """The comparison's two arms, numerator first; None without a readable comparison."""
    if study.comparison is None:
        return None
    parts = VERSUS.split(study.comparison.strip())
    return (parts[0], parts[1]) if len(parts) == 2 else None


def therapy_vs_control(study: Study) -> tuple[float, float, float]:
    """The estimate and its CI limits as therapy vs control: a control/therapy ratio inverted,
    limits swapped. The study must have an estimate and both limits."""
    assert study.estimate is not None and study.ci_low is not None and study.ci_high is not None
    if orientation(study) == "control/therapy":
        return 1 / study.estimate, 1 / study.ci_high, 1 / study.ci_low
    return study.estimate, study.ci_low, study.ci_high


def orientation(study: Study) -> Orientation | None:
    """Which arm the study's ratio has on top; None where the comparison cannot be read."""
    if study.comparison is None:
        return "therapy/control"  # the knowledge base's convention
    named = arms(study)
    if named is None:
        return None
    first, second = (CONTROL_ARM.search(arm) is not None for arm in named)
    if first == second:
        return None
    return "control/therapy" if first else "therapy/control"
