"""The wizard's decision logic on clinically distinct profiles, with the real knowledge base."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import contract
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wizard_helpers import bundled_kb, make_profile

from rmcli.assess import TIER_ORDER, Assessment, TherapyAssessment, assess, matched_answers
from rmcli.kb.model import Match
from rmcli.profile import FINDINGS, Profile

THERAPY_IDS = contract.THERAPY_IDS


def by_id(result: Assessment) -> dict[str, TherapyAssessment]:
    return {item.therapy: item for item in result.assessments}


def run(**answers: Any) -> tuple[Profile, Assessment]:
    profile = make_profile(**answers)
    return profile, assess(profile, bundled_kb())


@dataclass
class Case:
    id: str
    answers: dict[str, Any]
    tiers: dict[str, str]
    # therapy -> answers that must appear among the matched answers of its reasons
    matched: dict[str, list[str]] = field(default_factory=dict)
    # therapy -> conditions expected among its cautions
    cautions: dict[str, list[str]] = field(default_factory=dict)


CASES = [
    Case(
        "aps-2-losses",
        {"losses": 2, "findings": {"antiphospholipid": "persistent"}},
        {
            "heparin": "research-only",
            "aspirin": "research-only",
            "hydroxychloroquine": "not-indicated",
            "prednisolone": "not-recommended",
            "ivig": "not-recommended",
            "lymphocyte-immunotherapy": "not-recommended",
            "progesterone": "not-indicated",
        },
        matched={
            "heparin": ["losses = 2 (at most 2)", "antiphospholipid = persistent"],
            "aspirin": ["losses = 2 (at most 2)", "antiphospholipid = persistent"],
        },
    ),
    Case(
        "aps-3-losses",
        {"losses": 3, "findings": {"antiphospholipid": "persistent"}},
        {
            "heparin": "recommended",
            "aspirin": "recommended",
            "hydroxychloroquine": "consider",
            "prednisolone": "not-recommended",
            "ivig": "not-recommended",
        },
        matched={
            "heparin": ["losses = 3 (at least 3)", "antiphospholipid = persistent"],
            "aspirin": ["losses = 3 (at least 3)", "antiphospholipid = persistent"],
        },
    ),
    Case(
        "aps-late-loss",
        {"losses": 2, "late_losses": 1, "findings": {"antiphospholipid": "persistent"}},
        {"heparin": "consider", "aspirin": "consider", "hydroxychloroquine": "consider"},
        matched={"heparin": ["late_losses = 1 (at least 1)", "antiphospholipid = persistent"]},
    ),
    Case(
        "unexplained-rpl",
        {"losses": 3, "findings": {"antiphospholipid": "negative"}},
        {
            "heparin": "not-recommended",
            "aspirin": "not-recommended",
            "ivig": "not-recommended",
            "progesterone": "not-recommended",
            "lymphocyte-immunotherapy": "not-recommended",
            "g-csf": "research-only",
            "hydroxychloroquine": "research-only",
            "prednisolone": "not-indicated",
            "tnf-inhibitors": "not-indicated",
        },
        matched={
            "heparin": ["losses = 3 (at least 2)", "antiphospholipid = negative"],
            "ivig": ["losses = 3 (at least 3)", "antiphospholipid = negative"],
            "progesterone": ["losses = 3 (at least 3)", "bleeding = false"],
            "lymphocyte-immunotherapy": ["losses = 3 (at least 2)"],
        },
    ),
    Case(
        "raised-nk",
        {"losses": 2, "findings": {"antiphospholipid": "negative", "nk_cells": "elevated"}},
        {
            "prednisolone": "research-only",
            "ivig": "research-only",
            "intralipid": "research-only",
            "tacrolimus": "not-indicated",
        },
        matched={
            "prednisolone": ["nk_cells = elevated"],
            "ivig": ["nk_cells = elevated"],
            "intralipid": ["nk_cells = elevated"],
        },
    ),
    Case(
        "low-tregs",
        {"losses": 2, "findings": {"tregs": "low"}},
        {
            "treg-transfer": "research-only",
            "low-dose-il2": "research-only",
            "prednisolone": "not-indicated",
        },
        matched={"treg-transfer": ["tregs = low"], "low-dose-il2": ["tregs = low"]},
    ),
    Case(
        "raised-tnf-latent-tb",
        {"losses": 2, "findings": {"tnf_alpha": "elevated"}, "conditions": ["latent-tb"]},
        {"tnf-inhibitors": "avoid", "prednisolone": "not-indicated"},
        matched={"tnf-inhibitors": ["conditions includes latent-tb", "tnf_alpha = elevated"]},
        cautions={"tnf-inhibitors": ["latent-tb"], "prednisolone": ["latent-tb"]},
    ),
    Case(
        "iga-deficiency-raised-nk",
        {
            "losses": 2,
            "findings": {"antiphospholipid": "negative", "nk_cells": "elevated"},
            "conditions": ["iga-deficiency"],
        },
        {"ivig": "avoid", "prednisolone": "research-only", "intralipid": "research-only"},
        matched={"ivig": ["conditions includes iga-deficiency", "nk_cells = elevated"]},
        cautions={"ivig": ["iga-deficiency"]},
    ),
    Case(
        "iga-deficiency-nothing-matches",
        {
            "losses": 2,
            "findings": {"antiphospholipid": "negative"},
            "conditions": ["iga-deficiency"],
        },
        {"ivig": "not-indicated"},
        cautions={"ivig": ["iga-deficiency"]},
    ),
    Case(
        "hit-history-with-aps",
        {
            "losses": 3,
            "findings": {"antiphospholipid": "persistent"},
            "conditions": ["hit-history"],
        },
        {"heparin": "avoid", "aspirin": "recommended"},
        matched={"heparin": ["conditions includes hit-history", "antiphospholipid = persistent"]},
        cautions={"heparin": ["hit-history"]},
    ),
    Case(
        "thyroid-antibodies",
        {"losses": 2, "findings": {"thyroid_antibodies": "positive"}},
        {"levothyroxine": "not-recommended"},
        matched={"levothyroxine": ["thyroid_antibodies = positive"]},
    ),
    Case(
        "inherited-thrombophilia",
        {
            "losses": 2,
            "findings": {"antiphospholipid": "negative", "inherited_thrombophilia": "present"},
        },
        {"heparin": "not-recommended"},
        matched={"heparin": ["inherited_thrombophilia = present"]},
    ),
    Case(
        "bleeding-in-pregnancy",
        {"losses": 1, "pregnant": True, "bleeding": True},
        {"progesterone": "recommended", "heparin": "not-indicated", "aspirin": "not-indicated"},
        matched={"progesterone": ["pregnant = true", "bleeding = true", "losses = 1 (at least 1)"]},
    ),
    Case(
        "caution-keeps-tier",
        {
            "losses": 3,
            "findings": {"antiphospholipid": "persistent"},
            "conditions": ["renal-impairment", "osteoporosis"],
        },
        {"heparin": "recommended", "hydroxychloroquine": "consider"},
        cautions={
            "heparin": ["renal-impairment", "osteoporosis"],
            "hydroxychloroquine": ["renal-impairment"],
        },
    ),
    Case(
        "contraindication-overrides-not-recommended",
        {
            "losses": 2,
            "findings": {"antiphospholipid": "negative"},
            "conditions": ["aspirin-allergy"],
        },
        {"aspirin": "avoid", "heparin": "not-recommended"},
        cautions={"aspirin": ["aspirin-allergy"], "heparin": ["aspirin-allergy"]},
    ),
    Case(
        "no-losses-nothing-tested",
        {"losses": 0},
        dict.fromkeys(THERAPY_IDS, "not-indicated"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_tiers_reasons_and_cautions(case: Case) -> None:
    _, result = run(**case.answers)
    items = by_id(result)
    assert {t: items[t].tier for t in case.tiers} == case.tiers
    for therapy, expected in case.matched.items():
        matched = [answer for reason in items[therapy].reasons for answer in reason.matched]
        for answer in expected:
            assert answer in matched, (therapy, answer, matched)
    for therapy, conditions in case.cautions.items():
        assert [c.condition for c in items[therapy].cautions] == conditions


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_assessment_invariants(case: Case) -> None:
    """Every therapy once, ordered by tier then name, every reference resolvable."""
    kb = bundled_kb()
    profile, result = run(**case.answers)
    assert result.profile == profile
    assert len(result.assessments) == 14
    assert {a.therapy for a in result.assessments} == THERAPY_IDS
    keys = [(TIER_ORDER.index(a.tier), a.name.casefold()) for a in result.assessments]
    assert keys == sorted(keys)
    names = {t.id: t.name for t in kb.therapies}
    for item in result.assessments:
        assert item.name == names[item.therapy]
        cited = [r for part in [*item.reasons, *item.cautions] for r in part.refs]
        assert item.references == list(dict.fromkeys(cited))
        assert set(item.references) <= set(kb.references)
        if item.tier == "not-indicated":
            assert item.reasons == []
        else:
            assert item.reasons, item.therapy
    for finding in [*result.investigations, *result.notes]:
        assert set(finding.refs) <= set(kb.references)


def test_tier_order_is_the_documented_one() -> None:
    assert TIER_ORDER == (
        "recommended",
        "consider",
        "research-only",
        "not-recommended",
        "avoid",
        "not-indicated",
    )


def test_assessments_sorted_by_tier_then_name() -> None:
    _, result = run(
        losses=3,
        findings={"antiphospholipid": "persistent", "nk_cells": "elevated"},
        conditions=["hit-history"],
    )
    order = [(a.tier, a.therapy) for a in result.assessments]
    assert order == [
        ("recommended", "aspirin"),
        ("consider", "hydroxychloroquine"),
        ("research-only", "intralipid"),
        # not-recommended, by name: Corticosteroids, Intravenous..., Lymphocyte...
        ("not-recommended", "prednisolone"),
        ("not-recommended", "ivig"),
        ("not-recommended", "lymphocyte-immunotherapy"),
        ("avoid", "heparin"),
        # not-indicated, by name: Adoptive..., Granulocyte..., Levothyroxine, Low-dose..., ...
        ("not-indicated", "treg-transfer"),
        ("not-indicated", "g-csf"),
        ("not-indicated", "levothyroxine"),
        ("not-indicated", "low-dose-il2"),
        # progesterone's no-bleeding rule excludes APS, so it is not indicated here
        ("not-indicated", "progesterone"),
        ("not-indicated", "tacrolimus"),
        ("not-indicated", "tnf-inhibitors"),
    ]


def test_first_matching_rule_sets_the_tier_and_every_match_is_a_reason() -> None:
    _, result = run(
        losses=3,
        findings={"antiphospholipid": "persistent", "inherited_thrombophilia": "present"},
    )
    heparin = by_id(result)["heparin"]
    assert heparin.tier == "recommended"  # aps-3-losses comes before inherited-thrombophilia
    assert [r.rule for r in heparin.reasons] == ["aps-3-losses", "inherited-thrombophilia"]


def test_every_matching_rule_contributes_in_rule_order() -> None:
    _, result = run(
        losses=3, late_losses=1, findings={"antiphospholipid": "persistent", "nk_cells": "elevated"}
    )
    items = by_id(result)
    assert [r.rule for r in items["heparin"].reasons] == ["aps-3-losses", "aps-late-loss"]
    assert [r.rule for r in items["ivig"].reasons] == ["apl", "raised-nk"]
    assert items["ivig"].tier == "not-recommended"


def test_raised_nk_shows_both_mechanism_and_guideline_position() -> None:
    kb = bundled_kb()
    _, result = run(losses=2, findings={"nk_cells": "elevated"})
    for therapy in ("prednisolone", "ivig", "intralipid"):
        item = by_id(result)[therapy]
        assert item.tier == "research-only"
        (reason,) = [r for r in item.reasons if r.rule == "raised-nk"]
        assert reason.mechanism, therapy  # why it is biologically relevant ...
        assert "NK" in reason.mechanism
        assert reason.text and reason.text != reason.mechanism  # ... and what guidelines say
        assert "eshre-2018" in reason.refs or "ESHRE" in reason.text
        assert reason.matched == ["nk_cells = elevated"]
        assert set(reason.refs) <= set(kb.references)
    prednisolone = by_id(result)["prednisolone"].reasons[0]
    assert "ESHRE 2018 found the evidence insufficient to recommend NK testing" in prednisolone.text


def test_raised_tnf_with_latent_tb_is_avoid_and_names_the_condition_first() -> None:
    _, result = run(losses=2, findings={"tnf_alpha": "elevated"}, conditions=["latent-tb"])
    item = by_id(result)["tnf-inhibitors"]
    assert item.tier == "avoid"
    first = item.reasons[0]
    assert first.rule == "contraindication:latent-tb"
    assert "latent-tb" in first.text
    assert first.matched == ["conditions includes latent-tb"]
    assert first.refs == ["wjg-2014-tnfi-screening"]
    assert [r.rule for r in item.reasons[1:]] == ["raised-tnf"]
    (caution,) = item.cautions
    assert (caution.condition, caution.severity) == ("latent-tb", "contraindication")
    # without latent TB the same finding is research-only
    _, without = run(losses=2, findings={"tnf_alpha": "elevated"})
    assert by_id(without)["tnf-inhibitors"].tier == "research-only"


def test_two_contraindications_are_both_named() -> None:
    _, result = run(
        losses=3,
        findings={"antiphospholipid": "persistent"},
        conditions=["hit-history", "bleeding-disorder"],
    )
    heparin = by_id(result)["heparin"]
    assert heparin.tier == "avoid"
    rules = [r.rule for r in heparin.reasons]
    assert set(rules[:2]) == {"contraindication:hit-history", "contraindication:bleeding-disorder"}
    assert rules[2:] == ["aps-3-losses"]
    assert [c.condition for c in heparin.cautions] == ["hit-history", "bleeding-disorder"]


def test_contraindication_without_a_matching_rule_is_only_a_caution() -> None:
    _, result = run(
        losses=2, findings={"antiphospholipid": "negative"}, conditions=["iga-deficiency"]
    )
    ivig = by_id(result)["ivig"]
    assert ivig.tier == "not-indicated"
    assert ivig.reasons == []
    assert [(c.condition, c.severity) for c in ivig.cautions] == [
        ("iga-deficiency", "contraindication")
    ]
    assert ivig.references == ivig.cautions[0].refs


def test_thyroid_antibodies_levothyroxine_cites_tablet() -> None:
    _, result = run(losses=2, findings={"thyroid_antibodies": "positive"})
    item = by_id(result)["levothyroxine"]
    assert item.tier == "not-recommended"
    assert "TABLET" in item.reasons[0].text
    assert "tablet-2019" in item.references


def test_inherited_thrombophilia_heparin_not_recommended() -> None:
    _, result = run(
        losses=2, findings={"antiphospholipid": "negative", "inherited_thrombophilia": "present"}
    )
    heparin = by_id(result)["heparin"]
    assert heparin.tier == "not-recommended"
    assert heparin.reasons[0].rule == "inherited-thrombophilia"
    assert "alife2-2023" in heparin.references


def test_bleeding_in_current_pregnancy_progesterone_recommended_by_nice() -> None:
    _, result = run(losses=2, pregnant=True, bleeding=True)
    item = by_id(result)["progesterone"]
    assert item.tier == "recommended"
    assert "NICE" in item.reasons[0].text
    assert "nice-ng126" in item.references
    # without bleeding, three losses: PROMISE says no
    _, quiet = run(losses=3, pregnant=True)
    assert by_id(quiet)["progesterone"].tier == "not-recommended"
    # bleeding but no previous loss: the rule needs a previous miscarriage
    _, first = run(losses=0, pregnant=True, bleeding=True)
    assert by_id(first)["progesterone"].tier == "not-indicated"


def test_cautions_carry_text_refs_and_label() -> None:
    kb = bundled_kb()
    _, result = run(losses=3, findings={"nk_cells": "elevated"}, conditions=["diabetes"])
    ivig = by_id(result)["ivig"]
    (caution,) = ivig.cautions
    source = next(
        c
        for c in next(t for t in kb.therapies if t.id == "ivig").contraindications
        if c.condition == "diabetes"
    )
    assert (caution.severity, caution.text, caution.refs, caution.checked) == (
        "caution",
        source.text,
        source.refs,
        source.checked,
    )
    assert ivig.tier == "research-only"  # a caution keeps the tier
    assert set(caution.refs) <= set(ivig.references)


@pytest.mark.parametrize(
    ("answers", "present", "absent"),
    [
        ({"losses": 2}, ["apl-screen", "thyroid-tests", "ana-explanatory"], ["apl-repeat"]),
        ({"losses": 1}, [], ["apl-screen", "apl-repeat", "thyroid-tests"]),  # not RPL yet
        (
            {"losses": 2, "findings": {"antiphospholipid": "transient"}},
            ["apl-repeat"],
            ["apl-screen"],
        ),
        (
            {"losses": 2, "findings": {"antiphospholipid": "persistent"}},
            [],
            ["apl-screen", "apl-repeat"],
        ),
        ({"losses": 3, "late_losses": 1}, ["apl-screen", "thrombophilia-after-late-loss"], []),
        (
            {"losses": 3, "late_losses": 1, "findings": {"inherited_thrombophilia": "absent"}},
            ["apl-screen"],
            ["thrombophilia-after-late-loss"],
        ),
        (
            {"losses": 2, "findings": {"thyroid_antibodies": "negative"}},
            [],
            ["thyroid-tests"],
        ),
    ],
)
def test_investigations(answers: dict[str, Any], present: list[str], absent: list[str]) -> None:
    _, result = run(**answers)
    found = [f.id for f in result.investigations]
    assert set(present) <= set(found), found
    assert not set(absent) & set(found), found


def test_apl_screen_matched_answers() -> None:
    _, result = run(losses=2)
    (screen,) = [f for f in result.investigations if f.id == "apl-screen"]
    assert screen.matched == ["losses = 2 (at least 2)", "antiphospholipid = not-tested"]
    assert "rcog-2023" in screen.refs


@pytest.mark.parametrize("nk", ["elevated", "normal"])
def test_nk_testing_note_when_nk_tested(nk: str) -> None:
    _, result = run(losses=2, findings={"nk_cells": nk})
    notes = {f.id: f for f in result.notes}
    assert notes["nk-testing"].matched == [f"nk_cells = {nk}"]
    assert "ESHRE 2018" in notes["nk-testing"].text


def test_no_nk_note_when_not_tested_but_unconditional_notes_always() -> None:
    _, result = run(losses=2)
    ids = [f.id for f in result.notes]
    assert "nk-testing" not in ids
    assert {"hla-testing", "prognosis"} <= set(ids)
    assert next(f for f in result.notes if f.id == "hla-testing").matched == []


# ---------------------------------------------------------------- matched_answers


@pytest.mark.parametrize(
    ("when", "answers", "expected"),
    [
        ({}, {"losses": 0}, []),
        ({"losses_min": 3}, {"losses": 3}, ["losses = 3 (at least 3)"]),
        ({"losses_min": 3}, {"losses": 2}, None),
        ({"losses_max": 2}, {"losses": 2}, ["losses = 2 (at most 2)"]),
        ({"losses_max": 2}, {"losses": 3}, None),
        (
            {"losses_min": 2, "losses_max": 4},
            {"losses": 4},
            ["losses = 4 (at least 2)", "losses = 4 (at most 4)"],
        ),
        ({"live_births_min": 1}, {"losses": 2, "live_births": 1}, ["live_births = 1 (at least 1)"]),
        ({"live_births_min": 1}, {"losses": 2}, None),
        ({"live_births_max": 0}, {"losses": 2}, ["live_births = 0 (at most 0)"]),
        ({"live_births_max": 0}, {"losses": 2, "live_births": 1}, None),
        (
            {"late_losses_min": 1},
            {"losses": 2, "late_losses": 2},
            ["late_losses = 2 (at least 1)"],
        ),
        ({"late_losses_min": 1}, {"losses": 2}, None),
        ({"pregnant": True}, {"losses": 1, "pregnant": True}, ["pregnant = true"]),
        ({"pregnant": True}, {"losses": 1}, None),
        ({"bleeding": False}, {"losses": 1}, ["bleeding = false"]),
        ({"bleeding": False}, {"losses": 1, "pregnant": True, "bleeding": True}, None),
        (
            {"findings": {"nk_cells": ["elevated", "normal"]}},
            {"losses": 1, "findings": {"nk_cells": "normal"}},
            ["nk_cells = normal"],
        ),
        ({"findings": {"nk_cells": ["elevated", "normal"]}}, {"losses": 1}, None),
        (
            {"findings": {"antiphospholipid": ["not-tested"]}},
            {"losses": 1},
            ["antiphospholipid = not-tested"],
        ),
        (
            {"autoimmune_any": ["sle", "other"]},
            {"losses": 1, "autoimmune_disease": ["rheumatoid-arthritis", "other", "sle"]},
            ["autoimmune_disease includes other, sle"],
        ),
        ({"autoimmune_any": ["sle"]}, {"losses": 1, "autoimmune_disease": ["other"]}, None),
        (
            {"conditions_any": ["diabetes", "hiv"]},
            {"losses": 1, "conditions": ["hiv"]},
            ["conditions includes hiv"],
        ),
        ({"conditions_any": ["diabetes"]}, {"losses": 1}, None),
        (
            # every key must hold (AND), answers in a fixed order: counts, flags, findings, lists
            {
                "conditions_any": ["diabetes"],
                "findings": {"tregs": ["low"]},
                "pregnant": False,
                "losses_min": 2,
            },
            {"losses": 2, "findings": {"tregs": "low"}, "conditions": ["diabetes"]},
            [
                "losses = 2 (at least 2)",
                "pregnant = false",
                "tregs = low",
                "conditions includes diabetes",
            ],
        ),
        (
            {"losses_min": 2, "findings": {"tregs": ["low"]}},
            {"losses": 2, "findings": {"tregs": "normal"}},
            None,
        ),
    ],
)
def test_matched_answers(
    when: dict[str, Any], answers: dict[str, Any], expected: list[str] | None
) -> None:
    assert matched_answers(Match(**when), make_profile(**answers)) == expected


# ---------------------------------------------------------------- properties over any profile

profiles = st.builds(
    dict,
    losses=st.integers(0, 30),
    live_births=st.integers(0, 30),
    pregnant=st.booleans(),
    findings=st.fixed_dictionaries({k: st.sampled_from(v) for k, v in FINDINGS.items()}),
    autoimmune_disease=st.lists(
        st.sampled_from(sorted(bundled_kb().vocabulary.autoimmune)), unique=True
    ),
    conditions=st.lists(st.sampled_from(sorted(bundled_kb().vocabulary.conditions)), unique=True),
    bleeding_if_pregnant=st.booleans(),
    late_fraction=st.floats(0, 1),
)


def _answers(raw: dict[str, Any]) -> dict[str, Any]:
    answers = dict(raw)
    bleeding = answers.pop("bleeding_if_pregnant")
    answers["bleeding"] = bleeding and answers["pregnant"]
    answers["late_losses"] = int(answers["losses"] * answers.pop("late_fraction"))
    return answers


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles)
def test_any_profile_gets_a_consistent_assessment(raw: dict[str, Any]) -> None:
    kb = bundled_kb()
    profile, result = run(**_answers(raw))
    assert {a.therapy for a in result.assessments} == THERAPY_IDS
    keys = [(TIER_ORDER.index(a.tier), a.name.casefold()) for a in result.assessments]
    assert keys == sorted(keys)
    therapies = {t.id: t for t in kb.therapies}
    for item in result.assessments:
        therapy = therapies[item.therapy]
        matching = [r for r in therapy.rules if matched_answers(r.when, profile) is not None]
        contraindicated = [
            c.condition
            for c in therapy.contraindications
            if c.severity == "contraindication" and c.condition in profile.conditions
        ]
        if not matching:
            assert item.tier == "not-indicated"
        elif contraindicated:
            assert item.tier == "avoid"
            assert {r.rule for r in item.reasons[: len(contraindicated)]} == {
                f"contraindication:{c}" for c in contraindicated
            }
        else:
            assert item.tier == matching[0].tier
        assert [r.rule for r in item.reasons if not r.rule.startswith("contraindication:")] == [
            r.id for r in matching
        ]
        assert {c.condition for c in item.cautions} == {
            c.condition for c in therapy.contraindications if c.condition in profile.conditions
        }
        assert set(item.references) <= set(kb.references)
