"""The headline stance and the key estimate: what `list --long`, `compare` and `show` lead with.

The rule (docs/kb-format.md, "Headline stance and key estimate"):

1. Only verified positions count: `checked` primary or secondary, and a stance that says
   something (not `unknown`, not `no-statement`).
2. A position for the broad population beats one for a narrow subgroup. A population is a
   subgroup when it names one of SUBGROUP_MARKERS (treatment failure, previous thrombosis,
   carriers without disease, people outside the criteria, selected patients ...).
3. Then the stronger recommendation (strong, conditional, good practice point or consensus,
   not stated), then a primary source over a secondary one, then the newer edition; ties keep
   the order of the therapy file.
4. Without any verified position, the headline is the therapy's status and certainty with its
   key trial.

The key estimate is a study with a structured estimate, chosen in this order: one whose
population shares a defining word with the headline position's (APS, thrombophilia, ...), one
whose outcome is live birth, ongoing pregnancy or miscarriage, a meta-analysis or systematic
review before a randomised trial before any other study, then the largest.
"""

from __future__ import annotations

import re

import msgspec

from rmcli.kb.model import Checked, GuidelinePosition, Study, Therapy
from rmcli.text import clean
from rmcli.views.common import body_year, estimate, label, stance_details

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
)
STRENGTH_ORDER = ("strong", "conditional", "gpp", "consensus", "not-stated")
SILENT_STANCES = ("unknown", "no-statement")
STANCE_VERBS = {
    "recommend": "recommends it",
    "suggest": "suggests it",
    "may-consider": "says it may be considered",
    "research-only": "limits it to research",
    "suggest-against": "suggests against it",
    "recommend-against": "recommends against it",
}
KIND_WORDS = {
    "rct": "RCT",
    "meta-analysis": "meta-analysis",
    "systematic-review": "systematic review",
    "cohort": "cohort",
    "non-randomised": "non-randomised study",
    "case-series": "case series",
    "preclinical": "preclinical study",
    "protocol": "protocol",
}
POOLED = ("meta-analysis", "systematic-review")
EFFICACY = ("live birth", "ongoing pregnancy", "healthy baby", "miscarriage", "pregnancy loss")
GENERIC_WORDS = frozenset(
    {
        *("women", "woman", "patients", "people", "with", "who", "the", "and", "for"),
        *("have", "had", "has", "meeting", "meet", "meets", "criteria", "pregnancy"),
        *("pregnancies", "losses", "loss", "recurrent", "previous", "more", "than"),
        *("least", "one", "two", "three", "four", "during", "after", "before"),
        *("without", "not", "any", "all"),
    }
)


class Headline(msgspec.Struct, frozen=True, kw_only=True):
    text: str  # 'ACR 2020 recommends it (strong) for patients meeting obstetric APS criteria'
    label: str  # "secondary source", "" for primary, or "" for the fallback
    checked: Checked | None  # None for the fallback (no verified position)
    position: GuidelinePosition | None
    fallback: str = ""  # without a position: the status and key trial, for lists

    @property
    def line(self) -> str:
        """The stance with its label (where status and key evidence are shown nearby)."""
        return f"{self.text} ({self.label})" if self.label else self.text

    @property
    def full(self) -> str:
        """The stance, or the status and key trial when no position is verified."""
        return f"{self.line}; {self.fallback}" if self.fallback else self.line


def is_subgroup(population: str) -> bool:
    folded = population.casefold()
    return any(marker in folded for marker in SUBGROUP_MARKERS)


def headline_position(therapy: Therapy) -> GuidelinePosition | None:
    candidates = [
        g
        for g in therapy.guidelines
        if g.checked in ("primary", "secondary") and g.stance not in SILENT_STANCES
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


def _words(text: str) -> set[str]:
    folded = clean(text).casefold()
    words = {w for w in re.findall(r"[a-z0-9]+", folded) if len(w) > 2} - GENERIC_WORDS
    if "antiphospholipid" in words or "apl" in words:
        words |= {"aps", "antiphospholipid"}
    return words


def key_study(therapy: Therapy) -> Study | None:
    estimated = [s for s in therapy.evidence if s.estimate is not None]
    chosen = [s for s in estimated if s.key]
    if chosen:  # the editors' choice
        return chosen[0]
    if not estimated:
        return None
    position = headline_position(therapy)
    wanted = _words(position.population) if position else set()

    def rank(study: Study) -> tuple[bool, bool, int, int]:
        shared = bool(wanted & _words(study.population))
        efficacy = any(word in study.outcome.casefold() for word in EFFICACY)
        kind = 0 if study.kind in POOLED else 1 if study.kind == "rct" else 2
        return not shared, not efficacy, kind, -(study.n or 0)

    return min(estimated, key=rank)


def key_evidence(therapy: Therapy) -> str:
    """'OR 1.39 (95% CI 0.55 to 3.47) for live birth; Farquharson 2002 (RCT, n=98)': the
    numbers first, so that a shortened line still has them."""
    study = key_study(therapy)
    if study is None:
        return "no effect estimate with a 95% CI in this knowledge base"
    kind = KIND_WORDS.get(study.kind, study.kind)
    about = [kind] if kind.casefold() not in study.label.casefold() else []
    about += [f"n={study.n}"] if study.n else []
    outcome = clean(study.outcome).rstrip(".")
    outcome = outcome[:1].lower() + outcome[1:] if outcome[1:2].islower() else outcome
    shown = f"{study.label} ({', '.join(about)})" if about else study.label
    return clean(f"{estimate(study)} for {outcome}; {shown}")


def headline(therapy: Therapy) -> Headline:
    position = headline_position(therapy)
    if position is None:
        status = therapy.overall
        fallback = (
            f"status {status.status}, certainty {status.certainty.replace('-', ' ')}; "
            f"key evidence: {key_evidence(therapy)}"
        )
        return Headline(
            text="No verified guideline position",
            label="",
            checked=None,
            position=None,
            fallback=clean(fallback),
        )
    details = stance_details(position)
    verb = STANCE_VERBS[position.stance] + (f" ({details})" if details else "")
    population = clean(position.population).rstrip(".")
    population = (
        population[:1].lower() + population[1:] if population[1:2].islower() else population
    )
    text = f"{body_year(position)} {verb} for {population}"
    return Headline(
        text=clean(text), label=label(position.checked), checked=position.checked, position=position
    )
