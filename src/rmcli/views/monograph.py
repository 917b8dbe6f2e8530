"""`rmcli show`: a therapy's summary, its summary of findings, then its sections in a fixed order.

Every format draws the same sections in the same order with the same wording, so labels and
citations cannot drift apart between the terminal, Markdown and JSON.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import ClassVar

import msgspec

from rmcli.kb.model import (
    Claim,
    GuidelinePosition,
    KnowledgeBase,
    Reference,
    Study,
    Therapy,
)
from rmcli.sof import SofRow, summary_of_findings
from rmcli.text import clean
from rmcli.views import ViewKind
from rmcli.views.common import (
    Meta,
    body_year,
    cite,
    cited_refs,
    estimate,
    reference_line,
    reviewed_text,
    stance_line,
)
from rmcli.views.summary import Summary, summarise

SECTIONS: dict[str, str] = {
    "summary": "At a glance",
    "findings": "Summary of findings",
    "overview": "Overview",
    "mechanism": "Mechanism and targets",
    "rationale": "Mechanistic rationale (Jaro 2025 review)",
    "indications": "Indications studied",
    "evidence": "Evidence",
    "guidelines": "Guideline positions",
    "regimens": "Regimens as used in trials or guidelines (not dosing advice)",
    "caveats": "Caveats",
    "maternal-risks": "Maternal risks",
    "fetal-risks": "Fetal and neonatal risks",
    "contraindications": "Contraindications and cautions",
    "monitoring": "Monitoring",
    "cost": "Cost and burden",
    "references": "References",
    "last-reviewed": "Last reviewed",
}
GUIDELINE_HEADERS = ["Guideline", "Stance", "Population", "What it says"]


class Grid(msgspec.Struct, frozen=True):
    headers: list[str]
    rows: list[list[str]]


class Section(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    title: str
    paragraphs: list[str] = []
    bullets: list[str] = []
    table: Grid | None = None
    note: str | None = None  # one closing line, e.g. the bodies whose position is not verified


class Monograph(msgspec.Struct, frozen=True, kw_only=True):
    kind: ClassVar[ViewKind] = ViewKind.monograph
    meta: Meta
    therapy: Therapy  # the record itself, for JSON
    summary: Summary
    findings: list[SofRow]  # the summary of findings' rows, for JSON (its section: "findings")
    sections: list[Section]  # the body sections (not the summary), in order
    cited: dict[str, Reference]  # the references the therapy cites, for JSON
    show_summary: bool = True
    all_positions: bool = False

    @property
    def title(self) -> str:
        return clean(f"{self.therapy.name} ({self.therapy.id})")


def study_line(study: Study) -> str:
    size = f", n={study.n}" if study.n is not None else ""
    result = clean(study.result).strip().rstrip(".")
    effect = estimate(study)
    found = "; ".join(part for part in (effect, result) if part)
    certainty = f" GRADE certainty {study.certainty.replace('-', ' ')}." if study.certainty else ""
    text = (
        f"{study.label} — {clean(study.design).rstrip('.')}{size}. "
        f"Population: {clean(study.population).rstrip('.')}. "
        f"Outcome: {clean(study.outcome).rstrip('.')}. "
        f"Result: {found}.{certainty}"
    )
    return cite(text, study.refs, study.checked)


def unverified_bodies(positions: Sequence[GuidelinePosition]) -> list[str]:
    return list(dict.fromkeys(body_year(g) for g in positions if g.checked == "unverified"))


def _guidelines(therapy: Therapy, all_positions: bool) -> Section:
    shown = [g for g in therapy.guidelines if all_positions or g.checked != "unverified"]
    rows = [
        [body_year(g), stance_line(g), clean(g.population), cite(g.text, g.refs, g.checked)]
        for g in shown
    ]
    hidden = [] if all_positions else unverified_bodies(therapy.guidelines)
    note = None
    if hidden:
        note = f"Not verified here: {', '.join(hidden)} (rmcli show --all-positions lists them)."
    paragraphs = [] if rows else ["No verified guideline position in this knowledge base."]
    table = Grid(GUIDELINE_HEADERS, rows) if rows else None
    return Section(
        key="guidelines",
        title=SECTIONS["guidelines"],
        paragraphs=paragraphs,
        table=table,
        note=note,
    )


def _claims(claims: Sequence[Claim]) -> list[str]:
    return [cite(c.text, c.refs, c.checked) for c in claims]


def _list_section(key: str, bullets: list[str]) -> Section:
    return Section(key=key, title=SECTIONS[key], bullets=bullets)


def findings_section(therapy: Therapy, rows: Sequence[SofRow]) -> Section:
    from rmcli.views.effects import findings_headers, findings_note, findings_row

    if not rows:
        text = (
            "No trial with control-arm counts and no pooled analysis in this knowledge base "
            "gives a ratio estimate for this therapy; the Evidence section lists what there is."
        )
        return Section(key="findings", title=SECTIONS["findings"], paragraphs=[text])
    table = Grid(findings_headers(), [findings_row(r, therapy) for r in rows])
    note = findings_note(therapy)
    return Section(key="findings", title=SECTIONS["findings"], table=table, note=note)


def body_sections(
    therapy: Therapy,
    kb: KnowledgeBase,
    summary: Summary,
    findings: Sequence[SofRow],
    *,
    all_positions: bool,
) -> list[Section]:
    t = therapy
    vocab = kb.vocabulary
    targets = ", ".join(
        f"{vocab.targets[x].name} ({vocab.targets[x].abbrev})"
        if vocab.targets[x].abbrev
        else vocab.targets[x].name
        for x in t.targets
    )
    overview = Section(
        key="overview",
        title=SECTIONS["overview"],
        paragraphs=[clean(t.summary), cite(t.overall.text, t.overall.refs, t.overall.checked)],
        bullets=[f"Class: {clean(t.drug_class)}", f"Also known as: {clean(', '.join(t.aliases))}"],
    )
    mechanism = Section(
        key="mechanism",
        title=SECTIONS["mechanism"],
        paragraphs=[
            cite(t.mechanism.text, t.mechanism.refs, t.mechanism.checked),
            clean(f"Immune targets: {targets}."),
        ],
    )
    sections = [overview, mechanism]
    if t.seed_rationale:
        s = t.seed_rationale
        sections.append(
            Section(
                key="rationale",
                title=SECTIONS["rationale"],
                paragraphs=[cite(s.text, s.refs, s.checked)],
            )
        )
    regimens = [
        cite(f"{r.source}: {r.route}; {r.dose}; {r.timing}", r.refs, r.checked) for r in t.regimens
    ]
    contraindications = [
        cite(
            f"{c.severity.upper()} — {vocab.conditions[c.condition].name}: {c.text}",
            c.refs,
            c.checked,
        )
        for c in t.contraindications
    ]
    return [
        findings_section(t, findings),
        *sections,
        _list_section("indications", _claims(t.indications)),
        _list_section("evidence", [study_line(s) for s in t.evidence]),
        _guidelines(t, all_positions),
        _list_section("regimens", regimens),
        _list_section("caveats", _claims(t.caveats)),
        _list_section("maternal-risks", _claims(t.maternal_risks)),
        _list_section("fetal-risks", _claims(t.fetal_risks)),
        _list_section("contraindications", contraindications or ["None recorded."]),
        _list_section("monitoring", _claims(t.monitoring)),
        _list_section("cost", _claims(t.cost)),
        _list_section("references", [reference_line(kb, r) for r in cited_refs(t)]),
        Section(
            key="last-reviewed",
            title=SECTIONS["last-reviewed"],
            paragraphs=[
                reviewed_text(t.last_reviewed, summary.review_overdue, summary.review_after_months)
            ],
        ),
    ]


def monograph(
    therapy: Therapy,
    kb: KnowledgeBase,
    today: datetime.date,
    *,
    sections: Sequence[str] = (),
    brief: bool = False,
    all_positions: bool = False,
) -> Monograph:
    """The monograph; `sections` (keys of SECTIONS) or `brief` narrow what is shown."""
    summary = summarise(therapy, kb, today)
    findings = summary_of_findings(therapy)
    body = body_sections(therapy, kb, summary, findings, all_positions=all_positions)
    if brief:
        body = []
    elif sections:
        body = [s for s in body if s.key in sections]
    return Monograph(
        meta=Meta.of(kb),
        therapy=therapy,
        summary=summary,
        findings=findings,
        sections=body,
        cited={r: kb.references[r] for r in cited_refs(therapy) if r in kb.references},
        show_summary=brief or not sections or "summary" in sections,
        all_positions=all_positions,
    )
