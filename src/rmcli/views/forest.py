"""`rmcli evidence`: a forest plot of a therapy's estimates, decided once for every format.

Ratio measures (RR, OR, HR and their adjusted forms) share a log axis around 1; differences
(RD, MD, SMD, log-OR) a linear axis around 0. A study is drawn when its estimate and 95% CI are
structured; the others are listed under a heading that says so. Each
point names its population, outcome and (where the source gives one) its comparison, and says
which arm it favours by name, so a placebo-vs-drug ratio cannot be read backwards.

With `absolute` (evidence --absolute), every ratio estimate also carries its absolute effect
per 1000 (rmcli.views.effects), or the reason it has none, and the view says how they were
computed (`method`): every format but the SVG shows them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar, Literal

import msgspec

from rmcli.estimates import natural
from rmcli.kb.model import KnowledgeBase, Study, Therapy
from rmcli.kb.values import RATIO_MEASURES, Checked
from rmcli.text import clean
from rmcli.views import ViewKind
from rmcli.views.common import (
    Meta,
    cite,
    comparison_arms,
    estimate,
    estimate_numbers,
    figure,
    labels_line,
    short_name,
)
from rmcli.views.effects import Effect, effect, method
from rmcli.views.headline import headline

Scale = Literal["log", "linear"]
Verdict = Literal["favours treatment", "favours control", "inconclusive"]
LOG_TICKS = (
    (0.01, 0.1, 1, 10, 100),
    (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100),
    (0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7, 10),
    (0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2),
)
MIN_TICKS = 3


class Point(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    n: int | None
    measure: str
    estimate: float
    ci_low: float
    ci_high: float
    effect: str  # the figure with the comparison: "RR 1.27 (95% CI 1.09 to 1.49), LMWH vs ..."
    figure: str  # "RR 1.27 (95% CI 1.09 to 1.49)", at the source's precision
    numbers: tuple[str, str, str]
    direction: str
    comparison: str | None
    population: str  # "" where the source does not describe it
    outcome: str
    certainty: str | None
    verdict: Verdict  # relative to this therapy, whatever the ratio's orientation
    verdict_text: str  # "favours dydrogesterone", "favours placebo", "inconclusive"
    refs: list[str]
    checked: Checked
    absolute: Effect | None = None  # ratio estimates, with --absolute only

    @property
    def context(self) -> str:
        """'Population. Outcome: live birth.', leaving out what the source does not give."""
        parts = [f"{self.population}." if self.population else ""]
        parts.append(f"Outcome: {self.outcome}." if self.outcome else "")
        return " ".join(part for part in parts if part)


class Panel(msgspec.Struct, frozen=True, kw_only=True):
    """One axis: all the ratio measures, or all the difference measures."""

    scale: Scale
    null: float
    low: float
    high: float
    ticks: list[float]
    points: list[Point]


class Unplotted(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    text: str  # the study's result, cited


class Forest(msgspec.Struct, frozen=True, kw_only=True):
    kind: ClassVar[ViewKind] = ViewKind.forest
    meta: Meta
    therapy: str
    name: str
    reading: str
    panels: list[Panel]
    not_plotted: list[Unplotted]
    method: str | None = None  # how absolute effects were computed; None: not asked for

    @property
    def title(self) -> str:
        return clean(f"Evidence: {self.name} ({self.therapy})")

    @property
    def labels(self) -> str | None:
        """What the verification marks this view uses mean (rmcli.views.common.labels_line)."""
        return labels_line(self)


def scale_of(measure: str) -> Scale:
    return "log" if measure in RATIO_MEASURES else "linear"


def verdict(study: Study, therapy_name: str) -> tuple[Verdict, str]:
    """Which arm the CI favours, as a code relative to the therapy and in words."""
    assert study.ci_low is not None and study.ci_high is not None
    null = 1.0 if scale_of(study.measure or "") == "log" else 0.0
    if study.ci_low <= null <= study.ci_high:
        return "inconclusive", "inconclusive"
    first, second, first_is_therapy = comparison_arms(study, therapy_name)
    favours_first = (study.ci_low > null) == (study.direction == "higher-better")
    arm = first if favours_first else second
    therapy_favoured = favours_first == first_is_therapy
    return ("favours treatment" if therapy_favoured else "favours control"), f"favours {arm}"


def _point(study: Study, therapy_name: str, effect: Effect | None = None) -> Point:
    assert study.estimate is not None and study.ci_low is not None and study.ci_high is not None
    numbers = estimate_numbers(study)
    assert numbers is not None
    code, words = verdict(study, therapy_name)
    return Point(
        label=clean(study.label),
        n=study.n,
        measure=study.measure or "",
        estimate=study.estimate,
        ci_low=study.ci_low,
        ci_high=study.ci_high,
        effect=estimate(study),
        figure=figure(study),
        numbers=numbers,
        direction=study.direction or "",
        comparison=clean(study.comparison) if study.comparison else None,
        population=clean(study.population or "").rstrip("."),
        outcome=clean(study.outcome or "").rstrip("."),
        certainty=study.certainty,
        verdict=code,
        verdict_text=clean(words),
        refs=study.refs,
        checked=study.checked,
        absolute=effect,
    )


def log_ticks(low: float, high: float) -> list[float]:
    """The coarsest set of round ratios with at least three inside the axis."""
    for level in LOG_TICKS:
        inside = [float(t) for t in level if low <= t <= high]
        if len(inside) >= MIN_TICKS and len(inside) <= 7:
            return inside
    finest = [float(t) for t in LOG_TICKS[-1] if low <= t <= high]
    return finest if len(finest) >= MIN_TICKS else [float(t) for t in LOG_TICKS[1]]


def linear_ticks(low: float, high: float) -> list[float]:
    span = high - low
    magnitude = 10 ** math.floor(math.log10(span / 6))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if span / step <= 7:
            break
    while True:
        first = math.ceil(low / step) * step
        ticks = [round(first + i * step, 10) for i in range(int((high - first) / step + 1e-9) + 1)]
        if len(ticks) >= MIN_TICKS:
            return ticks
        step /= 2


def _panel(scale: Scale, points: list[Point]) -> Panel:
    null = 1.0 if scale == "log" else 0.0
    low = min([null, *(p.ci_low for p in points)])
    high = max([null, *(p.ci_high for p in points)])
    if scale == "log":
        low, high = low / 1.15, high * 1.15
        ticks = log_ticks(low, high)
        low, high = min(low, ticks[0]), max(high, ticks[-1])
    else:
        pad = (high - low) * 0.08 or 1.0
        low, high = low - pad, high + pad
        ticks = linear_ticks(low, high)
    return Panel(scale=scale, null=null, low=low, high=high, ticks=ticks, points=points)


def panels(
    therapy: Therapy, *, absolute: bool = False, baseline: float | None = None
) -> list[Panel]:
    """The studies with an estimate, grouped by axis; bounds always include no effect. With
    `absolute`, each ratio estimate gets its absolute effect (from `baseline` if given)."""
    absolute = absolute or baseline is not None
    name = short_name(therapy)
    found = []
    for scale in ("log", "linear"):
        points = [
            _point(s, name, effect(s, baseline) if scale == "log" and absolute else None)
            for s in therapy.evidence
            if s.estimate is not None and scale_of(s.measure or "") == scale
        ]
        if points:
            found.append(_panel(scale, points))
    return found


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


def reading(therapy: Therapy, drawn: Sequence[Panel]) -> str:
    """One sentence, consistent with the therapy's status, on what the plot shows."""
    status = therapy.overall
    lead = (
        f"Overall status: {status.status} (certainty {status.certainty.replace('-', ' ')}); "
        f"headline: {headline(therapy).line}."
    )
    points = [p for panel in drawn for p in panel.points]
    if not points:
        return clean(
            f"{lead} No study gives an effect estimate with a 95% CI; the studies are listed below."
        )
    counts = {
        kind: sum(p.verdict == kind for p in points)
        for kind in ("favours treatment", "favours control", "inconclusive")
    }
    plural = "estimate" if len(points) == 1 else "estimates"
    return clean(
        f"{lead} Of {len(points)} plotted {plural}, {counts['favours treatment']} favour "
        f"{short_name(therapy)} (95% CI excluding no effect), {counts['favours control']} "
        f"favour the comparator and {counts['inconclusive']} are inconclusive (CI crosses no "
        "effect). Populations and outcomes differ between rows (each row names its own), so "
        "these counts are not a pooled result."
    )


def forest(
    therapy: Therapy, kb: KnowledgeBase, *, absolute: bool = False, baseline: float | None = None
) -> Forest:
    """The forest plot; `absolute` (implied by a `baseline`, a proportion) adds absolute
    effects to the ratio estimates."""
    absolute = absolute or baseline is not None
    therapy = natural(therapy)
    drawn = panels(therapy, absolute=absolute, baseline=baseline)
    rest = [
        Unplotted(label=clean(s.label), text=cite(s.result or s.design, s.refs, s.checked))
        for s in not_plotted(therapy)
        if s.checked != "unverified"
    ]
    return Forest(
        meta=Meta.of(kb),
        therapy=therapy.id,
        name=clean(therapy.name),
        reading=reading(therapy, drawn),
        panels=drawn,
        not_plotted=rest,
        method=method(baseline) if absolute else None,
    )
