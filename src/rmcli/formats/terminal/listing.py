"""`rmcli list` at the terminal: one line per therapy; `--long` adds class and headline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.formats.terminal import STATUS_STYLES
from rmcli.formats.terminal.layout import Page, cells
from rmcli.views.listing import Listing

if TYPE_CHECKING:
    from rmcli.environment import Canvas

HEADERS = ("id", "name", "status", "certainty", "targets")
MIN_NAME = 8


def _shorten(text: str, width: int) -> str:
    """`text` cut at a word boundary to `width` cells, with an ellipsis when cut."""
    if cells(text) <= width:
        return text
    head = text[: max(width - 1, 1)]
    if " " in head[MIN_NAME // 2 :]:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;(-") + "…"


def listing(view: Listing, canvas: Canvas) -> str:
    page = Page(canvas)
    if not view.rows:
        page.text(view.empty_line)
        page.add((view.count_line, "dim"))
        return page.render()
    targets = [" ".join(r.target_abbrevs) for r in view.rows]
    fixed = [
        max(cells(h) for h in ("id", *(r.id for r in view.rows))),
        max(cells(h) for h in ("status", *(r.status for r in view.rows))),
        max(cells(h) for h in ("certainty", *(r.certainty for r in view.rows))),
        max(cells(h) for h in ("targets", *targets)),
    ]
    longest = max(cells(r.short_name) for r in view.rows)
    gap = 2 if canvas.width - sum(fixed) - 8 >= 16 else 1
    name_width = max(min(longest, canvas.width - sum(fixed) - 4 * gap), MIN_NAME)
    widths = [fixed[0], name_width, *fixed[1:]]
    space = " " * gap

    def cell(text: str, width: int, style: str = "") -> list[tuple[str, str]]:
        return [(text, style), (" " * (width - cells(text)), "")]

    header = []
    for index, (title, width) in enumerate(zip(HEADERS, widths, strict=True)):
        header += cell(title, width, "bold") + ([(space, "")] if index < 4 else [])
    page.add(*header)
    for r, shown_targets in zip(view.rows, targets, strict=True):
        line = [
            *cell(r.id, widths[0], "bold"),
            (space, ""),
            *cell(_shorten(r.short_name, widths[1]), widths[1]),
            (space, ""),
            *cell(r.status, widths[2], STATUS_STYLES.get(r.status, "")),
            (space, ""),
            *cell(r.certainty, widths[3]),
            (space, ""),
            (shown_targets, ""),
        ]
        page.add(*line)
        if view.long:
            indent = "    "
            if r.name != r.short_name:
                page.text(f"name: {r.name}", "dim", indent, indent + "  ")
            page.text(f"class: {r.drug_class}", "dim", indent, indent + "  ")
            page.text(f"headline: {r.headline.full}", "", indent, indent + "  ")
            style = "bold yellow" if r.review_overdue else "dim"
            page.text(f"last reviewed: {r.reviewed}", style, indent, indent + "  ")
    page.add((view.count_line, "dim"))
    return page.render()
