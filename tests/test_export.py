"""JSON, Markdown and CSV output: the machine-readable and paste-able forms."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import msgspec
import pytest

from rmcli import export
from rmcli.document import cited_refs, headline, sections
from rmcli.kb import KnowledgeBase, Therapy
from rmcli.kb.cite import citation


def pick(kb: KnowledgeBase, *ids: str) -> list[Therapy]:
    by_id = {t.id: t for t in kb.therapies}
    return [by_id[i] for i in ids]


def envelope_ok(document: dict[str, Any], kb: KnowledgeBase, payload: str) -> None:
    assert list(document) == ["schema_version", "kb_version", payload, "disclaimer"]
    assert document["schema_version"] == export.SCHEMA_VERSION
    assert isinstance(document["schema_version"], int)
    assert document["kb_version"] == kb.manifest.version
    assert document["disclaimer"] == kb.manifest.disclaimer


def test_list_json(kb: KnowledgeBase) -> None:
    therapies = pick(kb, "ivig", "heparin")
    document = json.loads(export.list_json(kb, therapies))
    envelope_ok(document, kb, "therapies")
    first = document["therapies"][0]
    assert first["id"] == "ivig"
    assert first["name"] == "Intravenous immunoglobulin"
    assert first["headline"] == headline(therapies[0])
    assert set(first) >= {"id", "name", "aliases", "targets", "status", "certainty"}
    assert first["last_reviewed"] == therapies[0].last_reviewed.isoformat()


def test_show_json_is_the_whole_record_with_references_resolved(kb: KnowledgeBase) -> None:
    (ivig,) = pick(kb, "ivig")
    document = json.loads(export.show_json(kb, ivig))
    envelope_ok(document, kb, "therapy")
    record = document["therapy"]
    for key in msgspec.to_builtins(ivig):
        assert key in record
    assert [r["id"] for r in record["references"]] == cited_refs(ivig)
    for ref in record["references"]:
        assert ref["citation"] == citation(kb.references[ref["id"]])
    assert any("doi" in r for r in record["references"])


def test_compare_json_keeps_the_order_given(kb: KnowledgeBase) -> None:
    document = json.loads(export.compare_json(kb, pick(kb, "heparin", "aspirin", "ivig")))
    envelope_ok(document, kb, "therapies")
    assert [t["id"] for t in document["therapies"]] == ["heparin", "aspirin", "ivig"]
    assert all("references" in t for t in document["therapies"])


def test_json_is_indented_and_unicode_survives(kb: KnowledgeBase) -> None:
    text = export.show_json(kb, *pick(kb, "tnf-inhibitors"))
    assert text.startswith('{\n  "schema_version": 1,')
    assert json.loads(text)["therapy"]["name"].count("α") >= 1


def test_list_csv(kb: KnowledgeBase) -> None:
    therapies = pick(kb, "prednisolone", "ivig")
    rows = list(csv.reader(io.StringIO(export.list_csv(kb, therapies))))
    assert rows[0] == ["id", "name", "drug_class", "targets", "status", "certainty", "headline"]
    assert [r[0] for r in rows[1:]] == ["prednisolone", "ivig"]
    assert rows[1][1] == therapies[0].name  # a name with a comma survives quoting
    assert rows[1][3] == ";".join(therapies[0].targets)


@pytest.mark.parametrize("lead", ["=", "+", "-", "@"])
def test_csv_cells_cannot_become_formulas(kb: KnowledgeBase, lead: str) -> None:
    (ivig,) = pick(kb, "ivig")
    hostile = msgspec.structs.replace(ivig, name=f"{lead}HYPERLINK(1)", drug_class="\x1b[2Jx")
    (_, row) = list(csv.reader(io.StringIO(export.list_csv(kb, [hostile]))))
    assert row[1] == f"'{lead}HYPERLINK(1)"
    assert row[2] == "x"


def test_list_markdown(kb: KnowledgeBase) -> None:
    therapies = pick(kb, "ivig", "heparin")
    lines = export.list_markdown(kb, therapies).splitlines()
    assert lines[0] == "| id | name | class | targets | status | certainty | headline stance |"
    assert lines[1] == "|---|---|---|---|---|---|---|"
    assert lines[2].startswith("| ivig | Intravenous immunoglobulin |")
    assert lines[-1] == f"Knowledge base {kb.manifest.version}."


def test_markdown_cells_escape_pipes_and_fold_newlines(kb: KnowledgeBase) -> None:
    (ivig,) = pick(kb, "ivig")
    hostile = msgspec.structs.replace(ivig, name="A | B\nC", drug_class="x\x07y")
    row = export.list_markdown(kb, [hostile]).splitlines()[2]
    assert "| A \\| B C |" in row
    assert "| xy |" in row


def test_show_markdown_has_every_section_in_order(kb: KnowledgeBase) -> None:
    (ivig,) = pick(kb, "ivig")
    text = export.show_markdown(kb, ivig)
    lines = text.splitlines()
    assert lines[0] == "# Intravenous immunoglobulin (`ivig`)"
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert headings == [s.title for s in sections(ivig, kb)]
    assert lines[-1] == f"*{kb.manifest.disclaimer}*"


def test_show_markdown_guideline_table_has_a_row_per_position(kb: KnowledgeBase) -> None:
    (ivig,) = pick(kb, "ivig")
    lines = export.show_markdown(kb, ivig).splitlines()
    start = lines.index("## Guideline positions")
    table = [line for line in lines[start + 1 :] if line.startswith("|")]
    table = table[: 2 + len(ivig.guidelines)]
    assert table[0] == "| Guideline | Stance | Population | What it says |"
    assert len(table) == 2 + len(ivig.guidelines)


def test_compare_markdown_interleaves_therapies_per_section(kb: KnowledgeBase) -> None:
    therapies = pick(kb, "prednisolone", "ivig", "heparin")
    text = export.compare_markdown(kb, therapies)
    lines = text.splitlines()
    assert lines[0] == "# Comparison: " + " vs ".join(t.name for t in therapies)
    level2 = [line[3:] for line in lines if line.startswith("## ")]
    assert level2 == [s.title for s in sections(therapies[0], kb)]
    level3 = [line[4:] for line in lines if line.startswith("### ")]
    assert level3 == [t.name for t in therapies] * len(level2)
    assert lines[-1] == f"*{kb.manifest.disclaimer}*"
    for t in therapies:
        for ref in cited_refs(t):
            assert ref in text
