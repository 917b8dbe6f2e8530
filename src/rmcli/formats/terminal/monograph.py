"""`rmcli show` and `rmcli compare` at the terminal: the summary first, then the sections."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.formats.terminal import STATUS_STYLES
from rmcli.formats.terminal.grid import fit, grid, longest_word, natural_width
from rmcli.formats.terminal.layout import Cell, Page, wrap

if TYPE_CHECKING:
    from rmcli.environment import Canvas
    from rmcli.views.comparison import Comparison
    from rmcli.views.monograph import Monograph, Section
    from rmcli.views.summary import Summary

LABEL_WIDTH = 13
WIDE_TABLES = 100  # from this width a 4-column table is drawn as a grid, else stacked;
WIDE_PER_COLUMN = 10  # each further column needs this much more (the summary of findings: 120)
GLANCE_MIN = 24  # narrowest therapy column of the comparison before it stacks


def summary(page: Page, s: Summary) -> None:
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
            page.labelled(label, value, LABEL_WIDTH)


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
    legend = view.labels  # worked out from the whole view: once
    if view.show_summary:
        summary(page, view.summary)
        if legend:  # on the first screen, where the summary's marks are
            page.text(legend, "dim")
    for s in view.sections:
        page.heading(s.title)
        section(page, s)
    page.blank()
    if legend and not view.show_summary:
        page.text(legend, "dim")
    page.text(view.meta.disclaimer, "italic")
    return page.render()


def _cell(value: str, width: int) -> Cell:
    """A glance cell: each paragraph wrapped at word boundaries, nothing cut."""
    return [(line, "") for paragraph in value.split("\n") for line in wrap(paragraph, width)]


def _glance(page: Page, view: Comparison) -> None:
    rows = view.glance()
    count = len(view.summaries)
    available = page.width - 3 * (count + 1) - 1
    label_width = max(len(label) for label, _ in rows)
    therapy_width = (available - label_width) // count
    longest = max(longest_word([(v, "")], cap=GLANCE_MIN) for _, values in rows for v in values)
    if therapy_width >= max(GLANCE_MIN, longest):  # side by side; the header names them
        cells: list[list[Cell]] = [
            [[(label, "bold")], *(_cell(v, therapy_width) for v in values)]
            for label, values in rows
        ]
        widths = [label_width, *([therapy_width] * count)]
        page.extend(grid(page.canvas, cells, widths, header=["", *view.headers], rules=False))
        return
    page.text(view.title, "bold reverse")
    for index, header in enumerate(view.headers):
        _divider(page, header)
        for label, values in rows:
            for number, paragraph in enumerate(values[index].split("\n")):
                page.labelled(label if number == 0 else "", paragraph, label_width)


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
    if legend := view.labels:
        page.text(legend, "dim")
    page.text(view.meta.disclaimer, "italic")
    return page.render()
