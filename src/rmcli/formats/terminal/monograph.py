"""`rmcli show` and `rmcli compare` at the terminal: the summary first, then the sections."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.formats.terminal import STATUS_STYLES
from rmcli.formats.terminal.grid import fit, grid, longest_word, natural_width
from rmcli.formats.terminal.layout import Cell, Page, cut, wrap

if TYPE_CHECKING:
    from rmcli.environment import Canvas
    from rmcli.views.comparison import Comparison
    from rmcli.views.monograph import Monograph, Section
    from rmcli.views.summary import Summary

LABEL_WIDTH = 13
SUMMARY_LINES = 3  # per summary row at 80 columns: the first screen must hold the summary
WIDE_TABLES = 100  # from this width a 4-column table is drawn as a grid, else stacked;
WIDE_PER_COLUMN = 10  # each further column needs this much more (the summary of findings: 120)
GLANCE_MIN = 24  # narrowest therapy column of the comparison before it stacks


def summary(page: Page, s: Summary) -> None:
    limit = SUMMARY_LINES if page.width < 100 else None
    for label, value in s.rows():
        if label == "Status":
            page.add(
                (label.ljust(LABEL_WIDTH + 2), "bold"),
                (s.status, f"bold {STATUS_STYLES.get(s.status, '')}"),
                (f", certainty {s.certainty.replace('-', ' ')}", ""),
            )
        elif label == "Last reviewed" and s.review_overdue:
            page.add((label.ljust(LABEL_WIDTH + 2), "bold"), (value, "bold yellow"))
        else:
            page.labelled(label, value, LABEL_WIDTH, limit)


def section(page: Page, s: Section, *, tables: bool = True) -> None:
    for index, paragraph in enumerate(s.paragraphs):
        if index:
            page.blank()
        page.text(paragraph)
    for bullet in s.bullets:
        page.item(bullet)
    wide = WIDE_TABLES + WIDE_PER_COLUMN * max(0, len(s.table.headers) - 4) if s.table else 0
    if s.table and not (tables and page.width >= wide and _grid(page, s)):
        for row in s.table.rows:  # stacked: every cell keeps its label, nothing squeezed
            page.item(f"{row[0]}: {row[1]}", "bold")
            for header, cell in zip(s.table.headers[2:], row[2:], strict=True):
                page.text(f"{header}: {cell}", first="    ", rest="      ")
    if s.note:
        page.text(s.note, "italic")


def _grid(page: Page, s: Section) -> bool:
    """Draw the section's table as a grid if its columns fit; whether it was drawn."""
    assert s.table is not None
    rows: list[list[Cell]] = [[[(c, "")] for c in row] for row in s.table.rows]
    count = len(s.table.headers)
    natural = [max(natural_width(r[i]) for r in rows) for i in range(count)]
    minimum = [min(16, max(longest_word(r[i]) for r in rows)) for i in range(count)]
    widths = fit(natural, minimum, page.width - 3 * count - 1)
    if widths is None:
        return False
    page.extend(grid(page.canvas, rows, widths, header=s.table.headers))
    return True


def monograph(view: Monograph, canvas: Canvas) -> str:
    page = Page(canvas)
    page.text(view.title, "bold reverse")
    if view.show_summary:
        summary(page, view.summary)
    for s in view.sections:
        page.heading(s.title)
        section(page, s)
    page.blank()
    page.text(view.meta.disclaimer, "italic")
    return page.render()


# Lines per paragraph of a glance cell at 80 columns (one more from 100): two therapies must
# compare on one 80 x 24 screen, so long cells are cut (the sections hold everything).
GLANCE_CAPS = {"Key evidence": (3,), "Headline stance": (3,), "Main risks": (2, 2), "Burden": (2,)}


def _capped(value: str, label: str, width: int, extra: int) -> Cell:
    """The cell's paragraphs, each pre-wrapped and cut to its share of lines."""
    caps = GLANCE_CAPS.get(label, ())
    cell: Cell = []
    for index, paragraph in enumerate(value.split("\n")):
        lines = wrap(paragraph, width)
        cap = caps[index] + extra if index < len(caps) else len(lines)
        cell += [(line, "") for line in cut(paragraph, lines, cap, width)]
    return cell


def _glance(page: Page, view: Comparison) -> None:
    rows = view.glance()
    count = len(view.summaries)
    available = page.width - 3 * (count + 1) - 1
    label_width = max(len(label) for label, _ in rows)
    therapy_width = (available - label_width) // count
    if therapy_width >= GLANCE_MIN:  # side by side; the header names the therapies
        extra = 0 if page.width < 100 else 1
        headers = [_two_lines(s.short_name, s.id, therapy_width) for s in view.summaries]
        cells: list[list[Cell]] = [
            [[(label, "bold")], *(_capped(v, label, therapy_width, extra) for v in values)]
            for label, values in rows
        ]
        widths = [label_width, *([therapy_width] * count)]
        page.extend(grid(page.canvas, cells, widths, header=["", *headers], rules=False))
        return
    page.text(view.title, "bold reverse")
    for index, header in enumerate(view.headers):
        _divider(page, header)
        for label, values in rows:
            for number, paragraph in enumerate(values[index].split("\n")):
                page.labelled(label if number == 0 else "", paragraph, label_width)


def _two_lines(name: str, therapy_id: str, width: int) -> str:
    """'Name (id)' in at most two lines of `width`, the name shortened by words if need be."""
    words = name.split()
    tail = "" if name.casefold() == therapy_id else f" ({therapy_id})"
    while True:
        text = f"{' '.join(words)}{'' if words == name.split() else '…'}{tail}"
        if len(words) <= 1 or len(wrap(text, width)) <= 2:
            return text
        words = words[:-1]


def _divider(page: Page, title: str) -> None:
    mark = "─" if page.canvas.unicode else "-"
    page.blank()
    text = f"{mark * 3} {title} "
    page.add((text + mark * max(page.width - len(text), 3), "bold"))


def comparison(view: Comparison, canvas: Canvas) -> str:
    page = Page(canvas)
    _glance(page, view)
    if view.details:
        for title, present in view.by_section():
            page.heading(title)
            for header, (_, s) in zip(view.headers, present, strict=True):
                _divider(page, header)
                if s is None:
                    page.text("Not in this monograph.", "dim")
                else:
                    section(page, s, tables=False)
        page.blank()
    else:
        page.text("Every section, therapy by therapy: add --full.", "dim")
    page.text(view.meta.disclaimer, "italic")
    return page.render()
