"""Forest-plot geometry and reading, shared by the terminal, SVG, Markdown and JSON outputs.

Ratio measures (RR, OR, HR and their adjusted forms) are drawn on a log axis around 1;
differences (RD, MD, SMD, log-OR) on a linear axis around 0. A study is drawn only when its
effect estimate and 95% CI are in the knowledge base; the others are listed, not drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import msgspec

from rmcli.kb.model import RATIO_MEASURES, Study, Therapy

Scale = Literal["log", "linear"]
Verdict = Literal["favours treatment", "favours control", "inconclusive"]
NICE_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)


class Point(msgspec.Struct, kw_only=True):
    label: str
    n: int | None
    measure: str
    estimate: float
    ci_low: float
    ci_high: float
    direction: str
    outcome: str
    certainty: str | None
    verdict: Verdict
    refs: list[str]
    checked: str


class Panel(msgspec.Struct, kw_only=True):
    """One axis: all the ratio measures, or all the difference measures."""

    scale: Scale
    null: float
    low: float
    high: float
    points: list[Point]


def scale_of(measure: str) -> Scale:
    return "log" if measure in RATIO_MEASURES else "linear"


def verdict(study: Study) -> Verdict:
    assert study.ci_low is not None and study.ci_high is not None
    null = 1.0 if scale_of(study.measure or "") == "log" else 0.0
    if study.ci_low <= null <= study.ci_high:
        return "inconclusive"
    above = study.ci_low > null
    return (
        "favours treatment" if above == (study.direction == "higher-better") else "favours control"
    )


def _point(study: Study) -> Point:
    assert study.estimate is not None and study.ci_low is not None and study.ci_high is not None
    return Point(
        label=study.label,
        n=study.n,
        measure=study.measure or "",
        estimate=study.estimate,
        ci_low=study.ci_low,
        ci_high=study.ci_high,
        direction=study.direction or "",
        outcome=study.outcome,
        certainty=study.certainty,
        verdict=verdict(study),
        refs=study.refs,
        checked=study.checked,
    )


def panels(therapy: Therapy) -> list[Panel]:
    """The studies with an estimate, grouped by axis type; bounds always include no effect."""
    result = []
    for scale in ("log", "linear"):
        points = [
            _point(s)
            for s in therapy.evidence
            if s.estimate is not None and scale_of(s.measure or "") == scale
        ]
        if not points:
            continue
        null = 1.0 if scale == "log" else 0.0
        low = min([null, *(p.ci_low for p in points)])
        high = max([null, *(p.ci_high for p in points)])
        if scale == "log":
            low, high = low / 1.15, high * 1.15
        else:
            pad = (high - low) * 0.08 or 1.0
            low, high = low - pad, high + pad
        result.append(Panel(scale=scale, null=null, low=low, high=high, points=points))
    return result


def not_plotted(therapy: Therapy) -> list[Study]:
    return [s for s in therapy.evidence if s.estimate is None]


def position(panel: Panel, value: float, width: int) -> int:
    """Column (0..width-1) of `value` on the panel's axis."""
    if panel.scale == "log":
        span = math.log(panel.high) - math.log(panel.low)
        fraction = (math.log(value) - math.log(panel.low)) / span
    else:
        fraction = (value - panel.low) / (panel.high - panel.low)
    return max(0, min(width - 1, round(fraction * (width - 1))))


def ticks(panel: Panel) -> list[float]:
    if panel.scale == "log":
        return [t for t in NICE_TICKS if panel.low <= t <= panel.high]
    step = _linear_step(panel.high - panel.low)
    first = math.ceil(panel.low / step) * step
    count = int((panel.high - first) / step) + 1
    return [round(first + i * step, 10) for i in range(count)]


def _linear_step(span: float) -> float:
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    return float(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))


def reading(therapy: Therapy, drawn: Sequence[Panel]) -> str:
    """One honest sentence summarising what the plot shows."""
    points = [p for panel in drawn for p in panel.points]
    if not points:
        return (
            f"No study of {therapy.name} in this knowledge base reports an effect estimate "
            f"with a 95% CI; see the studies listed below. Overall certainty: "
            f"{therapy.overall.certainty}."
        )
    kinds = ("favours treatment", "favours control", "inconclusive")
    counts = {kind: sum(p.verdict == kind for p in points) for kind in kinds}
    return (
        f"Of {len(points)} plotted estimates, {counts['favours treatment']} favour "
        f"{therapy.name} with a 95% CI excluding no effect, {counts['favours control']} favour "
        f"the comparator, and {counts['inconclusive']} are inconclusive (CI crosses no effect); "
        f"outcomes differ between rows. Overall certainty: {therapy.overall.certainty}."
    )
