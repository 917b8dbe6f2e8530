"""The assessment in Markdown, for `--format markdown` and `--report FILE.md`: the view's
sections laid out, nothing worded here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmcli.formats.markdown import document, md_table, md_text
from rmcli.views.assessment import AssessmentView, Section
from rmcli.views.assessment_rows import (
    CAUTIONS_HEADING,
    NO_CAUTION,
    TherapyDetail,
)

if TYPE_CHECKING:
    from rmcli.environment import Canvas


def _therapies(section: Section) -> list[str]:
    cautions = CAUTIONS_HEADING in section.headings
    rows = [
        [
            f"**{r.badge}** {r.name}",
            " / ".join(r.decides),
            r.acts,
            r.risks,
            *(["; ".join(r.cautions) or NO_CAUTION] if cautions else []),
        ]
        for r in section.rows
    ]
    table = [*md_table(section.headings, rows), ""] if rows else []
    return [*table, *(f"{md_text(line)}  " for line in section.outro)]


def _detail(d: TherapyDetail) -> list[str]:
    lines = [f"### {md_text(d.heading)}", ""]
    for r in d.reasons:
        lines.append(f"- {md_text(r.heading)}")
        lines += [f"  - {md_text(part)}" for part in r.parts]
    lines += [f"- {md_text(c)}" for c in d.cautions]
    if d.empty:
        lines.append(f"- {md_text(d.empty)}")
    return [*lines, ""]


def _section(section: Section) -> list[str]:
    lines = [f"## {md_text(section.title)}", "", *(md_text(p) + "  " for p in section.intro), ""]
    if section.key == "therapies":
        return [*lines, *_therapies(section), ""]
    for entry in section.entries:
        lead = f"**{md_text(entry.lead)}**" if entry.lead else ""
        text = " ".join(part for part in (lead, md_text(entry.text)) if part)
        lines.append(f"- {text}")
        lines += [f"  - {md_text(sub)}" for sub in entry.sub]
    for d in section.details:
        lines += _detail(d)
    lines += [f"{md_text(line)}  " for line in section.outro]
    return [*lines, ""]


def assessment(view: AssessmentView, canvas: Canvas) -> str:
    lines = [f"# {md_text(view.title)} (rmcli)", ""]
    *notes, disclaimer = view.footer
    if view.generated is not None:  # a report carries its date, version and disclaimer up top
        lines += [md_text(view.report_line) + "  ", f"*{md_text(disclaimer)}*", ""]
    for section in view.sections:
        lines += _section(section)
    lines += [*(md_text(n) + "  " for n in notes), "", f"*{md_text(disclaimer)}*"]
    return document(lines, view.meta.links)
