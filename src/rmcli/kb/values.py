"""The closed sets of values a knowledge-base field may take, and the therapy sections that are
lists (docs/kb-format.md)."""

from __future__ import annotations

from typing import Literal, get_args

Checked = Literal["primary", "secondary", "unverified", "inference"]
Status = Literal["established", "conditional", "unproven", "not-recommended", "experimental"]
STATUSES: tuple[Status, ...] = get_args(Status)  # strongest support first
Certainty = Literal["high", "moderate", "low", "very-low"]
ReportedCertainty = Literal["high", "moderate", "low", "very-low", "not-stated"]
Stance = Literal[
    "recommend",
    "suggest",
    "may-consider",
    "research-only",
    "suggest-against",
    "recommend-against",
    "no-statement",
    "unknown",
]
Strength = Literal["strong", "conditional", "gpp", "consensus", "not-stated"]
StudyKind = Literal[
    "rct",
    "meta-analysis",
    "systematic-review",
    "cohort",
    "non-randomised",
    "case-series",
    "preclinical",
    "protocol",
]
Measure = Literal["RR", "OR", "Peto OR", "aOR", "aRR", "HR", "aHR", "log-OR", "RD", "MD", "SMD"]
RATIO_MEASURES = frozenset({"RR", "OR", "Peto OR", "aOR", "aRR", "HR", "aHR"})
Direction = Literal["higher-better", "lower-better"]
Severity = Literal["contraindication", "caution"]
Tier = Literal["recommended", "consider", "research-only", "not-recommended"]
Basis = Literal["guideline", "trial", "rationale"]  # what a rule's tier rests on, strongest first
Indication = Literal["recurrent-miscarriage", "obstetric-aps", "other"]
ReferenceKind = Literal["article", "guideline", "webpage", "report", "book"]

# The therapy's list sections: those that must not be empty, and all that carry citations. A
# section the sources say nothing about is empty, and readers never see it.
REQUIRED_LISTS = ("indications", "evidence")
CITED_LISTS = (
    "indications",
    "regimens",
    "evidence",
    "guidelines",
    "caveats",
    "maternal_risks",
    "fetal_risks",
    "monitoring",
    "cost",
    "contraindications",
    "rules",
    "changes",
)
