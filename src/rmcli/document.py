"""Therapy monographs as plain, ordered sections: the single source every output format renders.

Rich (render) and Markdown (export) both draw from these structures, so the section order,
the verification labels and the citations cannot drift apart between formats.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from rmcli.kb.model import (
    CITED_LISTS,
    Checked,
    Claim,
    GuidelinePosition,
    KnowledgeBase,
    Reference,
    Study,
    Therapy,
)
from rmcli.text import clean

LABELS: dict[str, str] = {
    "primary": "",
    "secondary": "secondary source",
    "unverified": "UNVERIFIED",
    "inference": "inference",
}
STANCE_WORDS = {
    "recommend": "recommends",
    "suggest": "suggests",
    "may-consider": "may be considered",
    "research-only": "research only",
    "suggest-against": "suggests against",
    "recommend-against": "recommends against",
    "no-statement": "no statement",
    "unknown": "position not verified",
}


class Table(msgspec.Struct):
    headers: list[str]
    rows: list[list[str]]


class Section(msgspec.Struct):
    title: str
    paragraphs: list[str] = []
    bullets: list[str] = []
    table: Table | None = None


def cite(text: str, refs: list[str], checked: Checked) -> str:
    """A claim as printed everywhere: text, [refs], and its label unless primary."""
    label = LABELS[checked]
    marks = f" [{'; '.join(refs)}]" if refs else ""
    flag = f" ({label})" if label else ""
    return clean(f"{text}{marks}{flag}")


def stance_line(position: GuidelinePosition) -> str:
    words = STANCE_WORDS[position.stance]
    details = [position.strength.replace("gpp", "good practice point")]
    if position.grade:
        details.append(position.grade)
    if position.certainty != "not-stated":
        details.append(f"certainty {position.certainty}")
    return clean(
        f"{words} ({'; '.join(d for d in details if d != 'not-stated')})".replace(" ()", "")
    )


def body_year(position: GuidelinePosition) -> str:
    return clean(f"{position.body} {position.year or 'undated'}")


def headline(therapy: Therapy) -> str:
    """The strongest-sourced, most recent verified position, or an honest "none verified"."""
    verified = [g for g in therapy.guidelines if g.stance != "unknown"]
    if not verified:
        return "no verified guideline position"
    graded = ("strong", "conditional", "gpp")
    best = min(
        verified, key=lambda g: (g.strength not in graded, g.checked != "primary", -(g.year or 0))
    )
    return clean(f"{body_year(best)}: {STANCE_WORDS[best.stance]} ({best.population})")


def effect(study: Study) -> str:
    if study.estimate is None:
        return ""
    return f"{study.measure} {study.estimate:g} (95% CI {study.ci_low:g} to {study.ci_high:g})"


def study_line(study: Study) -> str:
    size = f", n={study.n}" if study.n is not None else ""
    estimate = f"; {effect(study)}" if study.estimate is not None else ""
    certainty = f"; GRADE {study.certainty}" if study.certainty else ""
    text = (
        f"{study.label} — {study.design.rstrip('.')}{size}. "
        f"Population: {study.population.rstrip('.')}. "
        f"Outcome: {study.outcome.rstrip('.')}. "
        f"Result: {study.result.rstrip('.')}{estimate}{certainty}."
    )
    return cite(text, study.refs, study.checked)


def reference_line(ref_id: str, ref: Reference) -> str:
    from rmcli.kb.cite import citation, identifiers

    return clean(f"{ref_id} — {citation(ref)} {identifiers(ref)}".strip())


def cited_refs(therapy: Therapy) -> list[str]:
    """Every reference id the therapy cites, in first-use order."""
    items: list[object] = [therapy.overall, therapy.mechanism, therapy.seed_rationale]
    for name in CITED_LISTS:
        items.extend(getattr(therapy, name))
    refs = [ref for item in items if item is not None for ref in getattr(item, "refs", [])]
    return list(dict.fromkeys(refs))


def sections(therapy: Therapy, kb: KnowledgeBase) -> list[Section]:
    """The monograph in its fixed order."""
    t = therapy
    targets = ", ".join(kb.vocabulary.targets[x].name for x in t.targets)
    overall = f"Status: {t.overall.status}; certainty: {t.overall.certainty}. " + cite(
        t.overall.text, t.overall.refs, t.overall.checked
    )
    mechanism = [cite(t.mechanism.text, t.mechanism.refs, t.mechanism.checked)]
    if t.seed_rationale:
        s = t.seed_rationale
        mechanism.append(
            "Mechanistic rationale (Jaro 2025 review): " + cite(s.text, s.refs, s.checked)
        )
    mechanism.append(f"Immune targets: {targets}")
    guideline_rows = [
        [body_year(g), stance_line(g), clean(g.population), cite(g.text, g.refs, g.checked)]
        for g in t.guidelines
    ]
    regimens = [
        cite(f"{r.source}: {r.route}; {r.dose}; {r.timing}", r.refs, r.checked) for r in t.regimens
    ]
    contra = [
        cite(
            f"{c.severity.upper()} — {kb.vocabulary.conditions[c.condition].name}: {c.text}",
            c.refs,
            c.checked,
        )
        for c in t.contraindications
    ]
    refs = [reference_line(r, kb.references[r]) for r in cited_refs(t)]
    return [
        Section(
            "Summary",
            paragraphs=[clean(t.summary), clean(overall)],
            bullets=[
                f"Class: {clean(t.drug_class)}",
                f"Also known as: {clean(', '.join(t.aliases))}",
            ],
        ),
        Section("Mechanism and targets", paragraphs=mechanism),
        Section("Indications studied", bullets=_claims(t.indications)),
        Section("Evidence", bullets=[study_line(s) for s in t.evidence]),
        Section(
            "Guideline positions",
            table=Table(["Guideline", "Stance", "Population", "What it says"], guideline_rows),
        ),
        Section("Regimens as used in trials or guidelines (not dosing advice)", bullets=regimens),
        Section("Caveats", bullets=_claims(t.caveats)),
        Section("Maternal risks", bullets=_claims(t.maternal_risks)),
        Section("Fetal and neonatal risks", bullets=_claims(t.fetal_risks)),
        Section("Contraindications and cautions", bullets=contra or ["None recorded."]),
        Section("Monitoring", bullets=_claims(t.monitoring)),
        Section("Cost and burden", bullets=_claims(t.cost)),
        Section("References", bullets=refs),
        Section("Last reviewed", paragraphs=[t.last_reviewed.isoformat()]),
    ]


def _claims(claims: Sequence[Claim]) -> list[str]:
    return [cite(c.text, c.refs, c.checked) for c in claims]
