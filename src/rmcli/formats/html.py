"""HTML: the printable assessment report (`rmcli wizard --report FILE.html`).

A standalone page with inline CSS and no scripts; every piece of text is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from rmcli.text import clean
from rmcli.views.assessment import OUTLOOK_NOTE, AssessmentView, Detail

if TYPE_CHECKING:
    from rmcli.environment import Canvas

STYLE = (
    "body{font-family:Georgia,serif;max-width:52em;margin:2em auto;line-height:1.4}"
    "h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #999}"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.3em;"
    "vertical-align:top;text-align:left}.tier{font-variant:small-caps;font-weight:bold}"
    ".avoid{color:#a00}.refs{color:#555;font-size:.9em}footer{margin-top:2em;font-style:italic}"
    "@media print{body{margin:0}}"
)


def e(text: str) -> str:
    return escape(clean(text))


def _items(items: Iterable[str], empty: str = "None.", css: str = "") -> str:
    rendered = "".join(f"<li>{e(item)}</li>" for item in items) or f"<li>{e(empty)}</li>"
    return f"<ul{f' class={css!r}' if css else ''}>{rendered}</ul>"


def _detail(d: Detail) -> str:
    parts = [f"<h3>{e(d.name)} — <span class='tier'>{e(d.tier)}</span></h3><ul>"]
    for r in d.reasons:
        lines = [e(r.heading), *(e(text) for _, text in r.details)]
        parts.append("<li>" + "<br>".join(lines) + "</li>")
    parts += [f"<li>Caution for this patient: {e(c)}</li>" for c in d.cautions]
    return "".join(parts) + "</ul>"


def _table(view: AssessmentView) -> str:
    if not view.rows:
        return "<p>No therapy in the knowledge base matches this profile.</p>"
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "tier",
            "therapy",
            "why for this patient",
            "mechanism",
            "cautions for this patient",
        )
    )
    body = []
    for r in view.rows:
        cautions = "<br>".join(e(c) for c in r.cautions) or "none for this profile"
        body.append(
            f"<tr class='{e(r.tier)}'><td class='tier'>{e(r.tier)}</td><td>{e(r.name)}</td>"
            f"<td>{e(r.why)}</td><td>{e(r.mechanism)}</td><td>{cautions}</td></tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _changes(view: AssessmentView) -> str:
    items = []
    for change in view.changes:
        results = "".join(
            f"<li>{e(r.value)}: {e('; '.join(r.changes) or 'would change nothing')}</li>"
            for r in change.results
        )
        items.append(f"<li>{e(change.name)} (not tested):<ul>{results}</ul></li>")
    if view.unchanged:
        items.append(f"<li>Would change nothing here: {e(', '.join(view.unchanged))}.</li>")
    return "<ul>" + ("".join(items) or "<li>Every finding has been tested.</li>") + "</ul>"


def assessment(view: AssessmentView, canvas: Canvas) -> str:
    parts = ["<h1>Immune-profile assessment</h1>"]
    if view.generated is not None:
        parts.append(f"<p>{e(view.report_line)}</p>")
    parts += ["<h2>Profile</h2>", _items(view.profile)]
    parts += ["<h2>Therapies for this profile</h2>", _table(view)]
    if view.details:
        parts.append("<h2>Reasons and references</h2>")
        parts += [_detail(d) for d in view.details]
    parts += ["<h2>Investigations worth doing</h2>", _items(view.investigations)]
    parts += ["<h2>Notes on testing</h2>", _items(view.notes)]
    parts += ["<h2>What would change</h2>", _changes(view)]
    parts += ["<h2>Outlook without treatment</h2>", f"<p>{e(OUTLOOK_NOTE)}</p>"]
    parts.append(_items(view.outlook, "No outlook figures in this knowledge base match."))
    parts += ["<h2>References</h2>", _items(view.references, css="refs")]
    parts.append(f"<p>Generated from the {e(view.meta.version_line)}.</p>")
    parts.append(f"<footer>{e(view.meta.disclaimer)}</footer>")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>rmcli assessment</title><style>{STYLE}</style></head><body>"
        + "".join(parts)
        + "</body></html>\n"
    )
