"""`rmcli show`: a therapy's summary, its summary of findings, then its sections in a fixed order.

Every format draws the same sections in the same order with the same wording, so labels and
citations cannot drift apart between the terminal, Markdown and JSON.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import ClassVar

import msgspec

from rmcli.estimates import natural
from rmcli.kb.model import (
    Claim,
    Contraindication,
    GuidelinePosition,
    KnowledgeBase,
    Reference,
    Regimen,
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
    labels_line,
    reference_line,
    reviewed_text,
    stance_line,
)
from rmcli.views.studies import ongoing_line, study_line
from rmcli.views.summary import Summary, summarise

SECTIONS: dict[str, str] = {
    "summary": "At a glance",
    "findings": "Summary of findings",
    "changes": "What changed in this review",
    "overview": "Overview",
    "mechanism": "Mechanism and targets",
    "rationale": "Mechanistic rationale (Jaro 2025 review)",
    "indications": "Indications studied",
    "evidence": "Evidence",
    "ongoing": "Ongoing trials (registered, not yet reported)",
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

    @property
    def labels(self) -> str | None:
        """What the verification marks this view uses mean (rmcli.views.common.labels_line)."""
        return labels_line(self)


def unverified_bodies(positions: Sequence[GuidelinePosition]) -> list[str]:
    return list(dict.fromkeys(body_year(g) for g in positions if g.checked == "unverified"))


def _guidelines(therapy: Therapy, all_positions: bool) -> Section:
    rows = [
        [body_year(g), stance_line(g), clean(g.population), cite(g.text, g.refs, g.checked)]
        for g in therapy.guidelines
        if shown(g.checked, all_positions)
    ]
    hidden = [] if all_positions else unverified_bodies(therapy.guidelines)
    note = None
    if hidden:
        note = f"Positions unverified: {', '.join(hidden)} (shown with --all-positions)."
    paragraphs = [] if rows else ["No verified guideline position."]
    table = Grid(GUIDELINE_HEADERS, rows) if rows else None
    return Section(
        key="guidelines",
        title=SECTIONS["guidelines"],
        paragraphs=paragraphs,
        table=table,
        note=note,
    )


def _claims(claims: Sequence[Claim], all_positions: bool) -> list[str]:
    """Cited claims; unverified ones only when asked for (`--all-positions`)."""
    return [cite(c.text, c.refs, c.checked) for c in claims if shown(c.checked, all_positions)]


def shown(checked: str, all_positions: bool) -> bool:
    return all_positions or checked != "unverified"


def _list_section(key: str, bullets: list[str]) -> Section | None:
    """The section, or None when the sources give nothing for it."""
    return Section(key=key, title=SECTIONS[key], bullets=bullets) if bullets else None


def findings_section(therapy: Therapy, rows: Sequence[SofRow]) -> Section:
    from rmcli.views.effects import findings_headers, findings_note, findings_row

    if not rows:
        text = (
            "No randomised trial with control-arm data and no pooled analysis gives a ratio "
            "estimate for this therapy; the Evidence section lists what there is."
        )
        return Section(key="findings", title=SECTIONS["findings"], paragraphs=[text])
    table = Grid(findings_headers(), [findings_row(r, therapy) for r in rows])
    note = findings_note(therapy)
    return Section(key="findings", title=SECTIONS["findings"], table=table, note=note)


def _regimen(r: Regimen) -> str:
    parts = "; ".join(clean(p) for p in (r.route, r.dose, r.timing) if p)
    return cite(f"{r.source}: {parts}" if parts else r.source, r.refs, r.checked)


def _contraindication(c: Contraindication, kb: KnowledgeBase) -> str:
    name = kb.vocabulary.conditions[c.condition].name
    return cite(f"{c.severity.upper()} — {name}: {c.text}", c.refs, c.checked)


def _targets(t: Therapy, kb: KnowledgeBase) -> str:
    terms = [kb.vocabulary.targets[x] for x in t.targets]
    return ", ".join(f"{x.name} ({x.abbrev})" if x.abbrev else x.name for x in terms)


def _described(t: Therapy, kb: KnowledgeBase, all_positions: bool) -> list[Section | None]:
    """What the therapy is and how it is meant to act."""
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
            clean(f"Immune targets: {_targets(t, kb)}."),
        ],
    )
    rationale = t.seed_rationale
    return [
        _list_section("changes", _claims(t.changes, all_positions)),
        overview,
        mechanism,
        Section(
            key="rationale",
            title=SECTIONS["rationale"],
            paragraphs=[cite(rationale.text, rationale.refs, rationale.checked)],
        )
        if rationale and shown(rationale.checked, all_positions)
        else None,
    ]


def body_sections(
    therapy: Therapy,
    kb: KnowledgeBase,
    summary: Summary,
    findings: Sequence[SofRow],
    *,
    all_positions: bool,
) -> list[Section]:
    """The sections after the summary, in order; a section the sources say nothing about is
    left out."""
    t = therapy

    def claims(items: Sequence[Claim]) -> list[str]:
        return _claims(items, all_positions)

    studies = [s for s in t.evidence if shown(s.checked, all_positions)]
    sections = [
        findings_section(t, findings),
        *_described(t, kb, all_positions),
        _list_section("indications", claims(t.indications)),
        _list_section("evidence", [study_line(s) for s in studies if s.kind != "protocol"]),
        _list_section("ongoing", [ongoing_line(s) for s in studies if s.kind == "protocol"]),
        _guidelines(t, all_positions),
        _list_section(
            "regimens", [_regimen(r) for r in t.regimens if shown(r.checked, all_positions)]
        ),
        _list_section("caveats", claims(t.caveats)),
        _list_section("maternal-risks", claims(t.maternal_risks)),
        _list_section("fetal-risks", claims(t.fetal_risks)),
        _list_section(
            "contraindications",
            [
                _contraindication(c, kb)
                for c in t.contraindications
                if shown(c.checked, all_positions)
            ],
        ),
        _list_section("monitoring", claims(t.monitoring)),
        _list_section("cost", claims(t.cost)),
        _list_section("references", [reference_line(kb, r) for r in cited_refs(t)]),
        Section(
            key="last-reviewed",
            title=SECTIONS["last-reviewed"],
            paragraphs=[
                reviewed_text(t.last_reviewed, summary.review_overdue, summary.review_after_months)
            ],
        ),
    ]
    return [section for section in sections if section is not None]


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
    therapy = natural(therapy)
    summary = summarise(therapy, kb, today)
    findings = summary_of_findings(therapy)
    body = (
        [] if brief else body_sections(therapy, kb, summary, findings, all_positions=all_positions)
    )
    if sections:
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
