"""Absolute effects as every format shows them, worded once (the numbers: rmcli.absolute).

`evidence --absolute` gives each ratio estimate an `Effect`: the difference per 1000 with its
95% CI, naming the outcome it counts ("25 more live births after 24 weeks per 1000 women",
"women with miscarriage" for an undesirable outcome, so the sign cannot be misread), the
baseline it was computed from, and the NNT or NNH. Where there is none, it says why
("baseline unknown": never a guessed baseline; "comparison order unclear").

`show`'s summary of findings is a table from rmcli.sof: per key comparison, the outcome, the
study and its participants, the relative effect, the risks per 1000 without and with the
therapy, the difference and the certainty.
"""

from __future__ import annotations

import msgspec

from rmcli.absolute import (
    Absolute,
    Unavailable,
    absolute,
    baseline_text,
    effect_text,
    nnt_text,
    outcome_text,
    per_1000,
    unavailable,
)
from rmcli.kb.model import Study, Therapy
from rmcli.sof import SofRow
from rmcli.text import clean
from rmcli.views.common import cite, kind_word

# Where there is no absolute effect: (baseline, difference) as table cells, and the reason.
NOT_GIVEN: dict[Unavailable, tuple[str, str, str]] = {
    "baseline unknown": (
        "baseline unknown",
        "not estimated: no control-arm counts in the source, and none is guessed",
        "baseline unknown (the source gives no control-arm counts; none is guessed)",
    ),
    "comparison order unclear": (
        "not used",
        "not estimated: comparison order unclear (neither or both arms read as the control)",
        "comparison order unclear (neither or both arms read as the control), so no absolute "
        "effect is given",
    ),
    "not a ratio estimate": ("not used", "not estimated", "not a ratio estimate"),
}


class Effect(msgspec.Struct, frozen=True, kw_only=True):
    """One study's absolute effect, or why it has none, as display-ready text."""

    absolute: Absolute | None  # the numbers (JSON: "absolute")
    note: Unavailable | None  # why `absolute` is None (JSON: "absolute_note")
    outcome: str  # the outcome, without asides ("Live birth after 24 weeks")
    baseline: str  # "control arm 633 per 1000", "baseline you gave: 300 per 1000", ...
    difference: str  # "25 more live births ... per 1000 women (38 fewer to 95 more)"
    nnt: str  # "NNT 6 (5 to 14)", "NNT not estimable (...)"; "" without a difference

    @property
    def line(self) -> str:
        """The difference (naming its outcome), its baseline and NNT; or the outcome and why
        there is no difference."""
        if self.note is not None:
            return f"{self.outcome}: {NOT_GIVEN[self.note][2]}."
        return f"{self.difference}; {self.baseline}; {self.nnt}."


def effect(study: Study, baseline: float | None = None) -> Effect:
    """The study's absolute effect from `baseline` (a proportion) or its control arm."""
    found = absolute(study, baseline)
    outcome = clean(outcome_text(study.outcome))
    if found is None:
        note = unavailable(study, baseline) or "not a ratio estimate"
        shown, difference, _ = NOT_GIVEN[note]
        return Effect(
            absolute=None,
            note=note,
            outcome=outcome,
            baseline=shown,
            difference=difference,
            nnt="",
        )
    return Effect(
        absolute=found,
        note=None,
        outcome=outcome,
        baseline=clean(baseline_text(found)),
        difference=clean(effect_text(found)),
        nnt=nnt_text(found),
    )


def method(baseline: float | None) -> str:
    """How the absolute effects were computed, in one paragraph."""
    source = (
        f"the baseline risk you gave ({baseline:g}, {per_1000(baseline)} per 1000) as the "
        "risk of each study's outcome without the therapy"
        if baseline is not None
        else "each study's own control-arm risk (its control events / total)"
    )
    unknown = (
        ""
        if baseline is not None
        else " Where a study gives no control-arm counts its baseline is unknown and nothing "
        "is guessed: --baseline RISK supplies one."
    )
    return (
        "The difference in risk with the therapy per 1000 people (GRADE method), from each "
        f"study's relative effect (95% CI) and {source}. NNT or NNH only "
        f"where the 95% CI excludes no difference.{unknown}"
    )


# Summary of findings (show) ------------------------------------------------------------------


def findings_note(therapy: Therapy) -> str:
    return (
        "Key comparisons: the key study first, then trials with a known control-arm risk and "
        "pooled analyses in recurrent miscarriage, at most four. "
        "Risks per 1000 by the GRADE method from each study's own control arm; populations "
        f"and outcomes differ between rows (rmcli evidence {therapy.id} --absolute gives every "
        "estimate)."
    )


def findings_headers() -> list[str]:
    return [
        "Outcome",
        "Study and participants",
        "Relative effect (95% CI)",
        "Risk per 1000 (95% CI)",
        "Absolute difference",
        "GRADE certainty",
    ]


def findings_row(row: SofRow, therapy: Therapy) -> list[str]:
    """One row's cells: the risk with the therapy carries its CI; an NNT where estimable."""
    about = [kind] if (kind := kind_word(row.study, row.kind)) else []
    about += [f"{row.participants:,} participants"] if row.participants else []
    shown = f"{row.study} ({', '.join(about)})" if about else row.study
    study = cite(shown, row.refs, row.checked)
    a = row.absolute
    if a is None:
        shown, _, _ = NOT_GIVEN[row.unavailable or "not a ratio estimate"]
        risks, difference = f"{shown} (no control-arm counts)", "not estimated without a baseline"
    else:
        name = therapy.short_name or therapy.name
        low, high = a.therapy_per_1000_low, a.therapy_per_1000_high
        risks = f"{a.control_per_1000} without, {a.therapy_per_1000} with {name} ({low} to {high})"
        difference = effect_text(a) + (f"; {nnt_text(a)}" if a.nnt is not None else "")
    certainty = row.certainty.replace("-", " ") if row.certainty else "not rated"
    return [clean(row.outcome), study, row.relative, clean(risks), clean(difference), certainty]
