"""`rmcli list`: one row per therapy, sorted by id, and what the filters were."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import ClassVar

import msgspec

from rmcli.estimates import natural
from rmcli.kb.model import KnowledgeBase, Therapy
from rmcli.text import clean
from rmcli.views import ViewKind
from rmcli.views.common import Meta, labels_line, review_overdue, reviewed_text, short_name
from rmcli.views.headline import Headline, headline


class Row(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    short_name: str  # the name without its parenthetical or trailing clause
    aliases: list[str]
    drug_class: str
    targets: list[str]  # ids
    target_abbrevs: list[str]  # as displayed: "NK", "Treg", ...
    status: str
    certainty: str
    headline: Headline
    last_reviewed: datetime.date
    review_overdue: bool
    reviewed: str  # "2026-12-01" or "2023-01-01 (review overdue: ...)"


class Listing(msgspec.Struct, frozen=True, kw_only=True):
    kind: ClassVar[ViewKind] = ViewKind.listing
    meta: Meta
    rows: list[Row]
    therapies: list[Therapy]  # the records behind the rows, same order, for JSON
    long: bool = False
    filters: list[str] = []  # "--search 'APS'", for the empty-result sentence

    @property
    def count_line(self) -> str:
        count = len(self.rows)
        return f"{count} {'therapy' if count == 1 else 'therapies'} · {self.meta.version_line}"

    narrow_note: ClassVar[str] = "Names: rmcli list --long, or a wider terminal."

    @property
    def empty_line(self) -> str:
        given = " ".join(self.filters)
        return f"No therapy matches {given}." if given else "The knowledge base has no therapies."

    @property
    def labels(self) -> str | None:
        """What the verification marks this view uses mean (rmcli.views.common.labels_line)."""
        return labels_line(self) if self.long else None  # only --long shows the headlines


def listing(
    kb: KnowledgeBase,
    therapies: Sequence[Therapy],
    today: datetime.date,
    *,
    long: bool = False,
    filters: Sequence[str] = (),
) -> Listing:
    months = kb.manifest.review_after_months
    targets = kb.vocabulary.targets
    rows = []
    ordered = sorted(therapies, key=lambda t: t.id)
    for t in ordered:
        overdue = review_overdue(t.last_reviewed, today, months)
        rows.append(
            Row(
                id=t.id,
                name=clean(t.name),
                short_name=short_name(t),
                aliases=[clean(a) for a in t.aliases],
                drug_class=clean(t.drug_class),
                targets=t.targets,
                target_abbrevs=[clean(targets[x].abbrev or targets[x].name) for x in t.targets],
                status=t.overall.status,
                certainty=t.overall.certainty,
                headline=headline(natural(t)),
                last_reviewed=t.last_reviewed,
                review_overdue=overdue,
                reviewed=reviewed_text(t.last_reviewed, overdue, months),
            )
        )
    return Listing(meta=Meta.of(kb), rows=rows, therapies=ordered, long=long, filters=list(filters))
