"""The wizard's result at the terminal: a table first, `avoid` leading, then the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.formats.terminal import TIER_STYLES
from rmcli.formats.terminal.grid import fit, grid
from rmcli.formats.terminal.layout import Cell, Page, cells, cut, wrap
from rmcli.views.assessment import OUTLOOK_NOTE, AssessmentView, Detail, Row

if TYPE_CHECKING:
    from rmcli.environment import Canvas

WIDE = 110  # from here the table has a column each for why, mechanism and cautions
NONE = "none for this profile"


def _cautions(row: Row) -> Cell:
    return [(c, "bold red" if row.tier == "avoid" else "") for c in row.cautions] or [(NONE, "dim")]


def _one_line(text: str, width: int) -> str:
    """`text` cut to one line of `width` cells, at a word boundary when one is near."""
    if cells(text) <= width:
        return text
    head = text[: max(width - 2, 1)]
    while cells(head) > width - 2:
        head = head[:-1]
    space = head.rfind(" ")
    if space > width // 2:
        head = head[:space]
    return head.rstrip(" .,;:") + " …"


def _table(page: Page, view: AssessmentView) -> None:
    canvas = page.canvas
    wide = page.width >= WIDE
    # a column that would say "none" on every row is said once, under the table
    cautions = any(r.cautions for r in view.rows)
    if wide:
        header = ["tier", "therapy", "why for this patient", "mechanism"]
        most, least = [15, 22, 60, 50], [15, 12, 20, 20]
    else:
        header = ["therapy", "why for this patient"]
        most = [min(max([15, *(cells(r.short_name) for r in view.rows)]), 18), 60]
        least = [12, 16]
    if cautions:
        header, most, least = [*header, "cautions for this patient"], [*most, 60], [*least, 14]
    widths = fit(most, least, page.width - 3 * len(header) - 1)
    if widths is None:  # too narrow for any table: one block per therapy
        for r in view.rows:
            page.add((r.tier.upper(), TIER_STYLES[r.tier]), (f"  {r.short_name}", "bold"))
            page.text(f"Why: {r.why}", first="  ", rest="    ")
            page.text(f"Mechanism: {r.mechanism}", first="  ", rest="    ")
            for caution in r.cautions:
                page.text(f"Caution: {caution}", first="  ", rest="    ")
        return
    rows: list[list[Cell]] = []
    for r in view.rows:
        tier = (r.tier.upper(), TIER_STYLES[r.tier])
        if wide:
            mechanism = _one_line(r.mechanism, widths[3])
            rows.append([[tier], [(r.short_name, "bold")], [(r.why, "")], [(mechanism, "")]])
        else:  # a narrow column: the mechanism gets two lines
            text = f"Mechanism: {r.mechanism}"
            lines = cut(text, wrap(text, widths[1]), 2, widths[1])
            rows.append(
                [[tier, (r.short_name, "bold")], [(r.why, ""), *((line, "dim") for line in lines)]]
            )
        if cautions:
            rows[-1].append(_cautions(r))
    page.extend(grid(canvas, rows, widths, header=header))
    if not cautions:
        page.text(f"Cautions for this patient: {NONE}.", "dim")


def _detail(page: Page, d: Detail) -> None:
    page.blank()
    page.text(f"{d.name} — {d.tier}", f"bold {TIER_STYLES[d.tier]}".replace("bold bold", "bold"))
    for r in d.reasons:
        page.text(r.heading, first="  ", rest="    ")
        for part, text in r.details:
            page.text(text, "yellow" if part == "applicability" else "", "    ", "      ")
    for caution in d.cautions:
        page.text(f"Caution for this patient: {caution}", first="  ", rest="    ")
    if not d.reasons and not d.cautions:
        page.text("Nothing in this profile matches what it targets.", "dim", "  ", "    ")


def _changes(page: Page, view: AssessmentView) -> None:
    page.heading("What would change")
    for change in view.changes:
        page.item(f"{change.name} (not tested):")
        for result in change.results:
            moved = "; ".join(result.changes) or "would change nothing"
            page.text(f"{result.value}: {moved}", first="    ", rest="      ")
    if view.unchanged:
        page.item(f"Would change nothing here: {', '.join(view.unchanged)}.")
    if not view.changes and not view.unchanged:
        page.text("Every finding has been tested.")


def assessment(view: AssessmentView, canvas: Canvas) -> str:
    page = Page(canvas)
    page.text("Immune-profile assessment", "bold reverse")
    if view.rows:
        _table(page, view)
    else:
        page.text("No therapy in the knowledge base matches this profile.")
    if not view.show_details:
        page.text("Cited reasons for each therapy: add --details (or write a --report).", "dim")
    page.heading("Profile as entered")
    for line in view.profile:
        page.text(line, rest="  ")
    if view.show_details:
        page.heading("Reasons and references")
        for d in view.details:
            _detail(page, d)
    page.heading("Investigations worth doing")
    for item in view.investigations or ["None suggested by this profile."]:
        page.item(item)
    page.heading("Notes on testing")
    for item in view.notes or ["None."]:
        page.item(item)
    _changes(page, view)
    page.heading("Outlook without treatment")
    page.text(OUTLOOK_NOTE, "italic")
    for item in view.outlook or ["No outlook figures in this knowledge base match this profile."]:
        page.item(item)
    if view.show_details:
        page.heading("References")
        for ref in view.references:
            page.item(ref)
    page.blank()
    page.text(view.meta.version_line.capitalize() + ".", "dim")
    page.text(view.meta.disclaimer, "italic")
    return page.render()
