"""Pictures in the terminal: the target matrix and forest plots (Rich, like the rest of render)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from rmcli.forest import Panel, Point, not_plotted, panels, position, reading, ticks
from rmcli.kb.model import KnowledgeBase, Therapy
from rmcli.render import STATUS_STYLES, _box, _flow, _print, _text

STATUS_MARKS = {
    "established": "●",
    "conditional": "◐",
    "unproven": "○",
    "not-recommended": "✕",
    "experimental": "◇",
}
VERDICT_STYLES = {"favours treatment": "green", "favours control": "red", "inconclusive": ""}


def target_matrix(out: Console, kb: KnowledgeBase, therapies: Sequence[Therapy]) -> None:
    """Therapies (rows) by immune targets (columns), marks showing the therapy's status.

    Headers are the targets' abbreviations when they fit, else single letters; the key below
    always spells every target out. Marks differ by shape as well as colour, so the status
    reads without colour too.
    """
    targets = list(kb.vocabulary.targets.items())
    name_width = max((len(t.id) for t in therapies), default=8)
    abbrevs = [term.abbrev or term.name for _, term in targets]
    fits = name_width + sum(len(a) + 3 for a in abbrevs) + 4 <= out.width
    headers = abbrevs if fits else [chr(ord("A") + i) for i in range(len(targets))]
    table = Table(
        box=_box(out) if fits else None,
        header_style="bold",
        pad_edge=False,
        padding=(0, 1) if fits else (0, 0, 0, 1),
    )
    table.add_column("therapy", style="bold", overflow="fold")
    for header in headers:
        table.add_column(header, justify="center", no_wrap=True, min_width=len(header))
    for t in therapies:
        mark = _text(STATUS_MARKS[t.overall.status], STATUS_STYLES[t.overall.status])
        marks = [mark if key in t.targets else _text("·", "dim") for key, _ in targets]
        table.add_row(_text(t.id), *marks)
    key = "; ".join(
        f"{header} = {term.name}" for header, (_, term) in zip(headers, targets, strict=True)
    )
    statuses = Text("Status: ")
    for status, style in STATUS_STYLES.items():
        statuses.append(f"{STATUS_MARKS[status]} {status}  ", style=style)
    _print(out, table, _flow(out, f"Key: {key}."), statuses)


def _axis_line(panel: Panel, width: int, indent: str = "") -> Text:
    line = [" "] * width
    labels = [" "] * width
    for tick in ticks(panel):
        column = position(panel, tick, width)
        line[column] = "┼" if tick == panel.null else "┬"
        text = f"{tick:g}"
        start = max(0, min(width - len(text), column - len(text) // 2))
        if all(c == " " for c in labels[max(0, start - 1) : start + len(text) + 1]):
            labels[start : start + len(text)] = list(text)
    axis = "".join(c if c != " " else "─" for c in line)
    return Text(f"{indent}{axis}\n{indent}{''.join(labels)}")


def _bar(panel: Panel, p: Point, width: int) -> Text:
    """The CI as a line from low to high with a square at the estimate; │ marks no effect."""
    cells = [" "] * width
    left, right = position(panel, p.ci_low, width), position(panel, p.ci_high, width)
    null = position(panel, panel.null, width)
    estimate = position(panel, p.estimate, width)
    # A CI that excludes no effect must not look as if it touched the line: when rounding
    # puts an end on the null column, move the bar one column clear of it.
    if p.ci_low > panel.null and left <= null < width - 1:
        shift = null + 1 - left
        left, estimate, right = left + shift, estimate + shift, min(right + shift, width - 1)
    elif p.ci_high < panel.null and right >= null > 0:
        shift = right - (null - 1)
        left, estimate, right = max(left - shift, 0), estimate - shift, right - shift
    elif p.ci_low < panel.null < p.ci_high:  # and one that includes it visibly crosses it
        left, right = min(left, max(null - 1, 0)), max(right, min(null + 1, width - 1))
    cells[null] = "│"
    for column in range(left, right + 1):
        cells[column] = "┼" if column == null else "─"
    cells[left], cells[right] = "├", "┤"  # the CI's ends win over the no-effect mark
    cells[min(max(estimate, left), right)] = "■"
    return Text("".join(cells), style=VERDICT_STYLES[p.verdict])


def forest_panel(out: Console, panel: Panel) -> RenderableType:
    """One axis of the plot: a table when wide, else each study above its own full-width bar."""
    axis = "log scale" if panel.scale == "log" else "linear scale"
    if out.width < 110:
        width = max(20, out.width - 4)
        rows: list[RenderableType] = [_text(f"{axis}; │ = no effect", "dim")]
        for p in panel.points:
            n = f", n={p.n}" if p.n else ""
            grade = f"; GRADE {p.certainty}" if p.certainty else ""
            line = f"{p.label}{n}: {p.outcome}. {_effect(p)}: {p.verdict}{grade}"
            rows += [_flow(out, line, "bold"), Text("  ").append_text(_bar(panel, p, width))]
        rows.append(_axis_line(panel, width, indent="  "))
        return Group(*rows)
    plot_width = max(30, min(60, out.width - 70))
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("study", overflow="fold", ratio=2)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("effect (95% CI)", no_wrap=True)
    table.add_column(f"plot ({axis}; │ = no effect)", no_wrap=True)
    table.add_column("reading", overflow="fold", ratio=1)
    for p in panel.points:
        table.add_row(
            _text(f"{p.label}\n{p.outcome}"),
            _text(str(p.n) if p.n else "-"),
            _text(_effect(p)),
            _bar(panel, p, plot_width),
            _text(p.verdict + (f"; GRADE {p.certainty}" if p.certainty else "")),
        )
    table.add_row("", "", "", _axis_line(panel, plot_width), "")
    return table


def _effect(p: Point) -> str:
    return f"{p.measure} {p.estimate:g} ({p.ci_low:g} to {p.ci_high:g})"


def forest(out: Console, kb: KnowledgeBase, therapy: Therapy) -> None:
    drawn = panels(therapy)
    items: list[RenderableType] = [
        _text(f"Evidence: {therapy.name} ({therapy.id})", "bold reverse"),
        _flow(out, reading(therapy, drawn)),
    ]
    items += [forest_panel(out, panel) for panel in drawn]
    rest = not_plotted(therapy)
    if rest:
        items.append(_text("\nStudies without an effect estimate and 95% CI (not drawn):", "bold"))
        items += [_flow(out, f"{s.label}: {s.result}", first="• ", rest="  ") for s in rest]
    _print(out, *items, _text(""), _flow(out, kb.manifest.disclaimer, "italic"))
