"""The assessment in Markdown, for `--format markdown` and `--report FILE.md`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.formats.markdown import bullets, document, md_table, md_text
from rmcli.views.assessment import OUTLOOK_NOTE, AssessmentView, Detail

if TYPE_CHECKING:
    from rmcli.environment import Canvas


def _detail(d: Detail) -> list[str]:
    lines = [f"### {md_text(d.name)} — {d.tier}", ""]
    for r in d.reasons:
        lines.append(f"- {md_text(r.heading)}")
        lines += [f"  - {md_text(text)}" for _, text in r.details]
    lines += [f"- Caution for this patient: {md_text(c)}" for c in d.cautions]
    if not d.reasons and not d.cautions:
        lines.append("- Nothing in this profile matches what it targets.")
    return [*lines, ""]


def what_would_change(view: AssessmentView) -> list[str]:
    lines = []
    for change in view.changes:
        lines.append(f"- {md_text(change.name)} (not tested):")
        for result in change.results:
            moved = "; ".join(result.changes) or "would change nothing"
            lines.append(f"  - {md_text(result.value)}: {md_text(moved)}")
    if view.unchanged:
        lines.append(f"- Would change nothing here: {md_text(', '.join(view.unchanged))}.")
    return lines or ["- Every finding has been tested."]


def assessment(view: AssessmentView, canvas: Canvas) -> str:
    lines = ["# Immune-profile assessment (rmcli)", ""]
    if view.generated is not None:
        lines += [md_text(view.report_line), ""]
    lines += ["## Profile", "", *bullets(view.profile), "", "## Therapies for this profile", ""]
    if view.rows:
        headers = [
            "tier",
            "therapy",
            "why for this patient",
            "mechanism",
            "cautions for this patient",
        ]
        rows = [
            [r.tier, r.name, r.why, r.mechanism, " ".join(r.cautions) or "none for this profile"]
            for r in view.rows
        ]
        lines += [*md_table(headers, rows), ""]
    else:
        lines += ["No therapy in the knowledge base matches this profile.", ""]
    if view.details:
        lines += ["## Reasons and references", ""]
        for d in view.details:
            lines += _detail(d)
    lines += ["## Investigations worth doing", "", *bullets(view.investigations), ""]
    lines += ["## Notes on testing", "", *bullets(view.notes), ""]
    lines += ["## What would change", "", *what_would_change(view), ""]
    lines += ["## Outlook without treatment", "", md_text(OUTLOOK_NOTE), ""]
    lines += [*bullets(view.outlook, "No outlook figures in this knowledge base match."), ""]
    lines += ["## References", "", *bullets(view.references), ""]
    lines += [
        f"Generated from the {md_text(view.meta.version_line)}.",
        "",
        f"*{md_text(view.meta.disclaimer)}*",
    ]
    return document(lines, view.meta.links)
