"""The headline stance: which guideline position a therapy leads with, and whether it agrees
with the therapy's status (docs/kb-format.md, "Headline stance and key estimate").

1. Only verified positions count: `checked` primary or secondary, a stance that says something
   (not `unknown`, not `no-statement`), about recurrent miscarriage or obstetric APS (a position
   on another indication, such as rheumatic disease or hypothyroidism, never leads).
2. A position for the broad population beats one for a narrow subgroup. A population is a
   subgroup when it names one of SUBGROUP_MARKERS (treatment failure, previous thrombosis,
   carriers without disease, people outside the criteria, selected patients ...).
3. Then the stronger recommendation (strong, conditional, good practice point or consensus,
   not stated), then a primary source over a secondary one, then the newer edition; ties keep
   the order of the therapy file.
"""

from __future__ import annotations

from typing import get_args

from rmcli.kb.model import GuidelinePosition, Therapy
from rmcli.kb.values import Stance, Status, Strength

INDICATION_WORDS = {
    "recurrent-miscarriage": "recurrent miscarriage",
    "obstetric-aps": "obstetric APS",
}
SUBGROUP_MARKERS = (
    "despite",
    "failed",
    "refractory",
    "thrombosis",
    "vte",
    "venous thromboembolism",
    "asymptomatic",
    "do not meet",
    "does not meet",
    "outside pregnancy",
    "only 2",
    "selected",
    "superseded",
    "subclinical hypothyroidism",
    "overt hypothyroidism",
)
STRENGTH_ORDER: tuple[Strength, ...] = get_args(Strength)  # strongest first
SILENT_STANCES: tuple[Stance, ...] = ("unknown", "no-statement")
FAVOURABLE_STANCES: tuple[Stance, ...] = ("recommend", "suggest", "may-consider")
AGAINST_STANCES: tuple[Stance, ...] = ("suggest-against", "recommend-against", "research-only")
FAVOURABLE_STATUSES: tuple[Status, ...] = ("established", "conditional")


def is_subgroup(population: str) -> bool:
    folded = population.casefold()
    return any(marker in folded for marker in SUBGROUP_MARKERS)


def consistent(stance: Stance, status: Status) -> bool:
    """Whether a headline stance agrees with the therapy's status: a favourable stance with an
    established or conditional therapy, a stance against (or research only) with the rest."""
    if stance in FAVOURABLE_STANCES:
        return status in FAVOURABLE_STATUSES
    if stance in AGAINST_STANCES:
        return status not in FAVOURABLE_STATUSES
    return True


def headline_position(therapy: Therapy) -> GuidelinePosition | None:
    """The verified position on recurrent miscarriage or obstetric APS that leads."""
    candidates = [
        g
        for g in therapy.guidelines
        if g.checked in ("primary", "secondary")
        and g.stance not in SILENT_STANCES
        and g.indication in INDICATION_WORDS
    ]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda g: (
            is_subgroup(g.population),
            STRENGTH_ORDER.index(g.strength),
            g.checked != "primary",
            -(g.year or 0),
        ),
    )
