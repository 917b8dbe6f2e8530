"""Absolute effects by the GRADE method: a ratio and a baseline risk become a difference per 1000.

With p the control risk (a proportion):
- RR, aRR: risk with therapy = p * RR; difference = p * (RR - 1). Where p * RR passes 1 (a high
  baseline with a large RR) the risk is capped at 1 and the result says so (`capped`).
- OR, aOR, Peto OR: risk with therapy = OR*p / (1 - p + OR*p); the difference is computed as
  p * (1 - p) * (OR - 1) / (1 - p + OR*p), which is exactly 0 when OR is exactly 1.
- HR, aHR: risk with therapy = 1 - (1 - p)**HR, GRADE's conversion for time-to-event data
  (close to p * HR for small risks).
p is the study's control-arm risk (control_events / control_total, else its `control_risk`) or
the user's `--baseline` (0.0001 to 0.9999).
Each CI limit converts the same way; the conversions increase with the ratio, keeping the order.

Orientation (`rmcli.arms`): a ratio is stored as therapy vs control unless `comparison` names
the control arm first ("placebo vs dydrogesterone"). A control/therapy ratio is inverted
(1/RR, limits swapped) before converting; where neither or both arms read as a control, the
order is unclear and no absolute effect is given. `direction` says whether more of the outcome
is better (higher-better: live birth) or worse (lower-better: miscarriage), whichever way round
the arms are named.

Rounding: differences and risks per 1000 are rounded half away from zero; the risk with therapy
is the control risk per 1000 plus the difference, so printed numbers add up. NNT/NNH use the
unrounded difference, rounded up to whole people (Altman 1998), the CI limits too, so the interval
stays ordered. Only a CI of the difference that excludes 0 strictly gives one; a limit of exactly
0 (a ratio limit of exactly 1) is "not estimable", never an infinite interval.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import msgspec

from rmcli.arms import orientation, therapy_vs_control
from rmcli.errors import UsageError
from rmcli.kb.model import Study
from rmcli.kb.values import RATIO_MEASURES
from rmcli.text import printable

BaselineSource = Literal["control arm", "user"]
NntKind = Literal["NNT", "NNH", "not estimable"]
Unavailable = Literal["not a ratio estimate", "comparison order unclear", "baseline unknown"]

MIN_BASELINE = 1e-4  # and at most 1 - MIN_BASELINE: what per-1000 figures can show
ODDS_MEASURES = frozenset({"OR", "aOR", "Peto OR"})
HAZARD_MEASURES = frozenset({"HR", "aHR"})


class Absolute(msgspec.Struct, kw_only=True, frozen=True):
    """One study's absolute effect; the first five keys are the JSON contract (domain.md §5)."""

    baseline_risk: float  # the control risk, a proportion
    baseline_source: BaselineSource
    per_1000: int  # difference per 1000 people, therapy minus control
    per_1000_low: int
    per_1000_high: int
    outcome: str  # the study's outcome as worded in the effect ("live births")
    desirable: bool  # more of the outcome is better (live birth), or worse (miscarriage)
    inverted: bool  # the study reports control vs therapy; the ratio below is therapy vs control
    measure: str
    ratio: float
    ratio_low: float
    ratio_high: float
    risk_difference: float  # unrounded, as a proportion
    risk_difference_low: float
    risk_difference_high: float
    control_per_1000: int
    therapy_per_1000: int  # control_per_1000 + per_1000, and the same for the limits
    therapy_per_1000_low: int
    therapy_per_1000_high: int
    capped: bool  # RR x baseline passed 1 for some limit; that risk was capped at 1000 per 1000
    nnt_kind: NntKind  # NNT: benefit; NNH: harm; judged by the outcome's desirability
    nnt: int | None = None
    nnt_low: int | None = None
    nnt_high: int | None = None


def parse_baseline(value: str | float) -> float:
    """A user's baseline risk: a proportion strictly between 0 and 1, or a UsageError."""
    message = (
        f"--baseline must be a proportion strictly between 0 and 1, got '{printable(str(value))}'"
    )
    hint = "give a proportion, for example --baseline 0.35 for 35 women in 100"
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.endswith("%"):
        hint = "give the risk as a proportion, not a percentage: 35% is --baseline 0.35"
    try:
        number = math.nan if isinstance(value, bool) else float(text)
    except ValueError:
        number = math.nan
    if not 0 < number < 1:  # NaN fails every comparison
        if 1 < number <= 100:
            hint = f"a risk is a proportion: did you mean --baseline {number / 100:g}?"
        raise UsageError(message, hint)
    if not MIN_BASELINE <= number <= 1 - MIN_BASELINE:  # 1e-308 once overflowed the NNT
        raise UsageError(
            f"--baseline must be a proportion from {MIN_BASELINE:g} to {1 - MIN_BASELINE:g}, "
            f"got '{printable(str(value))}'",
            "a risk nearer to 0 or 1 than 1 in 10,000 shows as 0 or 1000 per 1000",
        )
    return number


def control_risk(study: Study) -> float | None:
    """The control arm's risk from its counts, or as the source gives it, where 0 < p < 1."""
    events, total = study.control_events, study.control_total
    if events is not None and total is not None and 0 < events < total:
        return events / total
    if study.control_risk is not None and 0 < study.control_risk < 1:
        return study.control_risk
    return None


def unavailable(study: Study, baseline: float | None = None) -> Unavailable | None:
    """Why a study has no absolute effect (None: it has one)."""
    if (
        study.measure not in RATIO_MEASURES
        or study.estimate is None
        or study.ci_low is None
        or study.ci_high is None
        or study.direction is None
    ):
        return "not a ratio estimate"
    if orientation(study) is None:
        return "comparison order unclear"
    if baseline is None and control_risk(study) is None:
        return "baseline unknown"
    return None


def difference(measure: str, ratio: float, p: float) -> float:
    """Risk with therapy minus control risk, as a proportion (GRADE conversions above)."""
    if measure in ODDS_MEASURES:
        return p * (1 - p) * (ratio - 1) / (1 - p + ratio * p)
    if measure in HAZARD_MEASURES:
        return (1 - p) - math.pow(1 - p, ratio)
    return min(p * ratio, 1.0) - p  # a risk cannot pass 1: see `capped`


def per_1000(proportion: float) -> int:
    """A proportion per 1000 people, rounded half away from zero."""
    return int(Decimal(proportion * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def people(risk_difference: float) -> int:
    """1 / |difference| rounded up, forgiving float error (1e-9 relative) at a whole number."""
    exact = 1 / abs(risk_difference)
    return math.ceil(exact - exact * 1e-9)


def absolute(study: Study, baseline: float | None = None) -> Absolute | None:
    """The study's absolute effect from `baseline` (checked again here) or its control arm."""
    if unavailable(study, baseline) is not None:
        return None
    measure = study.measure or ""
    ratios = therapy_vs_control(study)
    risk = parse_baseline(baseline) if baseline is not None else control_risk(study)
    assert risk is not None
    point, low, high = (difference(measure, r, risk) for r in ratios)
    desirable = study.direction == "higher-better"
    control = per_1000(risk)
    d, d_low, d_high = per_1000(point), per_1000(low), per_1000(high)
    kind: NntKind = "not estimable"
    nnt = nnt_low = nnt_high = None
    if low > 0 or high < 0:
        kind = "NNT" if (point > 0) == desirable else "NNH"
        near, far = (low, high) if low > 0 else (high, low)
        nnt, nnt_low, nnt_high = people(point), people(far), people(near)
    return Absolute(
        baseline_risk=risk,
        baseline_source="user" if baseline is not None else "control arm",
        per_1000=d,
        per_1000_low=d_low,
        per_1000_high=d_high,
        outcome=outcome_phrase(study.outcome, desirable),
        desirable=desirable,
        inverted=orientation(study) == "control/therapy",
        measure=measure,
        ratio=ratios[0],
        ratio_low=ratios[1],
        ratio_high=ratios[2],
        risk_difference=point,
        risk_difference_low=low,
        risk_difference_high=high,
        control_per_1000=control,
        therapy_per_1000=control + d,
        therapy_per_1000_low=control + d_low,
        therapy_per_1000_high=control + d_high,
        capped=measure not in ODDS_MEASURES | HAZARD_MEASURES and risk * ratios[2] > 1,
        nnt_kind=kind,
        nnt=nnt,
        nnt_low=nnt_low,
        nnt_high=nnt_high,
    )


# Wording ---------------------------------------------------------------------------------------

_PLURALS = {
    "birth": "births",
    "baby": "babies",
    "pregnancy": "pregnancies",
    "delivery": "deliveries",
}
_BOUNDARY = {"after", "at", "before", "beyond", "by", "from", "in", "of", "to", "with", "within"}
_ASIDE = re.compile(r"\s*\([^()]*\)")


def outcome_text(outcome: str | None) -> str:
    """The outcome without asides in parentheses: "Live birth (aspirin alone)" -> "Live birth".
    Validation gives every study with an estimate or counts an outcome."""
    outcome = outcome or ""
    text, previous = outcome, None
    while previous != text:  # nested asides, innermost first
        previous, text = text, _ASIDE.sub("", text)
    return text.strip().rstrip(".") or outcome.strip()


def outcome_phrase(outcome: str | None, desirable: bool) -> str:
    """What the per-1000 figure counts: "live births", or "women with miscarriage".

    A desirable outcome whose head noun is a birth, baby or pregnancy is counted as events
    ("live births after 24 weeks"); anything else counts women ("women with miscarriage",
    "women with no live birth"), so "more" and "fewer" always read the right way.
    """
    words = outcome_text(outcome).split()
    if words and not _acronym(words[0]):
        words[0] = words[0].lower()
    if desirable:
        head = _head(words)
        noun = words[head].rstrip(",").lower() if head >= 0 else ""
        if noun in _PLURALS:
            words[head] = words[head].lower().replace(noun, _PLURALS[noun])
            return " ".join(words)
    return "women with " + " ".join(words)


def _head(words: list[str]) -> int:
    """The index of the first noun phrase's last word: before a preposition, or at a comma."""
    for i, word in enumerate(words):
        if word.lower() in _BOUNDARY:
            return i - 1
        if word.endswith(","):
            return i
    return len(words) - 1


def _acronym(word: str) -> bool:
    return sum(ch.isupper() or ch.isdigit() for ch in word) >= 2


def _amount(rounded: int, exact: float) -> str:
    if rounded:
        return f"{abs(rounded)} {'more' if rounded > 0 else 'fewer'}"
    if exact:
        return f"<1 {'more' if exact > 0 else 'fewer'}"
    return "no difference"


def effect_text(a: Absolute) -> str:
    """'25 more live births per 1000 women (38 fewer to 95 more)'."""
    unit = "per 1000" if a.outcome.startswith("women with ") else "per 1000 women"
    point = _amount(a.per_1000, a.risk_difference)
    if point == "no difference":
        point = "0 more or fewer"
    low = _amount(a.per_1000_low, a.risk_difference_low)
    high = _amount(a.per_1000_high, a.risk_difference_high)
    capped = ", capped at 1000 in 1000" if a.capped else ""
    return f"{point} {a.outcome} {unit} ({low} to {high}{capped})"


def nnt_text(a: Absolute) -> str:
    """'NNT 8 (6 to 19)', 'NNH 12 (7 to 40)', or 'NNT not estimable (...)' where the CI
    of the difference includes 0: never an infinite interval."""
    if a.nnt is None:
        return "NNT not estimable (95% CI includes no difference)"
    return f"{a.nnt_kind} {a.nnt:,} ({a.nnt_low:,} to {a.nnt_high:,})"


def baseline_text(a: Absolute) -> str:
    """'control arm 633 per 1000' or 'baseline you gave: 300 per 1000'."""
    source = "control arm" if a.baseline_source == "control arm" else "baseline you gave:"
    return f"{source} {a.control_per_1000} per 1000"
