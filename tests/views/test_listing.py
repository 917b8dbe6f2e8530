"""The list and comparison views: rows sorted by id, counts in words, glance rows."""

from __future__ import annotations

import datetime

import msgspec

from rmcli.kb import KnowledgeBase
from rmcli.views.comparison import GLANCE_ROWS, comparison
from rmcli.views.listing import listing

TODAY = datetime.date(2026, 12, 1)


def test_rows_are_sorted_by_id_with_displayed_target_abbreviations(kb: KnowledgeBase) -> None:
    view = listing(kb, list(reversed(kb.therapies)), TODAY)
    assert [r.id for r in view.rows] == sorted(t.id for t in kb.therapies)
    ivig = next(r for r in view.rows if r.id == "ivig")
    assert ivig.target_abbrevs == [kb.vocabulary.targets[x].abbrev for x in ivig.targets]
    assert ivig.short_name == "IVIG"


def test_counts_are_in_words(kb: KnowledgeBase) -> None:
    one = listing(kb, kb.therapies[:1], TODAY)
    assert one.count_line.startswith("1 therapy · knowledge base ")
    many = listing(kb, kb.therapies, TODAY)
    assert many.count_line.startswith(f"{len(kb.therapies)} therapies · ")
    assert kb.manifest.date.isoformat() in many.count_line


def test_an_empty_result_names_the_filters(kb: KnowledgeBase) -> None:
    empty = listing(kb, [], TODAY, filters=["--search 'zzz'"])
    assert empty.rows == []
    assert empty.empty_line == "No therapy matches --search 'zzz'."


def test_overdue_reviews_are_flagged(kb: KnowledgeBase) -> None:
    old = msgspec.structs.replace(kb.therapies[0], last_reviewed=datetime.date(2021, 6, 30))
    (row,) = listing(kb, [old], TODAY).rows
    assert row.review_overdue
    assert row.reviewed == "2021-06-30 (review overdue: older than 24 months)"
    assert not listing(kb, kb.therapies[:1], TODAY).rows[0].review_overdue


def test_the_glance_has_one_cell_per_therapy_per_row(kb: KnowledgeBase) -> None:
    picked = [t for t in kb.therapies if t.id in ("prednisolone", "ivig", "heparin")]
    view = comparison(picked, kb, TODAY)
    rows = view.glance()
    assert [label for label, _ in rows] == list(GLANCE_ROWS)
    assert all(len(cells) == 3 for _, cells in rows)
    assert view.headers == ["Heparin", "IVIG", "Prednisolone"]  # the id only where it differs
    lit = comparison([t for t in kb.therapies if t.id == "lymphocyte-immunotherapy"], kb, TODAY)
    assert lit.headers == ["LIT (lymphocyte-immunotherapy)"]
    assert view.details == []
    assert len(comparison(picked, kb, TODAY, full=True).details) == 3
