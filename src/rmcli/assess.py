"""The wizard's decision logic: a pure function from (profile, knowledge base) to an assessment.

Rules are data (each therapy's [[rules]]). The tier comes from the first matching rule that does
not rest on a discouraged test (NK cells, Tregs, Th1/Th17, TNF-α); only when no other rule
matches may such a rule set it, and validation keeps those rules at research-only or below. So
a discouraged result can add a mechanistic reason but never lift or set a tier above research.
A contraindicating condition makes the therapy `avoid` and records the tier it displaces; a
caution keeps the tier. Situations, investigations, notes and outlook figures are data too
(assessment.toml), matched with the same `when` tables.
"""

from __future__ import annotations

from typing import get_args

import msgspec

from rmcli.changes import WhatWouldChange, what_would_change
from rmcli.kb.headline import STRENGTH_ORDER
from rmcli.kb.model import KnowledgeBase, Rule, Therapy
from rmcli.kb.values import Basis, Strength
from rmcli.match import Describer, matched_answers, outside_population
from rmcli.profile import Profile
from rmcli.reasons import Caution, Claimed, Reason, label_rows
from rmcli.situations import Finding, SituationResult, advice, situations
from rmcli.tiers import TIER_ORDER, AssessedTier

BASIS_ORDER: tuple[Basis | None, ...] = (*get_args(Basis), None)  # strongest first


class TherapyAssessment(msgspec.Struct, kw_only=True):
    therapy: str
    name: str
    tier: AssessedTier
    relevant: bool = False  # a row of the default table (domain.md section 4)
    source: str | None = None  # the decisive source in a few words: "ACR 2020, strong"
    basis: Basis | None = None
    strength: Strength = "not-stated"
    regimen: str | None = None  # as the decisive source used it (recommended and consider)
    otherwise_tier: AssessedTier | None = None  # for avoid: the tier the contraindication displaces
    instead: list[Claimed] = []  # for avoid: what the sources support instead
    why: str  # the decisive answers in words
    mechanism: str  # the mechanism in one line
    mechanism_short: str | None = None
    risks_short: list[str] = []
    tested: list[str] = []  # "NK cells: elevated — ESHRE 2018: ...": a tested result's rule
    failed_before: bool = False  # in treatments_failed: an earlier pregnancy lost despite it
    taken_now: bool = False  # in treatments_current
    reasons: list[Reason]
    cautions: list[Caution]
    references: list[str]


class Assessment(msgspec.Struct, kw_only=True):
    profile: Profile
    situations: list[SituationResult]
    assessments: list[TherapyAssessment]
    investigations: list[Finding]
    notes: list[Finding]
    what_would_change: list[WhatWouldChange]
    outlook: list[Claimed]


def _discouraged(rule: Rule, kb: KnowledgeBase) -> bool:
    """Whether the rule tests a finding guidelines advise against testing."""
    findings = kb.vocabulary.findings
    return any(key in findings and findings[key].discouraged for key in rule.when.findings)


def _reason(rule: Rule, answers: list[str], profile: Profile) -> Reason:
    return Reason(
        rule=rule.id,
        matched=answers,
        text=rule.reason,
        source=rule.source,
        mechanism=rule.mechanism,
        purpose=rule.purpose,
        applicability=outside_population(rule.population, profile) if rule.population else None,
        refs=rule.refs,
        checked=rule.checked,
    )


class _Decision(msgspec.Struct, kw_only=True):
    rule: Rule | None = None
    reasons: list[tuple[Rule, Reason]] = []

    @property
    def tier(self) -> AssessedTier:
        return self.rule.tier if self.rule else "not-indicated"


def _decide(therapy: Therapy, profile: Profile, kb: KnowledgeBase, d: Describer) -> _Decision:
    decision = _Decision()
    fallback: Rule | None = None
    for rule in therapy.rules:
        answers = matched_answers(rule.when, profile, d)
        if answers is None:
            continue
        decision.reasons.append((rule, _reason(rule, answers, profile)))
        if _discouraged(rule, kb):
            fallback = fallback or rule
        elif decision.rule is None:
            decision.rule = rule
    if decision.rule is None:
        decision.rule = fallback
    return decision


def tier_of(therapy: Therapy, profile: Profile, kb: KnowledgeBase, d: Describer) -> AssessedTier:
    """The tier alone, decided as `assess_therapy` decides it (for what would change)."""
    _, contraindicated = label_rows(therapy, profile, d)
    return "avoid" if contraindicated else _decide(therapy, profile, kb, d).tier


def _consistent(rule: Rule, decisive: Rule | None, kb: KnowledgeBase) -> bool:
    """Whether a matched rule may be listed beside the decisive one: the same tier, another
    indication (`purpose`), or a discouraged test's result (it explains that result)."""
    if decisive is None or rule is decisive:
        return True
    return rule.tier == decisive.tier or bool(rule.purpose) or _discouraged(rule, kb)


def assess_therapy(
    therapy: Therapy, profile: Profile, kb: KnowledgeBase, describe: Describer | None = None
) -> TherapyAssessment:
    describe = describe or Describer(kb)
    decision = _decide(therapy, profile, kb, describe)
    decisive = decision.rule
    kept = [(rule, r) for rule, r in decision.reasons if _consistent(rule, decisive, kb)]
    rules, reasons = [rule for rule, _ in kept], [r for _, r in kept]
    remarkable = remarkable_results(profile, kb)
    for rule, reason in kept:
        reason.decisive = rule is decisive
    cautions, contraindicated = label_rows(therapy, profile, describe)
    tier, otherwise = decision.tier, None
    source = decisive.source if decisive else None
    if contraindicated:  # the condition decides, whatever the rules said
        tier, otherwise = "avoid", decision.tier
        for reason in reasons:
            reason.decisive = False
        reasons[:0] = [reason for reason, _ in contraindicated]
        source = contraindicated[0][0].source
    refs = [ref for r in reasons for ref in r.refs] + [ref for c in cautions for ref in c.refs]
    instead = [claim for _, claims in contraindicated for claim in claims]
    refs += [ref for claim in instead for ref in claim.refs]
    return TherapyAssessment(
        therapy=therapy.id,
        name=therapy.name,
        tier=tier,
        source=source,
        basis="guideline" if contraindicated else decisive.basis if decisive else None,
        strength=decisive.strength if decisive and not contraindicated else "not-stated",
        regimen=decisive.regimen if decisive and tier in ("recommended", "consider") else None,
        otherwise_tier=otherwise,
        instead=instead,
        why=_why(reasons),
        mechanism=therapy.mechanism_short or therapy.mechanism.text,
        mechanism_short=therapy.mechanism_short,
        risks_short=list(therapy.risks_short),
        failed_before=therapy.id in profile.treatments_failed,
        taken_now=therapy.id in profile.treatments_current,
        tested=_tested(rules, decisive, profile, remarkable, describe),
        # a rule on a result she has had tested brings the therapy up; `assess` adds the rest
        relevant=any(remarkable & rule.when.findings.keys() for rule in rules),
        reasons=reasons,
        cautions=cautions,
        references=list(dict.fromkeys(refs)),
    )


def remarkable_results(profile: Profile, kb: KnowledgeBase) -> set[str]:
    """The findings she has had tested with a result that is not unremarkable (`normal`)."""
    terms = kb.vocabulary.findings
    return {
        key
        for key, value in profile.findings.items()
        if value != "not-tested" and key in terms and value not in terms[key].normal
    }


def _tested(
    rules: list[Rule],
    decisive: Rule | None,
    profile: Profile,
    remarkable: set[str],
    d: Describer,
) -> list[str]:
    """What each other rule on one of her remarkable results says, in a line: why that result
    does not decide (a discouraged test) or what else it brings."""
    lines = []
    decided = set(decisive.when.findings) if decisive else set()
    for rule in rules:
        keys = [k for k in rule.when.findings if k in remarkable and k not in decided]
        if rule is decisive or not keys or not rule.source:
            continue
        words = "; ".join(d.finding(k, profile.findings[k]) for k in keys)
        lines.append(f"{words} — {rule.source}")
    return lines


def _why(reasons: list[Reason]) -> str:
    decisive = next((r for r in reasons if r.decisive), None)
    if decisive is None:
        return "Nothing in this profile matches what it targets."
    words = "; ".join(decisive.matched) or "any profile"
    if decisive.purpose:
        words += f" (for {decisive.purpose}, not miscarriage prevention)"
    return words[0].upper() + words[1:]


def order_key(a: TherapyAssessment) -> tuple[int, int, int, int, str]:
    """Tier, then the strength of what decides (guideline, trial, rationale), then name; an
    `avoid` displacing a higher tier comes first within its tier."""
    displaced = TIER_ORDER.index(a.otherwise_tier) if a.otherwise_tier else len(TIER_ORDER)
    return (
        TIER_ORDER.index(a.tier),
        displaced,
        BASIS_ORDER.index(a.basis),
        STRENGTH_ORDER.index(a.strength),
        a.name.casefold(),
    )


def assess(profile: Profile, kb: KnowledgeBase) -> Assessment:
    """Assess every therapy, ordered by tier then by what decides, with the situations first
    and what else would help decide."""
    describe = Describer(kb)
    found = situations(kb.assessment.situations, profile, describe)
    brought_up = {t for s in found for t in s.therapies}
    results = [assess_therapy(therapy, profile, kb, describe) for therapy in kb.therapies]
    for r in results:
        r.relevant = (
            r.relevant
            or r.tier in ("recommended", "consider", "avoid")
            or r.therapy in brought_up
            or r.failed_before
            or r.taken_now
        )
    results.sort(key=order_key)
    outlook = [
        Claimed(text=f.text, refs=f.refs, checked=f.checked)
        for f in advice(kb.assessment.outlook, profile, describe)
    ]
    return Assessment(
        profile=profile,
        situations=found,
        assessments=results,
        investigations=advice(kb.assessment.investigations, profile, describe),
        notes=advice(kb.assessment.notes, profile, describe),
        what_would_change=what_would_change(
            profile,
            kb,
            {r.therapy: r.tier for r in results},
            lambda therapy, changed: tier_of(therapy, changed, kb, describe),
        ),
        outlook=outlook,
    )
