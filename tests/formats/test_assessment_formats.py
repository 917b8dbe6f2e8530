"""One assessment view, four formats: the table, Markdown, HTML and JSON say the same."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import contract
import pytest

from rmcli.assess import Assessment, assess
from rmcli.environment import Canvas
from rmcli.formats import Format, render
from rmcli.kb import KnowledgeBase
from rmcli.profile import load as load_profile
from rmcli.views.assessment import AssessmentView, assessment_view

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "profile.toml"


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible(text: str, fmt: Format) -> str:
    if fmt is Format.html:
        parser = Text()
        parser.feed(text)
        text = html.unescape(" ".join(parser.parts))
    if fmt is Format.markdown:
        text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", text.replace("**", ""))
    return " ".join(text.replace(" | ", " ").split())


@pytest.fixture(scope="module")
def result(kb: KnowledgeBase) -> Assessment:
    return assess(load_profile(EXAMPLE, kb.vocabulary, [t.id for t in kb.therapies]), kb)


@pytest.fixture(scope="module")
def view(kb: KnowledgeBase, result: Assessment) -> AssessmentView:
    return assessment_view(result, kb)


def view_texts(view: AssessmentView) -> list[str]:
    """Every text the view gives its writers, section by section."""
    texts = [view.title]
    for section in view.sections:
        texts += [section.title, *section.intro, *section.outro]
        texts += [t for e in section.entries for t in (e.lead, e.text, *e.sub) if t]
        for row in section.rows:
            texts += [row.badge, row.name, *row.decides, row.acts, row.risks, *row.cautions]
        for detail in section.details:
            texts += [detail.heading, *detail.cautions, *([detail.empty] if detail.empty else [])]
            texts += [t for r in detail.reasons for t in (r.heading, *r.parts)]
    return [*texts, *view.footer]


@pytest.mark.parametrize("fmt", [Format.table, Format.markdown, Format.html])
def test_every_readable_format_holds_every_text_of_the_view(
    kb: KnowledgeBase, result: Assessment, fmt: Format
) -> None:
    view = assessment_view(result, kb, show_details=True)
    text = visible(render(view, fmt, Canvas(width=1000)), fmt)
    for item in view_texts(view):
        assert " ".join(item.split()) in text, (fmt, item[:60])


def test_the_table_puts_avoid_first_and_highlights_it(kb: KnowledgeBase) -> None:
    from rmcli.profile import parse

    patient = parse(
        {"losses": 3, "findings": {"antiphospholipid": "persistent"}, "conditions": []},
        kb.vocabulary,
        [t.id for t in kb.therapies],
    )
    result = assess(patient, kb)
    avoided = [a for a in result.assessments if a.tier == "avoid"]
    view = assessment_view(result, kb)
    if avoided:  # depends on the data: a profile with a contraindication
        assert view.rows[0].tier == "avoid"
    styled = render(view, Format.table, Canvas(width=120, styles=True, colour=True))
    assert "\x1b[" in styled


def test_json_keys_are_the_contract(view: AssessmentView, result: Assessment) -> None:
    document = json.loads(render(view, Format.json, Canvas()))
    assert list(document) == contract.ASSESSMENT_JSON_KEYS
    assert [a["therapy"] for a in document["assessments"]] == [
        a.therapy for a in result.assessments
    ]  # every therapy, not-indicated included, in the assessment's order
    for item in document["assessments"]:
        assert {"therapy", "name", "tier", "reasons", "cautions", "references"} <= set(item)
        assert all({"id", "citation"} <= set(ref) for ref in item["references"])
    for entry in document["what_would_change"]:
        assert {"finding", "results"} <= set(entry)
        for r in entry["results"]:
            assert {"value", "changes"} <= set(r)
            for change in r["changes"]:
                assert {"therapy", "from", "to"} <= set(change)
    for entry in document["outlook"]:
        assert set(entry) == {"text", "refs", "checked"}


def test_markdown_and_html_reports_carry_the_generated_line(
    kb: KnowledgeBase, result: Assessment
) -> None:
    import datetime

    view = assessment_view(result, kb, generated=datetime.date(2026, 12, 2))
    for fmt in (Format.markdown, Format.html):
        text = render(view, fmt, Canvas())
        assert "Generated 2026-12-02 by rmcli" in text
        assert kb.manifest.disclaimer in html.unescape(text)


@pytest.mark.parametrize("width", [80, 120])
def test_cautions_for_her_are_named_only_where_a_row_has_one(kb: KnowledgeBase, width: int) -> None:
    from rmcli.profile import parse
    from rmcli.views.assessment_rows import BLOCK_LABELS, NO_CAUTION

    def table(**answers: object) -> str:
        profile = parse(dict(answers), kb.vocabulary, [t.id for t in kb.therapies])
        view = assessment_view(assess(profile, kb), kb, show_details=False)
        return " ".join(render(view, Format.table, Canvas(width=width, unicode=False)).split())

    plain = table(losses=3, findings={"antiphospholipid": "persistent"})
    assert f"{BLOCK_LABELS['cautions']}:" not in plain and NO_CAUTION not in plain
    cautious = table(losses=3, findings={"antiphospholipid": "persistent"}, conditions=["asthma"])
    assert "asthma" in cautious.casefold()
