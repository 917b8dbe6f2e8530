"""Shell completion: therapy names, sections, targets and statuses. Never loads the KB."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import typer

from rmcli.errors import RmcliError

if TYPE_CHECKING:
    from pathlib import Path


def _matching(names: Iterable[str], incomplete: str) -> list[str]:
    """Names starting with what was typed, in any case, spelled with the typed prefix (Typer
    keeps only values that start with the typed text, case-sensitively), each once."""
    folded = incomplete.casefold()
    matches = [incomplete + n[len(incomplete) :] for n in names if n.casefold().startswith(folded)]
    unique = {name.casefold(): name for name in reversed(matches)}
    return list(reversed(unique.values()))


def _kb_root(ctx: typer.Context) -> Path:
    """The knowledge base the command line names (the root callback has not run yet)."""
    from rmcli.cli.session import Session
    from rmcli.kb.files import locate

    root = ctx.find_root()
    assert isinstance(root.obj, Session)
    return locate(*root.obj.env.kb_location(root.params.get("kb")))


def therapy(ctx: typer.Context, incomplete: str) -> list[str]:
    from rmcli.cli.session import Session
    from rmcli.kb.names import completion_names

    session = ctx.find_root().obj
    assert isinstance(session, Session)
    try:
        names = completion_names(_kb_root(ctx), session.env.cache_folder())
    except RmcliError:
        return []
    return _matching(names, incomplete)


def section(incomplete: str) -> list[str]:
    from rmcli.views.monograph import SECTIONS

    return _matching(SECTIONS, incomplete)


def status(incomplete: str) -> list[str]:
    from rmcli.kb.values import STATUSES

    return _matching(STATUSES, incomplete)


def target(ctx: typer.Context, incomplete: str) -> list[str]:
    """Target ids and the abbreviations `list` shows, read from vocabulary.toml."""
    from rmcli.kb.limits import MAX_FILE_BYTES
    from rmcli.kb.read import Refused, parse_toml, read_bytes

    try:
        raw, _ = read_bytes(_kb_root(ctx) / "vocabulary.toml", MAX_FILE_BYTES)
        targets = parse_toml(raw).get("targets", {})
    except (RmcliError, Refused):
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
