"""The headline stance and key estimate (docs/kb-format.md, "Headline stance and key estimate")."""

from __future__ import annotations

import datetime
from typing import Any

import builders
import msgspec
from builders import position

from rmcli.kb import KnowledgeBase, Therapy
from rmcli.kb.headline import consistent, headline_position, is_subgroup
from rmcli.kb.model import GuidelinePosition, Study
from rmcli.views.headline import headline, key_study

ESTIMATE: dict[str, Any] = {
    "measure": "RR",
    "estimate": 1.1,
    "ci_low": 0.9,
    "ci_high": 1.3,
    "direction": "higher-better",
}


def study(label: str, **changes: Any) -> Study:
    return builders.study(
        **{"label": label, "population": "Unexplained RPL", **ESTIMATE, **changes}
    )


def demo(guidelines: list[GuidelinePosition], evidence: list[Study] | None = None) -> Therapy:
    claim = {"text": "t", "refs": ["r"], "checked": "primary"}
    return msgspec.convert(
        {
            "id": "demo",
            "name": "Demo",
            "drug_class": "c",
            "summary": "s",
            "targets": ["nk-cells"],
            "last_reviewed": datetime.date(2026, 1, 1),
            "overall": {**claim, "status": "unproven", "certainty": "low"},
            "mechanism": claim,
            "indications": [claim],
            "regimens": [],
            "evidence": [msgspec.to_builtins(s) for s in evidence or []],
            "guidelines": [msgspec.to_builtins(g) for g in guidelines],
            "caveats": [claim],
            "maternal_risks": [claim],
            "fetal_risks": [claim],
            "monitoring": [claim],
            "cost": [claim],
        },
        Therapy,
    )


def test_an_unverified_or_silent_position_is_never_the_headline() -> None:
    unknown = position(stance="unknown", checked="unverified")
    silent = position(stance="no-statement")
    h = headline(demo([unknown, silent]))
    assert h.line == "No verified guideline position on recurrent miscarriage"
    assert h.full.startswith(
        "No verified guideline position on recurrent miscarriage; status unproven, certainty low"
    )
    assert "key evidence: no estimate with a 95% CI in recurrent miscarriage" in h.full


def test_a_broad_population_beats_a_refractory_subgroup() -> None:
    refractory = position(
        body="ACR",
        year=2020,
        stance="recommend-against",
        strength="strong",
        population="Obstetric APS in which heparin plus aspirin has failed",
        checked="secondary",
    )
    broad = position(
        body="RCOG",
        year=2011,
        stance="recommend-against",
        strength="not-stated",
        population="Recurrent miscarriage associated with antiphospholipid antibodies",
        checked="secondary",
    )
    assert headline_position(demo([refractory, broad])) == broad
    h = headline(demo([refractory, broad]))
    assert h.line == (
        "RCOG 2011 recommends against it (certainty low) for recurrent miscarriage associated with "
        "antiphospholipid antibodies †"
    )
    assert h.checked == "secondary"


def test_then_strength_then_primary_then_the_newer_edition() -> None:
    old = position(body="RCOG", year=2011, stance="recommend-against", strength="not-stated")
    new = position(body="ESHRE", year=2022)
    secondary = position(body="ACR", year=2023, checked="secondary")
    strong = position(body="NICE", year=2019, strength="strong", checked="secondary")
    assert headline_position(demo([old, new])) == new
    assert headline_position(demo([old, secondary, new])) == new
    assert headline_position(demo([old, secondary, new, strong])) == strong
    assert headline(demo([new])).line == (
        "ESHRE 2022 suggests it (conditional; certainty low) for women with RPL"
    )


def test_subgroup_markers() -> None:
    assert is_subgroup("APS with pregnancy loss despite aspirin plus heparin")
    assert is_subgroup("Selected women meeting McGill-based criteria")
    assert is_subgroup("APS with a previous thrombosis")
    assert not is_subgroup("Women with antiphospholipid syndrome")


def test_the_key_study_prefers_the_headline_population_then_pooled_and_large() -> None:
    aps = position(population="Women with antiphospholipid syndrome")
    small_aps = study("APS trial", population="APS with recurrent miscarriage", n=40)
    big_other = study("Big", kind="meta-analysis", n=5000)
    harm = study("Harm", kind="meta-analysis", outcome="Postpartum haemorrhage", n=90000)
    assert key_study(demo([aps], [big_other, small_aps, harm])) == small_aps
    assert key_study(demo([], [harm, big_other])) == big_other
    assert key_study(demo([], [study("No estimate", estimate=None)])) is None


def test_bundled_headlines(kb: KnowledgeBase) -> None:
    for therapy in kb.therapies:
        h = headline(therapy)
        if h.position is not None:
            assert h.position.checked in ("primary", "secondary")
            assert h.position.indication in ("recurrent-miscarriage", "obstetric-aps")
            # it agrees with the status (kb validate checks the same)
            assert consistent(h.position.stance, therapy.overall.status), therapy.id
            candidates = [
                g
                for g in therapy.guidelines
                if g.checked != "unverified"
                and g.stance not in ("unknown", "no-statement")
                and g.indication != "other"
            ]
            assert not is_subgroup(h.position.population) or all(
                is_subgroup(g.population) for g in candidates
            ), therapy.id
        assert "UNVERIFIED" not in h.line and "knowledge base" not in h.full


def test_a_position_on_another_indication_is_never_the_headline() -> None:
    """ACR's advice to taper steroids in rheumatic disease is not a miscarriage position."""
    taper = position(body="ACR", year=2020, stance="recommend", strength="strong")
    taper = msgspec.structs.replace(taper, indication="other")
    h = headline(demo([taper]))
    assert h.position is None and h.line.startswith("No verified guideline position")


def test_a_study_of_another_population_is_never_the_key_evidence() -> None:
    ivf = study("IVF trial", kind="meta-analysis", n=9000, rpl=False)
    small = study("RPL trial", n=50)
    assert key_study(demo([], [ivf, small])) == small


def test_the_study_marked_key_leads_whatever_the_rule_would_pick(kb: KnowledgeBase) -> None:
    ivig = next(t for t in kb.therapies if t.id == "ivig")
    assert key_study(ivig) is not None and key_study(ivig).key  # type: ignore[union-attr]
    unmarked = msgspec.structs.replace(
        ivig, evidence=[msgspec.structs.replace(s, key=False) for s in ivig.evidence]
    )
    picked = key_study(unmarked)
    assert picked is not None and picked.label != key_study(ivig).label  # type: ignore[union-attr]
