"""Clinical situations (domain.md §4): one vignette per situation id, the label cases of
schema 3, and what the situations bring into the table."""

from __future__ import annotations

from typing import Any

import pytest
from wizard_helpers import bundled_kb, make_profile

from rmcli.assess import Assessment, TherapyAssessment, assess

APS = {"antiphospholipid": "persistent"}
NEGATIVE = {"antiphospholipid": "negative"}


def run(**answers: Any) -> Assessment:
    return assess(make_profile(**answers), bundled_kb())


def situations(**answers: Any) -> list[str]:
    return [s.id for s in run(**answers).situations]


def item(result: Assessment, therapy: str) -> TherapyAssessment:
    return next(a for a in result.assessments if a.therapy == therapy)


# (a profile, the situation it must name). Each id of domain.md §4 is reached.
VIGNETTES: list[tuple[dict[str, Any], str]] = [
    ({"losses": 3, "findings": APS}, "obstetric-aps"),
    ({"losses": 1, "late_losses": 1, "findings": APS}, "obstetric-aps"),
    ({"losses": 0, "placental_preterm_births": 1, "findings": APS}, "obstetric-aps"),
    (
        {"losses": 3, "findings": APS, "treatments_failed": ["heparin", "aspirin"]},
        "refractory-obstetric-aps",
    ),
    ({"losses": 1, "findings": APS, "conditions": ["thrombosis-history"]}, "thrombotic-aps"),
    ({"losses": 2, "findings": APS}, "apl-without-aps"),
    ({"losses": 2, "findings": {"antiphospholipid": "transient"}}, "apl-without-aps"),
    ({"losses": 2, "findings": NEGATIVE, "autoimmune_disease": ["sle"]}, "sle"),
    ({"losses": 2, "findings": {**NEGATIVE, "anti_ro": "positive"}}, "anti-ro-pregnancy"),
    (
        {"losses": 2, "findings": {**NEGATIVE, "thyroid_function": "overt-hypothyroidism"}},
        "thyroid-overt-hypothyroidism",
    ),
    (
        {"losses": 2, "findings": {**NEGATIVE, "thyroid_function": "subclinical-hypothyroidism"}},
        "thyroid-subclinical-hypothyroidism",
    ),
    (
        {
            "losses": 2,
            "findings": {
                **NEGATIVE,
                "thyroid_function": "euthyroid",
                "thyroid_antibodies": "positive",
            },
        },
        "thyroid-autoimmunity-euthyroid",
    ),
    (
        {"losses": 2, "findings": {**NEGATIVE, "inherited_thrombophilia": "present"}},
        "inherited-thrombophilia",
    ),
    ({"losses": 1, "second_trimester_losses": 1, "findings": NEGATIVE}, "second-trimester-loss"),
    (
        {"losses": 3, "pregnant": True, "bleeding": True, "findings": NEGATIVE},
        "bleeding-in-pregnancy",
    ),
    ({"losses": 2, "findings": NEGATIVE}, "unexplained-rpl"),
    ({"losses": 3}, "not-yet-investigated"),
]


@pytest.mark.parametrize(("answers", "situation"), VIGNETTES, ids=[v[1] for v in VIGNETTES])
def test_each_situation_is_named_for_its_profile(answers: dict[str, Any], situation: str) -> None:
    assert situation in situations(**answers)


def test_every_situation_of_the_contract_is_in_the_knowledge_base_and_reached() -> None:
    ids = {s.id for s in bundled_kb().assessment.situations}
    assert {v[1] for v in VIGNETTES} <= ids


def test_untested_apl_is_never_called_unexplained() -> None:
    named = situations(losses=4)
    assert "not-yet-investigated" in named
    assert "unexplained-rpl" not in named


@pytest.mark.parametrize("disease", ["sle", "sjogren"])
def test_lupus_or_sjogren_is_never_unexplained_rpl(disease: str) -> None:
    result = run(losses=3, findings=NEGATIVE, autoimmune_disease=[disease])
    assert "unexplained-rpl" not in [s.id for s in result.situations]
    assert not any("idiopathic" in o.text.casefold() for o in result.outlook)


def test_refractory_aps_replaces_obstetric_aps_and_shows_both_bodies() -> None:
    result = run(losses=3, findings=APS, treatments_failed=["heparin", "aspirin"])
    named = [s.id for s in result.situations]
    assert "refractory-obstetric-aps" in named and "obstetric-aps" not in named
    text = next(s.text for s in result.situations if s.id == "refractory-obstetric-aps")
    assert "ACR" in text and "EULAR" in text


def test_every_situation_is_cited_with_a_bottom_line_naming_a_body_and_year() -> None:
    for situation in bundled_kb().assessment.situations:
        assert situation.refs, situation.id
        assert any(str(year) in situation.text for year in range(1990, 2027)), situation.id


def test_recent_hit_makes_heparin_avoid_with_the_alternatives_of_the_labels() -> None:
    heparin = item(run(losses=3, findings=APS, conditions=["hit-recent"]), "heparin")
    assert (heparin.tier, heparin.otherwise_tier) == ("avoid", "recommended")
    instead = " ".join(c.text for c in heparin.instead)
    assert "ondaparinux" in instead and "anaparoid" in instead
    assert {c.checked for c in heparin.instead} <= {"primary", "secondary", "inference"}


def test_an_older_hit_is_a_caution() -> None:
    heparin = item(run(losses=3, findings=APS, conditions=["hit-history"]), "heparin")
    assert heparin.tier == "recommended"
    assert [c.condition for c in heparin.cautions] == ["hit-history"]


def test_anti_ro_brings_hydroxychloroquine_with_fetal_heart_monitoring() -> None:
    hcq = item(run(losses=2, findings={**NEGATIVE, "anti_ro": "positive"}), "hydroxychloroquine")
    assert hcq.tier == "consider" and hcq.relevant
    assert hcq.regimen is not None and "echocardiograph" in hcq.regimen
    decisive = next(r for r in hcq.reasons if r.decisive)
    assert decisive.purpose  # not miscarriage prevention, and said so


def test_a_second_trimester_loss_brings_uterine_assessment_and_cytogenetics() -> None:
    result = run(losses=1, second_trimester_losses=1, findings=NEGATIVE)
    texts = " ".join(f.text for f in result.investigations).casefold()
    assert "uterine" in texts and "cytogenetic" in texts
    assert any("second" in f.id for f in result.investigations)


def test_a_pregnant_woman_is_told_which_tests_are_for_after_this_pregnancy() -> None:
    result = run(losses=3, pregnant=True, gestation_weeks=8, findings=NEGATIVE)
    later = [f for f in result.investigations if f.before_pregnancy]
    assert later, "tests that belong between pregnancies are marked"


def test_raised_nk_brings_ivig_prednisolone_and_intralipid_up_and_says_why_not() -> None:
    result = run(losses=4, findings={**NEGATIVE, "nk_cells": "elevated"})
    for therapy in ("ivig", "prednisolone", "intralipid"):
        entry = item(result, therapy)
        assert entry.relevant
        assert entry.tier in ("research-only", "not-recommended")
        assert any(
            "NK cells" in line
            for line in [*entry.tested, *(r.matched[0] for r in entry.reasons if r.matched)]
        )


def test_experimental_therapies_reached_only_by_the_number_of_losses_are_not_rows() -> None:
    result = run(losses=4, findings=NEGATIVE)
    for therapy in ("treg-transfer", "low-dose-il2"):
        assert not item(result, therapy).relevant


def test_a_failed_treatment_is_a_row_and_named() -> None:
    result = run(losses=3, findings=NEGATIVE, treatments_failed=["ivig"])
    ivig = item(result, "ivig")
    assert ivig.relevant and ivig.failed_before
