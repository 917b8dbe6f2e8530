"""Filtering the therapy list (rmcli list --target/--status/--search)."""

from __future__ import annotations

import typing

from rmcli.errors import UsageError
from rmcli.kb.lookup import normalize
from rmcli.kb.model import KnowledgeBase, Status, Therapy
from rmcli.text import printable

STATUSES: tuple[str, ...] = typing.get_args(Status)


def filter_therapies(
    kb: KnowledgeBase, *, target: str | None, status: str | None, search: str | None
) -> list[Therapy]:
    """Therapies matching every filter given, in name order."""
    targets = kb.vocabulary.targets
    if target is not None and target not in targets:
        by_name = {normalize(t.name): key for key, t in targets.items()}
        target = by_name.get(normalize(target), target)
        if target not in targets:
            raise UsageError(
                f"unknown target '{printable(target)}'", hint=f"choose one of: {', '.join(targets)}"
            )
    if status is not None and status not in STATUSES:
        raise UsageError(
            f"unknown status '{printable(status)}'", hint=f"choose one of: {', '.join(STATUSES)}"
        )
    needle = search.casefold() if search else None
    folded = normalize(search) if search else ""
    found = []
    for therapy in kb.therapies:
        if target and target not in therapy.targets:
            continue
        if status and therapy.overall.status != status:
            continue
        if needle is not None and not _mentions(therapy, needle, folded):
            continue
        found.append(therapy)
    return sorted(found, key=lambda t: t.name.casefold())


def _mentions(therapy: Therapy, needle: str, folded: str) -> bool:
    names = [therapy.id, therapy.name, *therapy.aliases]
    haystack = [*names, therapy.drug_class, therapy.mechanism.text]
    if any(needle in text.casefold() for text in haystack):
        return True
    return bool(folded) and any(folded in normalize(name) for name in names)
