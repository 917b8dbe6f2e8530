"""SVG: the forest plot as a standalone picture (no dependencies; every text XML-escaped)."""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from rmcli.text import clean
from rmcli.views.forest import Forest, Panel, position

if TYPE_CHECKING:
    from rmcli.environment import Canvas

ROW = 40
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


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _panel(panel: Panel, top: float) -> tuple[list[str], float]:
    axis = "log scale" if panel.scale == "log" else "linear scale"
    parts = [_t(LEFT + PLOT / 2, top, f"Effect ({axis}); vertical line = no effect", 12, "middle")]
    y = top + 14
    bottom = y + ROW * len(panel.points)
    null_x = _x(panel, panel.null)
    parts.append(_line(null_x, y, null_x, bottom))
    for index, p in enumerate(panel.points):
        cy = y + ROW * index + ROW / 2
        colour = COLOURS[p.verdict]
        n = f", n={p.n}" if p.n else ""
        parts.append(_t(10, cy - 6, f"{p.label}{n}", 13, weight="bold"))
        parts.append(_t(10, cy + 8, _cut(p.outcome, 52), 11))
        parts.append(_t(10, cy + 20, _cut(p.population, 56), 10))
        x1, x2, xe = _x(panel, p.ci_low), _x(panel, p.ci_high), _x(panel, p.estimate)
        parts.append(_line(x1, cy, x2, cy, colour, 2))
        parts.append(
            f'<rect x="{xe - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{colour}"/>'
        )
        grade = f"; GRADE {p.certainty.replace('-', ' ')}" if p.certainty else ""
        parts.append(_t(LEFT + PLOT + 12, cy - 6, _cut(p.effect, 40), 12))
        parts.append(_t(LEFT + PLOT + 12, cy + 8, _cut(p.verdict_text + grade, 40), 11))
    parts.append(_line(LEFT, bottom, LEFT + PLOT, bottom))
    for tick in panel.ticks:
        tx = _x(panel, tick)
        parts.append(_line(tx, bottom, tx, bottom + 5))
        parts.append(_t(tx, bottom + 18, f"{tick:g}", 11, "middle"))
    return parts, bottom + 40


def forest(view: Forest, canvas: Canvas) -> str:
    parts = [_t(10, 24, view.title, 16, weight="bold")]
    y = 44.0
    for line in textwrap.wrap(view.reading, 140):
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
            for line in textwrap.wrap(f"{study.label}: {study.text}", 150):
                parts.append(_t(20, y, line, 11))
                y += 15
            y += 3
    height = math.ceil(y + 10)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="Helvetica, Arial, sans-serif">'
        f'<rect width="100%" height="100%" fill="#fff"/>' + "".join(parts) + "</svg>\n"
    )
