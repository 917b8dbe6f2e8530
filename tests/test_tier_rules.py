"""Rules that hold for every profile (domain.md §4), over generated profiles and the real rules."""

from __future__ import annotations

from typing import Any

import contract
import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wizard_helpers import bundled_kb, make_profile

from rmcli.assess import assess, order_key
from rmcli.profile import Profile

KB = bundled_kb()
DISCOURAGED = [key for key, term in KB.vocabulary.findings.items() if term.discouraged]
THERAPIES = sorted(t.id for t in KB.therapies)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    losses = draw(st.integers(0, 8))
    pregnant = draw(st.booleans())
    answers: dict[str, Any] = {
        "age": draw(st.none() | st.integers(14, 60)),
        "losses": losses,
        "live_births": draw(st.integers(0, 3)),
        "late_losses": draw(st.integers(0, losses)),
        "placental_preterm_births": draw(st.integers(0, 2)),
        "pregnant": pregnant,
        "bleeding": pregnant and draw(st.booleans()),
        "treatments_failed": draw(st.lists(st.sampled_from(THERAPIES), unique=True, max_size=3)),
        "treatments_current": draw(st.lists(st.sampled_from(THERAPIES), unique=True, max_size=2)),
        "findings": {
            key: draw(st.sampled_from(term.values)) for key, term in KB.vocabulary.findings.items()
        },
        "autoimmune_disease": draw(
            st.lists(st.sampled_from(sorted(KB.vocabulary.autoimmune)), unique=True)
        ),
        "conditions": draw(
            st.lists(st.sampled_from(sorted(KB.vocabulary.conditions)), unique=True, max_size=4)
        ),
    }
    if answers["age"] is None:
        del answers["age"]
    return make_profile(**answers)


def untested(profile: Profile) -> Profile:
    """The same patient without the results of tests guidelines advise against."""
    findings = {**profile.findings, **dict.fromkeys(DISCOURAGED, "not-tested")}
    return msgspec.structs.replace(profile, findings=findings)


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(profiles())
def test_a_discouraged_test_never_makes_a_therapy_consider_or_recommended(profile: Profile) -> None:
    with_results = {a.therapy: a.tier for a in assess(profile, KB).assessments}
    without = {a.therapy: a.tier for a in assess(untested(profile), KB).assessments}
    for therapy, tier in with_results.items():
        if tier in ("recommended", "consider"):
            assert without[therapy] == tier, therapy
        if without[therapy] != "not-indicated":
            # another rule decides: the discouraged result changes nothing, up or down
            assert tier == without[therapy], therapy


@SETTINGS
@given(profiles())
def test_every_assessment_is_complete_ordered_and_explained(profile: Profile) -> None:
    result = assess(profile, KB)
    assert {a.therapy for a in result.assessments} == contract.THERAPY_IDS
    keys = [order_key(a) for a in result.assessments]
    assert keys == sorted(keys)
    therapies = {t.id: t for t in KB.therapies}
    for item in result.assessments:
        contraindicated = [
            c
            for c in therapies[item.therapy].contraindications
            if c.severity == "contraindication" and c.condition in profile.conditions
        ]
        assert (item.tier == "avoid") == bool(contraindicated)
        # every avoid says which tier it displaces
        assert (item.otherwise_tier is not None) == (item.tier == "avoid")
        for contra in contraindicated:
            assert any(
                KB.vocabulary.conditions[contra.condition].name in r.text for r in item.reasons
            )
        decisive = [r for r in item.reasons if r.decisive]
        if item.tier == "avoid":
            assert all(r.rule.startswith("contraindication:") for r in decisive)
        elif item.tier != "not-indicated":
            assert len(decisive) == 1, item.therapy
            assert all(ref in KB.references for r in item.reasons for ref in r.refs)
        for reason in item.reasons:
            if reason.decisive and reason.purpose:
                assert "not miscarriage prevention" in item.why
        assert {c.condition for c in item.cautions} <= set(profile.conditions)


@SETTINGS
@given(profiles())
def test_what_would_change_covers_exactly_the_untested_findings(profile: Profile) -> None:
    result = assess(profile, KB)
    untested_keys = [k for k, v in profile.findings.items() if v == "not-tested"]
    assert [w.finding for w in result.what_would_change] == untested_keys
    tiers = {a.therapy: a.tier for a in result.assessments}
    for item in result.what_would_change:
        values = [r.value for r in item.results]
        assert values == [
            v for v in KB.vocabulary.findings[item.finding].values if v != "not-tested"
        ]
        for outcome in item.results:
            for change in outcome.changes:
                assert change.from_ == tiers[change.therapy] != change.to
