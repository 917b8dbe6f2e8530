"""Summary-of-findings rows: which comparisons are key, and what each row says."""

from __future__ import annotations

from typing import Any

import builders
import msgspec
import pytest

from rmcli.kb import KnowledgeBase
from rmcli.kb.model import Study, Therapy
from rmcli.sof import key_comparisons, relative_text, summary_of_findings


def study(label: str, kind: str, n: int | None, **fields: Any) -> Study:
    estimate = {"measure": "RR", "estimate": 1.1, "ci_low": 0.9, "ci_high": 1.3}
    fields = {"direction": "higher-better", "refs": ["ref"], **estimate, **fields}
    return builders.study(label=label, kind=kind, n=n, **fields)


COUNTS = {"control_events": 60, "control_total": 100}
EVIDENCE = [
    study("MA 1000", "meta-analysis", 1000),
    study("RCT 800 counts", "rct", 800, **COUNTS),
    study("RCT 5000 no counts", "rct", 5000),
    study("Cohort counts", "cohort", 9000, **COUNTS),
    study("SR unknown n", "systematic-review", None),
    study("RCT 4000 counts", "rct", 4000, **COUNTS),
    study("MA RD", "meta-analysis", 9999, measure="RD", estimate=1.0, ci_low=0.0, ci_high=2.0),
    study("MA unclear", "meta-analysis", 9999, comparison="IVIG vs intralipid"),
    study("MA 500", "meta-analysis", 500),
]


@pytest.fixture
def therapy(kb: KnowledgeBase) -> Therapy:
    return msgspec.structs.replace(kb.therapies[0], evidence=EVIDENCE)


def test_key_comparisons_put_known_baselines_first_then_the_largest(therapy: Therapy) -> None:
    labels = [s.label for s in key_comparisons(therapy)]
    assert labels == ["RCT 4000 counts", "RCT 800 counts", "MA 1000", "MA 500"]


def test_with_a_user_baseline_size_alone_orders(therapy: Therapy) -> None:
    labels = [s.label for s in key_comparisons(therapy, 0.3)]
    assert labels == ["RCT 4000 counts", "MA 1000", "RCT 800 counts", "MA 500"]


def test_unknown_sizes_come_last(therapy: Therapy) -> None:
    few = msgspec.structs.replace(therapy, evidence=[EVIDENCE[4], EVIDENCE[0]])
    assert [s.label for s in key_comparisons(few)] == ["MA 1000", "SR unknown n"]


def test_rows(therapy: Therapy) -> None:
    rows = summary_of_findings(therapy)
    first, third = rows[0], rows[2]
    assert (first.study, first.kind, first.participants) == ("RCT 4000 counts", "rct", 4000)
    assert first.outcome == "Live birth" and first.relative == "RR 1.1 (0.9 to 1.3)"
    assert first.absolute is not None and first.unavailable is None
    # control 600 per 1000; RR 1.1 (0.9 to 1.3): +60 (-60 to +180); with therapy 660 (540 to 780).
    a = first.absolute
    assert (a.control_per_1000, a.therapy_per_1000) == (600, 660)
    assert (a.therapy_per_1000_low, a.therapy_per_1000_high) == (540, 780)
    assert third.absolute is None and third.unavailable == "baseline unknown"
    assert third.certainty is None and third.refs == ["ref"]


def test_relative_text_keeps_the_sources_decimals_and_inverts() -> None:
    s = study("x", "rct", 10, estimate=1.25, ci_low=1.0, ci_high=1.56, decimals=2)
    assert relative_text(s) == "RR 1.25 (1.00 to 1.56)"
    kumar = study(
        "Kumar", "rct", None, estimate=2.4, ci_low=1.3, ci_high=5.9, comparison="placebo vs D"
    )
    assert relative_text(kumar) == "RR 0.42 (0.17 to 0.77)"


def test_bundled_therapies_give_at_most_four_rows(kb: KnowledgeBase) -> None:
    for therapy in kb.therapies:
        for baseline in (None, 0.3):
            rows = summary_of_findings(therapy, baseline)
            assert len(rows) <= 4
            for row in rows:
                assert row.kind in ("meta-analysis", "systematic-review", "rct")
                assert (row.absolute is None) == (row.unavailable is not None)
                if baseline is not None:
                    assert row.absolute is not None
