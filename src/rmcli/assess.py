"""The wizard's decision logic: a pure function from (profile, knowledge base) to an assessment.

Rules are data (each therapy's [[rules]]). The tier comes from the first matching rule that does
not rest on a discouraged test (NK cells, Tregs, Th1/Th17, TNF-α); only when no other rule
matches may such a rule set it, and validation keeps those rules at research-only or below. So
a discouraged result can add a mechanistic reason but never lift or set a tier above research.
A contraindicating condition makes the therapy `avoid`; a caution keeps the tier.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from rmcli.kb.model import Advice, Checked, KnowledgeBase, Population, Rule, Therapy
from rmcli.match import Describer, matched_answers
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
    matched: list[str]  # the answers that matched, in words
    text: str  # what the guideline or trial says
    mechanism: str | None = None  # the biological rationale, where it differs
    purpose: str | None = None  # an indication other than miscarriage prevention
    applicability: str | None = None  # where the patient is outside the study's population
    decisive: bool = False  # this rule set the tier
    refs: list[str]
    checked: Checked


class Caution(msgspec.Struct, kw_only=True):
    condition: str
    condition_name: str
    severity: str
    text: str
    refs: list[str]
    checked: Checked


class TherapyAssessment(msgspec.Struct, kw_only=True):
    therapy: str
    name: str
    tier: AssessedTier
    why: str  # one line for the table: why this tier for this patient
    mechanism: str  # the mechanism in one sentence
    reasons: list[Reason]
    cautions: list[Caution]
    references: list[str]


class Finding(msgspec.Struct, kw_only=True):
    id: str
    matched: list[str]
    text: str
    refs: list[str]
    checked: Checked


class Change(msgspec.Struct, kw_only=True, rename={"from_": "from"}):
    therapy: str
    name: str
    from_: AssessedTier
    to: AssessedTier


class Result(msgspec.Struct, kw_only=True):
    value: str
    changes: list[Change]


class WhatWouldChange(msgspec.Struct, kw_only=True):
    finding: str
    name: str
    results: list[Result]


class Outlook(msgspec.Struct, kw_only=True):
    text: str
    refs: list[str]
    checked: Checked


class Assessment(msgspec.Struct, kw_only=True):
    profile: Profile
    assessments: list[TherapyAssessment]
    investigations: list[Finding]
    notes: list[Finding]
    what_would_change: list[WhatWouldChange]
    outlook: list[Outlook]


def _rests_on_discouraged(rule: Rule, kb: KnowledgeBase) -> bool:
    findings = kb.vocabulary.findings
    return any(findings[key].discouraged for key in rule.when.findings if key in findings)


def _outside(population: Population, p: Profile) -> str | None:
    """Where the patient falls outside a study's population, in words; None if inside."""
    gaps = []
    if p.age is not None:
        if population.age_min is not None and p.age < population.age_min:
            gaps.append(f"she is {p.age}; it enrolled women aged {population.age_min} or over")
        if population.age_max is not None and p.age > population.age_max:
            gaps.append(f"she is {p.age}; it enrolled women up to {population.age_max}")
    if population.losses_min is not None and p.losses < population.losses_min:
        gaps.append(f"she has had {p.losses} losses; it enrolled {population.losses_min} or more")
    if population.losses_max is not None and p.losses > population.losses_max:
        gaps.append(f"she has had {p.losses} losses; it enrolled at most {population.losses_max}")
    if population.live_births_max == 0 and p.live_births > 0:
        gaps.append("her losses are secondary (after a birth); it enrolled primary RPL only")
    if population.live_births_min and p.live_births < population.live_births_min:
        gaps.append("her losses are primary (no earlier birth); it enrolled secondary RPL only")
    if not gaps:
        return None
    return f"Outside the population of {population.label}: " + "; ".join(gaps) + "."


def _reason(rule: Rule, answers: list[str], profile: Profile) -> Reason:
    return Reason(
        rule=rule.id,
        matched=answers,
        text=rule.reason,
        mechanism=rule.mechanism,
        purpose=rule.purpose,
        applicability=_outside(rule.population, profile) if rule.population else None,
        refs=rule.refs,
        checked=rule.checked,
    )


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def assess_therapy(
    therapy: Therapy, profile: Profile, kb: KnowledgeBase, describe: Describer | None = None
) -> TherapyAssessment:
    describe = describe or Describer(kb)
    reasons: list[Reason] = []
    deciding: Reason | None = None
    fallback: tuple[Reason, AssessedTier] | None = None
    tier: AssessedTier = "not-indicated"
    for rule in therapy.rules:
        answers = matched_answers(rule.when, profile, describe)
        if answers is None:
            continue
        reason = _reason(rule, answers, profile)
        reasons.append(reason)
        if _rests_on_discouraged(rule, kb):
            fallback = fallback or (reason, rule.tier)
        elif deciding is None:
            deciding, tier = reason, rule.tier
    if deciding is None and fallback is not None:
        deciding, tier = fallback
    cautions, contraindicated = _cautions(therapy, profile, describe)
    if contraindicated:  # the condition decides, whatever the rules said
        tier = "avoid"
        reasons[:0] = contraindicated
    elif deciding is not None:
        deciding.decisive = True
    refs = [ref for r in reasons for ref in r.refs] + [ref for c in cautions for ref in c.refs]
    return TherapyAssessment(
        therapy=therapy.id,
        name=therapy.name,
        tier=tier,
        why=_why(reasons),
        mechanism=_first_sentence(therapy.mechanism.text),
        reasons=reasons,
        cautions=cautions,
        references=list(dict.fromkeys(refs)),
    )


def _cautions(
    therapy: Therapy, profile: Profile, describe: Describer
) -> tuple[list[Caution], list[Reason]]:
    """The label cautions that apply to this patient, and the contraindications as reasons."""
    cautions: list[Caution] = []
    contraindicated: list[Reason] = []
    for contra in therapy.contraindications:
        if contra.condition not in profile.conditions:
            continue
        name = describe.conditions[contra.condition]
        if contra.severity == "contraindication":
            contraindicated.append(
                Reason(
                    rule=f"contraindication:{contra.condition}",
                    matched=[name],
                    text=f"Contraindicated ({name}): {contra.text}",
                    decisive=True,
                    refs=contra.refs,
                    checked=contra.checked,
                )
            )
            continue
        cautions.append(
            Caution(
                condition=contra.condition,
                condition_name=name,
                severity=contra.severity,
                text=contra.text,
                refs=contra.refs,
                checked=contra.checked,
            )
        )
    return cautions, contraindicated


def _why(reasons: list[Reason]) -> str:
    decisive = next((r for r in reasons if r.decisive), None)
    if decisive is None:
        return "Nothing in this profile matches what it targets."
    words = "; ".join(decisive.matched) or "any profile"
    if decisive.purpose:
        words += f" (for {decisive.purpose}, not miscarriage prevention)"
    return words[0].upper() + words[1:]


def _advice(items: list[Advice], profile: Profile, describe: Describer) -> list[Finding]:
    return [
        Finding(id=item.id, matched=answers, text=item.text, refs=item.refs, checked=item.checked)
        for item in items
        if (answers := matched_answers(item.when, profile, describe)) is not None
    ]


def _what_would_change(
    profile: Profile, kb: KnowledgeBase, tiers: dict[str, AssessedTier], describe: Describer
) -> list[WhatWouldChange]:
    """For each finding still untested, which therapies each possible result would move.

    A therapy's tier depends on a finding only through rules that test it, so only those
    therapies are assessed again.
    """
    out = []
    for key, term in kb.vocabulary.findings.items():
        if profile.findings[key] != "not-tested":
            continue
        testing = [t for t in kb.therapies if any(key in r.when.findings for r in t.rules)]
        results = []
        for value in term.values:
            if value == "not-tested":
                continue
            changed = msgspec.structs.replace(profile, findings={**profile.findings, key: value})
            changes = [
                Change(therapy=t.id, name=t.name, from_=tiers[t.id], to=new)
                for t in testing
                if (new := assess_therapy(t, changed, kb, describe).tier) != tiers[t.id]
            ]
            results.append(Result(value=value, changes=changes))
        out.append(WhatWouldChange(finding=key, name=term.name, results=results))
    return out


def assess(profile: Profile, kb: KnowledgeBase) -> Assessment:
    """Assess every therapy, ordered by tier then name, with what else would help decide."""
    describe = Describer(kb)
    results = [assess_therapy(therapy, profile, kb, describe) for therapy in kb.therapies]
    results.sort(key=lambda r: (TIER_ORDER.index(r.tier), r.name.casefold()))
    outlook = [
        Outlook(text=f.text, refs=f.refs, checked=f.checked)
        for f in _advice(kb.assessment.outlook, profile, describe)
    ]
    return Assessment(
        profile=profile,
        assessments=results,
        investigations=_advice(kb.assessment.investigations, profile, describe),
        notes=_advice(kb.assessment.notes, profile, describe),
        what_would_change=_what_would_change(
            profile, kb, {r.therapy: r.tier for r in results}, describe
        ),
        outlook=outlook,
    )
