"""JSON, Markdown and CSV output (no Rich): the machine-readable and paste-able forms."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from rmcli.document import Section, cite, cited_refs, headline, sections
from rmcli.kb.cite import citation
from rmcli.kb.model import KnowledgeBase, Therapy
from rmcli.text import clean

if TYPE_CHECKING:
    from rmcli.assess import Assessment, Finding

SCHEMA_VERSION = 1


def envelope(kb: KnowledgeBase, **payload: Any) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "kb_version": kb.manifest.version,
        **payload,
        "disclaimer": kb.manifest.disclaimer,
    }


_UNESCAPED_CONTROLS = re.compile("[\x7f-\x9f]")


def to_json(document: dict[str, Any]) -> str:
    """Indented JSON; DEL and C1 controls are escaped too, so they cannot reach a terminal."""
    text = msgspec.json.format(msgspec.json.encode(document).decode(), indent=2)
    return _UNESCAPED_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _references(kb: KnowledgeBase, ids: Sequence[str]) -> list[dict[str, Any]]:
    from rmcli.kb.cite import citation

    return [
        {"id": r, "citation": citation(kb.references[r]), **msgspec.to_builtins(kb.references[r])}
        for r in ids
    ]


def therapy_record(therapy: Therapy, kb: KnowledgeBase) -> dict[str, Any]:
    """The whole therapy record, with its references resolved to full citations."""
    record: dict[str, Any] = msgspec.to_builtins(therapy)
    record["references"] = _references(kb, cited_refs(therapy))
    return record


def summary_record(therapy: Therapy) -> dict[str, Any]:
    return {
        "id": therapy.id,
        "name": therapy.name,
        "aliases": therapy.aliases,
        "drug_class": therapy.drug_class,
        "targets": therapy.targets,
        "status": therapy.overall.status,
        "certainty": therapy.overall.certainty,
        "headline": headline(therapy),
        "last_reviewed": therapy.last_reviewed.isoformat(),
    }


def list_json(kb: KnowledgeBase, therapies: Sequence[Therapy]) -> str:
    return to_json(envelope(kb, therapies=[summary_record(t) for t in therapies]))


def show_json(kb: KnowledgeBase, therapy: Therapy) -> str:
    return to_json(envelope(kb, therapy=therapy_record(therapy, kb)))


def compare_json(kb: KnowledgeBase, therapies: Sequence[Therapy]) -> str:
    return to_json(envelope(kb, therapies=[therapy_record(t, kb) for t in therapies]))


def assessment_json(kb: KnowledgeBase, result: Assessment) -> str:
    assessments = []
    for item in result.assessments:
        record = msgspec.to_builtins(item)
        record["references"] = _references(kb, item.references)
        assessments.append(record)
    return to_json(
        envelope(
            kb,
            profile=msgspec.to_builtins(result.profile),
            assessments=assessments,
            investigations=msgspec.to_builtins(result.investigations),
            notes=msgspec.to_builtins(result.notes),
            what_would_change=msgspec.to_builtins(result.what_would_change),
            outlook=msgspec.to_builtins(result.outlook),
        )
    )


def list_csv(kb: KnowledgeBase, therapies: Sequence[Therapy]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = ["id", "name", "drug_class", "targets", "status", "certainty", "headline"]
    writer.writerow(columns)
    for t in therapies:
        row = summary_record(t)
        row["targets"] = ";".join(t.targets)
        writer.writerow([_csv_safe(clean(str(row[c]))) for c in columns])
    return buffer.getvalue()


def _csv_safe(value: str) -> str:
    """Keep spreadsheet software from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def md_text(text: str) -> str:
    """One line of Markdown; a `<` that could open an HTML tag is escaped (`<30` stays)."""
    return _TAG_START.sub("&lt;", clean(text).replace("\n", " "))


def _md_cell(text: str) -> str:
    return md_text(text).replace("|", "\\|")


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |"]
    lines.append("|" + "---|" * len(headers))
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return lines


def _md_section(section: Section, level: str = "##") -> list[str]:
    lines = [f"{level} {section.title}", ""]
    lines += [md_text(p) + "\n" for p in section.paragraphs]
    lines += [f"- {md_text(b)}" for b in section.bullets]
    if section.table:
        lines += md_table(section.table.headers, section.table.rows)
    return [*lines, ""]


def list_markdown(kb: KnowledgeBase, therapies: Sequence[Therapy]) -> str:
    rows = [
        [
            t.id,
            t.name,
            t.drug_class,
            ", ".join(t.targets),
            t.overall.status,
            t.overall.certainty,
            headline(t),
        ]
        for t in therapies
    ]
    headers = ["id", "name", "class", "targets", "status", "certainty", "headline stance"]
    return "\n".join([*md_table(headers, rows), "", f"Knowledge base {kb.manifest.version}."])


def show_markdown(kb: KnowledgeBase, therapy: Therapy) -> str:
    lines = [f"# {md_text(therapy.name)} (`{therapy.id}`)", ""]
    for section in sections(therapy, kb):
        lines += _md_section(section)
    return "\n".join([*lines, f"*{kb.manifest.disclaimer}*"])


def compare_markdown(kb: KnowledgeBase, therapies: Sequence[Therapy]) -> str:
    names = " vs ".join(md_text(t.name) for t in therapies)
    lines = [f"# Comparison: {names}", ""]
    documents = [sections(t, kb) for t in therapies]
    for index, section in enumerate(documents[0]):
        lines += [f"## {section.title}", ""]
        for t, document in zip(therapies, documents, strict=True):
            body = _md_section(document[index], "###")
            lines += [f"### {md_text(t.name)}", *body[2:]]
    return "\n".join([*lines, f"*{kb.manifest.disclaimer}*"])


def _md_findings(title: str, findings: Sequence[Finding]) -> list[str]:
    lines = [f"## {title}", ""]
    lines += [f"- {md_text(cite(f.text, f.refs, f.checked))}" for f in findings] or ["- None."]
    return [*lines, ""]


def assessment_markdown(kb: KnowledgeBase, result: Assessment, include_all: bool) -> str:
    p = result.profile
    tested = [f"{k} = {v}" for k, v in p.findings.items() if v != "not-tested"]
    lines = [
        "# Immune-profile assessment (rmcli)",
        "",
        f"Profile: {p.losses} losses, {p.live_births} live births, {p.late_losses} late losses; "
        f"pregnant: {'yes' if p.pregnant else 'no'}; bleeding: {'yes' if p.bleeding else 'no'}.",
        f"Findings: {', '.join(tested) or 'none tested'}.",
        f"Autoimmune disease: {', '.join(p.autoimmune_disease) or 'none'}. "
        f"Conditions: {', '.join(p.conditions) or 'none'}.",
        "",
    ]
    by_id = {t.id: t for t in kb.therapies}
    for item in result.assessments:
        if item.tier == "not-indicated" and not include_all:
            continue
        t = by_id[item.therapy]
        lines += [f"## {item.tier}: {md_text(item.name)}", ""]
        lines.append(f"- Overall: {t.overall.status}, certainty {t.overall.certainty}.")
        for reason in item.reasons:
            lines.append(f"- Matched: {'; '.join(reason.matched) or 'always'}.")
            if reason.mechanism:
                lines.append(f"- Biological rationale: {md_text(reason.mechanism)}")
            lines.append(f"- Position: {md_text(cite(reason.text, reason.refs, reason.checked))}")
        for caution in item.cautions:
            text = f"{caution.severity.capitalize()} ({caution.condition}): {caution.text}"
            lines.append(f"- {md_text(cite(text, caution.refs, caution.checked))}")
        lines.append("")
    lines += _md_findings("Investigations worth doing", result.investigations)
    lines += _md_findings("Notes on testing and prognosis", result.notes)
    shown = [a for a in result.assessments if include_all or a.tier != "not-indicated"]
    refs = list(
        dict.fromkeys(
            [r for a in shown for r in a.references]
            + [r for f in [*result.investigations, *result.notes] for r in f.refs]
        )
    )
    lines += ["## References", ""]
    lines += [f"- {md_text(r)}: {md_text(citation(kb.references[r]))}" for r in refs]
    lines += ["", f"Knowledge base {kb.manifest.version}.", "", f"*{kb.manifest.disclaimer}*"]
    return "\n".join(lines)
