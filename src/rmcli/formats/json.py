"""JSON: the stable machine-readable contract (../shared/domain.md section 5).

Every document about a knowledge base has `schema_version`, `kb_version`, `kb_date` and
`disclaimer`. Maintainer notes (`note`) are never written. Keys only ever get added.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import msgspec

from rmcli.text import json_safe
from rmcli.views.cite import citation, identifiers
from rmcli.views.common import cited_refs

if TYPE_CHECKING:  # only the view being written is imported at run time, by its command
    from rmcli.environment import Canvas
    from rmcli.kb.model import Reference, Therapy
    from rmcli.views.assessment import AssessmentView
    from rmcli.views.common import Meta
    from rmcli.views.comparison import Comparison
    from rmcli.views.diff import DiffView
    from rmcli.views.forest import Forest
    from rmcli.views.listing import Listing
    from rmcli.views.monograph import Monograph
    from rmcli.views.summary import Summary
    from rmcli.views.targets import Matrix

SCHEMA_VERSION = 1
HIDDEN_KEYS = frozenset({"note", "sheet"})  # for maintainers only


def envelope(meta: Meta, **payload: Any) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "kb_version": meta.kb_version,
        "kb_date": meta.kb_date.isoformat(),
        **payload,
        "disclaimer": meta.disclaimer,
    }


def to_json(document: dict[str, Any]) -> str:
    """Indented JSON; DEL, C1 and bidi characters are escaped too (rmcli.text.json_safe), so
    they cannot reach a terminal."""
    return json_safe(msgspec.json.format(msgspec.json.encode(document).decode(), indent=2)) + "\n"


def public(data: Any) -> Any:
    """`data` without the maintainers' fields, at any depth."""
    if isinstance(data, dict):
        return {k: public(v) for k, v in data.items() if k not in HIDDEN_KEYS}
    if isinstance(data, list):
        return [public(v) for v in data]
    return data


def reference(ref_id: str, ref: Reference) -> dict[str, Any]:
    fields = public(msgspec.to_builtins(ref))
    return {"id": ref_id, "citation": citation(ref), "identifiers": identifiers(ref), **fields}


def references(references: dict[str, Reference], ids: Iterable[str]) -> list[dict[str, Any]]:
    return [reference(r, references[r]) for r in ids if r in references]


def _headline(summary: Summary) -> dict[str, Any]:
    return {
        "headline": summary.headline.full,
        "headline_checked": summary.headline.checked,
        "review_overdue": summary.review_overdue,
    }


def therapy_record(
    therapy: Therapy, refs: dict[str, Reference], summary: Summary
) -> dict[str, Any]:
    """The whole record, references resolved to full citations, plus the computed summary."""
    record: dict[str, Any] = public(msgspec.to_builtins(therapy))
    record["references"] = references(refs, cited_refs(therapy))
    record.update(_headline(summary))
    record["key_evidence"] = summary.key_evidence
    return record


def listing(view: Listing, canvas: Canvas) -> str:
    rows = [
        {
            "id": t.id,
            "name": t.name,
            "aliases": t.aliases,
            "drug_class": t.drug_class,
            "targets": t.targets,
            "status": t.overall.status,
            "certainty": t.overall.certainty,
            "headline": r.headline.full,
            "headline_checked": r.headline.checked,
            "last_reviewed": t.last_reviewed.isoformat(),
            "review_overdue": r.review_overdue,
        }
        for r, t in zip(view.rows, view.therapies, strict=True)
    ]
    return to_json(envelope(view.meta, therapies=rows))


def monograph(view: Monograph, canvas: Canvas) -> str:
    record = therapy_record(view.therapy, view.cited, view.summary)
    record["summary_of_findings"] = msgspec.to_builtins(view.findings)
    return to_json(envelope(view.meta, therapy=record))


def comparison(view: Comparison, canvas: Canvas) -> str:
    records = [
        therapy_record(t, view.cited, s)
        for t, s in zip(view.therapies, view.summaries, strict=True)
    ]
    return to_json(envelope(view.meta, therapies=records))


def matrix(view: Matrix, canvas: Canvas) -> str:
    targets = [{"id": t.id, "name": t.name, "abbrev": t.abbrev} for t in view.targets]
    rows = [
        {"id": r.id, "name": r.name, "status": r.status, "targets": r.targets} for r in view.rows
    ]
    return to_json(envelope(view.meta, targets=targets, therapies=rows))


def forest(view: Forest, canvas: Canvas) -> str:
    """With --absolute, each ratio estimate has `absolute` (null where there is none, with
    `absolute_note` saying why) and the document the `absolute_method`; without, neither."""
    panels = msgspec.to_builtins(view.panels)
    for panel, drawn in zip(panels, view.panels, strict=True):
        for point, shown in zip(panel["points"], drawn.points, strict=True):
            del point["absolute"]
            if shown.absolute is not None:
                point["absolute"] = msgspec.to_builtins(shown.absolute.absolute)
                if shown.absolute.note is not None:
                    point["absolute_note"] = shown.absolute.note
                point["absolute_text"] = shown.absolute.line
    extra = {"absolute_method": view.method} if view.method is not None else {}
    return to_json(
        envelope(
            view.meta,
            therapy={"id": view.therapy, "name": view.name},
            reading=view.reading,
            **extra,
            panels=panels,
            not_plotted=msgspec.to_builtins(view.not_plotted),
        )
    )


def assessment(view: AssessmentView, canvas: Canvas) -> str:
    result = view.result
    assessments = []
    for item in result.assessments:
        record = msgspec.to_builtins(item)
        record["references"] = references(view.cited, item.references)
        assessments.append(record)
    return to_json(
        envelope(
            view.meta,
            profile=msgspec.to_builtins(result.profile),
            situations=msgspec.to_builtins(result.situations),
            assessments=assessments,
            investigations=msgspec.to_builtins(result.investigations),
            notes=msgspec.to_builtins(result.notes),
            what_would_change=msgspec.to_builtins(result.what_would_change),
            outlook=msgspec.to_builtins(result.outlook),
        )
    )


def diff(view: DiffView, canvas: Canvas) -> str:
    document = {
        "schema_version": SCHEMA_VERSION,
        "old": view.old,
        "new": view.new,
        "differences": msgspec.to_builtins(view.differences),
    }
    return to_json(document)
