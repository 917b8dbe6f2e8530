"""`list --target/--status/--search`: what people type finds what they mean."""

from __future__ import annotations

import pytest

from rmcli.cli.run import exit_code
from rmcli.errors import ExitCode, UsageError
from rmcli.kb import KnowledgeBase
from rmcli.search import STATUSES, filter_therapies


def ids(kb: KnowledgeBase, **filters: str) -> set[str]:
    return {t.id for t in filter_therapies(kb, **filters)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("NK cells", {"ivig", "intralipid"}),
        ("killer", {"ivig", "intralipid"}),
        ("APS", {"heparin", "aspirin", "hydroxychloroquine"}),
        ("aPL", {"heparin", "aspirin"}),
        ("antiphospholipid syndrome", {"heparin", "aspirin"}),
        ("LMWH", {"heparin"}),
        ("etanercept", {"tnf-inhibitors"}),
        ("TNF-α", {"tnf-inhibitors"}),
        ("tnf alpha", {"tnf-inhibitors"}),
        ("IVIG", {"ivig"}),
        ("Treg", {"treg-transfer", "low-dose-il2"}),
    ],
)
def test_search_finds_what_people_type(kb: KnowledgeBase, query: str, expected: set[str]) -> None:
    found = ids(kb, search=query)
    assert expected <= found, query
    assert found == ids(kb, search=query.upper()) == ids(kb, search=query.lower())


def test_short_abbreviations_match_whole_words_only(kb: KnowledgeBase) -> None:
    """'APS' must not match 'perhaps' or 'collapse'."""
    assert ids(kb, search="aps") == ids(kb, search="APS")
    assert ids(kb, search="qqxqq") == set()


@pytest.mark.parametrize("target", ["nk-cells", "NK", "nk", "NK cells", "Natural killer"])
def test_target_by_id_name_or_abbreviation(kb: KnowledgeBase, target: str) -> None:
    if target == "Natural killer":
        with pytest.raises(UsageError):
            ids(kb, target=target)
        return
    assert ids(kb, target=target) == {t.id for t in kb.therapies if "nk-cells" in t.targets}


def test_target_treg_and_status_in_any_case(kb: KnowledgeBase) -> None:
    assert ids(kb, target="treg") == {t.id for t in kb.therapies if "tregs" in t.targets}
    conditional = {t.id for t in kb.therapies if t.overall.status == "conditional"}
    assert ids(kb, status="Conditional") == ids(kb, status="CONDITIONAL") == conditional
    assert ids(kb, status="not recommended") == ids(kb, status="not-recommended")


def test_filters_combine(kb: KnowledgeBase) -> None:
    both = ids(kb, target="aPL", status="conditional")
    assert both == {
        t.id
        for t in kb.therapies
        if "antiphospholipid" in t.targets and t.overall.status == "conditional"
    }


def test_results_are_sorted_by_id(kb: KnowledgeBase) -> None:
    found = [t.id for t in filter_therapies(kb, search="a")]
    assert found == sorted(found)


@pytest.mark.parametrize(("option", "value"), [("target", "gremlins"), ("status", "miracle")])
def test_unknown_values_list_what_is_allowed(kb: KnowledgeBase, option: str, value: str) -> None:
    with pytest.raises(UsageError) as caught:
        filter_therapies(kb, **{option: value})  # type: ignore[arg-type]
    assert exit_code(caught.value) == ExitCode.USAGE
    assert value in caught.value.message
    assert caught.value.hint is not None
    if option == "status":
        assert all(status in caught.value.hint for status in STATUSES)
    else:
        assert "NK (nk-cells)" in caught.value.hint and "Treg (tregs)" in caught.value.hint
