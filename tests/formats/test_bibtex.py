"""BibTeX export: parsed back with bibtexparser, every field comes back as it was written."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import NameParts, SeparateCoAuthors, SplitNameParts
from pylatexenc.latex2text import LatexNodes2Text  # type: ignore[import-untyped]
from refcases import TRICKY, Refs, all_refs, bundled_refs

from rmcli.formats import bibtex
from rmcli.formats.reftext import form, person
from rmcli.kb.model import Reference
from rmcli.views.cite import display_title

DECODE = LatexNodes2Text()  # what bibtexparser's LatexDecodingMiddleware uses


def parse(text: str) -> dict[str, Any]:
    """Entries by key: fields LaTeX-decoded, authors as (von+last, first) pairs."""
    library = parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert not library.failed_blocks
    entries = {}
    for entry in library.entries:
        fields: dict[str, Any] = {f.key: f.value for f in entry.fields}
        for key, value in fields.items():
            if key == "author":
                fields[key] = [_name(parts) for parts in value]
            elif key not in bibtex.VERBATIM:  # identifiers are written as they are
                fields[key] = DECODE.latex_to_text(value)
        fields["ENTRYTYPE"] = entry.entry_type
        entries[entry.key] = fields
    return entries


def _name(parts: NameParts) -> tuple[str, str]:
    family = " ".join(parts.von + parts.last)
    return str(DECODE.latex_to_text(family)), str(DECODE.latex_to_text(" ".join(parts.first)))


def expected_authors(ref: Reference) -> list[tuple[str, str]]:
    named = [person(author) or (author, "") for author in ref.authors]
    return [*named, ("others", "")] if ref.et_al else named


def check(refs: Refs) -> None:
    entries = parse(bibtex.write(refs))
    assert len(entries) == len(refs)
    for key, ref in refs:
        entry = entries[key.replace(" ", "-")]
        if ref.authors:
            assert entry["author"] == expected_authors(ref), key
        else:
            assert "author" not in entry
        assert entry.get("title") == display_title(ref), key
        shape = form(ref)
        publisher = {"article": "journal", "report": "institution", "webpage": "howpublished"}
        if ref.journal:
            assert entry[publisher.get(shape, "publisher")] == ref.journal, key
        pairs = [("year", ref.year), ("volume", ref.volume), ("number", ref.issue)]
        pairs += [("pages", ref.pages), ("doi", ref.doi), ("pmid", ref.pmid)]
        pairs += [("pmcid", ref.pmcid), ("url", ref.url)]
        for name, value in pairs:
            assert entry.get(name) == (None if value is None else str(value)), (key, name)


def test_every_bundled_reference_round_trips() -> None:
    check(bundled_refs())


def test_tricky_references_round_trip() -> None:
    check(TRICKY)


def test_all_references_in_one_database_round_trip() -> None:
    check(all_refs())


@pytest.mark.parametrize(
    ("key", "entry_type"),
    [
        ("full", "article"),
        ("anonymous", "article"),
        ("groups", "article"),  # a guideline published in a journal
        ("report", "techreport"),
        ("web page", "misc"),
        ("book", "book"),
    ],
)
def test_entry_types(key: str, entry_type: str) -> None:
    entries = parse(bibtex.write(TRICKY))
    assert entries[key.replace(" ", "-")]["ENTRYTYPE"] == entry_type


def test_the_written_text_escapes_and_protects() -> None:
    text = bibtex.write(TRICKY)
    assert r"50\% of R\&D, under\_score, \#1, \$5" in text
    assert r"\{braced\}" in text
    assert r"TNF-\ensuremath{\alpha}" in text
    assert "{ESHRE Guideline Group on RPL} and {National Institute for Health and Care" in text
    assert "van der Post, J. A. M." in text
    assert "title = {{A randomized trial" in text  # capitals kept by styles
    assert "doi = {10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E}" in text


def test_a_group_author_is_not_split_at_and() -> None:
    entries = parse(bibtex.write(TRICKY))
    assert entries["groups"]["author"] == [
        ("ESHRE Guideline Group on RPL", ""),
        ("National Institute for Health and Care Excellence", ""),
    ]


def test_an_unbalanced_identifier_is_made_safe() -> None:
    ref = Reference(title="t", url="https://example.org/{a")
    entries = parse(bibtex.write([("k", ref)]))
    assert entries["k"]["url"] == "https://example.org/a"


def test_no_references_is_an_empty_database() -> None:
    assert bibtex.write([]).strip() == ""


def test_escape_sequences_never_reach_the_output() -> None:
    text = bibtex.write([("k", Reference(title="\x1b[31mred\x1b[0m \x9b title"))])
    assert "\x1b" not in text and "\x9b" not in text


def test_the_latex_encoder_is_loaded_only_for_text_that_needs_it() -> None:
    """bibtexparser is for reading BibTeX back (here, in the tests); rmcli writes it itself
    and loads pylatexenc only when a field holds more than plain ASCII."""
    code = (
        "import sys; from rmcli.formats import bibtex; from rmcli.kb.model import Reference\n"
        "bibtex.write([('k', Reference(title='Plain title', authors=['Smith AB']))])\n"
        "assert not {'bibtexparser', 'pylatexenc'} & set(sys.modules), sys.modules.keys()\n"
        "assert 'Caf' in bibtex.write([('k', Reference(title='Café'))])\n"
        "assert 'pylatexenc' in sys.modules and 'bibtexparser' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_accented_letter_is_braced_whole_so_bibtex_sorts_and_splits_the_name() -> None:
    from rmcli.kb.model import Reference

    ref = Reference(kind="article", title="T", authors=["Ângelo-Dias M", "Dvořák A"], year=2025)
    text = bibtex.write([("x", ref)])
    assert r"{\^A}ngelo-Dias, M. and Dvo{\v{r}}{\'a}k, A." in text
    (entry,) = parse(text).values()
    assert entry["author"] == [("Ângelo-Dias", "M."), ("Dvořák", "A.")]
