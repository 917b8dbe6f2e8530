"""Printable assessment reports (Markdown or HTML, chosen by file extension)."""

from __future__ import annotations

import datetime
from html import escape
from pathlib import Path

from rmcli import __version__
from rmcli.assess import Assessment
from rmcli.document import cite
from rmcli.errors import UsageError
from rmcli.export import assessment_markdown
from rmcli.kb.cite import citation
from rmcli.kb.model import KnowledgeBase
from rmcli.text import clean

FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
STYLE = (
    "body{font-family:Georgia,serif;max-width:48em;margin:2em auto;line-height:1.4}"
    "h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #999}"
    ".tier{font-variant:small-caps;font-weight:bold}.refs{color:#555;font-size:.9em}"
    "footer{margin-top:2em;font-style:italic}@media print{body{margin:0}}"
)


def report_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise UsageError(
            f"cannot tell the report format from {path.name!r}",
            hint="name the report file *.md or *.html",
        ) from None


def report(kb: KnowledgeBase, result: Assessment, path: Path, today: datetime.date) -> str:
    header = (
        f"Generated {today.isoformat()} by rmcli {__version__} "
        f"with knowledge base {kb.manifest.version}."
    )
    if report_format(path) == "markdown":
        body = assessment_markdown(kb, result, include_all=False)
        title, rest = body.split("\n", 1)
        return f"{title}\n\n{header}\n{rest}\n"
    return _html(kb, result, header)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _html(kb: KnowledgeBase, result: Assessment, header: str) -> str:
    def e(text: str) -> str:
        return escape(clean(text))

    p = result.profile
    tested = ", ".join(f"{k} = {v}" for k, v in p.findings.items() if v != "not-tested")
    parts = [
        f"<h1>Immune-profile assessment</h1><p>{e(header)}</p>",
        "<h2>Profile</h2><ul>",
        f"<li>{p.losses} losses, {p.live_births} live births, {p.late_losses} late losses; "
        f"pregnant: {_yes(p.pregnant)}; bleeding: {_yes(p.bleeding)}</li>",
        f"<li>Findings: {e(tested or 'none tested')}</li>",
        f"<li>Autoimmune disease: {e(', '.join(p.autoimmune_disease) or 'none')}; "
        f"conditions: {e(', '.join(p.conditions) or 'none')}</li></ul>",
    ]
    for item in result.assessments:
        if item.tier == "not-indicated":
            continue
        parts.append(f"<h2><span class='tier'>{e(item.tier)}</span>: {e(item.name)}</h2><ul>")
        for reason in item.reasons:
            parts.append(f"<li>Matched: {e('; '.join(reason.matched))}")
            if reason.mechanism:
                parts.append(f"<br>Biological rationale: {e(reason.mechanism)}")
            parts.append(f"<br>{e(cite(reason.text, reason.refs, reason.checked))}</li>")
        for caution in item.cautions:
            text = f"{caution.severity.capitalize()} ({caution.condition}): {caution.text}"
            parts.append(f"<li>{e(cite(text, caution.refs, caution.checked))}</li>")
        parts.append("</ul>")
    for title, findings in (
        ("Investigations worth doing", result.investigations),
        ("Notes on testing and prognosis", result.notes),
    ):
        parts.append(f"<h2>{title}</h2><ul>")
        parts += [f"<li>{e(cite(f.text, f.refs, f.checked))}</li>" for f in findings] or [
            "<li>None.</li>"
        ]
        parts.append("</ul>")
    refs = dict.fromkeys(
        [r for a in result.assessments if a.tier != "not-indicated" for r in a.references]
        + [r for f in [*result.investigations, *result.notes] for r in f.refs]
    )
    parts.append("<h2>References</h2><ol class='refs'>")
    parts += [f"<li>{e(r)}: {e(citation(kb.references[r]))}</li>" for r in refs]
    parts.append(f"</ol><footer>{e(kb.manifest.disclaimer)}</footer>")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>rmcli assessment</title><style>{STYLE}</style></head><body>"
        + "".join(parts)
        + "</body></html>\n"
    )
