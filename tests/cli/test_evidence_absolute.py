"""`rmcli evidence THERAPY --absolute [--baseline RISK]`: absolute effects per 1000 (issue 11).

Expected numbers are computed here by hand from the bundled study fields (read with tomllib,
not through rmcli) and the GRADE formulas: RR: p x (RR - 1); OR: OR.p / (1 - p + OR.p) - p;
rounded half away from zero; NNT = 1 / |difference| rounded up.
"""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest

from rmcli.kb import KnowledgeBase

DATA = Path(__file__).resolve().parents[2] / "data" / "therapies"
BAD_BASELINES = ["nan", "35%", "0", "1", "1.5", "abc", "", "-0.2", "inf", "0,3"]


def study(therapy_id: str, label: str) -> dict[str, Any]:
    data = tomllib.loads((DATA / f"{therapy_id}.toml").read_text(encoding="utf-8"))
    found: dict[str, Any] = next(s for s in data["evidence"] if s["label"] == label)
    return found


def per_1000(proportion: float) -> int:
    """Half away from zero, as GRADE tables round."""
    return int(math.copysign(math.floor(abs(proportion) * 1000 + 0.5), proportion))


def rr_difference(p: float, ratio: float) -> float:
    return p * (ratio - 1)


def or_difference(p: float, ratio: float) -> float:
    return ratio * p / (1 - p + ratio * p) - p


def amount(n: int) -> str:
    return "no difference" if n == 0 else f"{abs(n)} {'more' if n > 0 else 'fewer'}"


def squash(text: str) -> str:
    return " ".join(text.split())


def evidence(run_cli: Any, *args: str, columns: str = "100") -> str:
    code, out, err = run_cli("evidence", *args, env={"COLUMNS": columns})
    assert (code, err) == (0, ""), err
    return out


def points(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["label"]: p for panel in document["panels"] for p in panel["points"]}


# -- the numbers ---------------------------------------------------------------------------


def test_promise_from_its_own_control_arm(run_cli: Any) -> None:
    s = study("progesterone", "PROMISE 2015")
    p = s["control_events"] / s["control_total"]  # 271/428
    d = [per_1000(rr_difference(p, r)) for r in (s["estimate"], s["ci_low"], s["ci_high"])]
    assert d == [25, -38, 95]  # the "25 more ... (38 fewer to 95 more)"
    out = squash(evidence(run_cli, "progesterone", "--absolute"))
    assert (
        f"PROMISE 2015 — {amount(d[0])} live births after 24 weeks per 1000 women "
        f"({amount(d[1])} to {amount(d[2])}); control arm {per_1000(p)} per 1000; "
        "NNT not estimable (95% CI includes no difference)."
    ) in out


def test_an_odds_ratio_converts_through_the_baseline(run_cli: Any) -> None:
    s = study("ivig", "Stephenson 2010")
    p = s["control_events"] / s["control_total"]  # 15/24
    d = [per_1000(or_difference(p, r)) for r in (s["estimate"], s["ci_low"], s["ci_high"])]
    document = json.loads(evidence(run_cli, "ivig", "--absolute", "--format", "json"))
    absolute = points(document)["Stephenson 2010"]["absolute"]
    assert absolute["baseline_risk"] == pytest.approx(p)
    assert absolute["baseline_source"] == "control arm"
    assert [absolute["per_1000"], absolute["per_1000_low"], absolute["per_1000_high"]] == d


def test_a_ci_that_excludes_no_effect_gives_an_nnt_with_its_ci(run_cli: Any) -> None:
    s = study("tnf-inhibitors", "Fu 2019")
    p = s["control_events"] / s["control_total"]
    diffs = [or_difference(p, r) for r in (s["estimate"], s["ci_low"], s["ci_high"])]
    nnt = [math.ceil(1 / diffs[0]), math.ceil(1 / diffs[2]), math.ceil(1 / diffs[1])]
    out = squash(evidence(run_cli, "tnf-inhibitors", "--absolute"))
    d = [per_1000(x) for x in diffs]
    assert (
        f"Fu 2019 — {d[0]} more healthy babies per 1000 women ({d[1]} more to {d[2]} more); "
        f"control arm {per_1000(p)} per 1000; NNT {nnt[0]} ({nnt[1]} to {nnt[2]})."
    ) in out


def test_a_user_baseline_replaces_the_control_arm_and_reaches_pooled_studies(
    run_cli: Any,
) -> None:
    document = json.loads(evidence(run_cli, "progesterone", "--baseline", "0.3", "-f", "json"))
    found = points(document)
    promise = study("progesterone", "PROMISE 2015")
    ratios = (promise["estimate"], promise["ci_low"], promise["ci_high"])
    absolute = found["PROMISE 2015"]["absolute"]
    assert absolute["baseline_risk"] == 0.3 and absolute["baseline_source"] == "user"
    expected = [per_1000(rr_difference(0.3, r)) for r in ratios]
    assert [absolute["per_1000"], absolute["per_1000_low"], absolute["per_1000_high"]] == expected
    haas = found["Haas 2019 Cochrane (miscarriage)"]["absolute"]  # the user's baseline wins
    assert [haas["per_1000"], haas["per_1000_low"], haas["per_1000_high"]] == [-81, -138, 0]
    assert haas["baseline_source"] == "user"
    assert all(p["absolute"] is not None for p in found.values() if p["measure"] == "RR")
    assert "0.3, 300 per 1000" in document["absolute_method"]


def test_an_undesirable_outcome_is_worded_so_the_sign_cannot_be_misread(run_cli: Any) -> None:
    out = squash(evidence(run_cli, "progesterone", "--baseline", "0.3"))
    assert (
        "Haas 2019 Cochrane (miscarriage) — 81 fewer women with miscarriage per 1000 "
        "(138 fewer to no difference); baseline you gave: 300 per 1000; NNT not estimable"
    ) in out
    # Kumar 2014 reports placebo vs dydrogesterone: inverted before converting.
    s = study("progesterone", "Kumar 2014")
    ratios = (1 / s["estimate"], 1 / s["ci_high"], 1 / s["ci_low"])
    diffs = [rr_difference(0.3, r) for r in ratios]
    d = [per_1000(x) for x in diffs]
    nnt = [math.ceil(1 / abs(diffs[0])), math.ceil(1 / abs(diffs[1])), math.ceil(1 / abs(diffs[2]))]
    assert (
        f"Kumar 2014 — {-d[0]} fewer women with miscarriage per 1000 ({-d[1]} fewer to "
        f"{-d[2]} fewer); baseline you gave: 300 per 1000; NNT {nnt[0]} ({nnt[1]} to {nnt[2]})."
    ) in out


# -- what cannot be computed ---------------------------------------------------------------


def test_a_study_without_a_control_risk_says_baseline_unknown(run_cli: Any) -> None:
    out = squash(evidence(run_cli, "progesterone", "--absolute"))
    assert (
        "Haas 2019 Cochrane (preterm birth) — Preterm birth: baseline unknown (the source gives "
        "no control-arm counts; none is guessed)."
    ) in out
    document = json.loads(evidence(run_cli, "progesterone", "--absolute", "-f", "json"))
    preterm = points(document)["Haas 2019 Cochrane (preterm birth)"]
    assert preterm["absolute"] is None and preterm["absolute_note"] == "baseline unknown"


def test_a_control_risk_the_source_gives_is_the_baseline(run_cli: Any) -> None:
    """Haas 2019 gives its control risks per 1000 (275 miscarriages), not arm counts."""
    out = squash(evidence(run_cli, "progesterone", "--absolute"))
    assert (
        "Haas 2019 Cochrane (miscarriage) — 74 fewer women with miscarriage per 1000 (127 fewer "
        "to no difference); control arm 275 per 1000"
    ) in out


def test_an_unclear_comparison_order_is_said_not_guessed(run_cli: Any, edit_therapy: Any) -> None:
    def unclear(data: dict[str, Any]) -> None:
        promise = next(s for s in data["evidence"] if s["label"] == "PROMISE 2015")
        promise["comparison"] = "progesterone vs dydrogesterone"

    path = edit_therapy("progesterone", unclear)
    kb = str(path.parent.parent)
    out = squash(evidence(run_cli, "progesterone", "--baseline", "0.3", "--kb", kb))
    assert "PROMISE 2015 — Live birth after 24 weeks: comparison order unclear" in out
    document = json.loads(evidence(run_cli, "progesterone", "--absolute", "-f", "json", "--kb", kb))
    promise = points(document)["PROMISE 2015"]
    assert promise["absolute"] is None and promise["absolute_note"] == "comparison order unclear"


@pytest.mark.parametrize("value", BAD_BASELINES)
def test_a_bad_baseline_is_a_usage_error_in_one_line_with_a_hint(run_cli: Any, value: str) -> None:
    code, out, err = run_cli("evidence", "progesterone", "--baseline", value)
    assert (code, out) == (2, "")
    first, hint = err.splitlines()
    assert first == (
        f"rmcli: error: --baseline must be a proportion strictly between 0 and 1, got '{value}'"
    )
    assert hint.startswith("hint: ") and "--baseline 0." in hint
    if value == "35%":
        assert hint.endswith("not a percentage: 35% is --baseline 0.35")


def test_a_missing_baseline_value_is_a_usage_error(run_cli: Any) -> None:
    code, out, err = run_cli("evidence", "progesterone", "--baseline")
    assert (code, out) == (2, "")
    assert err.startswith("rmcli: error: Option '--baseline' requires an argument")


# -- every format --------------------------------------------------------------------------


@pytest.mark.parametrize("columns", ["80", "120"])
def test_the_terminal_table_shows_them_at_every_width(run_cli: Any, columns: str) -> None:
    out = evidence(run_cli, "ivig", "--absolute", columns=columns)
    lines = out.splitlines()
    assert all(len(line) <= int(columns) for line in lines)
    heading = lines.index("Absolute effects per 1000")
    assert heading < lines.index("Studies without a structured estimate and 95% CI (not drawn)")
    flat = squash(out)
    assert "Christiansen 2015 — 55 more live births per 1000 women (150 fewer to 370 more)" in flat
    assert "control arm 500 per 1000" in flat
    assert "Shi 2022 — Live birth: baseline unknown" in flat
    assert "GRADE method" in flat


def test_without_absolute_nothing_changes(run_cli: Any) -> None:
    plain = evidence(run_cli, "ivig")
    assert "Absolute effects" not in plain and "per 1000" not in plain
    assert "absolute" not in evidence(run_cli, "ivig", "-f", "json")
    assert "Absolute effects" not in evidence(run_cli, "ivig", "-f", "markdown")


def test_markdown_has_a_table_of_absolute_effects(run_cli: Any) -> None:
    out = evidence(run_cli, "progesterone", "--absolute", "--format", "markdown")
    lines = out.splitlines()
    start = lines.index("### Absolute effects per 1000")
    header = next(line for line in lines[start:] if line.startswith("| study"))
    assert header == ("| study | outcome | baseline | difference per 1000 (95% CI) | NNT or NNH |")
    assert (
        "| PROMISE 2015 | Live birth after 24 weeks | control arm 633 per 1000 | 25 more live "
        "births after 24 weeks per 1000 women (38 fewer to 95 more) | NNT not estimable (95% CI "
        "includes no difference) |"
    ) in lines
    assert any(
        line.startswith("| Haas 2019 Cochrane (preterm birth) | Preterm birth | baseline unknown |")
        for line in lines
    )


def test_json_keys_follow_the_contract(run_cli: Any) -> None:
    document = json.loads(evidence(run_cli, "ivig", "--absolute", "--format", "json"))
    assert {"schema_version", "kb_version", "disclaimer", "absolute_method"} <= document.keys()
    found = points(document)
    contract = {"baseline_risk", "baseline_source", "per_1000", "per_1000_low", "per_1000_high"}
    christiansen = found["Christiansen 2015"]["absolute"]
    assert contract <= christiansen.keys()
    assert christiansen["baseline_risk"] == 0.5  # 20/40
    assert {"nnt_kind", "nnt", "nnt_low", "nnt_high", "outcome"} <= christiansen.keys()
    assert christiansen["nnt_kind"] == "not estimable" and christiansen["nnt"] is None
    for label, point in found.items():
        if point["measure"] in ("RR", "OR", "HR", "aOR", "aRR", "aHR", "Peto OR"):
            assert "absolute" in point, label
            assert (point["absolute"] is None) == ("absolute_note" in point), label
        else:
            assert "absolute" not in point, label


def test_the_svg_shows_relative_effects_only(run_cli: Any) -> None:
    plain = evidence(run_cli, "ivig", "--format", "svg")
    assert evidence(run_cli, "ivig", "--absolute", "--format", "svg") == plain
    code, out, _ = run_cli("evidence", "--help", env={"COLUMNS": "200"})
    assert code == 0 and "the SVG plot shows relative effects only" in squash(out)


# -- numeric extremes (issue 17) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "baseline", ["1e-308", "5e-324", "1e-320", "0.00005", "0.99995", "0.9999999999999999", "1e-15"]
)
def test_a_baseline_too_near_0_or_1_is_a_usage_error_not_a_crash(
    run_cli: Any, baseline: str
) -> None:
    """--baseline 1e-308 once overflowed the NNT: "internal error", exit 1."""
    code, out, err = run_cli("evidence", "ivig", "--absolute", "--baseline", baseline)
    assert (code, out) == (2, "")
    assert err == (
        f"rmcli: error: --baseline must be a proportion from 0.0001 to 0.9999, got '{baseline}'\n"
        "hint: a risk nearer to 0 or 1 than 1 in 10,000 shows as 0 or 1000 per 1000\n"
    )


@pytest.mark.parametrize("baseline", ["0.0001", "0.9999"])
@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_the_extreme_baselines_allowed_render_every_therapy(
    run_cli: Any, kb: KnowledgeBase, baseline: str, fmt: str
) -> None:
    for therapy in kb.therapies:
        code, out, err = run_cli("evidence", therapy.id, "--baseline", baseline, "-f", fmt)
        assert (code, err) == (0, ""), (therapy.id, err)
        assert out
