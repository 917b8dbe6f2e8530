"""Plain-text references, and the field readings the export formats share."""

from __future__ import annotations

import pytest
from refcases import TRICKY, all_refs, bundled_refs

from rmcli.formats.reftext import form, one_line, page_range, person, write
from rmcli.kb.model import Reference
from rmcli.views.cite import citation, identifiers


def test_one_line_per_reference_with_its_identifiers() -> None:
    text = write(TRICKY[:2])
    assert text.splitlines() == [
        "Coomarasamy A, van der Post JAM, Dhillon-Smith RK, Martin J-L. A randomized trial of"
        " progesterone in women with recurrent miscarriages. N Engl J Med 2015;373(22):2141-8."
        " doi:10.1056/NEJMoa1504927; PMID 26605928; PMCID PMC1234567",
        "Untitled and anonymous: 100% unknown.",
    ]


def test_every_reference_is_its_citation() -> None:
    refs = all_refs()
    lines = write(refs).splitlines()
    assert len(lines) == len(refs)
    for line, (_, ref) in zip(lines, refs, strict=True):
        assert line == one_line(f"{citation(ref)} {identifiers(ref)}")
    assert len(bundled_refs()) > 100
    for line, (_, ref) in zip(write(TRICKY).splitlines(), TRICKY, strict=True):
        assert not ref.doi or line.count(ref.doi) == 1


def test_text_is_one_line_and_clean() -> None:
    ref = Reference(title="Two\nlines \x1b[2J cleared", journal="J")
    assert write([("k", ref)]) == "Two lines \\x1b[2J cleared. J.\n"


@pytest.mark.parametrize(
    ("author", "split"),
    [
        ("Coomarasamy A", ("Coomarasamy", "A.")),
        ("Dhillon-Smith RK", ("Dhillon-Smith", "R. K.")),
        ("van der Post JAM", ("van der Post", "J. A. M.")),
        ("de Jong PG", ("de Jong", "P. G.")),
        ("Bender Atik R", ("Bender Atik", "R.")),
        ("D'Ippolito S", ("D'Ippolito", "S.")),
        ("Lidegaard Ø", ("Lidegaard", "Ø.")),
        ("Martin J-L", ("Martin", "J.-L.")),
        ("McGrath A", ("McGrath", "A.")),
        ("ESHRE Guideline Group on RPL", None),
        ("National Institute for Health and Care Excellence", None),
        ("Royal College of Obstetricians and Gynaecologists", None),
        ("US Food and Drug Administration", None),
        ("Han", None),
        ("Immunize.org", None),
        ("Recurrent Miscarriage Immunotherapy Trialists Group", None),
    ],
)
def test_person(author: str, split: tuple[str, str] | None) -> None:
    assert person(author) == split


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("809-13", ("809", "813")),
        ("2141-8", ("2141", "2148")),
        ("809–813", ("809", "813")),
        ("e1234-e1240", ("e1234", "e1240")),
        ("hoad002", ("hoad002", None)),
        ("101527", ("101527", None)),
    ],
)
def test_page_range(pages: str, expected: tuple[str, str | None]) -> None:
    assert page_range(pages) == expected


def test_forms() -> None:
    assert form(Reference(title="t")) == "article"
    assert form(Reference(kind="guideline", title="t", volume="1")) == "article"
    assert form(Reference(kind="guideline", title="t")) == "report"
    assert form(Reference(kind="report", title="t", pages="1-2")) == "article"
    assert form(Reference(kind="webpage", title="t", volume="1")) == "webpage"
    assert form(Reference(kind="book", title="t")) == "book"
