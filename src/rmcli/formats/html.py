"""HTML: the printable assessment report (`rmcli wizard --report FILE.html`).

A standalone page with inline CSS and no scripts; every piece of text is escaped. The first
page carries the date, the versions and the disclaimer. Tiers are badges that differ by text,
border and weight, so they stay apart on a greyscale printout; colour only adds to that.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from rmcli.text import clean
from rmcli.views.assessment import AssessmentView, Section
from rmcli.views.assessment_rows import CAUTIONS_HEADING, NO_CAUTION, TherapyDetail

if TYPE_CHECKING:
    from rmcli.environment import Canvas

STYLE = """
@page{size:A4;margin:13mm 12mm}
body{font:10pt/1.35 Georgia,'DejaVu Serif',serif;max-width:60em;margin:1.5em auto;color:#111}
h1{font-size:15pt;margin:0 0 .2em}h2{font-size:11.5pt;border-bottom:1px solid #777;
margin:1em 0 .35em;break-after:avoid}h3{font-size:10.5pt;margin:.7em 0 .2em;break-after:avoid}
p,ul{margin:.25em 0}ul{padding-left:1.3em}li{margin:.1em 0}
.meta{font-size:9pt;color:#333}.disclaimer{border:1.5px solid #111;padding:.3em .5em;
font-style:italic;margin:.4em 0 .6em}
.situation strong{display:block}
table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:9pt}
th,td{border:1px solid #999;padding:.25em .3em;vertical-align:top;text-align:left;
overflow-wrap:break-word}
th{background:#eee}tr{break-inside:avoid}
col.therapy{width:17%}col.decides{width:31%}col.acts{width:20%}col.risks{width:16%}
col.cautions{width:16%}
.badge{display:inline-block;font:bold 7.5pt/1.2 Arial,'DejaVu Sans',sans-serif;
letter-spacing:.03em;padding:.1em .3em;margin-bottom:.2em;border:1px solid #111}
.b-recommended{background:#111;color:#fff}
.b-consider{border-width:2.5px}
.b-research-only{border-style:dashed;font-weight:normal;font-style:italic}
.b-not-recommended{border-style:dotted;font-weight:normal}
.b-avoid{border:3px double #111;background:#fff;color:#900}
.b-not-indicated{border-color:#bbb;color:#555;font-weight:normal}
.muted{color:#444}.outside{font-style:italic}
.outro{font-size:9pt;color:#333}
.refs{font-size:8.5pt;columns:2;column-gap:1.5em}.refs li{break-inside:avoid}
footer{margin-top:1em;font-size:9pt}
@media print{body{margin:0;max-width:none}a{color:inherit}}
"""


def e(text: str) -> str:
    return escape(clean(text))


def _lines(lines: list[str]) -> str:
    return "<br>".join(e(line) for line in lines)


def _therapies(section: Section) -> str:
    if not section.rows:
        return ""
    with_cautions = CAUTIONS_HEADING in section.headings
    classes = ("therapy", "decides", "acts", "risks", "cautions")[: len(section.headings)]
    cols = "".join(f"<col class='{c}'>" for c in classes)
    head = "".join(f"<th>{e(h)}</th>" for h in section.headings)
    body = []
    for r in section.rows:
        cautions = (
            _lines(r.cautions) if r.cautions else f"<span class='muted'>{e(NO_CAUTION)}</span>"
        )
        body.append(
            f"<tr><td><span class='badge b-{e(r.tier)}'>{e(r.badge)}</span><br>"
            f"<strong>{e(r.name)}</strong></td><td>{_lines(r.decides)}</td><td>{e(r.acts)}</td>"
            f"<td>{e(r.risks)}</td>{f'<td>{cautions}</td>' if with_cautions else ''}</tr>"
        )
    return (
        f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _detail(d: TherapyDetail) -> str:
    parts = [
        f"<h3><span class='badge b-{e(d.tier)}'>{e(d.tier.upper())}</span> {e(d.heading)}</h3><ul>"
    ]
    for r in d.reasons:
        subs = "".join(
            f"<li{' class=outside' if r.outside and p == r.parts[-1] else ''}>{e(p)}</li>"
            for p in r.parts
        )
        parts.append(f"<li>{e(r.heading)}<ul>{subs}</ul></li>")
    parts += [f"<li>{e(c)}</li>" for c in d.cautions]
    if d.empty:
        parts.append(f"<li class='muted'>{e(d.empty)}</li>")
    return "".join(parts) + "</ul>"


def _section(section: Section) -> str:
    out = [f"<h2>{e(section.title)}</h2>", *(f"<p>{e(p)}</p>" for p in section.intro)]
    if section.key == "therapies":
        out.append(_therapies(section))
    elif section.entries:
        css = {"situation": "situation", "references": "refs"}.get(section.key, "")
        items = []
        for entry in section.entries:
            lead = f"<strong>{e(entry.lead)}</strong> " if entry.lead else ""
            subs = "".join(f"<li>{e(s)}</li>" for s in entry.sub)
            muted = " class='muted'" if entry.muted else ""
            items.append(
                f"<li{muted}>{lead}{e(entry.text)}{f'<ul>{subs}</ul>' if subs else ''}</li>"
            )
        out.append(
            f"<ul class='{css}'>{''.join(items)}</ul>" if css else f"<ul>{''.join(items)}</ul>"
        )
    out += [_detail(d) for d in section.details]
    out += [f"<p class='outro'>{e(line)}</p>" for line in section.outro]
    return "".join(out)


def assessment(view: AssessmentView, canvas: Canvas) -> str:
    *notes, disclaimer = view.footer
    parts = [f"<h1>{e(view.title)}</h1>"]
    if view.generated is not None:
        parts.append(f"<p class='meta'>{e(view.report_line)}</p>")
    parts.append(f"<p class='disclaimer'>{e(disclaimer)}</p>")
    parts += [_section(section) for section in view.sections]
    parts.append(f"<footer>{_lines(notes)}</footer>")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>rmcli assessment</title><style>{STYLE}</style></head><body>"
        + "".join(parts)
        + "</body></html>\n"
    )
