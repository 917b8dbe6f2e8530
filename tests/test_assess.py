"""The decision semantics of rmcli.assess, on crafted rules over the real vocabulary.

Clinical vignettes against the bundled knowledge base live in test_vignettes.py; here each rule
is written in the test, so every assertion is about the logic, not about today's data.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from wizard_helpers import bundled_kb, make_profile

from rmcli.assess import TIER_ORDER, assess, assess_therapy
from rmcli.kb.model import Contraindication, KnowledgeBase, Match, Population, Rule, Therapy


def rule(rule_id: str, tier: str, **when: Any) -> Rule:
    extra = {k: when.pop(k) for k in ("purpose", "population", "mechanism") if k in when}
    return Rule(
        id=rule_id,
        tier=tier,  # type: ignore[arg-type]
        when=Match(**when),
        reason=f"reason of {rule_id}",
        refs=["eshre-2018"],
        checked="primary",
        **extra,
    )


def contra(condition: str, severity: str) -> Contraindication:
    return Contraindication(
        condition=condition,
        severity=severity,  # type: ignore[arg-type]
        text=f"label on {condition}",
        refs=["rcog-2023"],
        checked="primary",
    )


def therapy(rules: list[Rule], contras: list[Contraindication] | None = None) -> Therapy:
    base = next(t for t in bundled_kb().therapies if t.id == "ivig")
    return msgspec.structs.replace(base, rules=rules, contraindications=contras or [])


def tier_of(t: Therapy, **answers: Any) -> str:
    return assess_therapy(t, make_profile(**answers), bundled_kb()).tier


APL = {"antiphospholipid": ["persistent"]}
NK = {"nk_cells": ["elevated"]}


def test_first_matching_rule_sets_the_tier_and_consistent_matches_give_reasons() -> None:
    t = therapy(
        [
            rule("a", "recommended", losses_min=3),
            rule("same", "recommended", losses_min=2),
            rule("b", "not-recommended"),
        ]
    )
    result = assess_therapy(t, make_profile(losses=3), bundled_kb())
    assert result.tier == "recommended"
    # a matched rule whose tier contradicts the decisive one is not listed beside it
    assert [(r.rule, r.decisive) for r in result.reasons] == [("a", True), ("same", False)]
    assert tier_of(t, losses=1) == "not-recommended"


def test_a_rule_for_another_indication_is_listed_beside_the_decisive_one() -> None:
    other = rule("pe", "consider", losses_min=1)
    other = msgspec.structs.replace(other, purpose="pre-eclampsia prophylaxis")
    t = therapy([rule("a", "not-recommended", losses_min=2), other])
    result = assess_therapy(t, make_profile(losses=3), bundled_kb())
    assert [(r.rule, r.decisive) for r in result.reasons] == [("a", True), ("pe", False)]


def test_nothing_matches_is_not_indicated_with_no_reasons() -> None:
    result = assess_therapy(
        therapy([rule("a", "consider", losses_min=5)]), make_profile(losses=2), bundled_kb()
    )
    assert (result.tier, result.reasons) == ("not-indicated", [])
    assert result.why == "Nothing in this profile matches what it targets."


def test_a_discouraged_test_cannot_lift_a_tier_set_by_another_rule() -> None:
    # rule order puts the NK rule first; it must still not lift not-recommended
    t = therapy([rule("nk", "research-only", findings=NK), rule("general", "not-recommended")])
    result = assess_therapy(
        t, make_profile(losses=3, findings={"nk_cells": "elevated"}), bundled_kb()
    )
    assert result.tier == "not-recommended"
    assert [(r.rule, r.decisive) for r in result.reasons] == [("nk", False), ("general", True)]


def test_a_discouraged_test_sets_the_tier_only_when_nothing_else_matches() -> None:
    t = therapy([rule("nk", "research-only", findings=NK), rule("apl", "consider", findings=APL)])
    assert tier_of(t, losses=2, findings={"nk_cells": "elevated"}) == "research-only"
    assert (
        tier_of(t, losses=2, findings={"nk_cells": "elevated", "antiphospholipid": "persistent"})
        == "consider"
    )


def test_contraindication_makes_avoid_even_when_not_otherwise_indicated() -> None:
    t = therapy(
        [rule("apl", "recommended", findings=APL)], [contra("heart-failure", "contraindication")]
    )
    for answers in ({"findings": {"antiphospholipid": "persistent"}}, {}):
        result = assess_therapy(
            t, make_profile(losses=3, conditions=["heart-failure"], **answers), bundled_kb()
        )
        assert result.tier == "avoid"
        first = result.reasons[0]
        assert first.rule == "contraindication:heart-failure"
        assert first.decisive
        assert first.text.startswith("Contraindicated (Heart failure): label on heart-failure")
        assert result.cautions == []  # said once, as the reason
        assert result.why == "Heart failure"


def test_caution_keeps_the_tier_and_names_the_condition() -> None:
    t = therapy(
        [rule("apl", "recommended", findings=APL)],
        [contra("diabetes", "caution"), contra("asthma", "caution")],
    )
    result = assess_therapy(
        t,
        make_profile(
            losses=3, conditions=["diabetes"], findings={"antiphospholipid": "persistent"}
        ),
        bundled_kb(),
    )
    assert result.tier == "recommended"
    assert [(c.condition, c.condition_name, c.text) for c in result.cautions] == [
        ("diabetes", "Diabetes", "label on diabetes")
    ]
    assert result.references == ["eshre-2018", "rcog-2023"]


def test_purpose_other_than_miscarriage_prevention_is_named_in_why() -> None:
    t = therapy(
        [rule("sle", "recommended", autoimmune_any=["sle"], purpose="pre-eclampsia prophylaxis")]
    )
    result = assess_therapy(t, make_profile(losses=2, autoimmune_disease=["sle"]), bundled_kb())
    assert result.why == (
        "Systemic lupus erythematosus (for pre-eclampsia prophylaxis, not miscarriage prevention)"
    )
    assert result.reasons[0].purpose == "pre-eclampsia prophylaxis"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"losses": 3, "age": 30}, None),
        ({"losses": 3}, None),  # unknown age: nothing to say
        ({"losses": 3, "age": 42}, "she is 42; it enrolled women up to 39"),
        ({"losses": 3, "age": 17}, "she is 17; it enrolled women aged 18 or over"),
        ({"losses": 2, "age": 30}, "she has had 2 losses; it enrolled 3 or more"),
        (
            {"losses": 3, "live_births": 1},
            "her losses are secondary (after a birth); it enrolled primary RPL only",
        ),
    ],
)
def test_applicability_says_where_she_is_outside_the_population(
    answers: dict[str, Any], expected: str | None
) -> None:
    population = Population(
        label="PROMISE", age_min=18, age_max=39, losses_min=3, live_births_max=0
    )
    t = therapy([rule("p", "not-recommended", population=population)])
    (reason,) = assess_therapy(t, make_profile(**answers), bundled_kb()).reasons
    if expected is None:
        assert reason.applicability is None
    else:
        assert reason.applicability == f"Outside the population of PROMISE: {expected}."


def test_secondary_only_population() -> None:
    population = Population(label="Stephenson 2010", live_births_min=1)
    t = therapy([rule("p", "research-only", population=population)])
    (reason,) = assess_therapy(t, make_profile(losses=3), bundled_kb()).reasons
    assert reason.applicability == (
        "Outside the population of Stephenson 2010: her losses are primary (no earlier birth); "
        "it enrolled secondary RPL only."
    )


def small_kb(*therapies: Therapy) -> KnowledgeBase:
    return msgspec.structs.replace(bundled_kb(), therapies=list(therapies))


def named(t: Therapy, therapy_id: str) -> Therapy:
    return msgspec.structs.replace(t, id=therapy_id, name=therapy_id.title())


def test_what_would_change_lists_each_untested_result() -> None:
    heparin = named(therapy([rule("apl", "recommended", findings=APL)]), "heparin")
    kb = small_kb(heparin)
    result = assess(make_profile(losses=3), kb)
    apl = next(w for w in result.what_would_change if w.finding == "antiphospholipid")
    assert apl.name == "Antiphospholipid antibodies"
    changes = {r.value: [(c.therapy, c.from_, c.to) for c in r.changes] for r in apl.results}
    assert changes == {
        "persistent": [("heparin", "not-indicated", "recommended")],
        "transient": [],
        "negative": [],
    }
    encoded = msgspec.json.decode(msgspec.json.encode(apl.results[0].changes[0]))
    assert encoded == {
        "therapy": "heparin",
        "name": "Heparin",
        "from": "not-indicated",
        "to": "recommended",
    }


def test_what_would_change_skips_tested_findings() -> None:
    kb = small_kb(named(therapy([]), "heparin"))
    result = assess(make_profile(losses=3, findings={"antiphospholipid": "negative"}), kb)
    listed = [w.finding for w in result.what_would_change]
    assert "antiphospholipid" not in listed
    assert listed == [k for k in kb.vocabulary.findings if k != "antiphospholipid"]


def test_results_are_ordered_by_tier_then_name() -> None:
    kb = small_kb(
        named(therapy([rule("x", "not-recommended")]), "alpha"),
        named(therapy([rule("x", "recommended")]), "zeta"),
        named(therapy([rule("x", "recommended")]), "beta"),
        named(therapy([], [contra("asthma", "contraindication")]), "gamma"),
    )
    result = assess(make_profile(losses=2, conditions=["asthma"]), kb)
    assert [(a.therapy, a.tier) for a in result.assessments] == [
        ("beta", "recommended"),
        ("zeta", "recommended"),
        ("alpha", "not-recommended"),
        ("gamma", "avoid"),
    ]
    assert TIER_ORDER.index("avoid") == 4


def test_outlook_matches_its_population() -> None:
    young = msgspec.structs.replace(
        bundled_kb().assessment.outlook[0] if bundled_kb().assessment.outlook else _advice(),
        id="young",
        when=Match(age_max=35, losses_min=2),
        text="group figure",
    )
    kb = msgspec.structs.replace(
        bundled_kb(), assessment=msgspec.structs.replace(bundled_kb().assessment, outlook=[young])
    )
    assert [o.text for o in assess(make_profile(losses=2, age=30), kb).outlook] == ["group figure"]
    assert assess(make_profile(losses=2, age=40), kb).outlook == []
    assert assess(make_profile(losses=2), kb).outlook == []  # unknown age never matches an age band


def _advice() -> Any:
    from rmcli.kb.model import Advice

    return Advice(id="x", when=Match(), text="x", refs=["lund-2012"], checked="primary")
