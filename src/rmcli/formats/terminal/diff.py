"""`rmcli kb diff` as text: grouped by scope and item, long values shortened for reading."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.text import clean
from rmcli.views.diff import DiffView, shorten

if TYPE_CHECKING:
    from rmcli.environment import Canvas


def diff(view: DiffView, canvas: Canvas) -> str:
    if not view.differences:
        return f"{view.title}\n\nNo differences.\n"
    count = len(view.differences)
    lines = [view.title, f"{count} difference{'' if count == 1 else 's'}", ""]
    current = None
    for d in view.differences:
        if (d.scope, d.item) != current:
            current = (d.scope, d.item)
            lines.append(f"{d.scope} {clean(d.item)}:")
        where = clean(d.path) or "(whole entry)"
        if d.change == "changed":
            lines.append(f"  ~ {where}: {shorten(d.old)} -> {shorten(d.new)}")
        else:
            sign = "+" if d.change == "added" else "-"
            value = d.new if d.change == "added" else d.old
            lines.append(f"  {sign} {where}" + (f": {shorten(value)}" if value is not None else ""))
    return "\n".join(lines) + "\n"
