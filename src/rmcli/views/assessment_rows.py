"""The assessment's therapy rows and per-therapy details, worded once for every format.

A row answers "what should I consider for her, on whose authority, how does it act, what are
the risks": the tier, the therapy, the decisive source with its strength and the regimen as that
source used it, the mechanism in one line, the main risks, and this patient's cautions as short
tags. An `avoid` row also says which tier it displaces and what the sources support instead.
"""

from __future__ import annotations

import re

import msgspec

from rmcli.assess import TherapyAssessment
from rmcli.reasons import Caution, Reason
from rmcli.text import clean
from rmcli.views.common import cite, mark

DISPLAY_ORDER = (
    "avoid",
    "recommended",
    "consider",
    "research-only",
    "not-recommended",
    "not-indicated",
)
TABLE_HEADINGS = ("therapy", "on whose authority; regimen", "how it acts", "main risks")
CAUTIONS_HEADING = "cautions for her"
NO_CAUTION_LINE = "Her conditions call for no caution with these therapies."
BLOCK_LABELS = {"acts": "Acts", "risks": "Risks", "cautions": "For her"}
NO_CAUTION = "none for her"
# The tiers of therapies shown on one summary line each, when they are not rows.
GROUP_LINES = {
    "research-only": "Experimental, in trials only",
    "not-recommended": "Not recommended for her",
    "not-indicated": "Not indicated by this profile",
}


class TherapyRow(msgspec.Struct, frozen=True, kw_only=True):
    tier: str  # the tier's key, for styles
    badge: str  # "RECOMMENDED"
    therapy: str
    name: str  # short name, for rows
    decides: list[str]  # the source, the regimen, what it displaces and what instead, history
    acts: str  # the mechanism in one line
    risks: str  # the main risks, "; "-joined
    cautions: list[str]  # this patient's cautions as short tags


class ReasonEntry(msgspec.Struct, frozen=True, kw_only=True):
    heading: str  # "Why this tier (matches her: ...)" or "Also (matches her: ...)"
    parts: list[str]  # "What the sources say: ...", "Biological rationale: ...", ...
    outside: bool = False  # the patient is outside the study's population: show it as such


class TherapyDetail(msgspec.Struct, frozen=True, kw_only=True):
    heading: str  # "Heparin — recommended"
    tier: str
    reasons: list[ReasonEntry]
    cautions: list[str]  # full caution texts, cited
    empty: str | None = None  # when nothing matches


def _decides(a: TherapyAssessment) -> list[str]:
    lines = []
    decisive = next((r for r in a.reasons if r.decisive), None)
    if a.tier == "avoid":
        first = next(r for r in a.reasons if r.rule.startswith("contraindication:"))
        tag = clean(first.matched[0]) if first.matched else ""
        label = clean(first.source) if first.source else "Product label"
        lines.append(f"{label}: contraindicated ({tag}){mark(first.checked)}")
        if a.otherwise_tier and a.otherwise_tier != "not-indicated":
            lines.append(f"Otherwise {a.otherwise_tier.replace('-', ' ')}.")
        lines += [f"Instead: {cite(c.text, c.refs, c.checked)}" for c in a.instead]
    elif a.source and decisive is not None:
        lines.append(clean(a.source) + mark(decisive.checked))
    if a.regimen:
        lines.append(f"Regimen: {clean(a.regimen)}")
    if decisive is not None and decisive.purpose and a.tier != "avoid":
        lines.append(f"For {clean(decisive.purpose)}, not miscarriage prevention.")
    lines += [clean(line) for line in a.tested]
    if a.failed_before:
        lines.append("An earlier pregnancy was lost or complicated despite it.")
    if a.taken_now:
        lines.append("She takes it now.")
    return lines or ["–"]


def _tag(c: Caution) -> str:
    return clean(c.tag) if c.tag else clean(c.condition_name)


def avoided_in(regimen: str | None, avoided: dict[str, list[str]]) -> list[str]:
    """The avoided therapies (short name: the names they go by) that a regimen names."""
    if not regimen:
        return []
    return [
        short
        for short, names in avoided.items()
        if any(re.search(rf"\b{re.escape(n)}\b", regimen, re.IGNORECASE) for n in names)
    ]


def therapy_row(a: TherapyAssessment, short: str, avoided: dict[str, list[str]]) -> TherapyRow:
    """The row; `avoided` maps each therapy she must avoid to its names, so that a regimen
    that contains one says so."""
    clashes = [
        f"{name}, part of this regimen, is to be avoided for her (see its row)."
        for name in avoided_in(a.regimen, avoided)
        if name.casefold() != short.casefold()
    ]
    return TherapyRow(
        tier=a.tier,
        badge=a.tier.upper(),
        therapy=a.therapy,
        name=short,
        decides=[*_decides(a), *clashes],
        acts=clean(a.mechanism_short or a.mechanism),
        risks="; ".join(clean(r) for r in a.risks_short) or "–",
        cautions=[_tag(c) for c in a.cautions],
    )


def _reason(r: Reason) -> ReasonEntry:
    matched = "; ".join(clean(m) for m in r.matched) or "any profile"
    lead = "Why this tier" if r.decisive else "Also relevant"
    parts = [f"What the sources say: {cite(r.text, r.refs, r.checked)}"]
    if r.mechanism:
        parts.append(f"Biological rationale: {clean(r.mechanism)}")
    if r.purpose:
        parts.append(f"Purpose: {clean(r.purpose)}, not miscarriage prevention.")
    if r.applicability:
        parts.append(clean(r.applicability))
    return ReasonEntry(
        heading=f"{lead} (matches her: {matched})", parts=parts, outside=bool(r.applicability)
    )


def caution_text(c: Caution) -> str:
    return cite(f"{c.severity.capitalize()} ({c.condition_name}): {c.text}", c.refs, c.checked)


def therapy_detail(a: TherapyAssessment) -> TherapyDetail:
    return TherapyDetail(
        heading=f"{clean(a.name)} — {a.tier.replace('-', ' ')}",
        tier=a.tier,
        reasons=[_reason(r) for r in a.reasons],
        cautions=[caution_text(c) for c in a.cautions],
        empty=None
        if a.reasons or a.cautions
        else "Nothing in her profile matches what it targets.",
    )


def group_lines(hidden: list[TherapyAssessment], names: dict[str, str]) -> list[str]:
    """One line per tier for therapies that are not rows: 'Experimental, in trials only: ...'."""
    lines = []
    for tier, words in GROUP_LINES.items():
        members = [names[a.therapy] for a in hidden if a.tier == tier]
        if members:
            lines.append(f"{words}: {', '.join(members)}.")
    return lines


def headings(rows: list[TherapyRow], *, merged: bool) -> list[str]:
    """The table's columns; cautions for her only where a row has one, as their own column or,
    `merged`, sharing the risks column (a grid on a terminal)."""
    if not any(r.cautions for r in rows):
        return list(TABLE_HEADINGS)
    if merged:
        return [*TABLE_HEADINGS[:3], f"{TABLE_HEADINGS[3]}; {CAUTIONS_HEADING}"]
    return [*TABLE_HEADINGS, CAUTIONS_HEADING]
