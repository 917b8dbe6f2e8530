"""`rmcli refs`: the references to export, decided once for every reference format.

With no therapy named, every reference of the knowledge base, sorted by id. With therapies,
the references they cite, in first-use order (each therapy's, in the order the therapies were
named; rmcli.views.common.cited_refs), each reference once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import msgspec

from rmcli.kb.model import KnowledgeBase, Reference, Therapy
from rmcli.views import ViewKind
from rmcli.views.common import Meta, cited_refs


class References(msgspec.Struct, frozen=True, kw_only=True):
    kind: ClassVar[ViewKind] = ViewKind.references
    meta: Meta
    therapies: list[str]  # the ids named, in order; empty: the whole knowledge base
    refs: list[tuple[str, Reference]]  # (id, reference), in the order they are written


def reference_ids(kb: KnowledgeBase, therapies: Sequence[Therapy]) -> list[str]:
    """Every id sorted, or the ones `therapies` cite in first-use order, each once."""
    if not therapies:
        return sorted(kb.references)
    cited = dict.fromkeys(ref for t in therapies for ref in cited_refs(t))
    return [ref for ref in cited if ref in kb.references]


def references(kb: KnowledgeBase, therapies: Sequence[Therapy] = ()) -> References:
    return References(
        meta=Meta.of(kb),
        therapies=[t.id for t in therapies],
        refs=[(ref, kb.references[ref]) for ref in reference_ids(kb, therapies)],
    )
