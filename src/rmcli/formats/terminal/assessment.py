"""The wizard's result at the terminal: the view's sections laid out, no word cut.

The therapies are a grid from WIDE columns (cells wrap at word boundaries, every column at
least as wide as its longest word) and one block per therapy below that, or wherever the grid
cannot fit its words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.formats.terminal import TIER_STYLES
from rmcli.formats.terminal.grid import fit, grid, longest_word, natural_width
from rmcli.formats.terminal.layout import Cell, Page
from rmcli.views.assessment import AssessmentView, Section
from rmcli.views.assessment_rows import (
    BLOCK_LABELS,
    TherapyDetail,
    TherapyRow,
)

if TYPE_CHECKING:
    from rmcli.environment import Canvas

WIDE = 110  # from here the therapies are a grid
LONGEST_WORD = 30  # a column is never narrower than its longest word, up to this
SHARE = 0.22  # the most of the line that the mechanism or the risks column takes


def _block(page: Page, r: TherapyRow) -> None:
    page.add((r.badge, TIER_STYLES[r.tier]), ("  ", ""), (r.name, "bold"))
    for line in r.decides:
        page.text(line, first="  ", rest="    ")
    page.text(f"{BLOCK_LABELS['acts']}: {r.acts}", first="  ", rest="    ")
    page.text(f"{BLOCK_LABELS['risks']}: {r.risks}", first="  ", rest="    ")
    if r.cautions:
        style = "bold red" if r.tier == "avoid" else ""
        page.text(f"{BLOCK_LABELS['cautions']}: {'; '.join(r.cautions)}", style, "  ", "    ")


def _cells(r: TherapyRow) -> list[Cell]:
    risks: Cell = [(r.risks, "")]
    if r.cautions:
        style = "bold red" if r.tier == "avoid" else "bold"
        risks.append((f"{BLOCK_LABELS['cautions']}: {'; '.join(r.cautions)}", style))
    return [
        [(r.badge, TIER_STYLES[r.tier]), (r.name, "bold")],
        [(line, "") for line in r.decides],
        [(r.acts, "")],
        risks,
    ]


def _grid(page: Page, section: Section) -> bool:
    """The therapies as a grid; False when the terminal is too narrow for whole words. The
    source and regimen column is given the most room, the others up to SHARE of the line."""
    table = [_cells(r) for r in section.rows]
    columns = [[row[i] for row in table] + [[(h, "")]] for i, h in enumerate(section.grid_headings)]
    available = page.width - 3 * len(section.grid_headings) - 1
    least = [max(longest_word(cell, LONGEST_WORD) for cell in column) for column in columns]
    most = [max(natural_width(cell) for cell in column) for column in columns]
    most = [m if i in (0, 1) else min(m, int(available * SHARE)) for i, m in enumerate(most)]
    widths = fit(most, least, available)
    if widths is None:
        return False
    page.extend(grid(page.canvas, table, widths, header=section.grid_headings))
    return True


def _therapies(page: Page, section: Section) -> None:
    if not (page.width >= WIDE and section.rows and _grid(page, section)):
        for index, row in enumerate(section.rows):
            if index:
                page.blank()
            _block(page, row)
        if section.rows and section.outro:
            page.blank()
    for line in section.outro:
        page.text(line, "dim")


def _detail(page: Page, d: TherapyDetail) -> None:
    page.blank()
    page.text(d.heading, f"bold {TIER_STYLES[d.tier]}")
    for r in d.reasons:
        page.text(r.heading, first="  ", rest="    ")
        for part in r.parts:
            page.text(part, "yellow" if r.outside and part == r.parts[-1] else "", "    ", "      ")
    for caution in d.cautions:
        page.text(caution, first="  ", rest="    ")
    if d.empty:
        page.text(d.empty, "dim", "  ", "    ")


def _section(page: Page, section: Section) -> None:
    page.heading(section.title)
    for paragraph in section.intro:
        page.text(paragraph, rest="  " if section.key == "profile" else "")
    if section.key == "therapies":
        _therapies(page, section)
        return
    for entry in section.entries:
        style = "dim" if entry.muted else ""
        if entry.lead and entry.text:
            page.text(entry.lead, "bold")
            page.text(entry.text, style, first="  ", rest="  ")
        elif entry.lead:
            page.item(entry.lead, style)
        else:
            page.item(entry.text, style)
        for sub in entry.sub:
            page.text(sub, style, first="    ", rest="      ")
    for d in section.details:
        _detail(page, d)
    for line in section.outro:
        page.text(line, "dim")


def assessment(view: AssessmentView, canvas: Canvas) -> str:
    page = Page(canvas)
    page.text(view.title, "bold reverse")
    if view.generated is not None:
        page.text(view.report_line, "dim")
    for section in view.sections:
        _section(page, section)
    page.blank()
    *lines, disclaimer = view.footer
    for line in lines:
        page.text(line, "dim")
    page.text(disclaimer, "italic")
    return page.render()
