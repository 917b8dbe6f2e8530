"""Citations as readers expect them: each part once, in order, nothing invented."""

from __future__ import annotations

import pytest

from rmcli.kb.model import Reference
from rmcli.views.cite import citation, identifiers


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {
                "authors": ["Coomarasamy A", "Williams H"],
                "title": "A trial",
                "journal": "N Engl J Med",
                "year": 2015,
                "volume": "373",
                "issue": "22",
                "pages": "2141-8",
            },
            "Coomarasamy A, Williams H. A trial. N Engl J Med 2015;373(22):2141-8.",
        ),
        (
            {
                "title": "Untitled authors first?",
                "journal": "J Immunol Res",
                "year": 2020,
                "pages": "6672865",
            },
            "Untitled authors first? J Immunol Res 2020:6672865.",
        ),
        (
            {
                "authors": ["American Thyroid Association"],
                "journal": "Thyroid",
                "year": 2017,
                "volume": "27",
                "pages": "315",
            },
            "American Thyroid Association. Thyroid 2017;27:315.",
        ),
        (
            {"authors": [f"A{i} B" for i in range(8)], "title": "Many."},
            "A0 B, A1 B, A2 B, A3 B, A4 B, A5 B, et al. Many.",
        ),
        ({"title": "Only a title"}, "Only a title."),
    ],
)
def test_citation(fields: dict[str, object], expected: str) -> None:
    assert citation(Reference(**fields)) == expected  # type: ignore[arg-type]


def test_identifiers_once_each_and_url_only_without_them() -> None:
    ref = Reference(title="t", doi="10.1/x", pmid="1", pmcid="PMC2", url="https://x")
    assert identifiers(ref) == "doi:10.1/x; PMID 1; PMCID PMC2"
    assert identifiers(Reference(title="t", url="https://x")) == "https://x"
    assert identifiers(Reference(title="t")) == ""


def test_a_truncated_author_list_says_et_al() -> None:
    ref = Reference(authors=["Egerup P"], et_al=True, journal="PLoS One", year=2015)
    assert citation(ref) == "Egerup P, et al. PLoS One 2015."
