"""Monographs as ordered sections: the single source of every output format."""

from __future__ import annotations

import datetime
from typing import Any

import contract
import msgspec
import pytest

from rmcli.document import (
    LABELS,
    STANCE_WORDS,
    cite,
    cited_refs,
    effect,
    headline,
    reference_line,
    sections,
    stance_line,
    study_line,
)
from rmcli.kb import KnowledgeBase, Therapy
from rmcli.kb.model import GuidelinePosition, Reference, Study

SECTION_ORDER = list(contract.SECTION_ORDER)


def therapy(kb: KnowledgeBase, therapy_id: str) -> Therapy:
    return next(t for t in kb.therapies if t.id == therapy_id)


def position(**changes: Any) -> GuidelinePosition:
    base: dict[str, Any] = {
        "body": "ESHRE",
        "year": 2022,
        "stance": "suggest",
        "strength": "conditional",
        "certainty": "low",
        "population": "Women with RPL",
        "text": "Says something.",
        "refs": ["eshre-2022"],
        "checked": "primary",
    }
    return GuidelinePosition(**{**base, **changes})


def study(**changes: Any) -> Study:
    base: dict[str, Any] = {
        "label": "Smith 2020",
        "kind": "rct",
        "design": "Double-blind RCT.",
        "n": 120,
        "population": "Unexplained RPL.",
        "outcome": "Live birth.",
        "result": "More live births.",
        "refs": ["smith-2020"],
        "checked": "primary",
    }
    return Study(**{**base, **changes})


@pytest.mark.parametrize(
    ("checked", "suffix"),
    [
        ("primary", "[a; b]"),
        ("secondary", "[a; b] (secondary source)"),
        ("unverified", "[a; b] (UNVERIFIED)"),
        ("inference", "[a; b] (inference)"),
    ],
)
def test_cite_adds_refs_and_label(checked: Any, suffix: str) -> None:
    assert cite("A claim.", ["a", "b"], checked) == f"A claim. {suffix}"


def test_cite_without_refs_and_with_hostile_text() -> None:
    assert cite("No data.", [], "unverified") == "No data. (UNVERIFIED)"
    assert cite("x\x1b[2Jy", [], "primary") == "xy"


def test_every_verification_label_and_stance_has_words() -> None:
    assert set(LABELS) == {"primary", "secondary", "unverified", "inference"}
    assert STANCE_WORDS["unknown"] == "position not verified"


def test_stance_line_spells_out_strength_grade_and_certainty() -> None:
    line = stance_line(position(strength="gpp", grade="GPP", certainty="not-stated"))
    assert line == "suggests (good practice point; GPP)"
    assert stance_line(position(grade="⊕○○○")) == "suggests (conditional; ⊕○○○; certainty low)"


def test_stance_line_drops_empty_details() -> None:
    line = stance_line(position(stance="unknown", strength="not-stated", certainty="not-stated"))
    assert line == "position not verified"


def test_headline_never_shows_an_unverified_position() -> None:
    unknown = position(stance="unknown", checked="unverified")
    assert headline(_with_guidelines([unknown])) == "no verified guideline position"


def test_headline_prefers_graded_primary_recent_positions() -> None:
    old = position(body="RCOG", year=2011, stance="recommend-against")
    new = position(body="ESHRE", year=2022, stance="suggest")
    ungraded = position(body="ASRM", year=2024, stance="recommend", strength="not-stated")
    secondary = position(body="ACR", year=2023, stance="recommend", checked="secondary")
    line = headline(_with_guidelines([old, ungraded, secondary, new]))
    assert line.startswith("ESHRE 2022: suggests")
    assert "Women with RPL" in line


def _with_guidelines(guidelines: list[GuidelinePosition]) -> Therapy:
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
            "evidence": [],
            "guidelines": [msgspec.to_builtins(g) for g in guidelines],
            "caveats": [claim],
            "maternal_risks": [claim],
            "fetal_risks": [claim],
            "monitoring": [claim],
            "cost": [claim],
        },
        Therapy,
    )


def test_effect_and_study_line() -> None:
    s = study(measure="RR", estimate=1.25, ci_low=1.0, ci_high=1.56, direction="higher-better")
    assert effect(s) == "RR 1.25 (95% CI 1 to 1.56)"
    assert effect(study()) == ""
    line = study_line(msgspec.structs.replace(s, certainty="moderate", checked="secondary"))
    assert line == (
        "Smith 2020 — Double-blind RCT, n=120. Population: Unexplained RPL. "
        "Outcome: Live birth. Result: More live births; RR 1.25 (95% CI 1 to 1.56); "
        "GRADE moderate. [smith-2020] (secondary source)"
    )


def test_study_line_without_optional_parts() -> None:
    line = study_line(study(n=None))
    assert ", n=" not in line
    assert "GRADE" not in line
    assert line.endswith("Result: More live births. [smith-2020]")


def test_reference_line_shows_doi_pmid_and_note() -> None:
    ref = Reference(authors=["Smith J"], title="A trial", doi="10.1/x", pmid="123", note="Read.")
    assert reference_line("smith", ref) == "smith — Smith J. A trial. doi:10.1/x; PMID 123"
    web = Reference(title="A page", url="https://example.org/page")
    assert reference_line("web", web) == "web — A page. https://example.org/page"


def test_cited_refs_are_unique_and_in_first_use_order(kb: KnowledgeBase) -> None:
    ivig = therapy(kb, "ivig")
    refs = cited_refs(ivig)
    assert len(refs) == len(set(refs))
    assert refs[: len(ivig.overall.refs)] == list(dict.fromkeys(ivig.overall.refs))
    every = {r for s in ivig.evidence for r in s.refs} | {
        r for g in ivig.guidelines for r in g.refs
    }
    assert every <= set(refs)


@pytest.mark.parametrize("therapy_id", ["ivig", "treg-transfer", "heparin"])
def test_sections_come_in_the_fixed_order(kb: KnowledgeBase, therapy_id: str) -> None:
    assert [s.title for s in sections(therapy(kb, therapy_id), kb)] == SECTION_ORDER


def test_sections_carry_every_claim(kb: KnowledgeBase) -> None:
    t = therapy(kb, "ivig")
    by_title = {s.title: s for s in sections(t, kb)}
    assert len(by_title["Evidence"].bullets) == len(t.evidence)
    assert len(by_title["Caveats"].bullets) == len(t.caveats)
    assert len(by_title["Contraindications and cautions"].bullets) == len(t.contraindications)
    table = by_title["Guideline positions"].table
    assert table is not None
    assert table.headers == ["Guideline", "Stance", "Population", "What it says"]
    assert len(table.rows) == len(t.guidelines)
    assert len(by_title["References"].bullets) == len(cited_refs(t))
    assert by_title["Last reviewed"].paragraphs == [t.last_reviewed.isoformat()]


def test_unverified_guideline_rows_say_position_not_verified(kb: KnowledgeBase) -> None:
    t = therapy(kb, "ivig")
    table = next(s.table for s in sections(t, kb) if s.table)
    assert table is not None
    for row, g in zip(table.rows, t.guidelines, strict=True):
        if g.checked == "unverified":
            assert row[1] == "position not verified"
            assert row[3].endswith("(UNVERIFIED)")


def test_empty_contraindications_say_so(kb: KnowledgeBase) -> None:
    t = msgspec.structs.replace(therapy(kb, "ivig"), contraindications=[])
    contra = next(s for s in sections(t, kb) if s.title == "Contraindications and cautions")
    assert contra.bullets == ["None recorded."]


def test_mechanism_section_names_targets_and_seed_rationale(kb: KnowledgeBase) -> None:
    t = therapy(kb, "ivig")
    mechanism = sections(t, kb)[1]
    assert mechanism.paragraphs[1].startswith("Mechanistic rationale (Jaro 2025 review): ")
    names = [kb.vocabulary.targets[x].name for x in t.targets]
    assert mechanism.paragraphs[-1] == "Immune targets: " + ", ".join(names)


def test_sections_strip_control_characters(kb: KnowledgeBase) -> None:
    t = msgspec.structs.replace(therapy(kb, "ivig"), summary="Bad\x1b[2J summary\x07")
    summary = sections(t, kb)[0]
    assert summary.paragraphs[0] == "Bad summary"
