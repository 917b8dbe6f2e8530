"""Clinical vignettes: the patients a reproductive immunologist, a rheumatologist and an obstetric
physician would try first, each with the tier they expect and the source the reason must name."""

from __future__ import annotations

from typing import Any

import pytest
from wizard_helpers import bundled_kb, make_profile

from rmcli.assess import TIER_ORDER, Assessment, TherapyAssessment, assess

APS = {"antiphospholipid": "persistent"}


def run(**answers: Any) -> Assessment:
    return assess(make_profile(**answers), bundled_kb())


def item(result: Assessment, therapy: str) -> TherapyAssessment:
    return next(a for a in result.assessments if a.therapy == therapy)


def decisive_text(entry: TherapyAssessment) -> str:
    return " ".join(r.text for r in entry.reasons if r.decisive)


def all_text(entry: TherapyAssessment) -> str:
    return " ".join(f"{r.text} {r.mechanism or ''}" for r in entry.reasons)


def at_least(tier: str, floor: str) -> bool:
    return TIER_ORDER.index(tier) <= TIER_ORDER.index(floor)


def test_thrombotic_aps_gets_therapeutic_heparin_not_a_prophylactic_dose() -> None:
    result = run(losses=2, findings=APS, conditions=["thrombosis-history"])
    heparin = item(result, "heparin")
    assert heparin.tier == "recommended"
    assert "therapeutic" in decisive_text(heparin).casefold()
    assert "acr-2020" in heparin.references
    assert item(result, "aspirin").tier == "recommended"


def test_refractory_obstetric_aps_shows_acr_and_eular_side_by_side() -> None:
    result = run(losses=3, findings=APS, treatments_failed=["heparin", "aspirin"])
    for therapy in ("heparin", "prednisolone", "hydroxychloroquine"):
        text = all_text(item(result, therapy))
        assert "ACR" in text and "EULAR" in text, therapy
    assert item(result, "heparin").tier == "recommended"
    assert item(result, "hydroxychloroquine").tier == "consider"
    assert {"acr-2020", "eular-2019"} <= set(item(result, "hydroxychloroquine").references)
    ivig = item(result, "ivig")
    assert ivig.tier == "not-recommended"
    assert "acr-2020" in ivig.references


@pytest.mark.parametrize(
    "answers",
    [
        {"losses": 3},
        {"losses": 1, "late_losses": 1},
        {"losses": 0, "placental_preterm_births": 1},
    ],
    ids=["three-early-losses", "late-loss", "placental-preterm-birth"],
)
def test_each_sydney_clinical_criterion_with_persistent_apl_gives_aspirin_and_heparin(
    answers: dict[str, Any],
) -> None:
    result = run(findings=APS, **answers)
    for therapy in ("heparin", "aspirin"):
        assert item(result, therapy).tier == "recommended", therapy


def test_apl_without_aps_aspirin_is_no_weaker_than_for_transient_apl() -> None:
    persistent = item(run(losses=2, findings=APS), "aspirin")
    transient = item(run(losses=2, findings={"antiphospholipid": "transient"}), "aspirin")
    assert at_least(persistent.tier, "consider")
    assert TIER_ORDER.index(persistent.tier) <= TIER_ORDER.index(transient.tier)
    assert "acr-2020" in persistent.references


def test_sle_hydroxychloroquine_and_aspirin_name_their_purpose() -> None:
    result = run(losses=2, pregnant=True, autoimmune_disease=["sle"])
    hcq = item(result, "hydroxychloroquine")
    assert hcq.tier == "recommended"
    assert "not miscarriage prevention" in hcq.why
    aspirin = item(result, "aspirin")
    assert aspirin.tier == "recommended"
    assert "pre-eclampsia" in aspirin.why


def test_nice_high_risk_pregnancy_gets_aspirin_for_pre_eclampsia() -> None:
    result = run(
        losses=2,
        pregnant=True,
        conditions=["hypertension", "diabetes"],
        findings={"antiphospholipid": "negative"},
    )
    aspirin = item(result, "aspirin")
    assert aspirin.tier == "recommended"
    assert "pre-eclampsia" in aspirin.why and "not miscarriage prevention" in aspirin.why
    assert "NICE" in decisive_text(aspirin)


def test_previous_vte_heparin_is_thromboprophylaxis() -> None:
    result = run(
        losses=2, conditions=["thrombosis-history"], findings={"antiphospholipid": "negative"}
    )
    heparin = item(result, "heparin")
    assert at_least(heparin.tier, "consider")
    assert "not miscarriage prevention" in heparin.why


@pytest.mark.parametrize(
    ("function", "antibodies", "tier"),
    [
        ("overt-hypothyroidism", "not-tested", "recommended"),
        ("subclinical-hypothyroidism", "not-tested", "consider"),
        ("euthyroid", "positive", "not-recommended"),
    ],
)
def test_thyroid(function: str, antibodies: str, tier: str) -> None:
    result = run(
        losses=3, findings={"thyroid_function": function, "thyroid_antibodies": antibodies}
    )
    levothyroxine = item(result, "levothyroxine")
    assert levothyroxine.tier == tier
    if function == "euthyroid":
        assert {"tablet-2019", "t4life-2022"} & set(levothyroxine.references)
    if function == "overt-hypothyroidism":
        assert "not miscarriage prevention" in levothyroxine.why


def test_a_42_year_old_with_bleeding_is_told_she_is_outside_prism() -> None:
    result = run(age=42, losses=3, pregnant=True, bleeding=True)
    progesterone = item(result, "progesterone")
    assert progesterone.tier == "recommended"
    decisive = next(r for r in progesterone.reasons if r.decisive)
    assert decisive.applicability is not None and "42" in decisive.applicability
    assert "prism-2019" in progesterone.references


def test_tnf_candidate_with_heart_failure_is_avoid_naming_the_condition() -> None:
    result = run(losses=4, findings={"tnf_alpha": "elevated"}, conditions=["heart-failure"])
    tnf = item(result, "tnf-inhibitors")
    assert tnf.tier == "avoid"
    assert "Heart failure" in tnf.reasons[0].text and "NYHA" in tnf.reasons[0].text


@pytest.mark.parametrize("condition", ["demyelinating-disease", "hepatitis-b", "latent-tb"])
def test_tnf_label_warnings_are_cautions_not_contraindications(condition: str) -> None:
    result = run(losses=4, findings={"tnf_alpha": "elevated"}, conditions=[condition])
    tnf = item(result, "tnf-inhibitors")
    assert tnf.tier == "research-only"
    assert [c.condition for c in tnf.cautions] == [condition]


def test_intralipid_with_egg_or_soy_allergy_is_avoid() -> None:
    result = run(losses=3, findings={"nk_cells": "elevated"}, conditions=["egg-soy-allergy"])
    assert item(result, "intralipid").tier == "avoid"


def test_active_bleeding_makes_both_antithrombotics_avoid_and_says_what_they_displace() -> None:
    result = run(losses=3, findings=APS, conditions=["active-bleeding"])
    for therapy in ("heparin", "aspirin"):
        assert item(result, therapy).tier == "avoid"
        assert item(result, therapy).otherwise_tier == "recommended"


def test_a_bleeding_disorder_is_avoid_for_aspirin_and_heparin_with_a_specialist_instead() -> None:
    """The aspirin labels name haemorrhagic disorders; the enoxaparin label a condition with a
    high risk of bleeding. What heparin would have been is kept, and the avoid says what then."""
    result = run(losses=3, findings=APS, conditions=["bleeding-disorder"])
    assert item(result, "aspirin").tier == "avoid"
    heparin = item(result, "heparin")
    assert heparin.tier == "avoid"
    assert heparin.otherwise_tier == "recommended"
    assert any("haematologist" in claim.text for claim in heparin.instead)


def test_raised_nk_never_lifts_ivig_above_what_the_guidelines_say() -> None:
    unexplained = {"antiphospholipid": "negative"}
    without = item(run(losses=3, findings=unexplained), "ivig").tier
    with_nk = item(run(losses=3, findings={**unexplained, "nk_cells": "elevated"}), "ivig")
    assert with_nk.tier == without == "not-recommended"
    prednisolone = item(
        run(losses=3, findings={**unexplained, "nk_cells": "elevated"}), "prednisolone"
    )
    assert prednisolone.tier in ("research-only", "not-recommended")
    reason = next(r for r in prednisolone.reasons if "nk" in r.rule.casefold())
    assert reason.mechanism, "the biological rationale is shown beside the guideline position"


def test_untested_apl_is_not_called_unexplained_and_would_change_heparin() -> None:
    result = run(losses=3)
    for entry in result.assessments:
        for reason in entry.reasons:
            text = reason.text.casefold()
            if "unexplained" in text:
                assert "not" in text or "untested" in text or "unless" in text, (
                    entry.therapy,
                    reason.text,
                )
    apl = next(w for w in result.what_would_change if w.finding == "antiphospholipid")
    persistent = next(r for r in apl.results if r.value == "persistent")
    assert ("heparin", "recommended") in [(c.therapy, c.to) for c in persistent.changes]
    assert any(i.id == "apl-screen" for i in result.investigations)


def test_outlook_is_framed_as_group_figures() -> None:
    assert not run(age=35, losses=2).outlook  # unexplained-RPL cohorts: only after an aPL screen
    result = run(age=35, losses=2, findings={"antiphospholipid": "negative"})
    assert result.outlook
    assert all(o.refs or o.checked == "unverified" for o in result.outlook)
    assert any("lund-2012" in o.refs for o in result.outlook)
