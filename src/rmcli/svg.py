"""The forest plot as a standalone SVG file (no dependencies; every text is XML-escaped)."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from rmcli.forest import Panel, not_plotted, panels, position, reading, ticks
from rmcli.kb.model import Therapy
from rmcli.text import clean

ROW = 34
LEFT = 330
PLOT = 420
RIGHT = 230
WIDTH = LEFT + PLOT + RIGHT
COLOURS = {"favours treatment": "#1a7f37", "favours control": "#b35900", "inconclusive": "#444"}


def _line(x1: float, y1: float, x2: float, y2: float, colour: str = "#000", width: int = 1) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{colour}" stroke-width="{width}"/>'
    )


def _t(
    x: float, y: float, text: str, size: int = 13, anchor: str = "start", weight: str = "normal"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}">{escape(_xml_safe(clean(text)))}</text>'
    )


def _xml_safe(text: str) -> str:
    """Drop what XML 1.0 cannot hold (noncharacters such as U+FFFE, lone surrogates)."""
    return "".join(
        ch for ch in text if not (0xD800 <= ord(ch) <= 0xDFFF or ord(ch) in (0xFFFE, 0xFFFF))
    )


def _x(panel: Panel, value: float) -> float:
    return LEFT + position(panel, value, 10_000) / 9_999 * PLOT


def _panel(panel: Panel, top: float) -> tuple[list[str], float]:
    parts = []
    axis = "log scale" if panel.scale == "log" else "linear scale"
    parts.append(
        _t(LEFT + PLOT / 2, top, f"Effect ({axis}); vertical line = no effect", 12, "middle")
    )
    y = top + 14
    bottom = y + ROW * len(panel.points)
    null_x = _x(panel, panel.null)
    parts.append(_line(null_x, y, null_x, bottom))
    for index, p in enumerate(panel.points):
        cy = y + ROW * index + ROW / 2
        colour = COLOURS[p.verdict]
        n = f", n={p.n}" if p.n else ""
        parts.append(_t(10, cy - 2, f"{p.label}{n}", 13, weight="bold"))
        outcome = p.outcome if len(p.outcome) <= 48 else p.outcome[:47] + "…"
        parts.append(_t(10, cy + 12, outcome, 11))
        x1, x2, xe = _x(panel, p.ci_low), _x(panel, p.ci_high), _x(panel, p.estimate)
        parts.append(_line(x1, cy, x2, cy, colour, 2))
        parts.append(
            f'<rect x="{xe - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{colour}"/>'
        )
        effect = f"{p.measure} {p.estimate:g} ({p.ci_low:g} to {p.ci_high:g})"
        grade = f"; GRADE {p.certainty}" if p.certainty else ""
        parts.append(_t(LEFT + PLOT + 12, cy - 2, effect, 12))
        parts.append(_t(LEFT + PLOT + 12, cy + 12, p.verdict + grade, 11))
    parts.append(_line(LEFT, bottom, LEFT + PLOT, bottom))
    for tick in ticks(panel):
        tx = _x(panel, tick)
        parts.append(_line(tx, bottom, tx, bottom + 5))
        parts.append(_t(tx, bottom + 18, f"{tick:g}", 11, "middle"))
    return parts, bottom + 40


def forest_svg(therapy: Therapy) -> str:
    drawn = panels(therapy)
    parts = [_t(10, 24, f"Evidence: {therapy.name}", 16, weight="bold")]
    y = 44.0
    for line in _wrap(reading(therapy, drawn), 140):
        parts.append(_t(10, y, line, 12))
        y += 16
    y += 16
    for panel in drawn:
        drawn_parts, y = _panel(panel, y)
        parts += drawn_parts
    rest = not_plotted(therapy)
    if rest:
        parts.append(_t(10, y, "Not drawn (no effect estimate with 95% CI):", 12, weight="bold"))
        y += 18
        for study in rest:
            for line in _wrap(f"{study.label}: {study.result}", 150):
                parts.append(_t(20, y, line, 11))
                y += 15
            y += 3
    height = math.ceil(y + 10)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="Helvetica, Arial, sans-serif">'
        f'<rect width="100%" height="100%" fill="#fff"/>' + "".join(parts) + "</svg>\n"
    )


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(clean(text), width)
