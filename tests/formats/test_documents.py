"""JSON, Markdown and CSV of the reference views: the contract keys, escaping, each fact once."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import msgspec
import pytest
from helpers import TODAY, pick

from rmcli.environment import Canvas
from rmcli.formats import csv as csv_format
from rmcli.formats import json as json_format
from rmcli.formats.markdown import documents as markdown
from rmcli.kb import KnowledgeBase
from rmcli.views.common import cited_refs
from rmcli.views.comparison import comparison
from rmcli.views.forest import forest
from rmcli.views.listing import listing
from rmcli.views.monograph import monograph
from rmcli.views.targets import matrix

CANVAS = Canvas()


def envelope_ok(document: dict[str, Any], kb: KnowledgeBase, payload: str) -> None:
    assert list(document) == ["schema_version", "kb_version", "kb_date", payload, "disclaimer"]
    assert document["schema_version"] == json_format.SCHEMA_VERSION == 1
    assert document["kb_version"] == kb.manifest.version
    assert document["kb_date"] == kb.manifest.date.isoformat()
    assert document["disclaimer"] == kb.manifest.disclaimer


def test_list_json(kb: KnowledgeBase) -> None:
    view = listing(kb, pick(kb, "ivig", "heparin"), TODAY)
    document = json.loads(json_format.listing(view, CANVAS))
    envelope_ok(document, kb, "therapies")
    first = document["therapies"][0]
    assert first["id"] == "heparin"  # sorted by id
    assert first["headline"] == view.rows[0].headline.full
    assert first["headline_checked"] == "secondary"
    assert first["review_overdue"] is False
    assert set(first) >= {
        "id",
        "name",
        "aliases",
        "targets",
        "status",
        "certainty",
        "last_reviewed",
    }


def test_show_json_is_the_whole_record_without_notes(kb: KnowledgeBase) -> None:
    (ivig,) = pick(kb, "ivig")
    document = json.loads(json_format.monograph(monograph(ivig, kb, TODAY), CANVAS))
    envelope_ok(document, kb, "therapy")
    record = document["therapy"]
    for key in msgspec.to_builtins(ivig):
        assert key in record
    assert len(record["guidelines"]) == len(ivig.guidelines)  # unverified rows kept
    assert [r["id"] for r in record["references"]] == cited_refs(ivig)
    assert record["review_overdue"] is False and record["headline"]
    assert '"note"' not in json.dumps(document) and '"sheet"' not in json.dumps(document)


def test_compare_json_keeps_the_order_given(kb: KnowledgeBase) -> None:
    view = comparison(pick(kb, "heparin", "aspirin", "ivig"), kb, TODAY)
    document = json.loads(json_format.comparison(view, CANVAS))
    envelope_ok(document, kb, "therapies")
    assert [t["id"] for t in document["therapies"]] == ["heparin", "aspirin", "ivig"]
    assert all("references" in t for t in document["therapies"])


def test_json_is_indented_and_unicode_survives(kb: KnowledgeBase) -> None:
    (tnf,) = pick(kb, "tnf-inhibitors")
    text = json_format.monograph(monograph(tnf, kb, TODAY), CANVAS)
    assert text.startswith('{\n  "schema_version": 1,')
    assert json.loads(text)["therapy"]["name"].count("α") >= 1


def test_json_escapes_c1_controls(kb: KnowledgeBase) -> None:
    (ivig,) = pick(kb, "ivig")
    hostile = msgspec.structs.replace(ivig, name="a\x9b\x7fb")
    text = json_format.listing(listing(kb, [hostile], TODAY), CANVAS)
    assert "\x9b" not in text and "\\u009b" in text
    assert json.loads(text)["therapies"][0]["name"] == "a\x9b\x7fb"


def test_evidence_json_names_population_and_verdict(kb: KnowledgeBase) -> None:
    (heparin,) = pick(kb, "heparin")
    document = json.loads(json_format.forest(forest(heparin, kb), CANVAS))
    envelope_ok_keys = ["schema_version", "kb_version", "kb_date", "therapy", "reading"]
    assert list(document)[:5] == envelope_ok_keys
    point = document["panels"][0]["points"][0]
    assert {"population", "outcome", "effect", "verdict", "verdict_text", "comparison"} <= set(
        point
    )
    assert len(document["panels"][0]["ticks"]) >= 3


def test_list_csv(kb: KnowledgeBase) -> None:
    view = listing(kb, pick(kb, "prednisolone", "ivig"), TODAY)
    rows = list(csv.reader(io.StringIO(csv_format.listing(view, CANVAS))))
    assert rows[0][:7] == ["id", "name", "drug_class", "targets", "status", "certainty", "headline"]
    assert rows[0][7:] == ["last_reviewed", "review_overdue"]
    assert [r[0] for r in rows[1:]] == ["ivig", "prednisolone"]
    assert rows[2][1] == pick(kb, "prednisolone")[0].name  # a name with a comma survives quoting


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t"])
def test_csv_cells_cannot_become_formulas(kb: KnowledgeBase, lead: str) -> None:
    (ivig,) = pick(kb, "ivig")
    hostile = msgspec.structs.replace(ivig, name=f"{lead}HYPERLINK(1)", drug_class="\x1b[2Jx")
    (_, row) = list(
        csv.reader(io.StringIO(csv_format.listing(listing(kb, [hostile], TODAY), CANVAS)))
    )
    assert row[1] == f"'{lead}HYPERLINK(1)"
    assert row[2] == "\\x1b[2Jx"  # the escape shown, not run and not dropped


def test_targets_csv_and_markdown(kb: KnowledgeBase) -> None:
    view = matrix(kb, kb.therapies)
    rows = list(csv.reader(io.StringIO(csv_format.matrix(view, CANVAS))))
    assert rows[0] == ["therapy", "status", *kb.vocabulary.targets]
    lines = markdown.matrix(view, CANVAS).splitlines()
    assert lines[0].startswith("| therapy | status | NK |")
    assert lines[-1].startswith("Key: NK = NK cells;")


def test_list_markdown(kb: KnowledgeBase) -> None:
    lines = markdown.listing(listing(kb, pick(kb, "ivig", "heparin"), TODAY), CANVAS).splitlines()
    assert lines[0] == "| id | name | status | certainty | targets |"
    assert lines[1] == "|---|---|---|---|---|"
    assert lines[2].startswith("| heparin | Heparin (LMWH or UFH)")
    assert lines[-1] == f"*{kb.manifest.disclaimer}*"
    long = markdown.listing(listing(kb, pick(kb, "ivig"), TODAY, long=True), CANVAS)
    assert "| class | headline stance | last reviewed |" in long.splitlines()[0]
    empty = markdown.listing(listing(kb, [], TODAY, filters=["--search 'q'"]), CANVAS)
    assert empty.startswith("No therapy matches --search 'q'.")


def test_markdown_cells_escape_pipes_tags_and_fold_newlines(kb: KnowledgeBase) -> None:
    (ivig,) = pick(kb, "ivig")
    hostile = msgspec.structs.replace(ivig, name="A | B\nC <script>", drug_class="x\x07y")
    row = markdown.listing(listing(kb, [hostile], TODAY, long=True), CANVAS).splitlines()[2]
    assert "| A \\| B C &lt;script> |" in row
    assert "| x\\\\x07y |" in row  # BEL shown as \x07, its backslash escaped for Markdown


def test_show_markdown_has_the_summary_then_every_section(kb: KnowledgeBase) -> None:
    (ivig,) = pick(kb, "ivig")
    view = monograph(ivig, kb, TODAY)
    lines = markdown.monograph(view, CANVAS).splitlines()
    assert lines[0] == "# Intravenous immunoglobulin (`ivig`)"
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert headings == ["At a glance", *(s.title for s in view.sections)]
    assert lines[-1] == f"*{kb.manifest.disclaimer}*"
    text = "\n".join(lines)
    assert "Positions unverified: " in text
    assert "(UNVERIFIED)" not in "\n".join(
        line for line in lines if line.startswith("| ") and "position not verified" in line
    )


def test_compare_markdown_is_the_glance_then_sections_with_full(kb: KnowledgeBase) -> None:
    therapies = pick(kb, "prednisolone", "ivig", "heparin")
    short = markdown.comparison(comparison(therapies, kb, TODAY), CANVAS).splitlines()
    assert short[0] == "# Comparison: Prednisolone vs IVIG vs Heparin"
    assert [line for line in short if line.startswith("## ")] == ["## At a glance"]
    full = markdown.comparison(comparison(therapies, kb, TODAY, full=True), CANVAS)
    level3 = [line[4:] for line in full.splitlines() if line.startswith("### ")]
    assert level3[:3] == [t.name for t in therapies]
    for t in therapies:
        for ref in cited_refs(t):
            assert ref in full
