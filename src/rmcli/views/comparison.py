"""`rmcli compare`: the therapies at a glance, row by row; with --full, every section."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import ClassVar

import msgspec

from rmcli.kb.lookup import normalize
from rmcli.kb.model import KnowledgeBase, Reference, Therapy
from rmcli.views import ViewKind
from rmcli.views.common import Meta, cited_refs, labels_line
from rmcli.views.monograph import Monograph, Section, monograph
from rmcli.views.summary import Summary, summarise

GLANCE_ROWS = (
    "Status",
    "Headline",
    "Key evidence",
    "Mechanism",
    "Main risk",
    "Last reviewed",
)


class Comparison(msgspec.Struct, frozen=True, kw_only=True):
    kind: ClassVar[ViewKind] = ViewKind.comparison
    meta: Meta
    therapies: list[Therapy]  # the records, for JSON
    summaries: list[Summary]
    details: list[Monograph]  # one per therapy with --full, else empty
    cited: dict[str, Reference]  # every reference the therapies cite, for JSON

    @property
    def title(self) -> str:
        return "Comparison: " + " vs ".join(self.headers)

    @property
    def headers(self) -> list[str]:
        return [
            s.short_name
            if normalize(s.short_name) == normalize(s.id)
            else f"{s.short_name} ({s.id})"
            for s in self.summaries
        ]

    def glance(self) -> list[tuple[str, list[str]]]:
        """(row label, one cell per therapy), in GLANCE_ROWS order; a cell's paragraphs are
        separated by newlines."""
        cells: dict[str, list[str]] = {label: [] for label in GLANCE_ROWS}
        for s in self.summaries:
            cells["Status"].append(f"{s.status}; certainty {s.certainty.replace('-', ' ')}")
            cells["Headline"].append(s.headline.short_line)
            cells["Key evidence"].append(s.key_evidence)
            cells["Mechanism"].append(s.mechanism)
            cells["Main risk"].append(s.main_risk or "–")
            cells["Last reviewed"].append(s.reviewed)
        return list(cells.items())

    def by_section(self) -> list[tuple[str, list[tuple[Monograph, Section | None]]]]:
        """With --full: (section title, each therapy's monograph and its section, or None where
        that monograph lacks it), sections in the order the monographs first give them."""
        keys = list(dict.fromkeys(s.key for m in self.details for s in m.sections))
        grouped = []
        for key in keys:
            present = [
                (m, next((s for s in m.sections if s.key == key), None)) for m in self.details
            ]
            title = next(s.title for _, s in present if s is not None)
            grouped.append((title, present))
        return grouped

    @property
    def labels(self) -> str | None:
        """What the verification marks this view uses mean (rmcli.views.common.labels_line)."""
        return labels_line(self)


def comparison(
    therapies: Sequence[Therapy], kb: KnowledgeBase, today: datetime.date, *, full: bool = False
) -> Comparison:
    details = [monograph(t, kb, today) for t in therapies] if full else []
    return Comparison(
        meta=Meta.of(kb),
        therapies=list(therapies),
        summaries=[m.summary for m in details] or [summarise(t, kb, today) for t in therapies],
        details=details,
        cited={r: kb.references[r] for t in therapies for r in cited_refs(t) if r in kb.references},
    )
