"""CSV: the therapy list and the target matrix, for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rmcli.text import csv_cell

if TYPE_CHECKING:
    from rmcli.environment import Canvas
    from rmcli.views.listing import Listing
    from rmcli.views.targets import Matrix


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def listing(view: Listing, canvas: Canvas) -> str:
    header = [
        "id",
        "name",
        "drug_class",
        "targets",
        "status",
        "certainty",
        "headline",
        "last_reviewed",
        "review_overdue",
    ]
    rows = [
        [
            r.id,
            r.name,
            r.drug_class,
            ";".join(r.targets),
            r.status,
            r.certainty,
            r.headline.full,
            r.last_reviewed.isoformat(),
            "yes" if r.review_overdue else "no",
        ]
        for r in view.rows
    ]
    return _csv(header, rows)


def matrix(view: Matrix, canvas: Canvas) -> str:
    header = ["therapy", "status", *(t.id for t in view.targets)]
    return _csv(header, ([r.id, r.status, *("x" if m else "" for m in r.marks)] for r in view.rows))
