"""`rmcli targets`: therapies (rows) by immune targets (columns), marked by status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import msgspec

from rmcli.kb.model import KnowledgeBase, Therapy
from rmcli.kb.values import STATUSES
from rmcli.text import clean
from rmcli.views import ViewKind
from rmcli.views.common import Meta


class Target(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    abbrev: str | None

    @property
    def header(self) -> str:
        return self.abbrev or self.name


class MatrixRow(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    status: str
    targets: list[str]  # ids
    marks: list[bool]  # one per matrix column


class Matrix(msgspec.Struct, frozen=True, kw_only=True):
    kind: ClassVar[ViewKind] = ViewKind.matrix
    meta: Meta
    targets: list[Target]
    rows: list[MatrixRow]

    @property
    def statuses(self) -> tuple[str, ...]:
        """Every status, strongest support first, for the legend."""
        return STATUSES

    @property
    def key(self) -> str:
        return "; ".join(f"{t.header} = {t.name}" for t in self.targets)


def matrix(kb: KnowledgeBase, therapies: Sequence[Therapy]) -> Matrix:
    targets = [
        Target(id=key, name=clean(term.name), abbrev=clean(term.abbrev) if term.abbrev else None)
        for key, term in kb.vocabulary.targets.items()
    ]
    rows = [
        MatrixRow(
            id=t.id,
            name=clean(t.name),
            status=t.overall.status,
            targets=t.targets,
            marks=[target.id in t.targets for target in targets],
        )
        for t in sorted(therapies, key=lambda t: t.id)
    ]
    return Matrix(meta=Meta.of(kb), targets=targets, rows=rows)
