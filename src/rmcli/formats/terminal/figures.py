"""Pictures at the terminal: the target matrix and forest plots."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.formats.terminal import STATUS_STYLES
from rmcli.formats.terminal.grid import fit, grid
from rmcli.formats.terminal.layout import Cell, Line, Page, cells

if TYPE_CHECKING:
    from rmcli.environment import Canvas
    from rmcli.views.forest import Forest, Panel, Point
    from rmcli.views.targets import Matrix

# One mark per status, different by shape as well as colour (and in ASCII).
STATUS_MARKS = {
    "established": ("●", "#"),
    "conditional": ("◐", "+"),
    "unproven": ("○", "o"),
    "not-recommended": ("✕", "x"),
    "experimental": ("◇", "e"),
}
VERDICT_STYLES = {"favours treatment": "green", "favours control": "red", "inconclusive": ""}
WIDE_FOREST = 110


def mark(status: str, canvas: Canvas) -> str:
    unicode, ascii = STATUS_MARKS[status]
    return unicode if canvas.unicode else ascii


def matrix(view: Matrix, canvas: Canvas) -> str:
    """Headers are abbreviations when they fit, else letters; the key spells every one out."""
    page = Page(canvas)
    name_width = max((cells(r.id) for r in view.rows), default=7)
    abbrevs = [t.header for t in view.targets]
    fits = name_width + sum(cells(a) + 3 for a in abbrevs) + 4 <= canvas.width
    headers = abbrevs if fits else [chr(ord("A") + i) for i in range(len(view.targets))]
    dot = "·" if canvas.unicode else "."
    rows: list[list[Cell]] = []
    for r in view.rows:
        shown = (mark(r.status, canvas), STATUS_STYLES[r.status])
        rows.append([[(r.id, "bold")], *([shown if m else (dot, "dim")] for m in r.marks)])
    widths = [name_width, *(max(cells(h), 1) for h in headers)]
    page.extend(
        grid(
            canvas,
            rows,
            widths,
            header=["therapy", *headers],
            rules=False,
            box=fits,
            align=["left", *(["center"] * len(headers))],
        )
    )
    key = "; ".join(f"{h} = {t.name}" for h, t in zip(headers, view.targets, strict=True))
    page.text(f"Key: {key}.")
    legend = [
        (f"{mark(status, canvas)} {status}", STATUS_STYLES[status]) for status in view.statuses
    ]
    page.flow(legend, first=("Status:", ""))
    return page.render()


def _axis(panel: Panel, width: int, canvas: Canvas, indent: str = "") -> list[Line]:
    from rmcli.views.forest import position

    rule, tick, null = ("─", "┬", "┼") if canvas.unicode else ("-", "+", "|")
    line = [rule] * width
    labels = [" "] * width
    for value in panel.ticks:
        column = position(panel, value, width)
        line[column] = null if value == panel.null else tick
        text = f"{value:g}"
        start = max(0, min(width - len(text), column - len(text) // 2))
        if all(c == " " for c in labels[max(0, start - 1) : start + len(text) + 1]):
            labels[start : start + len(text)] = list(text)
    return [[(indent + "".join(line), "")], [(indent + "".join(labels), "")]]


def bar(panel: Panel, p: Point, width: int, canvas: Canvas) -> str:
    """The CI from low to high with a square at the estimate; a bar mark shows no effect."""
    from rmcli.views.forest import position

    glyphs = "│─┼├┤■" if canvas.unicode else "|-+[]#"
    cells_ = [" "] * width
    left, right = position(panel, p.ci_low, width), position(panel, p.ci_high, width)
    null = position(panel, panel.null, width)
    estimate = position(panel, p.estimate, width)
    # A CI that excludes no effect must not look as if it touched the line: when rounding
    # puts an end on the null column, move the bar one column clear of it.
    if p.ci_low > panel.null and left <= null < width - 1:
        shift = null + 1 - left
        left, estimate, right = left + shift, estimate + shift, min(right + shift, width - 1)
    elif p.ci_high < panel.null and right >= null > 0:
        shift = right - (null - 1)
        left, estimate, right = max(left - shift, 0), estimate - shift, right - shift
    elif p.ci_low < panel.null < p.ci_high:  # and one that includes it visibly crosses it
        left, right = min(left, max(null - 1, 0)), max(right, min(null + 1, width - 1))
    if right - left < 2:  # room for both ends with the estimate between them
        if p.ci_high < panel.null:
            left = max(right - 2, 0)
        else:
            right = min(left + 2, width - 1)
    estimate = min(max(estimate, left + 1), right - 1) if right - left >= 2 else estimate
    cells_[null] = glyphs[0]
    for column in range(left, right + 1):
        cells_[column] = glyphs[2] if column == null else glyphs[1]
    cells_[left], cells_[right] = glyphs[3], glyphs[4]
    cells_[min(max(estimate, left), right)] = glyphs[5]
    return "".join(cells_)


def _about(p: Point) -> str:
    n = f", n={p.n}" if p.n else ""
    grade = f"; GRADE {p.certainty.replace('-', ' ')}" if p.certainty else ""
    return f"{p.label}{n}. {p.context} {p.effect}: {p.verdict_text}{grade}"


def _panel(page: Page, panel: Panel) -> None:
    canvas = page.canvas
    axis = "log scale" if panel.scale == "log" else "linear scale"
    null = "│" if canvas.unicode else "|"
    page.blank()
    page.add((f"Estimates ({axis}; {null} = no effect)", "bold"))
    if page.width < WIDE_FOREST:
        width = max(20, page.width - 4)
        for p in panel.points:
            page.text(_about(p), "bold", first="", rest="  ")
            page.add(("  ", ""), (bar(panel, p, width, canvas), VERDICT_STYLES[p.verdict]))
        page.extend(_axis(panel, width, canvas, indent="  "))
        return
    plot = max(30, min(60, page.width - 80))
    rows: list[list[Cell]] = []
    for p in panel.points:
        n = f", n={p.n}" if p.n else ""
        grade = f"; GRADE {p.certainty.replace('-', ' ')}" if p.certainty else ""
        effect: Cell = [(p.figure, "")]
        if p.comparison:
            effect.append((p.comparison, "dim"))
        effect.append((p.verdict_text + grade, VERDICT_STYLES[p.verdict]))
        rows.append(
            [
                [(f"{p.label}{n}", "bold"), (p.context, "")],
                effect,
                [(bar(panel, p, plot, canvas), VERDICT_STYLES[p.verdict])],
            ]
        )
    available = page.width - plot - 4
    widths = fit([60, 34], [20, 32], available) or [20, 32]
    page.extend(grid(canvas, rows, [*widths, plot], box=False, rules=False))
    for line in _axis(panel, plot, canvas):
        page.add((" " * (sum(widths) + 4), ""), *line)


def _absolute(page: Page, panel: Panel, method: str) -> None:
    """The ratio estimates' absolute effects, one item per study, under their panel."""
    shown = [p for p in panel.points if p.absolute is not None]
    if not shown:
        return
    page.blank()
    page.add(("Absolute effects per 1000", "bold"))
    page.text(method, "dim")
    for p in shown:
        assert p.absolute is not None
        page.item(f"{p.label} — {p.absolute.line}")


def forest(view: Forest, canvas: Canvas) -> str:
    page = Page(canvas)
    page.text(view.title, "bold reverse")
    page.text(view.reading)
    for panel in view.panels:
        _panel(page, panel)
        if view.method is not None:
            _absolute(page, panel, view.method)
    if view.not_plotted:
        page.heading("Studies without a structured estimate and 95% CI (not drawn)")
        for study in view.not_plotted:
            page.item(f"{study.label}: {study.text}")
    page.blank()
    if legend := view.labels:
        page.text(legend, "dim")
    page.text(view.meta.disclaimer, "italic")
    return page.render()
