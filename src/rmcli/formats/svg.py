"""SVG: the forest plot as a standalone picture (no dependencies; every text XML-escaped)."""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from rmcli.text import clean
from rmcli.views.forest import Forest, Panel, Point, position

if TYPE_CHECKING:
    from rmcli.environment import Canvas

ROW = 40  # a row's least height; a row whose text wraps to more lines is taller
LINE = 13  # the height of one line of text in a row
LEFT = 340
PLOT = 420
RIGHT = 250
WIDTH = LEFT + PLOT + RIGHT
COLOURS = {"favours treatment": "#1a7f37", "favours control": "#b35900", "inconclusive": "#444"}


def _line(x1: float, y1: float, x2: float, y2: float, colour: str = "#000", width: int = 1) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{colour}" stroke-width="{width}"/>'
    )


def _xml_safe(text: str) -> str:
    """Drop what XML 1.0 cannot hold (noncharacters such as U+FFFE, lone surrogates)."""
    return "".join(
        ch for ch in text if not (0xD800 <= ord(ch) <= 0xDFFF or ord(ch) in (0xFFFE, 0xFFFF))
    )


def _t(
    x: float, y: float, text: str, size: int = 13, anchor: str = "start", weight: str = "normal"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}">{escape(_xml_safe(clean(text)))}</text>'
    )


def _x(panel: Panel, value: float) -> float:
    return LEFT + position(panel, value, 10_000) / 9_999 * PLOT


def _lines(text: str, width: int) -> list[str]:
    """Wrapped at word boundaries: a word is never cut to fit (rmcli's rule everywhere)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _row(p: Point) -> tuple[list[tuple[str, int, str]], list[tuple[str, int, str]]]:
    """The row's left-hand and right-hand text lines as (text, size, weight)."""
    n = f", n={p.n}" if p.n else ""
    left = [(f"{p.label}{n}", 13, "bold")]
    left += [(line, 11, "normal") for line in _lines(p.outcome, 52)]
    left += [(line, 10, "normal") for line in _lines(p.population, 56) if line]
    grade = f"; GRADE {p.certainty.replace('-', ' ')}" if p.certainty else ""
    right = [(line, 12, "normal") for line in _lines(p.effect, 36)]
    right += [(line, 11, "normal") for line in _lines(p.verdict_text + grade, 36)]
    return left, right


def _panel(panel: Panel, top: float) -> tuple[list[str], float]:
    axis = "log scale" if panel.scale == "log" else "linear scale"
    parts = [_t(LEFT + PLOT / 2, top, f"Effect ({axis}); vertical line = no effect", 12, "middle")]
    y = top + 14
    rows = [_row(p) for p in panel.points]
    heights = [max(ROW, LINE * max(len(left), len(right)) + 8) for left, right in rows]
    bottom = y + sum(heights)
    null_x = _x(panel, panel.null)
    parts.append(_line(null_x, y, null_x, bottom))
    for p, (left, right), height in zip(panel.points, rows, heights, strict=True):
        cy = y + height / 2
        colour = COLOURS[p.verdict]
        for column, lines in ((10.0, left), (LEFT + PLOT + 12, right)):
            ty = cy - LINE * (len(lines) - 1) / 2 + 4
            for text, size, weight in lines:
                parts.append(_t(column, ty, text, size, weight=weight))
                ty += LINE
        x1, x2, xe = _x(panel, p.ci_low), _x(panel, p.ci_high), _x(panel, p.estimate)
        parts.append(_line(x1, cy, x2, cy, colour, 2))
        parts.append(
            f'<rect x="{xe - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{colour}"/>'
        )
        y += height
    parts.append(_line(LEFT, bottom, LEFT + PLOT, bottom))
    for tick in panel.ticks:
        tx = _x(panel, tick)
        parts.append(_line(tx, bottom, tx, bottom + 5))
        parts.append(_t(tx, bottom + 18, f"{tick:g}", 11, "middle"))
    return parts, bottom + 40


def forest(view: Forest, canvas: Canvas) -> str:
    parts = [_t(10, 24, view.title, 16, weight="bold")]
    y = 44.0
    for line in _lines(view.reading, 140):
        parts.append(_t(10, y, line, 12))
        y += 16
    y += 16
    for panel in view.panels:
        drawn, y = _panel(panel, y)
        parts += drawn
    if view.not_plotted:
        heading = "Not drawn (no structured estimate with a 95% CI):"
        parts.append(_t(10, y, heading, 12, weight="bold"))
        y += 18
        for study in view.not_plotted:
            for line in _lines(f"{study.label}: {study.text}", 150):
                parts.append(_t(20, y, line, 11))
                y += 15
            y += 3
    height = math.ceil(y + 10)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="Helvetica, Arial, sans-serif">'
        f'<rect width="100%" height="100%" fill="#fff"/>' + "".join(parts) + "</svg>\n"
    )
