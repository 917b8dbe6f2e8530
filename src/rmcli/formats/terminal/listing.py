"""`rmcli list` at the terminal: one line per therapy; `--long` adds class and headline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.formats.terminal import STATUS_STYLES
from rmcli.formats.terminal.layout import Page, cells
from rmcli.views.listing import Listing

if TYPE_CHECKING:
    from rmcli.environment import Canvas

HEADERS = ("id", "name", "status", "certainty", "targets")
GAP = "  "


def _widths(view: Listing, targets: list[str]) -> list[int]:
    columns = [
        [r.id for r in view.rows],
        [r.short_name for r in view.rows],
        [r.status for r in view.rows],
        [r.certainty for r in view.rows],
        targets,
    ]
    return [max(cells(v) for v in (h, *c)) for h, c in zip(HEADERS, columns, strict=True)]


def listing(view: Listing, canvas: Canvas) -> str:
    page = Page(canvas)
    if not view.rows:
        page.text(view.empty_line)
        page.add((view.count_line, "dim"))
        return page.render()
    targets = [" ".join(r.target_abbrevs) for r in view.rows]
    widths = _widths(view, targets)
    # names are never cut: where they do not fit whole, the column gives way (the id names
    # the therapy too, and `show` takes either)
    shown = [i for i in range(len(HEADERS)) if i != 1 or sum(widths) + 8 <= canvas.width]

    def cell(text: str, index: int, style: str = "") -> list[tuple[str, str]]:
        pad = "" if index == shown[-1] else " " * (widths[index] - cells(text)) + GAP
        return [(text, style), (pad, "")]

    page.add(*[span for i in shown for span in cell(HEADERS[i], i, "bold")])
    for r, shown_targets in zip(view.rows, targets, strict=True):
        values = (
            (r.id, "bold"),
            (r.short_name, ""),
            (r.status, STATUS_STYLES.get(r.status, "")),
            (r.certainty, ""),
            (shown_targets, ""),
        )
        page.add(*[span for i in shown for span in cell(values[i][0], i, values[i][1])])
        if view.long:
            indent = "    "
            if r.name != r.short_name or 1 not in shown:
                page.text(f"name: {r.name}", "dim", indent, indent + "  ")
            page.text(f"class: {r.drug_class}", "dim", indent, indent + "  ")
            page.text(f"headline: {r.headline.full}", "", indent, indent + "  ")
            style = "bold yellow" if r.review_overdue else "dim"
            page.text(f"last reviewed: {r.reviewed}", style, indent, indent + "  ")
    if 1 not in shown and not view.long:
        page.add((view.narrow_note, "dim"))
    if legend := view.labels:
        page.text(legend, "dim")
    page.add((view.count_line, "dim"))
    return page.render()
