"""Name resolution: ids, names and aliases forgive spelling but never guess."""

from __future__ import annotations

import time

import pytest

from rmcli.cli.run import exit_code
from rmcli.errors import ExitCode
from rmcli.kb import KnowledgeBase, NameIndex, UnknownTherapy, name_index, normalize

KNOWN_NAMES = [
    ("TNF-α", "tnf-inhibitors"),
    ("tnf-alpha", "tnf-inhibitors"),
    ("TNF alpha", "tnf-inhibitors"),
    ("etanercept", "tnf-inhibitors"),
    ("lmwh", "heparin"),
    ("LMWH", "heparin"),
    ("enoxaparin", "heparin"),
    ("hcq", "hydroxychloroquine"),
    ("lit", "lymphocyte-immunotherapy"),
    ("il-2", "low-dose-il2"),
    ("IL2", "low-dose-il2"),
    ("IVIG", "ivig"),
    ("ivig", "ivig"),
    ("Intravenous Immunoglobulin", "ivig"),
    ("intravenous  immunoglobulin", "ivig"),
    ("G-CSF", "g-csf"),
    ("prednisolone", "prednisolone"),
]


@pytest.fixture(scope="module")
def index(kb: KnowledgeBase) -> NameIndex:
    return name_index(kb)


@pytest.mark.parametrize(("name", "expected"), KNOWN_NAMES)
def test_known_names_resolve(index: NameIndex, name: str, expected: str) -> None:
    assert index.resolve(name) == expected


def test_every_id_name_and_alias_resolves_to_its_own_therapy(
    kb: KnowledgeBase, index: NameIndex
) -> None:
    for therapy in kb.therapies:
        for name in (therapy.id, therapy.name, *therapy.aliases):
            assert index.resolve(name) == therapy.id, name


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("TNF-α", "tnfalpha"),
        ("tnf alpha", "tnfalpha"),
        ("TNF_Alpha!", "tnfalpha"),
        ("IFN-γ", "ifngamma"),
        ("β2-glycoprotein", "beta2glycoprotein"),
        ("Immunisation", "immunisation"),
        ("Clexane®", "clexane"),
        ("héparine", "heparine"),
        ("\uff29\uff36\uff29\uff27", "ivig"),  # full-width IVIG folds to ASCII
        ("", ""),
        ("- / .", ""),
    ],
)
def test_normalize_folds_case_greek_accents_and_punctuation(raw: str, folded: str) -> None:
    assert normalize(raw) == folded


def test_greek_and_latin_spellings_are_the_same_name() -> None:
    assert normalize("TNF-α") == normalize("tnf-alpha") == normalize("TNF alpha")
    assert normalize("TNF-β") != normalize("TNF-α")


def test_unknown_name_is_never_resolved_to_a_guess(index: NameIndex) -> None:
    for name in ("ivgi", "heparine", "aspirn", "predni", "tnf", "TNF-β", "zzz"):
        with pytest.raises(UnknownTherapy):
            index.resolve(name)


def test_non_latin_letters_are_not_silently_dropped(index: NameIndex) -> None:
    """'IVIGж' or 'heparinω' is not a spelling of any therapy: it must fail, not resolve."""
    for name in ("IVIGж", "heparinω", "aspirin漢"):
        with pytest.raises(UnknownTherapy):
            index.resolve(name)


def test_unknown_name_suggests_close_matches_with_full_names(index: NameIndex) -> None:
    with pytest.raises(UnknownTherapy) as caught:
        index.resolve("ivgi")
    error = caught.value
    assert exit_code(error) == ExitCode.USAGE
    assert error.suggestions[0] == ("ivig", "Intravenous immunoglobulin")
    assert error.hint is not None
    assert "ivig (Intravenous immunoglobulin)" in error.hint
    assert error.hint.startswith("did you mean")


@pytest.mark.parametrize("name", ["low-dose", "immuno", "therap", "inhib", "ste", "in", "x"])
def test_at_most_three_suggestions(index: NameIndex, name: str) -> None:
    with pytest.raises(UnknownTherapy) as caught:
        index.resolve(name)
    suggestions = caught.value.suggestions
    assert len(suggestions) <= 3
    assert len({tid for tid, _ in suggestions}) == len(suggestions)


def test_suggestions_are_capped_when_many_match(index: NameIndex) -> None:
    # "low-dose" is a prefix of low-dose-il2 and part of aspirin's and heparin's names.
    assert len(index.suggest(normalize("low-dose"))) == 3
    full = dict(index.suggest(normalize("low-dose")))
    assert full["low-dose-il2"] == "Low-dose interleukin-2"


def test_no_suggestion_points_to_list(index: NameIndex) -> None:
    with pytest.raises(UnknownTherapy) as caught:
        index.resolve("qqqqqq")
    assert caught.value.suggestions == []
    assert caught.value.hint is not None
    assert "rmcli list" in caught.value.hint


def test_control_characters_are_escaped_in_the_message(index: NameIndex) -> None:
    with pytest.raises(UnknownTherapy) as caught:
        index.resolve("zz\x1b[2Jzz\x07\x00\n")
    shown = caught.value.message
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in shown)
    assert "x1b" in shown
    assert "x07" in shown


def test_huge_name_fails_fast_with_a_short_message(index: NameIndex) -> None:
    started = time.perf_counter()
    with pytest.raises(UnknownTherapy) as caught:
        index.resolve("x" * 10_000)
    assert time.perf_counter() - started < 1.0
    assert len(caught.value.message) < 120
    assert caught.value.suggestions == []


def test_index_keeps_the_first_owner_of_a_name() -> None:
    index = NameIndex([("a", "Alpha drug", ["shared"]), ("b", "Beta drug", ["Shared"])])
    assert index.resolve("SHARED") == "a"
    assert index.resolve("beta drug") == "b"
