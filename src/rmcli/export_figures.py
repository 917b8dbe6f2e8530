"""JSON, Markdown and CSV forms of the target matrix and the forest plots (no Rich)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import msgspec

from rmcli.export import envelope, md_table, md_text, to_json
from rmcli.forest import not_plotted, panels, reading
from rmcli.kb.model import KnowledgeBase, Therapy
from rmcli.text import clean


def targets_json(kb: KnowledgeBase, therapies: Sequence[Therapy]) -> str:
    targets = [
        {"id": key, "name": term.name, "abbrev": term.abbrev}
        for key, term in kb.vocabulary.targets.items()
    ]
    rows = [
        {"id": t.id, "name": t.name, "status": t.overall.status, "targets": t.targets}
        for t in therapies
    ]
    return to_json(envelope(kb, targets=targets, therapies=rows))


def _matrix_rows(kb: KnowledgeBase, therapies: Sequence[Therapy]) -> list[list[str]]:
    keys = list(kb.vocabulary.targets)
    return [
        [t.id, t.overall.status, *("x" if k in t.targets else "" for k in keys)] for t in therapies
    ]


def targets_csv(kb: KnowledgeBase, therapies: Sequence[Therapy]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["therapy", "status", *kb.vocabulary.targets])
    writer.writerows(_matrix_rows(kb, therapies))
    return buffer.getvalue()


def targets_markdown(kb: KnowledgeBase, therapies: Sequence[Therapy]) -> str:
    terms = kb.vocabulary.targets.values()
    headers = ["therapy", "status", *(term.abbrev or term.name for term in terms)]
    key = "; ".join(f"{term.abbrev or term.name} = {term.name}" for term in terms)
    return "\n".join([*md_table(headers, _matrix_rows(kb, therapies)), "", f"Key: {md_text(key)}."])


def evidence_json(kb: KnowledgeBase, therapy: Therapy) -> str:
    drawn = panels(therapy)
    return to_json(
        envelope(
            kb,
            therapy={"id": therapy.id, "name": therapy.name},
            reading=clean(reading(therapy, drawn)),
            panels=msgspec.to_builtins(drawn),
            not_plotted=msgspec.to_builtins(not_plotted(therapy)),
        )
    )


def evidence_markdown(kb: KnowledgeBase, therapy: Therapy) -> str:
    drawn = panels(therapy)
    lines = [
        f"# Evidence: {md_text(therapy.name)} (`{therapy.id}`)",
        "",
        md_text(reading(therapy, drawn)),
        "",
    ]
    for panel in drawn:
        scale = (
            "log scale, no effect = 1" if panel.scale == "log" else "linear scale, no effect = 0"
        )
        lines += [f"## Estimates ({scale})", ""]
        rows = [
            [
                p.label,
                str(p.n or "-"),
                p.outcome,
                f"{p.measure} {p.estimate:g}",
                f"{p.ci_low:g} to {p.ci_high:g}",
                p.verdict,
                p.certainty or "not rated",
                "; ".join(p.refs),
            ]
            for p in panel.points
        ]
        headers = ["study", "n", "outcome", "estimate", "95% CI", "reading", "GRADE", "refs"]
        lines += [*md_table(headers, rows), ""]
    rest = not_plotted(therapy)
    if rest:
        lines += ["## Studies without an effect estimate (not plotted)", ""]
        lines += [f"- {md_text(s.label)}: {md_text(s.result)} [{'; '.join(s.refs)}]" for s in rest]
        lines.append("")
    return "\n".join([*lines, f"*{kb.manifest.disclaimer}*"])
