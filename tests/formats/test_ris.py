"""RIS export: parsed back with rispy, every field comes back as it was written."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import rispy  # type: ignore[import-untyped]
from refcases import TRICKY, Refs, all_refs, bundled_refs

from rmcli.formats import ris
from rmcli.formats.reftext import one_line, page_range, person
from rmcli.kb.model import Reference
from rmcli.views.cite import display_title


def parse(text: str) -> dict[str, dict[str, Any]]:
    records: list[dict[str, Any]] = rispy.loads(text)
    return {record["id"]: record for record in records}


def check(refs: Refs) -> None:
    records = parse(ris.write(refs))
    assert len(records) == len(refs)
    for key, ref in refs:
        record = records[key]
        authors = [", ".join(person(a) or (a,)) for a in ref.authors]
        assert record.get("authors", []) == authors, key
        title = display_title(ref)
        assert record.get("title") == (one_line(title) if title else None), key
        if ref.journal:
            assert ref.journal in (record.get("secondary_title"), record.get("publisher")), key
        first, last = page_range(ref.pages) if ref.pages else (None, None)
        pairs = [("year", ref.year and str(ref.year)), ("volume", ref.volume)]
        pairs += [("number", ref.issue), ("start_page", first), ("end_page", last)]
        pairs += [("doi", ref.doi), ("accession_number", ref.pmid), ("custom2", ref.pmcid)]
        for name, value in pairs:
            assert record.get(name) == value, (key, name)
        assert record.get("urls") == ([ref.url] if ref.url else None), key


def test_every_bundled_reference_round_trips() -> None:
    check(bundled_refs())


def test_tricky_references_round_trip() -> None:
    check(TRICKY)


def test_all_references_in_one_file_round_trip() -> None:
    check(all_refs())


@pytest.mark.parametrize(
    ("key", "tag"),
    [
        ("full", "JOUR"),
        ("anonymous", "JOUR"),
        ("groups", "JOUR"),
        ("report", "RPRT"),
        ("web page", "ELEC"),
        ("book", "BOOK"),
    ],
)
def test_types(key: str, tag: str) -> None:
    assert parse(ris.write(TRICKY))[key]["type_of_reference"] == tag


def test_the_written_text() -> None:
    text = ris.write(TRICKY[:1])
    assert text.startswith("TY  - JOUR\n")  # no "1." header before the record
    for line in (
        "AU  - van der Post, J. A. M.",
        "AU  - Martin, J.-L.",
        "T2  - N Engl J Med",
        "SP  - 2141",
        "EP  - 2148",  # "2141-8" written out
        "AN  - 26605928",
        "C2  - PMC1234567",
        "ER  - ",
    ):
        assert line in text.splitlines()


def test_a_value_stays_on_its_line() -> None:
    ref = Reference(title="A title\nTY  - JOUR\nwith a forged tag", journal="J\r\nX")
    records = rispy.loads(ris.write([("k", ref)]))
    assert len(records) == 1
    assert records[0]["title"] == "A title TY - JOUR with a forged tag"
    assert records[0]["secondary_title"] == "J X"  # a Windows line end is a line end


def test_escape_sequences_never_reach_the_output() -> None:
    text = ris.write([("k", Reference(title="\x1b]0;title\x07red \x9b"))])
    assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text


def test_rispy_is_imported_only_when_writing() -> None:
    code = "import sys, rmcli.formats.ris; assert 'rispy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
