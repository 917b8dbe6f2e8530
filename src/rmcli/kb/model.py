"""The knowledge-base model: msgspec structs that mirror the TOML files (docs/kb-format.md)."""

from __future__ import annotations

import datetime

import msgspec

from rmcli.kb.values import (
    Basis,
    Certainty,
    Checked,
    Direction,
    Indication,
    Measure,
    ReferenceKind,
    ReportedCertainty,
    Severity,
    Stance,
    Status,
    Strength,
    StudyKind,
    Tier,
)


class Record(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """Base for every table: unknown keys are errors."""


class Claim(Record, kw_only=True):
    text: str
    refs: list[str] = []
    checked: Checked
    note: str | None = None  # for maintainers: provenance detail; never printed by default


class Overall(Claim, kw_only=True):
    status: Status
    certainty: Certainty


class Regimen(Record, kw_only=True):
    source: str
    route: str | None = None  # a part the source does not give is left out, never described
    dose: str | None = None
    timing: str | None = None
    refs: list[str]
    checked: Checked
    note: str | None = None


class Study(Record, kw_only=True):
    label: str
    kind: StudyKind
    design: str
    n: int | None = None  # the participants of the comparison whose estimate is given
    population: str | None = None
    outcome: str | None = None
    result: str | None = None  # what the structured fields do not say; absent if nothing
    measure: Measure | None = None
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    direction: Direction | None = None
    decimals: int | None = None  # digits the source prints (1.00, 2.10); default: as written
    comparison: str | None = None  # "placebo vs dydrogesterone": the ratio's numerator first
    control_events: int | None = None  # the control arm, for absolute effects (GRADE)
    control_total: int | None = None
    treated_events: int | None = None
    treated_total: int | None = None
    control_risk: float | None = None  # the control arm's risk (0-1), where no counts are given
    certainty: Certainty | None = None
    key: bool = False  # the estimate a summary leads with; at most one per therapy
    rpl: bool = True  # false: another population (IVF, implantation failure, mixed); never key
    computed: bool = False  # set by the program for a risk ratio from arm counts; never in a file
    refs: list[str]
    checked: Checked
    note: str | None = None


class GuidelinePosition(Record, kw_only=True):
    body: str
    year: int | None = None  # some guideline pages are undated
    indication: Indication = "other"  # only recurrent-miscarriage or obstetric-aps headlines
    stance: Stance
    strength: Strength
    grade: str | None = None
    certainty: ReportedCertainty
    population: str
    text: str
    refs: list[str]
    checked: Checked
    note: str | None = None


class Contraindication(Claim, kw_only=True):
    condition: str
    severity: Severity
    source: str | None = None  # the label or guideline in a few words: "enoxaparin label (EU)"
    tag: str | None = None  # the condition's consequence in a few words, for the wizard's table
    instead: list[Claim] = []  # for a contraindication: what the sources support instead


class Match(Record, kw_only=True):
    """What a rule asks of a profile; every key given must hold (logical AND)."""

    age_min: int | None = None  # an unknown age never matches an age bound
    age_max: int | None = None
    losses_min: int | None = None
    losses_max: int | None = None
    live_births_min: int | None = None
    live_births_max: int | None = None
    late_losses_min: int | None = None
    late_losses_max: int | None = None
    early_losses_min: int | None = None  # losses less late and second-trimester ones
    early_losses_max: int | None = None
    second_trimester_losses_min: int | None = None
    second_trimester_losses_max: int | None = None
    placental_preterm_births_min: int | None = None
    placental_preterm_births_max: int | None = None
    pregnant: bool | None = None
    bleeding: bool | None = None
    gestation_weeks_min: int | None = None  # an unknown gestation never matches a bound
    gestation_weeks_max: int | None = None
    findings: dict[str, list[str]] = {}
    autoimmune_any: list[str] = []
    autoimmune_none: list[str] = []
    conditions_any: list[str] = []
    conditions_none: list[str] = []
    treatments_failed_all: list[str] = []  # therapy ids, every one of them
    treatments_current_any: list[str] = []
    any_of: list[Match] = []  # at least one of these must hold as well (an OR of ANDs)


class Population(Record, kw_only=True):
    """Who the study behind a rule enrolled; a patient outside it is told so."""

    label: str  # the study, as readers know it: "PROMISE (Coomarasamy 2015)"
    age_min: int | None = None
    age_max: int | None = None
    losses_min: int | None = None
    losses_max: int | None = None
    live_births_min: int | None = None  # 1: secondary RPL only
    live_births_max: int | None = None  # 0: primary RPL only


class Rule(Record, kw_only=True):
    """A cited decision rule: when the profile matches, the therapy gets this tier."""

    id: str
    tier: Tier
    when: Match
    source: str | None = None  # the decisive source in a few words: "ACR 2020, strong"
    basis: Basis | None = None  # guideline, trial or rationale: orders rows within a tier
    strength: Strength = "not-stated"  # a guideline's strength, where the basis is one
    regimen: str | None = None  # as that source used it, for recommended and consider rules
    reason: str
    mechanism: str | None = None
    purpose: str | None = None  # an indication other than miscarriage prevention, named
    population: Population | None = None
    refs: list[str]
    checked: Checked
    note: str | None = None


class Therapy(Record, kw_only=True):
    id: str
    name: str
    short_name: str | None = None  # for one-line lists and sentences: "heparin", "IVIG"
    aliases: list[str] = []
    drug_class: str
    summary: str
    targets: list[str]
    last_reviewed: datetime.date
    overall: Overall
    mechanism: Claim
    mechanism_short: str | None = None  # one line, at most 80 characters, in plain words
    risks_short: list[str] = []  # 2 to 4 short items: the main maternal and fetal risks
    changes: list[Claim] = []  # what this review changed, for readers ("What changed")
    seed_rationale: Claim | None = None
    indications: list[Claim]
    regimens: list[Regimen] = []
    evidence: list[Study]
    guidelines: list[GuidelinePosition] = []
    caveats: list[Claim] = []
    maternal_risks: list[Claim] = []
    fetal_risks: list[Claim] = []
    contraindications: list[Contraindication] = []
    monitoring: list[Claim] = []
    cost: list[Claim] = []
    rules: list[Rule] = []


class Reference(Record, kw_only=True):
    """One citation, in fields, so every format writes it its own way and each fact once."""

    kind: ReferenceKind = "article"
    authors: list[str] = []  # "Coomarasamy A"; a group author as one entry
    et_al: bool = False  # the source lists only these authors of more
    title: str | None = None  # only the document's own title; never a description of it
    description: str | None = None  # what the document is, where its title is not known
    journal: str | None = None  # or the publisher of a guideline, report or web page
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    note: str | None = None  # for maintainers; never printed by default


class Term(Record, kw_only=True):
    name: str
    abbrev: str | None = None
    description: str | None = None


class FindingTerm(Record, kw_only=True):
    """A test result the profile records, with the question and hint the interview asks."""

    name: str
    question: str
    hint: str
    values: list[str]  # the answers, "not-tested" last; "not-tested" is never "negative"
    normal: list[str] = []  # unremarkable results: on their own they bring no therapy up
    discouraged: bool = False  # guidelines advise against the test outside research


class Vocabulary(Record, kw_only=True):
    targets: dict[str, Term]
    conditions: dict[str, Term]
    autoimmune: dict[str, Term]
    findings: dict[str, FindingTerm]


class Advice(Record, kw_only=True):
    """An investigation worth doing, or a note on testing, with the profile it applies to."""

    id: str
    when: Match
    before_pregnancy: bool = False  # a test for between pregnancies: after this one if pregnant
    text: str
    refs: list[str]
    checked: Checked
    note: str | None = None


class Situation(Record, kw_only=True):
    """A clinical situation the assessment names first, with its cited bottom line."""

    id: str
    name: str
    when: Match
    unless: list[str] = []  # situation ids (listed earlier) that, when present, exclude this one
    text: str  # two or three sentences: what guidelines advise, with body, year and strength
    therapies: list[str] = []  # therapy ids this situation brings up in the wizard's table
    refs: list[str]
    checked: Checked
    note: str | None = None


class Assessment(Record, kw_only=True):
    situations: list[Situation] = []  # most specific first
    investigations: list[Advice] = []
    notes: list[Advice] = []
    outlook: list[Advice] = []  # group figures on live birth without treatment


class Manifest(Record, kw_only=True):
    version: str
    date: datetime.date  # when this knowledge-base version was made
    title: str
    disclaimer: str
    review_after_months: int = 24  # a monograph reviewed longer ago than this is overdue


class KnowledgeBase(Record, kw_only=True):
    manifest: Manifest
    vocabulary: Vocabulary
    references: dict[str, Reference]
    assessment: Assessment
    therapies: list[Therapy]
