"""Shell completion: therapy names, sections, targets and statuses. Never loads the KB."""

from __future__ import annotations

from collections.abc import Iterable

import typer

from rmcli.errors import RmcliError

STATUSES = ("established", "conditional", "unproven", "not-recommended", "experimental")


def _matching(names: Iterable[str], incomplete: str) -> list[str]:
    """Names starting with what was typed, in any case, spelled with the typed prefix (Typer
    keeps only values that start with the typed text, case-sensitively), each once."""
    folded = incomplete.casefold()
    matches = [incomplete + n[len(incomplete) :] for n in names if n.casefold().startswith(folded)]
    unique = {name.casefold(): name for name in reversed(matches)}
    return list(reversed(unique.values()))


def therapy(ctx: typer.Context, incomplete: str) -> list[str]:
    from rmcli.kb.cache import completion_names
    from rmcli.kb.files import locate

    try:
        names = completion_names(locate(ctx.find_root().params.get("kb")))
    except RmcliError:
        return []
    return _matching(names, incomplete)


def section(incomplete: str) -> list[str]:
    from rmcli.views.monograph import SECTIONS

    return _matching(SECTIONS, incomplete)


def status(incomplete: str) -> list[str]:
    return _matching(STATUSES, incomplete)


def target(ctx: typer.Context, incomplete: str) -> list[str]:
    """Target ids and the abbreviations `list` shows, read from vocabulary.toml (through the
    reader that refuses a FIFO, a huge file, deep nesting or a huge integer: never a hang)."""
    from pathlib import Path

    from rmcli.kb.files import locate
    from rmcli.kb.limits import MAX_FILE_BYTES
    from rmcli.kb.reader import read_toml

    try:
        path = Path(str(locate(ctx.find_root().params.get("kb")) / "vocabulary.toml"))
        targets = read_toml(path, limit=MAX_FILE_BYTES, what="vocabulary").get("targets", {})
    except RmcliError:
        return []
    if not isinstance(targets, dict):
        return []
    names = [
        name
        for key, term in targets.items()
        if isinstance(term, dict)
        for name in (term.get("abbrev"), key)
        if isinstance(name, str) and name and not any(c.isspace() for c in name)
    ]
    return _matching(names, incomplete)
