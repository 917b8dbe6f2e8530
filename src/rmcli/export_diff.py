"""Knowledge-base differences as text, Markdown or JSON, for reviewers of KB updates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from rmcli.export import md_table, to_json
from rmcli.kb.diff import Difference
from rmcli.text import clean

SCHEMA_VERSION = 1


def _show(value: Any, limit: int = 160) -> str:
    text = clean(value if isinstance(value, str) else msgspec.json.encode(value).decode())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diff_json(old: Path, new: Path, differences: Sequence[Difference]) -> str:
    return to_json(
        {
            "schema_version": SCHEMA_VERSION,
            "old": str(old),
            "new": str(new),
            "differences": msgspec.to_builtins(differences),
        }
    )


def diff_text(old: Path, new: Path, differences: Sequence[Difference], *, markdown: bool) -> str:
    """Grouped by scope and item; every value in full in JSON, shortened here for reading."""
    title = f"Knowledge-base changes: {old} -> {new}"
    if not differences:
        return f"{'# ' if markdown else ''}{title}\n\nNo differences."
    if markdown:
        rows = [
            [
                d.scope,
                d.item,
                d.path or "(whole)",
                d.change,
                _show(d.old) if d.old is not None else "",
                _show(d.new) if d.new is not None else "",
            ]
            for d in differences
        ]
        headers = ["scope", "item", "field", "change", "old", "new"]
        return "\n".join([f"# {title}", "", *md_table(headers, rows)])
    count = len(differences)
    lines = [title, f"{count} difference{'' if count == 1 else 's'}", ""]
    current = None
    for d in differences:
        if (d.scope, d.item) != current:
            current = (d.scope, d.item)
            lines.append(f"{d.scope} {clean(d.item)}:")
        where = clean(d.path) or "(whole entry)"
        if d.change == "changed":
            lines.append(f"  ~ {where}: {_show(d.old)} -> {_show(d.new)}")
        else:
            sign = "+" if d.change == "added" else "-"
            value = d.new if d.change == "added" else d.old
            lines.append(f"  {sign} {where}" + (f": {_show(value)}" if value is not None else ""))
    return "\n".join(lines)
