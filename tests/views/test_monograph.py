"""The monograph view: the summary, the sections in order, each fact once, no maintainer notes."""

from __future__ import annotations

import datetime

import contract
import msgspec
import pytest

from rmcli.kb import KnowledgeBase, Therapy
from rmcli.kb.model import Reference
from rmcli.views.common import cited_refs, reference_line
from rmcli.views.monograph import SECTIONS, monograph, study_line
from rmcli.views.summary import summarise

TODAY = datetime.date(2026, 12, 1)


def therapy(kb: KnowledgeBase, therapy_id: str) -> Therapy:
    return next(t for t in kb.therapies if t.id == therapy_id)


def texts(kb: KnowledgeBase, t: Therapy, **options: bool) -> list[str]:
    view = monograph(t, kb, TODAY, **options)  # type: ignore[arg-type]
    found = [text for _, text in view.summary.rows()]
    for s in view.sections:
        found += [s.title, *s.paragraphs, *s.bullets, *([s.note] if s.note else [])]
        if s.table:
            found += [cell for row in s.table.rows for cell in row]
    return found


@pytest.mark.parametrize("therapy_id", sorted(contract.THERAPY_IDS))
def test_sections_come_in_the_fixed_order(kb: KnowledgeBase, therapy_id: str) -> None:
    t = therapy(kb, therapy_id)
    titles = [s.title for s in monograph(t, kb, TODAY).sections]
    # in the contract's order, and every section the therapy has something for
    assert titles == [title for title in contract.SECTION_ORDER if title in titles]
    always = {"Summary of findings", "Overview", "Mechanism and targets", "Evidence"}
    assert always | {"Guideline positions", "References", "Last reviewed"} <= set(titles)


def test_a_section_the_sources_say_nothing_about_is_left_out(kb: KnowledgeBase) -> None:
    t = msgspec.structs.replace(therapy(kb, "g-csf"), cost=[], monitoring=[], changes=[])
    keys = [s.key for s in monograph(t, kb, TODAY).sections]
    assert not {"cost", "monitoring", "changes"} & set(keys)


def test_unverified_claims_show_only_with_all_positions(kb: KnowledgeBase) -> None:
    t = therapy(kb, "tacrolimus")
    hidden = [c.text for c in t.caveats if c.checked == "unverified"]
    assert hidden, "the Fudan ciclosporin cohort is an unverified caveat"
    shown = " ".join(texts(kb, t))
    assert not any(text[:40] in shown for text in hidden)
    every = " ".join(
        b for s in monograph(t, kb, TODAY, all_positions=True).sections for b in s.bullets
    )
    assert all(text[:40] in every for text in hidden)


def test_summary_rows(kb: KnowledgeBase) -> None:
    s = summarise(therapy(kb, "heparin"), kb, TODAY)
    assert tuple(label for label, _ in s.rows()) == contract.SUMMARY_ROWS
    values = dict(s.rows())
    assert values["Status"] == "conditional, certainty low"
    assert values["Headline"].startswith("ACR 2020 recommends it (strong)")
    assert values["Headline"].endswith(" †")
    assert values["Mechanism"] == therapy(kb, "heparin").mechanism_short
    assert values["Main risks"].startswith("bleeding")
    assert "95% CI" in values["Key evidence"]
    assert values["Last reviewed"] == s.last_reviewed.isoformat()


def test_the_jaro_rationale_has_its_own_section(kb: KnowledgeBase) -> None:
    t = therapy(kb, "ivig")
    assert t.seed_rationale is not None
    view = monograph(t, kb, TODAY)
    (section,) = [s for s in view.sections if s.key == "rationale"]
    assert section.title == "Mechanistic rationale (Jaro 2025 review)"
    assert section.paragraphs[0].startswith(t.seed_rationale.text.strip()[:40])
    assert not any("Seed review" in text for text in texts(kb, t))


def test_unverified_positions_collapse_to_one_line_naming_the_bodies(kb: KnowledgeBase) -> None:
    t = therapy(kb, "ivig")
    hidden = [g for g in t.guidelines if g.checked == "unverified"]
    assert hidden
    section = next(s for s in monograph(t, kb, TODAY).sections if s.key == "guidelines")
    rows = section.table.rows if section.table else []
    assert len(rows) == len(t.guidelines) - len(hidden)
    assert section.note is not None
    assert section.note.startswith("Positions unverified: ")
    for g in hidden:
        assert f"{g.body} {g.year}" if g.year else g.body in section.note
    everything = monograph(t, kb, TODAY, all_positions=True)
    shown = next(s for s in everything.sections if s.key == "guidelines")
    assert shown.table is not None and len(shown.table.rows) == len(t.guidelines)
    assert shown.note is None


def test_a_therapy_with_no_verified_position_says_so(kb: KnowledgeBase) -> None:
    t = therapy(kb, "g-csf")
    section = next(s for s in monograph(t, kb, TODAY).sections if s.key == "guidelines")
    assert section.paragraphs == ["No verified guideline position."]
    assert section.table is None


def test_a_structured_estimate_is_printed_once_from_its_fields(kb: KnowledgeBase) -> None:
    for t in kb.therapies:
        for s in t.evidence:
            line = study_line(s)
            if s.estimate is not None:
                assert f"Result: {s.measure} " in line, (t.id, s.label)


def test_references_list_every_cited_reference_in_first_use_order(kb: KnowledgeBase) -> None:
    t = therapy(kb, "heparin")
    section = next(s for s in monograph(t, kb, TODAY).sections if s.key == "references")
    assert [line.split(" — ", 1)[0] for line in section.bullets] == cited_refs(t)


def test_a_reference_line_gives_each_identifier_once(kb: KnowledgeBase) -> None:
    ref = Reference(
        authors=["Smith J", "Jones K"],
        title="A trial",
        journal="Lancet",
        year=2020,
        volume="1",
        pages="2-3",
        doi="10.1/x",
        pmid="123",
        note="Read in full.",
    )
    refs = {**kb.references, "smith-2020": ref}
    line = reference_line(msgspec.structs.replace(kb, references=refs), "smith-2020")
    assert line == "smith-2020 — Smith J, Jones K. A trial. Lancet 2020;1:2-3. doi:10.1/x; PMID 123"
    assert "Read in full" not in line


def test_maintainer_notes_are_never_shown(kb: KnowledgeBase) -> None:
    for t in kb.therapies:
        notes = [
            item.note
            for name in ("indications", "evidence", "guidelines", "caveats", "regimens")
            for item in getattr(t, name)
            if getattr(item, "note", None)
        ]
        shown = "\n".join(texts(kb, t, all_positions=True))
        for note in notes:
            assert note not in shown, (t.id, note[:40])


def test_section_selection_and_brief(kb: KnowledgeBase) -> None:
    t = therapy(kb, "ivig")
    picked = monograph(t, kb, TODAY, sections=["evidence", "guidelines"])
    assert [s.key for s in picked.sections] == ["evidence", "guidelines"]
    assert not picked.show_summary
    assert monograph(t, kb, TODAY, sections=["summary"]).show_summary
    brief = monograph(t, kb, TODAY, brief=True)
    assert brief.sections == [] and brief.show_summary
    assert set(SECTIONS) >= {"summary", "evidence", "guidelines", "maternal-risks"}


def test_an_overdue_review_is_flagged(kb: KnowledgeBase) -> None:
    t = msgspec.structs.replace(therapy(kb, "ivig"), last_reviewed=datetime.date(2020, 1, 1))
    view = monograph(t, kb, TODAY)
    assert view.summary.review_overdue
    last = view.sections[-1]
    assert last.paragraphs == ["2020-01-01 (review overdue: older than 24 months)"]
    assert not monograph(therapy(kb, "ivig"), kb, TODAY).summary.review_overdue


def test_text_is_cleaned_of_control_characters(kb: KnowledgeBase) -> None:
    t = msgspec.structs.replace(therapy(kb, "ivig"), summary="Bad\x1b[2J summary\x07")
    overview = next(s for s in monograph(t, kb, TODAY).sections if s.key == "overview")
    assert overview.paragraphs[0] == "Bad\\x1b[2J summary\\x07"
