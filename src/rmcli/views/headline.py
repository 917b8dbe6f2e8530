"""The headline stance and the key estimate: what `list --long`, `compare` and `show` lead with.

The headline position is chosen in `rmcli.kb.headline` (validation checks that it agrees with
the therapy's status); without one, the headline says there is no verified position on
recurrent miscarriage and lists name the status, certainty and key evidence instead.

The key estimate is a study with a structured estimate, chosen in this order: one whose
population shares a defining word with the headline position's (APS, thrombophilia, ...), one
whose outcome is live birth, ongoing pregnancy or miscarriage, a meta-analysis or systematic
review before a randomised trial before any other study, then the largest.
"""

from __future__ import annotations

import re

import msgspec

from rmcli.kb.headline import INDICATION_WORDS, headline_position
from rmcli.kb.model import GuidelinePosition, Study, Therapy
from rmcli.kb.values import Checked
from rmcli.text import clean
from rmcli.views.common import STRENGTH_WORDS, body_year, estimate, kind_word, mark, stance_details

STANCE_VERBS = {
    "recommend": "recommends it",
    "suggest": "suggests it",
    "may-consider": "says it may be considered",
    "research-only": "limits it to research",
    "suggest-against": "suggests against it",
    "recommend-against": "recommends against it",
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


NO_POSITION = "No verified guideline position on recurrent miscarriage"


class Headline(msgspec.Struct, frozen=True, kw_only=True):
    text: str  # 'ACR 2020 recommends it (strong) for patients meeting obstetric APS criteria'
    short: str  # 'ACR 2020 recommends it (strong) for obstetric APS': for cells and list rows
    mark: str  # the verification mark (" †"), "" for primary or for the fallback
    checked: Checked | None  # None for the fallback (no verified position)
    position: GuidelinePosition | None
    fallback: str = ""  # without a position: the status and key trial, for lists

    @property
    def line(self) -> str:
        """The stance with its mark (where status and key evidence are shown nearby)."""
        return f"{self.text}{self.mark}"

    @property
    def short_line(self) -> str:
        return f"{self.short}{self.mark}"

    @property
    def full(self) -> str:
        """The stance, or the status and key trial when no position is verified."""
        return f"{self.line}; {self.fallback}" if self.fallback else self.line


def _words(text: str) -> set[str]:
    folded = clean(text).casefold()
    words = {w for w in re.findall(r"[a-z0-9]+", folded) if len(w) > 2} - GENERIC_WORDS
    if "antiphospholipid" in words or "apl" in words:
        words |= {"aps", "antiphospholipid"}
    return words


def key_study(therapy: Therapy) -> Study | None:
    """The estimate a summary leads with: the editors' `key`, else by the rule above; never a
    study of another population (`rpl = false`) or an unverified one."""
    estimated = [
        s
        for s in therapy.evidence
        if s.estimate is not None and s.rpl and s.checked != "unverified"
    ]
    chosen = [s for s in estimated if s.key]
    if chosen:  # the editors' choice
        return chosen[0]
    if not estimated:
        return None
    position = headline_position(therapy)
    wanted = _words(position.population) if position else set()

    def rank(study: Study) -> tuple[bool, bool, int, int]:
        shared = bool(wanted & _words(study.population or ""))
        efficacy = any(word in (study.outcome or "").casefold() for word in EFFICACY)
        kind = 0 if study.kind in POOLED else 1 if study.kind == "rct" else 2
        return not shared, not efficacy, kind, -(study.n or 0)

    return min(estimated, key=rank)


def key_evidence(therapy: Therapy) -> str:
    """'OR 1.39 (95% CI 0.55 to 3.47) for live birth; Farquharson 2002 (RCT, n=98)': the
    numbers first, so that a shortened line still has them."""
    study = key_study(therapy)
    if study is None:
        return "no estimate with a 95% CI in recurrent miscarriage"
    about = [kind] if (kind := kind_word(study.label, study.kind)) else []
    about += [f"n={study.n}"] if study.n else []
    shown = f"{study.label} ({', '.join(about)})" if about else study.label
    if not study.outcome:
        return clean(f"{estimate(study)}; {shown}")
    outcome = clean(study.outcome).rstrip(".")
    outcome = outcome[:1].lower() + outcome[1:] if outcome[1:2].islower() else outcome
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
            text=NO_POSITION,
            short=NO_POSITION,
            mark="",
            checked=None,
            position=None,
            fallback=clean(fallback),
        )
    details = stance_details(position)
    verb = STANCE_VERBS[position.stance]
    population = clean(position.population).rstrip(".")
    population = (
        population[:1].lower() + population[1:] if population[1:2].islower() else population
    )
    strength = STRENGTH_WORDS.get(position.strength, "")
    short = f"{body_year(position)} {verb}{f' ({strength})' if strength else ''}"
    return Headline(
        text=clean(
            f"{body_year(position)} {verb}{f' ({details})' if details else ''} for {population}"
        ),
        short=clean(f"{short} for {INDICATION_WORDS[position.indication]}"),
        mark=mark(position.checked),
        checked=position.checked,
        position=position,
    )
