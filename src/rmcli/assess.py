"""The wizard's decision logic: a pure function from (profile, knowledge base) to an assessment.

Rules are data (each therapy's [[rules]]): the first rule whose `when` matches sets the tier,
and every matching rule contributes its cited reason. A contraindicating condition turns a
relevant therapy into `avoid`; a caution keeps the tier and adds the caution.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import msgspec

from rmcli.kb.model import Advice, Checked, KnowledgeBase, Match, Therapy
from rmcli.profile import Profile

AssessedTier = Literal[
    "recommended", "consider", "research-only", "not-recommended", "avoid", "not-indicated"
]
TIER_ORDER: tuple[AssessedTier, ...] = (
    "recommended",
    "consider",
    "research-only",
    "not-recommended",
    "avoid",
    "not-indicated",
)


class Reason(msgspec.Struct, kw_only=True):
    rule: str
    matched: list[str]
    text: str
    mechanism: str | None = None
    refs: list[str]
    checked: Checked


class Caution(msgspec.Struct, kw_only=True):
    condition: str
    severity: str
    text: str
    refs: list[str]
    checked: Checked


class TherapyAssessment(msgspec.Struct, kw_only=True):
    therapy: str
    name: str
    tier: AssessedTier
    reasons: list[Reason]
    cautions: list[Caution]
    references: list[str]


class Finding(msgspec.Struct, kw_only=True):
    id: str
    matched: list[str]
    text: str
    refs: list[str]
    checked: Checked


class Assessment(msgspec.Struct, kw_only=True):
    profile: Profile
    assessments: list[TherapyAssessment]
    investigations: list[Finding]
    notes: list[Finding]


def matched_answers(when: Match, profile: Profile) -> list[str] | None:
    """The profile answers that satisfy `when`, described for the reader; None if it fails."""
    answers: list[str] = []
    for holds, text in _conditions(when, profile):
        if not holds:
            return None
        answers.append(text)
    return answers


def _conditions(when: Match, p: Profile) -> Iterator[tuple[bool, str]]:
    bounds = (
        ("losses", p.losses, when.losses_min, when.losses_max),
        ("live_births", p.live_births, when.live_births_min, when.live_births_max),
        ("late_losses", p.late_losses, when.late_losses_min, None),
    )
    for key, value, low, high in bounds:
        if low is not None:
            yield value >= low, f"{key} = {value} (at least {low})"
        if high is not None:
            yield value <= high, f"{key} = {value} (at most {high})"
    for key, expected in (("pregnant", when.pregnant), ("bleeding", when.bleeding)):
        if expected is not None:
            value = getattr(p, key)
            yield value == expected, f"{key} = {str(value).lower()}"
    for finding, values in when.findings.items():
        yield p.findings[finding] in values, f"{finding} = {p.findings[finding]}"
    for key, wanted in (
        ("autoimmune_disease", when.autoimmune_any),
        ("conditions", when.conditions_any),
    ):
        if wanted:
            present = [item for item in getattr(p, key) if item in wanted]
            yield (
                bool(present),
                f"{key} includes {', '.join(present) or 'none of ' + ', '.join(wanted)}",
            )


def assess_therapy(therapy: Therapy, profile: Profile) -> TherapyAssessment:
    reasons = [
        Reason(
            rule=rule.id,
            matched=answers,
            text=rule.reason,
            mechanism=rule.mechanism,
            refs=rule.refs,
            checked=rule.checked,
        )
        for rule in therapy.rules
        if (answers := matched_answers(rule.when, profile)) is not None
    ]
    tier: AssessedTier = next(
        (rule.tier for rule in therapy.rules if matched_answers(rule.when, profile) is not None),
        "not-indicated",
    )
    cautions: list[Caution] = []
    for contra in therapy.contraindications:
        if contra.condition not in profile.conditions:
            continue
        caution = Caution(
            condition=contra.condition,
            severity=contra.severity,
            text=contra.text,
            refs=contra.refs,
            checked=contra.checked,
        )
        cautions.append(caution)
        if contra.severity == "contraindication" and tier != "not-indicated":
            tier = "avoid"
            reasons.insert(
                0,
                Reason(
                    rule=f"contraindication:{contra.condition}",
                    matched=[f"conditions includes {contra.condition}"],
                    text=f"Contraindicated here ({contra.condition}): {contra.text}",
                    refs=contra.refs,
                    checked=contra.checked,
                ),
            )
    refs = [ref for r in reasons for ref in r.refs] + [ref for c in cautions for ref in c.refs]
    return TherapyAssessment(
        therapy=therapy.id,
        name=therapy.name,
        tier=tier,
        reasons=reasons,
        cautions=cautions,
        references=list(dict.fromkeys(refs)),
    )


def _advice(items: list[Advice], profile: Profile) -> list[Finding]:
    return [
        Finding(id=item.id, matched=answers, text=item.text, refs=item.refs, checked=item.checked)
        for item in items
        if (answers := matched_answers(item.when, profile)) is not None
    ]


def assess(profile: Profile, kb: KnowledgeBase) -> Assessment:
    """Assess every therapy, ordered by tier then name, with investigations and notes."""
    results = [assess_therapy(therapy, profile) for therapy in kb.therapies]
    results.sort(key=lambda r: (TIER_ORDER.index(r.tier), r.name.casefold()))
    return Assessment(
        profile=profile,
        assessments=results,
        investigations=_advice(kb.assessment.investigations, profile),
        notes=_advice(kb.assessment.notes, profile),
    )
