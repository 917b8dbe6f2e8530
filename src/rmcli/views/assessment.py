"""`rmcli wizard`: one assessment view that the table, Markdown, HTML and JSON all draw.

The first screen is a table with one row per therapy in the relevant tiers, `avoid` first
(a contraindication must not scroll out of sight); then, per therapy, the cited reasons; then
investigations, notes on discouraged tests, what untested findings would change, and the
outlook without treatment as group figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import ClassVar

import msgspec

from rmcli import __version__
from rmcli.assess import Assessment, Caution, Reason, TherapyAssessment
from rmcli.kb.model import KnowledgeBase, Reference
from rmcli.match import LATE, LOSSES, PLACENTAL, Describer, plural
from rmcli.profile import Profile
from rmcli.text import clean
from rmcli.views import ViewKind
from rmcli.views.common import Meta, cite, first_sentence, reference_line, short_name

DISPLAY_ORDER = (
    "avoid",
    "recommended",
    "consider",
    "research-only",
    "not-recommended",
    "not-indicated",
)
OUTLOOK_NOTE = (
    "Figures for groups of women like this patient, not a prediction for her: age and the "
    "number of losses predict an individual outcome poorly."
)


class ReasonView(msgspec.Struct, frozen=True, kw_only=True):
    decisive: bool
    matched: str  # the answers that matched, in words
    guideline: str  # what the guideline or trial says, cited and labelled
    rationale: str | None  # the biological rationale, where the rule gives one
    purpose: str | None  # "not miscarriage prevention: pre-eclampsia prophylaxis"
    applicability: str | None  # where the patient is outside the study's population

    @property
    def heading(self) -> str:
        """'Decisive: matched: <answers>', or 'Matched: <answers>'."""
        return f"{'Decisive: matched' if self.decisive else 'Matched'}: {self.matched}"

    @property
    def details(self) -> list[tuple[str, str]]:
        """(part, 'Label: text') under the heading, in order, for the parts the reason has."""
        parts = (
            ("guideline", "Guideline/trial", self.guideline),
            ("rationale", "Biological rationale", self.rationale),
            ("purpose", "Purpose", self.purpose),
            ("applicability", "Applicability", self.applicability),
        )
        return [(part, f"{label}: {text}") for part, label, text in parts if text]


class Row(msgspec.Struct, frozen=True, kw_only=True):
    tier: str
    therapy: str
    name: str
    short_name: str
    why: str
    mechanism: str
    cautions: list[str]  # for this patient only; never the therapy's generic caveats


class Detail(msgspec.Struct, frozen=True, kw_only=True):
    tier: str
    therapy: str
    name: str
    reasons: list[ReasonView]
    cautions: list[str]


class ResultChange(msgspec.Struct, frozen=True, kw_only=True):
    value: str
    changes: list[str]  # "Heparin: not-indicated -> recommended"


class FindingChange(msgspec.Struct, frozen=True, kw_only=True):
    finding: str
    name: str
    results: list[ResultChange]


class AssessmentView(msgspec.Struct, frozen=True, kw_only=True):
    kind: ClassVar[ViewKind] = ViewKind.assessment
    meta: Meta
    result: Assessment  # the decision itself, for JSON
    profile: list[str]
    rows: list[Row]
    details: list[Detail]
    investigations: list[str]
    notes: list[str]
    changes: list[FindingChange]  # only findings where some result changes a tier
    unchanged: list[str]  # untested findings whose every result changes nothing
    outlook: list[str]
    references: list[str]  # "id — citation identifiers", in first-use order
    cited: dict[str, Reference]  # the same references as records, for JSON
    include_all: bool = False
    show_details: bool = True
    generated: datetime.date | None = None  # set for printable reports
    tool_version: str = __version__

    @property
    def report_line(self) -> str:
        when = self.generated.isoformat() if self.generated else "today"
        return f"Generated {when} by rmcli {self.tool_version} with {self.meta.version_line}."


def profile_lines(p: Profile, kb: KnowledgeBase) -> list[str]:
    describe = Describer(kb)
    kind = "secondary RPL" if p.live_births else "primary RPL"
    history = [
        plural(p.losses, *LOSSES),
        f"{plural(p.live_births, 'live birth', 'live births')} ({kind})",
        plural(p.late_losses, *LATE),
        plural(p.placental_preterm_births, *PLACENTAL),
    ]
    now = ["pregnant now" if p.pregnant else "not pregnant now"]
    if p.pregnant:
        now.append("bleeding in this pregnancy" if p.bleeding else "no bleeding")
    now.append(f"age {p.age}" if p.age is not None else "age not given")
    findings = describe.findings
    tested = [
        f"{findings[k]}: {v.replace('-', ' ')}"
        for k, v in p.findings.items()
        if v != "not-tested" and k in findings
    ]
    untested = [findings[k] for k, v in p.findings.items() if v == "not-tested"]

    def names(ids: Iterable[str], terms: dict[str, str]) -> str:
        return ", ".join(terms.get(i, i) for i in ids) or "none"

    therapies = {t.id: short_name(t) for t in kb.therapies}
    lines = [
        "History: " + "; ".join(history) + ".",
        "Now: " + "; ".join(now) + ".",
        "Findings: " + ("; ".join(tested) or "none tested") + ".",
        "Not tested: " + (", ".join(untested) or "none") + ".",
        f"Autoimmune disease: {names(p.autoimmune_disease, describe.autoimmune)}. "
        f"Other conditions: {names(p.conditions, describe.conditions)}.",
        f"Treatments that failed before: {names(p.treatments_failed, therapies)}. "
        f"Taking now: {names(p.treatments_current, therapies)}.",
    ]
    return [clean(line) for line in lines]


def _caution(c: Caution) -> str:
    return cite(f"{c.severity.capitalize()} ({c.condition_name}): {c.text}", c.refs, c.checked)


def _reason(r: Reason) -> ReasonView:
    return ReasonView(
        decisive=r.decisive,
        matched="; ".join(r.matched) or "any profile",
        guideline=cite(r.text, r.refs, r.checked),
        rationale=clean(r.mechanism) if r.mechanism else None,
        purpose=f"not miscarriage prevention: {clean(r.purpose)}" if r.purpose else None,
        applicability=clean(r.applicability) if r.applicability else None,
    )


def _row(a: TherapyAssessment, names: dict[str, str]) -> Row:
    cautions = [_caution(c) for c in a.cautions]
    if a.tier == "avoid":
        cautions[:0] = [
            cite(first_sentence(r.text), r.refs, r.checked)
            for r in a.reasons
            if r.rule.startswith("contraindication:")
        ]
    return Row(
        tier=a.tier,
        therapy=a.therapy,
        name=clean(a.name),
        short_name=names[a.therapy],
        why=clean(a.why),
        mechanism=clean(a.mechanism),
        cautions=cautions,
    )


def _changes(result: Assessment, names: dict[str, str]) -> tuple[list[FindingChange], list[str]]:
    changing, unchanged = [], []
    for item in result.what_would_change:
        results = [
            ResultChange(
                value=r.value.replace("-", " "),
                changes=[f"{names[c.therapy]}: {c.from_} -> {c.to}" for c in r.changes],
            )
            for r in item.results
        ]
        if any(r.changes for r in results):
            changing.append(FindingChange(finding=item.finding, name=item.name, results=results))
        else:
            unchanged.append(clean(item.name))
    return changing, unchanged


def assessment_view(
    result: Assessment,
    kb: KnowledgeBase,
    *,
    include_all: bool = False,
    show_details: bool = True,
    generated: datetime.date | None = None,
) -> AssessmentView:
    shown = [a for a in result.assessments if include_all or a.tier != "not-indicated"]
    shown.sort(key=lambda a: DISPLAY_ORDER.index(a.tier))  # stable: keeps name order in a tier
    advice = [*result.investigations, *result.notes]
    refs = [r for a in shown for r in a.references] + [r for f in advice for r in f.refs]
    refs += [r for o in result.outlook for r in o.refs]
    shown_refs = [r for r in dict.fromkeys(refs) if r in kb.references]
    every = [r for a in result.assessments for r in a.references]  # JSON lists every therapy
    cited = {
        r: kb.references[r] for r in dict.fromkeys([*shown_refs, *every]) if r in kb.references
    }
    names = {t.id: short_name(t) for t in kb.therapies}
    changing, unchanged = _changes(result, names)
    return AssessmentView(
        meta=Meta.of(kb),
        result=result,
        profile=profile_lines(result.profile, kb),
        rows=[_row(a, names) for a in shown],
        details=[
            Detail(
                tier=a.tier,
                therapy=a.therapy,
                name=clean(a.name),
                reasons=[_reason(r) for r in a.reasons],
                cautions=[_caution(c) for c in a.cautions],
            )
            for a in shown
        ],
        investigations=[cite(f.text, f.refs, f.checked) for f in result.investigations],
        notes=[cite(f.text, f.refs, f.checked) for f in result.notes],
        changes=changing,
        unchanged=unchanged,
        outlook=[cite(o.text, o.refs, o.checked) for o in result.outlook],
        references=[reference_line(kb, r) for r in shown_refs],
        cited=cited,
        include_all=include_all,
        show_details=show_details,
        generated=generated,
    )
