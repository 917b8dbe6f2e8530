"""Estimates on their natural scale, and risk ratios from arm counts, for every view to show.

- A log odds ratio is shown as the odds ratio (the estimate and both CI limits exponentiated).
- A study that gives only its arms' counts gets a risk ratio with a 95% CI (the log method of
  Katz; 0.5 added to every cell when one arm has no event or only events), marked `computed`
  so views label it "computed from counts". Its direction follows its outcome: more of a live
  birth, a viable infant or an ongoing pregnancy is better; of anything else, worse.
Nothing here changes a study that already has a ratio on its natural scale.
"""

from __future__ import annotations

import math
import re

import msgspec

from rmcli.kb.model import Study, Therapy

Z95 = 1.959963984540054
DESIRABLE = re.compile(
    r"live birth|viable|ongoing pregnanc|healthy|delivery of|successful pregnanc", re.IGNORECASE
)


def natural(therapy: Therapy) -> Therapy:
    """The therapy with every study's estimate on its natural scale."""
    studies = [natural_study(s) for s in therapy.evidence]
    if all(a is b for a, b in zip(studies, therapy.evidence, strict=True)):
        return therapy
    return msgspec.structs.replace(therapy, evidence=studies)


def natural_study(study: Study) -> Study:
    if study.measure == "log-OR" and study.estimate is not None:
        assert study.ci_low is not None and study.ci_high is not None
        return msgspec.structs.replace(
            study,
            measure="OR",
            estimate=math.exp(study.estimate),
            ci_low=math.exp(study.ci_low),
            ci_high=math.exp(study.ci_high),
            decimals=2,
        )
    if study.estimate is None and study.measure is None:
        return _from_counts(study) or study
    return study


def _from_counts(study: Study) -> Study | None:
    counts = (study.treated_events, study.treated_total, study.control_events, study.control_total)
    if any(c is None for c in counts) or study.outcome is None:
        return None
    a, n1, c, n2 = (float(x) for x in counts if x is not None)
    if n1 <= 0 or n2 <= 0 or a + c == 0:
        return None
    if a in (0, n1) or c in (0, n2):  # a zero cell: add 0.5 to each of the four cells
        a, c, n1, n2 = a + 0.5, c + 0.5, n1 + 1, n2 + 1
    ratio = (a / n1) / (c / n2)
    spread = Z95 * math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return msgspec.structs.replace(
        study,
        measure="RR",
        estimate=ratio,
        ci_low=math.exp(math.log(ratio) - spread),
        ci_high=math.exp(math.log(ratio) + spread),
        direction="higher-better" if DESIRABLE.search(study.outcome) else "lower-better",
        decimals=2,
        computed=True,
    )
