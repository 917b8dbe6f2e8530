"""Summary of findings (GRADE): a therapy's key comparisons in relative and absolute terms.

Key comparisons: studies of recurrent-miscarriage populations with a ratio estimate whose
comparison order is known, from meta-analyses and systematic reviews, and from RCTs that give
their control arm's risk (their own baseline). The key study comes first, then those with a
baseline (the control arm's, or the user's), then the largest (unknown size last), then
knowledge-base order; at most four. A row without a baseline
keeps its relative effect and says "baseline unknown" instead of the risks per 1000.
"""

from __future__ import annotations

import msgspec

from rmcli.absolute import (
    Absolute,
    Unavailable,
    absolute,
    control_risk,
    outcome_text,
    unavailable,
)
from rmcli.arms import orientation, therapy_vs_control
from rmcli.kb.model import Study, Therapy
from rmcli.kb.values import Checked, StudyKind

POOLED: frozenset[StudyKind] = frozenset({"meta-analysis", "systematic-review"})
MAX_ROWS = 4


class SofRow(msgspec.Struct, kw_only=True, frozen=True):
    """One row: outcome, study and size, relative effect, risks per 1000, certainty."""

    outcome: str  # without asides in parentheses
    study: str  # the study's label
    kind: StudyKind
    participants: int | None
    relative: str  # therapy vs control: "RR 1.04 (0.94 to 1.15)"
    absolute: Absolute | None  # control_per_1000, therapy_per_1000 (+ CI), per_1000, NNT
    unavailable: Unavailable | None  # why `absolute` is None: "baseline unknown"
    certainty: str | None  # GRADE certainty where the source rates it; None: not rated
    refs: list[str]
    checked: Checked  # the study's verification label


def relative_text(study: Study) -> str:
    """The ratio as therapy vs control, with the source's decimals (2 where it was inverted)."""
    values = therapy_vs_control(study)
    decimals = 2 if orientation(study) == "control/therapy" else study.decimals
    shown = [f"{v:.{decimals}f}" if decimals is not None else f"{v:g}" for v in values]
    computed = ", computed from counts" if study.computed else ""
    return f"{study.measure} {shown[0]} ({shown[1]} to {shown[2]}){computed}"


def key_comparisons(therapy: Therapy, baseline: float | None = None) -> list[Study]:
    """The studies a summary of findings shows, in order (rule in the module docstring)."""
    eligible = [
        s
        for s in therapy.evidence
        if s.rpl
        and s.checked != "unverified"
        and unavailable(s, baseline) in (None, "baseline unknown")
        and (s.kind in POOLED or (s.kind == "rct" and control_risk(s) is not None))
    ]
    eligible.sort(key=lambda s: (not s.key, unavailable(s, baseline) is not None, -(s.n or -1)))
    return eligible[:MAX_ROWS]


def summary_of_findings(therapy: Therapy, baseline: float | None = None) -> list[SofRow]:
    """The rows of the therapy's summary-of-findings block."""
    return [_row(s, baseline) for s in key_comparisons(therapy, baseline)]


def _row(study: Study, baseline: float | None) -> SofRow:
    return SofRow(
        outcome=outcome_text(study.outcome),
        study=study.label,
        kind=study.kind,
        participants=study.n,
        relative=relative_text(study),
        absolute=absolute(study, baseline),
        unavailable=unavailable(study, baseline),
        certainty=study.certainty,
        refs=list(study.refs),
        checked=study.checked,
    )
