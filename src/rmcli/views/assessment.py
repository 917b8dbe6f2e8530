"""`rmcli wizard`: one assessment view, a list of sections that every format lays out.

The result speaks as a specialist does: the clinical situation first, then the therapies that
matter for her (`avoid` leading, so a contraindication never scrolls out of sight), then the
profile as entered, the cited reasons (with --details), investigations, notes on testing, what
untested results would change, the outlook without treatment and the references. Every heading,
label and empty-state sentence is worded here, once; the formats only lay it out.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

import msgspec

from rmcli import __version__
from rmcli.assess import Assessment, TherapyAssessment
from rmcli.kb.model import KnowledgeBase, Reference
from rmcli.text import clean
from rmcli.views import ViewKind
from rmcli.views.assessment_profile import profile_lines
from rmcli.views.assessment_rows import (
    DISPLAY_ORDER,
    NO_CAUTION_LINE,
    TherapyDetail,
    TherapyRow,
    group_lines,
    headings,
    therapy_detail,
    therapy_row,
)
from rmcli.views.common import Meta, cite, labels_line, reference_line, short_name

TITLE = "Immune-profile assessment"
ALL_HINT = "rmcli wizard --all shows every therapy as a row; --details adds the cited reasons."


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    """One item of a section: an optional lead ('Obstetric APS'), its text, sub-items."""

    lead: str = ""
    text: str = ""
    sub: list[str] = []
    muted: bool = False  # a test guidelines advise against, or a note about the layout


class Section(msgspec.Struct, frozen=True, kw_only=True):
    key: str  # "situation", "therapies", "profile", "details", "investigations", ...
    title: str
    intro: list[str] = []  # paragraphs before the entries
    entries: list[Entry] = []
    rows: list[TherapyRow] = []  # the therapies table (key "therapies")
    headings: list[str] = []  # its columns, cautions for her as one only where a row has one
    grid_headings: list[str] = []  # the same for a terminal grid: cautions with the risks
    details: list[TherapyDetail] = []  # the cited reasons (key "details")
    outro: list[str] = []  # short lines after the entries (the one-line groups, a hint)


class AssessmentView(msgspec.Struct, frozen=True, kw_only=True):
    kind: ClassVar[ViewKind] = ViewKind.assessment
    meta: Meta
    result: Assessment  # the decision itself, for JSON
    sections: list[Section]
    cited: dict[str, Reference]  # every reference of every therapy, for JSON
    generated: datetime.date | None = None  # set for printable reports

    title: ClassVar[str] = TITLE

    @property
    def report_line(self) -> str:
        when = self.generated.isoformat() if self.generated else "today"
        return f"Generated {when} by rmcli {__version__} with {self.meta.version_line}."

    @property
    def footer(self) -> list[str]:
        """The version line and the disclaimer; the legend of the marks first, if any is used."""
        labels = labels_line(self.sections)
        return [
            *([labels] if labels else []),
            self.meta.version_line.capitalize() + ".",
            self.meta.disclaimer,
        ]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def _situations(result: Assessment) -> Section:
    found = result.situations
    entries = [Entry(lead=clean(s.name), text=cite(s.text, s.refs, s.checked)) for s in found] or [
        Entry(text="No clinical situation that guidelines address matches this profile.")
    ]
    title = "Clinical situations" if len(found) > 1 else "Clinical situation"
    return Section(key="situation", title=title, entries=entries)


def _therapies(
    shown: list[TherapyAssessment],
    hidden: list[TherapyAssessment],
    kb: KnowledgeBase,
    names: dict[str, str],
    conditions: list[str],
) -> Section:
    avoid = {a.therapy for a in [*shown, *hidden] if a.tier == "avoid"}
    avoided = {
        names[t.id]: [n for n in (t.short_name, *t.aliases) if n]
        for t in kb.therapies
        if t.id in avoid
    }
    rows = [therapy_row(a, names[a.therapy], avoided) for a in shown]
    outro = group_lines(hidden, {t.id: clean(t.short_name or t.name) for t in kb.therapies})
    if rows and conditions and not any(r.cautions for r in rows):
        outro.insert(0, NO_CAUTION_LINE)
    if hidden:
        outro.append(ALL_HINT)
    intro = [] if rows else ["No therapy is recommended, to consider or to avoid for her."]
    return Section(
        key="therapies",
        title="Therapies that matter for her",
        intro=intro,
        rows=rows,
        headings=headings(rows, merged=False),
        grid_headings=headings(rows, merged=True),
        outro=outro,
    )


def _advice(result: Assessment) -> list[Section]:
    pregnant = result.profile.pregnant
    now = [f for f in result.investigations if not (pregnant and f.before_pregnancy)]
    later = [f for f in result.investigations if pregnant and f.before_pregnancy]
    sections = [
        Section(
            key="investigations",
            title="Investigations worth doing",
            entries=[Entry(text=cite(f.text, f.refs, f.checked)) for f in now]
            or [Entry(text="None suggested by this profile.")],
        )
    ]
    if later:
        sections.append(
            Section(
                key="investigations-later",
                title="After this pregnancy",
                intro=["These tests belong between pregnancies; she is pregnant now."],
                entries=[Entry(text=cite(f.text, f.refs, f.checked)) for f in later],
            )
        )
    notes = [Entry(text=cite(f.text, f.refs, f.checked)) for f in result.notes]
    if notes:
        sections.append(Section(key="notes", title="Notes on testing", entries=notes))
    return sections


def _changes(result: Assessment, names: dict[str, str]) -> Section:
    entries, unchanged = [], []
    for item in result.what_would_change:
        results = [
            f"{r.value.replace('-', ' ')}: "
            + (
                "; ".join(
                    f"{names[c.therapy]} {c.from_.replace('-', ' ')} → {c.to.replace('-', ' ')}"
                    for c in r.changes
                )
                or "would change nothing"
            )
            for r in item.results
        ]
        flag = " — a test guidelines advise against outside research" if item.discouraged else ""
        if any(r.changes for r in item.results):
            entries.append(
                Entry(lead=f"{clean(item.name)}{flag}", sub=results, muted=item.discouraged)
            )
        else:
            unchanged.append(clean(item.name) + (" (advised against)" if item.discouraged else ""))
    outro = [f"Would change nothing for her: {', '.join(unchanged)}."] if unchanged else []
    intro = [] if result.what_would_change else ["Every finding has been tested."]
    return Section(
        key="changes",
        title="What untested results would change",
        intro=intro,
        entries=entries,
        outro=outro,
    )


def _outlook(result: Assessment) -> Section:
    entries = [Entry(text=cite(o.text, o.refs, o.checked)) for o in result.outlook]
    return Section(
        key="outlook",
        title="Outlook without treatment",
        entries=entries or [Entry(text="No group figure matches her situation.")],
    )


def assessment_view(
    result: Assessment,
    kb: KnowledgeBase,
    *,
    include_all: bool = False,
    show_details: bool = True,
    generated: datetime.date | None = None,
) -> AssessmentView:
    rows = [a for a in result.assessments if include_all or a.relevant]
    rows.sort(key=lambda a: DISPLAY_ORDER.index(a.tier))  # stable: keeps the result's order
    hidden = [a for a in result.assessments if a not in rows]
    names = {t.id: short_name(t) for t in kb.therapies}
    sections = [
        _situations(result),
        _therapies(rows, hidden, kb, names, result.profile.conditions),
        Section(key="profile", title="Profile as entered", intro=profile_lines(result.profile, kb)),
    ]
    if show_details:
        sections.append(
            Section(
                key="details",
                title="Reasons and references",
                details=[therapy_detail(a) for a in rows],
            )
        )
    sections += [*_advice(result), _changes(result, names), _outlook(result)]
    refs = _shown_refs(result, rows, show_details, kb)
    if show_details or generated is not None:  # a report cites: it lists what it cites
        sections.append(
            Section(
                key="references",
                title="References",
                entries=[Entry(text=reference_line(kb, r)) for r in refs],
            )
        )
    every = [r for a in result.assessments for r in a.references]  # JSON lists every therapy
    cited = {r: kb.references[r] for r in dict.fromkeys([*refs, *every]) if r in kb.references}
    return AssessmentView(
        meta=Meta.of(kb), result=result, sections=sections, cited=cited, generated=generated
    )


def _shown_refs(
    result: Assessment, rows: list[TherapyAssessment], details: bool, kb: KnowledgeBase
) -> list[str]:
    """The references of what is shown: situations, the rows' deciding reasons (every reason
    with --details), advice and outlook."""
    refs = [r for s in result.situations for r in s.refs]
    for a in rows:
        reasons = a.reasons if details else [r for r in a.reasons if r.decisive]
        refs += [r for reason in reasons for r in reason.refs]
        refs += [r for claim in a.instead for r in claim.refs]
        refs += [r for c in a.cautions for r in c.refs] if details else []
    refs += [r for f in [*result.investigations, *result.notes] for r in f.refs]
    refs += [r for o in result.outlook for r in o.refs]
    return [r for r in dict.fromkeys(refs) if r in kb.references]
