"""CSL-JSON export: valid against the published schema's rules, and every field read back."""

from __future__ import annotations

import json
from typing import Any

from refcases import TRICKY, Refs, all_refs, bundled_refs

from rmcli.formats import csl_json
from rmcli.formats.reftext import person
from rmcli.views.cite import display_title

# From citation-style-language/schema, schemas/input/csl-data.json: the item types, the
# variables rmcli writes, and the name keys it may use (the schema allows no other keys).
CSL_TYPES = {"article-journal", "report", "webpage", "book"}
STRING_VARIABLES = {"id", "type", "title", "container-title", "publisher", "DOI", "PMID", "PMCID"}
STRING_VARIABLES |= {"URL"}
STRING_OR_NUMBER = {"volume", "issue", "page"}
NAME_KEYS = {"family", "given", "literal"}


def validate(items: list[dict[str, Any]]) -> None:
    for item in items:
        assert {"id", "type"} <= item.keys()
        assert item["type"] in CSL_TYPES
        allowed = STRING_VARIABLES | STRING_OR_NUMBER | {"author", "issued"}
        assert item.keys() <= allowed, item.keys() - allowed
        for key in STRING_VARIABLES & item.keys():
            assert isinstance(item[key], str)
        for key in STRING_OR_NUMBER & item.keys():
            assert isinstance(item[key], (str, int))
        for name in item.get("author", []):
            assert name and name.keys() <= NAME_KEYS
            assert ("literal" in name) != ("family" in name)
            assert all(isinstance(value, str) and value for value in name.values())
        if "issued" in item:
            parts = item["issued"]["date-parts"]
            assert item["issued"].keys() == {"date-parts"}
            assert 1 <= len(parts) <= 2 and all(1 <= len(p) <= 3 for p in parts)


def check(refs: Refs) -> None:
    items = json.loads(csl_json.write(refs))
    validate(items)
    assert [item["id"] for item in items] == [key for key, _ in refs]
    for item, (key, ref) in zip(items, refs, strict=True):
        names = [
            {"family": split[0], "given": split[1]} if (split := person(a)) else {"literal": a}
            for a in ref.authors
        ]
        assert item.get("author", []) == names, key
        assert item.get("title") == display_title(ref)
        if ref.journal:
            assert ref.journal in (item.get("container-title"), item.get("publisher")), key
        assert item.get("issued") == ({"date-parts": [[ref.year]]} if ref.year else None)
        pairs = [("volume", ref.volume), ("issue", ref.issue), ("page", ref.pages)]
        pairs += [("DOI", ref.doi), ("PMID", ref.pmid), ("PMCID", ref.pmcid), ("URL", ref.url)]
        for name, value in pairs:
            assert item.get(name) == value, (key, name)


def test_every_bundled_reference_round_trips() -> None:
    check(bundled_refs())


def test_tricky_references_round_trip() -> None:
    check(TRICKY)
    check(all_refs())


def test_types_and_containers() -> None:
    items = {item["id"]: item for item in json.loads(csl_json.write(TRICKY))}
    assert items["full"]["type"] == "article-journal"
    assert items["full"]["container-title"] == "N Engl J Med"
    assert items["groups"]["type"] == "article-journal"  # a guideline in a journal
    assert items["report"]["type"] == "report"
    assert items["report"]["publisher"] == "National Blood Authority"
    assert items["web page"]["type"] == "webpage"
    assert items["web page"]["container-title"] == "Immunize.org"
    assert items["book"] == {
        "id": "book",
        "type": "book",
        "author": [{"family": "Regan", "given": "L."}],
        "title": "Miscarriage: what every woman needs to know",
        "publisher": "Orion",
        "issued": {"date-parts": [[2001]]},
    }
    assert "author" not in items["anonymous"] and "issued" not in items["anonymous"]


def test_unicode_is_written_as_is() -> None:
    text = csl_json.write(TRICKY)
    assert "Kamper-Jørgensen" in text and "TNF-α" in text


def test_no_references_is_an_empty_array() -> None:
    assert json.loads(csl_json.write([])) == []
