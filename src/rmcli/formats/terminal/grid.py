"""Grids for the terminal: columns fitted to the width, cells wrapped at word boundaries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rmcli.formats.terminal.layout import Cell, Line, Span, cells, wrap

if TYPE_CHECKING:
    from rmcli.environment import Canvas

BOXES = {
    # top-left, top, top-join, top-right, side, left-join, cross, right-join, bottom ...
    "unicode": "╭─┬╮│├┼┤╰┴╯",
    "ascii": "+-++|++++++",
}


def fit(natural: Sequence[int], minimum: Sequence[int], available: int) -> list[int] | None:
    """Column widths within `available` cells, shrinking the widest first; None if impossible."""
    widths = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    excess = sum(widths) - available
    while excess > 0:
        candidates = [i for i, w in enumerate(widths) if w > minimum[i]]
        if not candidates:
            return None
        widest = max(candidates, key=lambda i: widths[i])
        others = [widths[i] for i in candidates if i != widest]
        floor = max(max(others, default=minimum[widest]), minimum[widest])
        step = min(excess, max(widths[widest] - floor, 1))
        widths[widest] -= step
        excess -= step
    return widths


def longest_word(cell: Cell, cap: int = 20) -> int:
    return min(max((cells(w) for text, _ in cell for w in text.split()), default=1), cap)


def natural_width(cell: Cell) -> int:
    return max((cells(text) for text, _ in cell), default=0)


def grid(
    canvas: Canvas,
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[int],
    *,
    header: Sequence[str] | None = None,
    rules: bool = True,
    box: bool = True,
    align: Sequence[str] | None = None,
) -> list[Line]:
    """A table drawn with box lines (or, without `box`, columns two spaces apart)."""
    chars = BOXES["unicode" if canvas.terminal and canvas.unicode else "ascii"]
    tl, hz, tj, tr, vt, lj, cr, rj, bl, bj, br = tuple(chars)
    align = align or ["left"] * len(widths)

    def border(left: str, join: str, right: str) -> Line:
        return [(left + join.join(hz * (w + 2) for w in widths) + right, "dim")]

    def row_lines(row: Sequence[Cell], bold: bool = False) -> list[Line]:
        wrapped: list[list[Span]] = []
        for cell, width in zip(row, widths, strict=True):
            spans = []
            for text, style in cell:  # text that fits keeps its spacing (plot bars)
                fitted = [text.rstrip()] if cells(text) <= width else wrap(text, width)
                spans += [(line, "bold" if bold else style) for line in fitted]
            wrapped.append(spans)
        height = max((len(c) for c in wrapped), default=1) or 1
        out: list[Line] = []
        for index in range(height):
            line: Line = [(vt + " ", "dim")] if box else []
            for column, (cell_lines, width) in enumerate(zip(wrapped, widths, strict=True)):
                text, style = cell_lines[index] if index < len(cell_lines) else ("", "")
                gap = width - cells(text)
                if align[column] == "center":
                    left = gap // 2
                    line += [(" " * left, ""), (text, style), (" " * (gap - left), "")]
                else:
                    line += [(text, style), (" " * gap, "")]
                last = column == len(widths) - 1
                if box:
                    line.append((" " + vt + ("" if last else " "), "dim"))
                elif not last:
                    line.append(("  ", ""))
            out.append(line)
        return out

    lines: list[Line] = [border(tl, tj, tr)] if box else []
    if header is not None:
        lines += row_lines([[(h, "bold")] for h in header], bold=True)
        rule = hz if canvas.unicode else "-"
        lines.append(border(lj, cr, rj) if box else [("  ".join(rule * w for w in widths), "dim")])
    for index, row in enumerate(rows):
        if index and rules and box:
            lines.append(border(lj, cr, rj))
        lines += row_lines(row)
    if box:
        lines.append(border(bl, bj, br))
    return lines
