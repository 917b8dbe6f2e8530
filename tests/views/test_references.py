"""The references view: which references `rmcli refs` exports, and in what order."""

from __future__ import annotations

import msgspec

from rmcli.environment import Canvas
from rmcli.formats import Format, render
from rmcli.kb import KnowledgeBase, Therapy
from rmcli.kb.model import Claim
from rmcli.views import ViewKind
from rmcli.views.references import references


def therapy(kb: KnowledgeBase, therapy_id: str) -> Therapy:
    return next(t for t in kb.therapies if t.id == therapy_id)


def citing(kb: KnowledgeBase, first: list[str], then: list[str]) -> Therapy:
    """A therapy whose overall verdict cites `first` and whose only indication cites `then`."""
    t = therapy(kb, "ivig")
    return msgspec.structs.replace(
        t,
        overall=msgspec.structs.replace(t.overall, refs=first),
        mechanism=msgspec.structs.replace(t.mechanism, refs=[]),
        seed_rationale=None,
        indications=[Claim(text="x", refs=then, checked="primary")],
        evidence=[],
        guidelines=[],
        regimens=[],
        caveats=[],
        maternal_risks=[],
        fetal_risks=[],
        contraindications=[],
        monitoring=[],
        cost=[],
        rules=[],
        changes=[],
    )


def test_without_therapies_every_reference_sorted_by_id(kb: KnowledgeBase) -> None:
    view = references(kb)
    assert view.kind is ViewKind.references
    assert [key for key, _ in view.refs] == sorted(kb.references)
    assert all(ref is kb.references[key] for key, ref in view.refs)
    assert view.therapies == []


def test_first_use_order_each_once_across_therapies(kb: KnowledgeBase) -> None:
    a, b, c = sorted(kb.references)[:3]
    one = citing(kb, [c, a], [a, c])
    two = citing(kb, [b], [a])
    view = references(kb, [one, two])
    assert [key for key, _ in view.refs] == [c, a, b]
    assert view.therapies == ["ivig", "ivig"]


def test_every_writer_writes_the_views_references(kb: KnowledgeBase) -> None:
    view = references(kb, [therapy(kb, "tnf-inhibitors")])
    canvas = Canvas()
    text = render(view, Format.text, canvas)
    assert len(text.splitlines()) == len(view.refs)
    for fmt in (Format.bibtex, Format.ris, Format.csl_json):
        out = render(view, fmt, canvas)
        for key, _ in view.refs:
            assert key in out, (fmt, key)
