"""Filtering the therapy list: --target, --status, --search."""

from __future__ import annotations

import pytest

from rmcli.errors import ExitCode, UsageError
from rmcli.kb import KnowledgeBase
from rmcli.kb.query import STATUSES, filter_therapies


def ids(kb: KnowledgeBase, **filters: str | None) -> list[str]:
    given = {"target": None, "status": None, "search": None, **filters}
    return [t.id for t in filter_therapies(kb, **given)]


def test_no_filter_lists_every_therapy_in_name_order(kb: KnowledgeBase) -> None:
    found = filter_therapies(kb, target=None, status=None, search=None)
    assert {t.id for t in found} == {t.id for t in kb.therapies}
    names = [t.name.casefold() for t in found]
    assert names == sorted(names)


def test_target_filter_keeps_exactly_the_therapies_acting_on_it(kb: KnowledgeBase) -> None:
    expected = {t.id for t in kb.therapies if "nk-cells" in t.targets}
    assert expected, "the bundled knowledge base has therapies acting on NK cells"
    assert set(ids(kb, target="nk-cells")) == expected


def test_target_may_be_given_by_its_name(kb: KnowledgeBase) -> None:
    assert ids(kb, target="NK cells") == ids(kb, target="nk-cells")


def test_status_filter(kb: KnowledgeBase) -> None:
    expected = {t.id for t in kb.therapies if t.overall.status == "experimental"}
    assert expected
    assert set(ids(kb, status="experimental")) == expected


def test_filters_combine_with_and(kb: KnowledgeBase) -> None:
    both = set(ids(kb, target="tregs", status="experimental"))
    assert both == set(ids(kb, target="tregs")) & set(ids(kb, status="experimental"))


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("etanercept", "tnf-inhibitors"),  # alias
        ("tnf alpha", "tnf-inhibitors"),  # normalized alias: TNF-α
        ("Intralipid", "intralipid"),  # name
        ("LMWH", "heparin"),  # alias, other case
    ],
)
def test_search_matches_names_and_aliases(kb: KnowledgeBase, needle: str, expected: str) -> None:
    assert expected in ids(kb, search=needle)


def test_search_matches_mechanism_text(kb: KnowledgeBase) -> None:
    therapy = next(t for t in kb.therapies if t.id == "treg-transfer")
    words = [w for w in therapy.mechanism.text.split() if len(w) > 8 and w.isalpha()]
    assert "treg-transfer" in ids(kb, search=words[0])


def test_search_that_matches_nothing_is_empty(kb: KnowledgeBase) -> None:
    assert ids(kb, search="qqxqqxqq") == []


def test_unknown_target_lists_the_allowed_ids(kb: KnowledgeBase) -> None:
    with pytest.raises(UsageError) as caught:
        ids(kb, target="gremlins")
    assert caught.value.code == ExitCode.USAGE
    assert "gremlins" in caught.value.message
    assert caught.value.hint is not None
    for target in kb.vocabulary.targets:
        assert target in caught.value.hint


def test_unknown_status_lists_the_allowed_values(kb: KnowledgeBase) -> None:
    with pytest.raises(UsageError) as caught:
        ids(kb, status="miracle")
    assert caught.value.hint is not None
    for status in STATUSES:
        assert status in caught.value.hint


def test_unknown_filter_values_are_escaped(kb: KnowledgeBase) -> None:
    with pytest.raises(UsageError) as caught:
        ids(kb, status="bad\x1b[31m")
    assert "\x1b" not in caught.value.message
