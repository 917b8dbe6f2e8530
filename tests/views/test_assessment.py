"""The assessment view: one list of sections for the table, Markdown, HTML and JSON."""

from __future__ import annotations

import datetime
from typing import Any

import msgspec
import pytest

from rmcli.assess import Assessment, TherapyAssessment, assess
from rmcli.kb import KnowledgeBase
from rmcli.profile import SCHEMA, parse
from rmcli.reasons import Caution, Claimed, Reason
from rmcli.views.assessment import AssessmentView, Section, assessment_view
from rmcli.views.assessment_rows import DISPLAY_ORDER


def profile(kb: KnowledgeBase, **answers: Any) -> Any:
    return parse({"schema": SCHEMA, **answers}, kb.vocabulary, [t.id for t in kb.therapies])


def section(view: AssessmentView, key: str) -> Section:
    found = view.section(key)
    assert found is not None, key
    return found


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
    """The same result with its first therapy contraindicated (whatever the data says)."""
    first = result.assessments[0]
    reason = Reason(
        rule="contraindication:active-bleeding",
        matched=["Active major bleeding"],
        text="Contraindicated (Active major bleeding): Heavy bleeding.",
        source="Inhixa (enoxaparin) label, EU",
        decisive=True,
        refs=["r"],
        checked="primary",
    )
    caution = Caution(
        condition="diabetes",
        condition_name="Diabetes",
        severity="caution",
        tag="diabetes: watch glucose",
        text="Watch glucose.",
        refs=["r2"],
        checked="secondary",
    )
    instead = Claimed(text="Fondaparinux.", refs=["label-arixtra-eu"], checked="primary")
    avoided = msgspec.structs.replace(
        first,
        tier="avoid",
        otherwise_tier=first.tier,
        instead=[instead],
        reasons=[reason, *first.reasons],
        cautions=[caution],
    )
    return msgspec.structs.replace(result, assessments=[*result.assessments[1:], avoided])


def test_the_situation_comes_first_then_the_therapies(
    kb: KnowledgeBase, result: Assessment
) -> None:
    view = assessment_view(result, kb)
    assert [s.key for s in view.sections][:3] == ["situation", "therapies", "profile"]
    situation = section(view, "situation")
    assert situation.entries[0].lead == "Obstetric antiphospholipid syndrome"
    assert "ACR 2020" in situation.entries[0].text


def test_avoid_comes_first_says_what_it_displaces_and_what_instead(
    kb: KnowledgeBase, result: Assessment
) -> None:
    rows = section(assessment_view(with_avoid(result), kb), "therapies").rows
    avoid = rows[0]
    assert avoid.tier == "avoid"
    assert [r.tier for r in rows] == sorted((r.tier for r in rows), key=DISPLAY_ORDER.index)
    assert avoid.decides[0] == (
        "Inhixa (enoxaparin) label, EU: contraindicated (Active major bleeding)"
    )
    assert "Otherwise recommended." in avoid.decides
    assert "Instead: Fondaparinux. [label-arixtra-eu]" in avoid.decides
    assert avoid.cautions == ["diabetes: watch glucose"]


def test_rows_carry_source_regimen_mechanism_and_risks(
    kb: KnowledgeBase, result: Assessment
) -> None:
    rows = section(assessment_view(result, kb), "therapies").rows
    heparin = next(r for r in rows if r.therapy == "heparin")
    assert heparin.badge == "RECOMMENDED"
    assert heparin.decides[0].startswith("ACR 2020")
    assert any(line.startswith("Regimen: ") for line in heparin.decides)
    therapy = next(t for t in kb.therapies if t.id == "heparin")
    assert heparin.acts == therapy.mechanism_short
    assert heparin.risks == "; ".join(therapy.risks_short)


def test_only_relevant_rows_by_default_and_the_rest_on_one_line_per_group(
    kb: KnowledgeBase, result: Assessment
) -> None:
    therapies = section(assessment_view(result, kb), "therapies")
    assert {r.therapy for r in therapies.rows} == {
        a.therapy for a in result.assessments if a.relevant
    }
    assert any(line.startswith("Not indicated by this profile: ") for line in therapies.outro)
    everything = section(assessment_view(result, kb, include_all=True), "therapies")
    assert len(everything.rows) == len(result.assessments)
    assert [r.tier for r in everything.rows][-1] == "not-indicated"
    assert not any(":" in line and "Not indicated" in line for line in everything.outro)


def test_details_carry_what_the_sources_say_rationale_purpose_and_applicability(
    kb: KnowledgeBase,
) -> None:
    reason = Reason(
        rule="r1",
        matched=[],
        text="ESHRE suggests it.",
        source="ESHRE 2018, conditional",
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
        relevant=True,
        why="Pregnant now",
        mechanism="Inhibits platelets.",
        reasons=[reason],
        cautions=[],
        references=["eshre-2018"],
    )
    result = assess(profile(kb, losses=2), kb)
    view = assessment_view(msgspec.structs.replace(result, assessments=[item]), kb)
    (detail,) = section(view, "details").details
    (shown,) = detail.reasons
    assert shown.heading == "Why this tier (matches her: any profile)"
    assert shown.parts == [
        "What the sources say: ESHRE suggests it. [eshre-2018] †",
        "Biological rationale: It calms NK cells.",
        "Purpose: pre-eclampsia prophylaxis, not miscarriage prevention.",
        "Outside the population of PROMISE: she is 41.",
    ]
    assert shown.outside
    refs = [e.text.split(" — ")[0] for e in section(view, "references").entries]
    assert "eshre-2018" in refs


def test_without_details_there_are_no_reasons_and_no_field_names(
    kb: KnowledgeBase, result: Assessment
) -> None:
    view = assessment_view(result, kb, show_details=False)
    assert view.section("details") is None
    text = " ".join(line for r in section(view, "therapies").rows for line in r.decides)
    assert "(rule:" not in text and "Decisive" not in text and "nk_cells" not in text


def test_what_would_change_marks_discouraged_tests_and_lists_them_last(kb: KnowledgeBase) -> None:
    result = assess(profile(kb, losses=3, findings={"antiphospholipid": "negative"}), kb)
    changes = section(assessment_view(result, kb), "changes")
    flags = [e.muted for e in changes.entries]
    assert flags == sorted(flags)  # recommended tests first
    for entry in changes.entries:
        assert entry.muted == ("advise against" in entry.lead)
        assert all(" → " in sub or "would change nothing" in sub for sub in entry.sub)


def test_a_pregnant_woman_sees_between_pregnancy_tests_after_this_pregnancy(
    kb: KnowledgeBase,
) -> None:
    answers = {"losses": 3, "pregnant": True, "gestation_weeks": 8}
    view = assessment_view(assess(profile(kb, **answers, findings={}), kb), kb)
    later = section(view, "investigations-later")
    assert later.title == "After this pregnancy"
    assert later.entries
    now = " ".join(e.text for e in section(view, "investigations").entries)
    assert not any(e.text in now for e in later.entries)


def test_profile_lines_use_words(kb: KnowledgeBase, result: Assessment) -> None:
    text = "\n".join(section(assessment_view(result, kb), "profile").intro)
    assert "3 pregnancy losses" in text and "0 second-trimester losses" in text
    assert "Antiphospholipid antibodies: persistent" in text
    assert "Diabetes" in text
    assert "nk_cells" not in text and "late_losses" not in text


def test_the_outlook_is_all_cited_data(kb: KnowledgeBase, result: Assessment) -> None:
    outlook = section(assessment_view(result, kb), "outlook")
    assert outlook.entries and all("[" in e.text for e in outlook.entries)
    assert not outlook.intro


def test_a_report_view_says_when_and_from_what(kb: KnowledgeBase, result: Assessment) -> None:
    view = assessment_view(result, kb, generated=datetime.date(2026, 12, 2))
    assert view.report_line.startswith("Generated 2026-12-02 by rmcli ")
    assert kb.manifest.version in view.report_line
    assert view.section("references") is not None  # a report lists what it cites
    assert view.footer[-1] == kb.manifest.disclaimer
