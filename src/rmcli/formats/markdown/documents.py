"""Markdown for the reference views: list, show, compare, targets, evidence and kb diff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.formats.markdown import bullets, document, md_table, md_text

if TYPE_CHECKING:  # only the view being written is imported at run time, by its command
    from rmcli.environment import Canvas
    from rmcli.views.comparison import Comparison
    from rmcli.views.diff import DiffView
    from rmcli.views.forest import Forest, Panel
    from rmcli.views.listing import Listing
    from rmcli.views.monograph import Monograph, Section
    from rmcli.views.summary import Summary
    from rmcli.views.targets import Matrix


def _footer(view: Listing | Monograph | Comparison | Forest) -> list[str]:
    legend = view.labels  # worked out from the whole view: once
    labels = ["", md_text(legend)] if legend else []
    version = f"Generated from the {md_text(view.meta.version_line)}."
    return [*labels, "", version, "", f"*{md_text(view.meta.disclaimer)}*"]


def listing(view: Listing, canvas: Canvas) -> str:
    if not view.rows:
        lines = [md_text(view.empty_line), *_footer(view)]
        return document(lines, view.meta.links)
    headers = ["id", "name", "status", "certainty", "targets"]
    if view.long:
        headers += ["class", "headline stance", "last reviewed"]
    rows = []
    for r in view.rows:
        row = [r.id, r.name, r.status, r.certainty, ", ".join(r.target_abbrevs)]
        if view.long:
            row += [r.drug_class, r.headline.full, r.reviewed]
        rows.append(row)
    return document(
        [*md_table(headers, rows), "", md_text(view.count_line), *_footer(view)], view.meta.links
    )


def summary_table(summary: Summary) -> list[str]:
    return md_table(["", summary.name], [[label, value] for label, value in summary.rows()])


def section(s: Section, level: str = "##") -> list[str]:
    lines = [f"{level} {md_text(s.title)}", ""]
    for paragraph in s.paragraphs:
        lines += [md_text(paragraph), ""]
    if s.bullets:
        lines += [f"- {md_text(b)}" for b in s.bullets] + [""]
    if s.table:
        lines += [*md_table(s.table.headers, s.table.rows), ""]
    if s.note:
        lines += [md_text(s.note), ""]
    return lines


def monograph(view: Monograph, canvas: Canvas) -> str:
    lines = [f"# {md_text(view.therapy.name)} (`{view.therapy.id}`)", ""]
    if view.show_summary:
        lines += ["## At a glance", "", *summary_table(view.summary), ""]
    for s in view.sections:
        lines += section(s)
    return document([*lines, *_footer(view)], view.meta.links)


def comparison(view: Comparison, canvas: Canvas) -> str:
    lines = [f"# {md_text(view.title)}", "", "## At a glance", ""]
    headers = ["", *view.headers]
    lines += [*md_table(headers, [[label, *cells] for label, cells in view.glance()]), ""]
    for title, present in view.by_section():
        lines += [f"## {md_text(title)}", ""]
        for m, s in present:
            lines += [f"### {md_text(m.therapy.name)}", ""]
            lines += section(s, "####")[2:] if s else ["Not in this monograph.", ""]
    return document([*lines, *_footer(view)], view.meta.links)


def matrix(view: Matrix, canvas: Canvas) -> str:
    headers = ["therapy", "status", *(t.header for t in view.targets)]
    rows = [[r.id, r.status, *("x" if m else "" for m in r.marks)] for r in view.rows]
    return document([*md_table(headers, rows), "", f"Key: {md_text(view.key)}."], view.meta.links)


def forest(view: Forest, canvas: Canvas) -> str:
    title = f"# Evidence: {md_text(view.name)} (`{view.therapy}`)"
    lines = [title, "", md_text(view.reading), ""]
    for panel in view.panels:
        scale = (
            "log scale, no effect = 1" if panel.scale == "log" else "linear scale, no effect = 0"
        )
        lines += [f"## Estimates ({scale})", ""]
        rows = [
            [
                p.label,
                str(p.n or "-"),
                p.population,
                p.outcome,
                p.effect,
                p.verdict_text,
                p.certainty.replace("-", " ") if p.certainty else "not rated",
                "; ".join(p.refs),
            ]
            for p in panel.points
        ]
        headers = [
            "study",
            "n",
            "population",
            "outcome",
            "estimate (95% CI)",
            "reading",
            "GRADE",
            "refs",
        ]
        lines += [*md_table(headers, rows), ""]
        if view.method is not None:
            lines += _absolute(panel, view.method)
    if view.not_plotted:
        lines += ["## Studies without a structured estimate and 95% CI (not plotted)", ""]
        lines += [*bullets([f"{s.label}: {s.text}" for s in view.not_plotted]), ""]
    return document([*lines, *_footer(view)], view.meta.links)


def _absolute(panel: Panel, method: str) -> list[str]:
    """The panel's absolute effects as a table: one row per ratio estimate."""
    shown = [(p, p.absolute) for p in panel.points if p.absolute is not None]
    if not shown:
        return []
    headers = ["study", "outcome", "baseline", "difference per 1000 (95% CI)", "NNT or NNH"]
    rows = [[p.label, a.outcome, a.baseline, a.difference, a.nnt] for p, a in shown]
    return ["### Absolute effects per 1000", "", md_text(method), "", *md_table(headers, rows), ""]


def diff(view: DiffView, canvas: Canvas) -> str:
    lines = [f"# {md_text(view.title)}", "", md_text(view.summary), ""]
    for group in view.groups:
        lines += [f"## {md_text(group.title)}", "", *bullets(group.items), ""]
    return document(lines)
