"""`rmcli kb diff` at the terminal: the release note, one group per therapy and per file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.formats.terminal.layout import Page
from rmcli.views.diff import DiffView

if TYPE_CHECKING:
    from rmcli.environment import Canvas


def diff(view: DiffView, canvas: Canvas) -> str:
    page = Page(canvas)
    page.text(view.title, "bold reverse")
    page.text(view.summary, "dim")
    for group in view.groups:
        page.heading(group.title)
        for item in group.items:
            page.item(item)
    return page.render()
