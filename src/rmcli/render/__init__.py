"""Rich rendering of tables, monographs, comparisons and assessments (the only Rich importer).

Every piece of knowledge-base or profile text is wrapped in `Text`, never parsed as markup,
and is passed through `clean` first, so nothing in a file can style or steer the terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rmcli.assess import Assessment, TherapyAssessment

from rmcli.document import Section, cite, headline, sections
from rmcli.kb.model import KnowledgeBase, Therapy
from rmcli.output import PipeClosed, guarded
from rmcli.text import clean

TIER_STYLES = {
    "recommended": "bold green",
    "consider": "cyan",
    "research-only": "magenta",
    "not-recommended": "yellow",
    "avoid": "bold red",
    "not-indicated": "dim",
}
STATUS_STYLES = {
    "established": "green",
    "conditional": "cyan",
    "unproven": "yellow",
    "not-recommended": "red",
    "experimental": "magenta",
}
SIDE_BY_SIDE_MIN_COLUMN = 36


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Rich would exit 1 here; rmcli ends quietly with its documented code instead."""
        self.quiet = True
        raise PipeClosed


def console(no_color: bool = False) -> Console:
    """A stdout console honouring NO_COLOR, FORCE_COLOR and --no-color."""
    return _Console(
        file=sys.stdout,
        no_color=no_color or "NO_COLOR" in os.environ,
        highlight=False,
        emoji=False,
        markup=False,
        safe_box=True,
    )


def _box(out: Console) -> box.Box:
    return box.ROUNDED if out.is_terminal else box.ASCII2


def _text(value: str, style: str = "") -> Text:
    return Text(clean(value), style=style)


class _Flow:
    """Prose already wrapped to the console width: plain strings with a style each.

    Kept out of Rich until printing, because building Rich Text objects for a long
    monograph costs more than the wrapping itself.
    """

    def __init__(self, text: str = "", style: str = "") -> None:
        self.parts: list[tuple[str, str]] = [(text, style)] if text or style else []

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.parts)

    def extend(self, other: _Flow) -> None:
        self.parts.append(("\n", ""))
        self.parts += other.parts

    def rich(self) -> Text:
        return Text.assemble(*self.parts)

    def __rich__(self) -> Text:  # usable wherever Rich takes a renderable (tables, groups)
        return self.rich()


def _columns(out: Console) -> int:
    """The console width, measured once per console (Rich measures it on every access)."""
    width = getattr(out, "_rmcli_columns", None)
    if width is None:
        width = out.width
        setattr(out, "_rmcli_columns", width)  # noqa: B010 (not an attribute Rich declares)
    return int(width)


def _flow(out: Console, value: str, style: str = "", first: str = "", rest: str = "") -> _Flow:
    """Wrap prose once, greedily, to the console width (far cheaper than Rich's wrapper)."""
    width = max(_columns(out) - 1, 20)
    lines: list[str] = []
    for index, paragraph in enumerate(clean(value).split("\n")):
        lines += _wrap(paragraph, width, first if index == 0 else rest, rest)
    return _Flow("\n".join(lines), style)


def _wrap(paragraph: str, width: int, first: str, rest: str) -> list[str]:
    lines: list[str] = []
    line = first
    blank = True  # nothing but the indent on the current line yet
    for word in paragraph.split():
        while len(rest) + len(word) > width:  # a word longer than a line: break it
            room = max(width - len(line) - (0 if blank else 1), 0)
            if room:
                line += ("" if blank else " ") + word[:room]
                word = word[room:]
            lines.append(line)
            line, blank = rest, True
        if blank:
            line, blank = line + word, False
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = rest + word
    lines.append(line)
    return [text.rstrip() for text in lines]


def _print(out: Console, *items: RenderableType) -> None:
    """Print in order; runs of pre-wrapped prose go out as one piece (one Rich call, not many)."""
    batches: list[RenderableType] = []
    for item in items:
        if isinstance(item, _Flow) and batches and isinstance(batches[-1], _Flow):
            batches[-1].extend(item)
        elif isinstance(item, _Flow):
            batch = _Flow()
            batch.parts = list(item.parts)
            batches.append(batch)
        else:
            batches.append(item)

    plain = out.color_system is None  # not a terminal: Rich would add nothing to plain text

    def write() -> None:
        for batch in batches:
            if isinstance(batch, _Flow) and plain:
                out.file.write(batch.plain + "\n")  # the bytes Rich would write, without Rich
            elif isinstance(batch, _Flow):
                out.print(batch.rich(), soft_wrap=True)
            else:
                out.print(batch)

    guarded(write)


def therapy_table(out: Console, kb: KnowledgeBase, therapies: Sequence[Therapy]) -> None:
    """A table when there is room; below 90 columns, one stacked block per therapy."""
    footer = _text(f"{len(therapies)} therapies · knowledge base {kb.manifest.version}", "dim")
    if out.width < 90:
        _print(out, *(_therapy_block(kb, t) for t in therapies), footer)
        return
    wide = out.width >= 140
    table = Table(box=_box(out) if wide else box.SIMPLE_HEAD, header_style="bold", expand=True)
    table.add_column("id", no_wrap=True, style="bold")
    table.add_column("name" if wide else "therapy", overflow="fold", ratio=3)
    for header in ("class", "targets", "headline stance") if wide else ():
        table.add_column(header, overflow="fold", ratio=2)
    table.add_column("status", no_wrap=True)
    table.add_column("certainty", no_wrap=True)
    for t in therapies:
        details = [t.drug_class, _targets(kb, t), headline(t)]
        if wide:
            cells = [_text(t.name), *(_text(d) for d in details)]
        else:
            name = _text(t.name)
            name.append(_text("\n" + "\n".join(details), "dim"))
            cells = [name]
        status = _text(t.overall.status, STATUS_STYLES[t.overall.status])
        table.add_row(_text(t.id), *cells, status, _text(t.overall.certainty))
    _print(out, table, footer)


def _targets(kb: KnowledgeBase, therapy: Therapy) -> str:
    return ", ".join(kb.vocabulary.targets[x].abbrev or x for x in therapy.targets)


def _therapy_block(kb: KnowledgeBase, t: Therapy) -> Group:
    title = _text(f"{t.id}  ", "bold")
    title.append(_text(t.overall.status, STATUS_STYLES[t.overall.status]))
    title.append(_text(f" · certainty {t.overall.certainty}"))
    lines = [t.name, f"class: {t.drug_class}", f"targets: {_targets(kb, t)}", headline(t)]
    return Group(title, Padding(_text("\n".join(lines)), (0, 0, 1, 2)))


def _section_flow(out: Console, section: Section, tables: bool = True) -> list[RenderableType]:
    """A section as pre-wrapped prose; its table as a Rich table when wide, else stacked."""
    parts: list[RenderableType] = [_flow(out, p) for p in section.paragraphs]
    parts += [_flow(out, b, first="• ", rest="  ") for b in section.bullets]
    if section.table and tables and out.width >= 100:
        parts.append(_section_body(Section(section.title, table=section.table), wide=True))
    elif section.table:
        for row in section.table.rows:
            parts.append(_flow(out, row[0], "bold", first="• ", rest="  "))
            for header, cell in zip(section.table.headers[1:], row[1:], strict=True):
                parts.append(_flow(out, f"{header}: {cell}", first="  ", rest="    "))
    return parts


def _section_body(section: Section, wide: bool) -> Group:
    parts: list[RenderableType] = [_text(p) for p in section.paragraphs]
    parts += [_text(f"• {b}") for b in section.bullets]
    if section.table:
        if wide:
            grid = Table(box=box.ASCII2, show_lines=True, header_style="bold", expand=True)
            for header in section.table.headers:
                grid.add_column(header, overflow="fold")
            for row in section.table.rows:
                grid.add_row(*(_text(cell) for cell in row))
            parts.append(grid)
        else:  # stacked: every cell keeps its label, nothing squeezed out
            for row in section.table.rows:
                lines = [
                    f"{h}: {c}" for h, c in zip(section.table.headers[1:], row[1:], strict=True)
                ]
                parts.append(Group(_text(f"• {row[0]}", "bold"), *(_text(f"  {x}") for x in lines)))
    return Group(*parts)


def _heading(title: str) -> _Flow:
    return _Flow(f"\n{clean(title)}", style="bold underline")


def monograph(out: Console, kb: KnowledgeBase, therapy: Therapy) -> None:
    title = _Flow(clean(f"{therapy.name} ({therapy.id})"), style="bold reverse")
    items: list[RenderableType] = [title]
    for section in sections(therapy, kb):
        items += [_heading(section.title), *_section_flow(out, section)]
    _print(out, *items, _Flow(""), _flow(out, kb.manifest.disclaimer, "italic"))


def comparison(out: Console, kb: KnowledgeBase, therapies: Sequence[Therapy]) -> None:
    documents = [sections(t, kb) for t in therapies]
    side_by_side = out.width >= SIDE_BY_SIDE_MIN_COLUMN * len(therapies) + 16
    items: list[RenderableType] = []
    if side_by_side:
        table = Table(box=_box(out), show_lines=True, header_style="bold", expand=True)
        table.add_column("", style="bold", overflow="fold", max_width=14)
        for t in therapies:
            table.add_column(_text(f"{t.name} ({t.id})"), overflow="fold", ratio=1)
        for index, section in enumerate(documents[0]):
            wide = out.width // len(therapies) >= 100
            cells = [_section_body(d[index], wide) for d in documents]
            table.add_row(_text(section.title), *cells)
        items.append(table)
    else:
        for index, section in enumerate(documents[0]):
            items.append(_heading(section.title))
            for t, document in zip(therapies, documents, strict=True):
                items += [
                    _flow(out, f"{t.name} ({t.id})", "bold"),
                    *_section_flow(out, document[index], tables=False),
                ]
    _print(out, *items, _Flow(""), _flow(out, kb.manifest.disclaimer, "italic"))


def _why(result: TherapyAssessment) -> Text:
    lines = []
    for reason in result.reasons:
        lines.append("; ".join(reason.matched) or "always")
        if reason.mechanism:
            lines.append(f"Biological rationale: {reason.mechanism}")
    return _text("\n".join(lines) or "nothing in the profile matches its targets")


def _position(result: TherapyAssessment) -> Text:
    return _text("\n".join(cite(r.text, r.refs, r.checked) for r in result.reasons))


def _cautions(result: TherapyAssessment, therapy: Therapy) -> Text:
    lines = [
        cite(f"{c.severity.upper()} ({c.condition}): {c.text}", c.refs, c.checked)
        for c in result.cautions
    ]
    lines += [f"Risk: {r.text}" for r in therapy.maternal_risks[:1]]
    return _text("\n".join(lines))


def assessment(out: Console, result: Assessment, kb: KnowledgeBase, include_all: bool) -> None:
    by_id = {t.id: t for t in kb.therapies}
    shown = [r for r in result.assessments if include_all or r.tier != "not-indicated"]
    items: list[RenderableType] = []
    wide = out.width >= 140
    for tier in dict.fromkeys(r.tier for r in shown):
        group = [r for r in shown if r.tier == tier]
        items.append(_text(f"\n{tier.upper()}", TIER_STYLES[tier]))
        if wide:
            items.append(_assessment_table(out, group, by_id))
        else:
            items += [_assessment_block(r, by_id[r.therapy]) for r in group]
    if not shown:
        items.append(_text("No therapy in the knowledge base matches this profile."))
    items += [_heading("Investigations worth doing")]
    items += [_text(f"• {cite(f.text, f.refs, f.checked)}") for f in result.investigations] or [
        _text("None suggested by this profile.")
    ]
    items += [_heading("Notes on testing and prognosis")]
    items += [_text(f"• {cite(f.text, f.refs, f.checked)}") for f in result.notes]
    _print(out, *items, _text(""), _text(kb.manifest.disclaimer, "italic"))


def _assessment_table(
    out: Console, group: Iterable[TherapyAssessment], by_id: dict[str, Therapy]
) -> Table:
    table = Table(box=_box(out), show_lines=True, header_style="bold", expand=True)
    for header in (
        "tier",
        "therapy",
        "why relevant",
        "mechanism",
        "guideline position",
        "caveats",
        "risks and cautions for this patient",
    ):
        table.add_column(header, overflow="fold")
    for r in group:
        t = by_id[r.therapy]
        table.add_row(
            _text(r.tier, TIER_STYLES[r.tier]),
            _text(f"{t.name}\n{t.overall.status}, certainty {t.overall.certainty}"),
            _why(r),
            _text(t.mechanism.text),
            _position(r),
            _text(t.caveats[0].text if t.caveats else ""),
            _cautions(r, t),
        )
    return table


def _assessment_block(r: TherapyAssessment, t: Therapy) -> Group:
    fields = [
        ("Why relevant", _why(r)),
        ("Mechanism", _text(t.mechanism.text)),
        ("Guideline position", _position(r)),
        ("Caveats", _text(t.caveats[0].text if t.caveats else "")),
        ("Risks and cautions for this patient", _cautions(r, t)),
    ]
    title = _text(
        f"{t.name} — {r.tier} ({t.overall.status}, certainty {t.overall.certainty})", "bold"
    )
    body: list[RenderableType] = [title]
    for label, value in fields:
        if value.plain:
            body += [_text(f"  {label}:", "underline"), Padding(value, (0, 0, 0, 4))]
    return Group(*body)


def problems(out: Console, lines: Iterable[str]) -> None:
    _print(out, *(_text(line) for line in lines))
