"""The assessment view: one view for the table, Markdown, HTML and JSON."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from rmcli.assess import Assessment, Caution, Reason, TherapyAssessment, assess
from rmcli.kb import KnowledgeBase
from rmcli.profile import parse
from rmcli.views.assessment import DISPLAY_ORDER, assessment_view


def profile(kb: KnowledgeBase, **answers: Any) -> Any:
    return parse(answers, kb.vocabulary, [t.id for t in kb.therapies])


@pytest.fixture
def result(kb: KnowledgeBase) -> Assessment:
    return assess(
        profile(
            kb,
            losses=3,
            late_losses=1,
            findings={"antiphospholipid": "persistent", "nk_cells": "elevated"},
            conditions=["diabetes"],
        ),
        kb,
    )


def with_avoid(result: Assessment) -> Assessment:
    """The same result with one therapy contraindicated (whatever the rules in the data)."""
    first = result.assessments[0]
    reason = Reason(
        rule="contraindication:bleeding-disorder",
        matched=["Bleeding disorder"],
        text="Contraindicated (Bleeding disorder): Active bleeding. More text.",
        decisive=True,
        refs=["r"],
        checked="primary",
    )
    caution = Caution(
        condition="diabetes",
        condition_name="Diabetes",
        severity="caution",
        text="Watch glucose.",
        refs=["r2"],
        checked="secondary",
    )
    avoided = msgspec.structs.replace(
        first, tier="avoid", reasons=[reason, *first.reasons], cautions=[caution]
    )
    return msgspec.structs.replace(result, assessments=[*result.assessments[1:], avoided])


def test_avoid_comes_first_and_not_indicated_only_with_all(
    kb: KnowledgeBase, result: Assessment
) -> None:
    view = assessment_view(with_avoid(result), kb)
    tiers = [r.tier for r in view.rows]
    assert tiers[0] == "avoid"
    assert tiers == sorted(tiers, key=DISPLAY_ORDER.index)
    assert "not-indicated" not in tiers
    everything = assessment_view(result, kb, include_all=True)
    assert len(everything.rows) == len(result.assessments)
    assert [r.tier for r in everything.rows][-1] == "not-indicated"


def test_cautions_are_this_patients_and_avoid_names_its_contraindication(
    kb: KnowledgeBase, result: Assessment
) -> None:
    view = assessment_view(with_avoid(result), kb)
    avoid = view.rows[0]
    assert avoid.cautions == [
        "Contraindicated (Bleeding disorder): Active bleeding. [r]",
        "Caution (Diabetes): Watch glucose. [r2] (secondary source)",
    ]
    by_id = {t.id: t for t in kb.therapies}
    for row, item in zip(
        view.rows, [a for a in result.assessments if a.tier != "not-indicated"], strict=False
    ):
        generic = [c.text for c in by_id[row.therapy].caveats[:1]]
        assert not any(g in " ".join(row.cautions) for g in generic), row.therapy
        del item


def test_details_carry_guideline_rationale_purpose_and_applicability(kb: KnowledgeBase) -> None:
    reason = Reason(
        rule="r1",
        matched=[],
        text="ESHRE suggests it.",
        mechanism="It calms NK cells.",
        purpose="pre-eclampsia prophylaxis",
        applicability="Outside the population of PROMISE: she is 41.",
        decisive=True,
        refs=["eshre-2018"],
        checked="secondary",
    )
    item = TherapyAssessment(
        therapy="aspirin",
        name="Low-dose aspirin",
        tier="recommended",
        why="Pregnant now",
        mechanism="Inhibits platelets.",
        reasons=[reason],
        cautions=[],
        references=["eshre-2018"],
    )
    result = assess(profile(kb, losses=2), kb)
    view = assessment_view(msgspec.structs.replace(result, assessments=[item]), kb)
    (detail,) = view.details
    (shown,) = detail.reasons
    assert shown.matched == "any profile"
    assert shown.guideline == "ESHRE suggests it. [eshre-2018] (secondary source)"
    assert shown.rationale == "It calms NK cells."
    assert shown.purpose == "not miscarriage prevention: pre-eclampsia prophylaxis"
    assert shown.applicability == "Outside the population of PROMISE: she is 41."
    assert view.references[0].startswith("eshre-2018 — ")


def test_what_would_change_groups_findings(kb: KnowledgeBase, result: Assessment) -> None:
    view = assessment_view(result, kb)
    untested = {w.finding for w in result.what_would_change}
    shown = {c.finding for c in view.changes}
    names = {w.name for w in result.what_would_change if w.finding not in shown}
    assert shown <= untested
    assert set(view.unchanged) == names
    for change in view.changes:
        assert any(r.changes for r in change.results)
        for r in change.results:
            assert all(" -> " in line for line in r.changes)


def test_profile_lines_use_words(kb: KnowledgeBase, result: Assessment) -> None:
    text = "\n".join(assessment_view(result, kb).profile)
    assert "3 pregnancy losses" in text
    assert "Antiphospholipid antibodies: persistent" in text
    assert "Diabetes" in text
    assert "nk_cells" not in text and "late_losses" not in text


def test_a_report_view_says_when_and_from_what(kb: KnowledgeBase, result: Assessment) -> None:
    import datetime

    view = assessment_view(result, kb, generated=datetime.date(2026, 12, 2))
    assert view.report_line.startswith("Generated 2026-12-02 by rmcli ")
    assert kb.manifest.version in view.report_line
