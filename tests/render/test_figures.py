"""Terminal pictures: the target matrix and the forest plot, rendered by Rich at many widths."""

from __future__ import annotations

import io
import re

import msgspec
import pytest
from rich.console import Console

from rmcli.forest import Panel, Point, not_plotted, panels, position, reading
from rmcli.kb import KnowledgeBase, Therapy
from rmcli.kb.model import Term
from rmcli.render import STATUS_STYLES
from rmcli.render.figures import STATUS_MARKS, _bar, forest, target_matrix

WIDTHS = [60, 80, 100, 120, 160]
ANSI_COLOUR = {"green": "32", "red": "31", "yellow": "33", "cyan": "36", "magenta": "35"}
MARKS = "".join(STATUS_MARKS.values())
SGR_MARK = re.compile(r"\x1b\[([0-9;]*)m *[" + MARKS + "]")
ESCAPES = re.compile(r"\x1b\[[0-9;]*m")


def squash(text: str) -> str:
    return "".join(text.split())


def draw(width: int, paint: object, *args: object, colour: bool = False) -> str:
    out = Console(
        width=width,
        file=io.StringIO(),
        force_terminal=colour,
        color_system="standard" if colour else None,
        highlight=False,
        markup=False,
        emoji=False,
    )
    paint(out, *args)  # type: ignore[operator]
    assert isinstance(out.file, io.StringIO)
    return out.file.getvalue()


def by_id(kb: KnowledgeBase) -> list[Therapy]:
    return sorted(kb.therapies, key=lambda t: t.id)


def rows(out: str, ids: set[str]) -> dict[str, str]:
    """Matrix rows by the therapy id that starts them (an id cut short is not found)."""
    found = {}
    for line in ESCAPES.sub("", out).splitlines():
        words = line.strip(" |│┃").split()
        if words and words[0] in ids:
            found[words[0]] = line
    return found


# -- target matrix -----------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_matrix_keeps_every_therapy_target_and_mark(kb: KnowledgeBase, width: int) -> None:
    therapies = by_id(kb)
    out = draw(width, target_matrix, kb, therapies)
    assert max(len(line) for line in out.splitlines()) <= width
    found = rows(out, {t.id for t in therapies})
    assert sorted(found) == [t.id for t in therapies], f"therapy ids lost at {width} columns"
    for t in therapies:
        mark = STATUS_MARKS[t.overall.status]
        marks = found[t.id].count(mark)
        assert marks == len(t.targets), f"{t.id}: {marks} of {len(t.targets)} marks at {width}"
        cells = sum(found[t.id].count(m) for m in MARKS) + found[t.id].count("·")
        assert cells == len(kb.vocabulary.targets), f"{t.id}: {cells} columns at {width}"
    flat = squash(out)
    for term in kb.vocabulary.targets.values():
        assert squash(term.name) in flat
    for status in STATUS_STYLES:
        assert f"{STATUS_MARKS[status]}{status}" in flat


@pytest.mark.parametrize("width", WIDTHS)
def test_matrix_marks_sit_under_the_right_target(kb: KnowledgeBase, width: int) -> None:
    therapies = by_id(kb)
    out = draw(width, target_matrix, kb, therapies)
    keys = list(kb.vocabulary.targets)
    for t in therapies:
        line = rows(out, {t.id}).get(t.id, "")
        cells = [ch for ch in line if ch in MARKS or ch == "·"]
        marked = {keys[i] for i, ch in enumerate(cells) if ch in MARKS and i < len(keys)}
        assert marked == set(t.targets), (t.id, width)


def test_matrix_headers_are_abbreviations_when_they_fit_else_letters(kb: KnowledgeBase) -> None:
    terms = list(kb.vocabulary.targets.values())
    wide = draw(200, target_matrix, kb, by_id(kb))
    header = next(line for line in wide.splitlines() if "therapy" in line)
    cells = [c.strip() for c in header.split("|")]
    assert cells[1] == "therapy"
    assert cells[2:-1] == [t.abbrev or t.name for t in terms]
    assert f"Key: {terms[0].abbrev} = {terms[0].name};" in wide
    narrow = draw(80, target_matrix, kb, by_id(kb))
    header = next(line for line in narrow.splitlines() if "therapy" in line)
    letters = [chr(ord("A") + i) for i in range(len(terms))]
    assert header.split()[1:] == letters
    assert "Key: A = " in narrow
    flat = squash(narrow)
    for letter, term in zip(letters, terms, strict=True):
        assert squash(f"{letter} = {term.name}") in flat


def test_a_target_without_abbreviation_is_headed_by_its_name(kb: KnowledgeBase) -> None:
    targets = dict(kb.vocabulary.targets)
    targets["complement"] = Term(name="Complement")
    vocabulary = msgspec.structs.replace(kb.vocabulary, targets=targets)
    changed = msgspec.structs.replace(kb, vocabulary=vocabulary)
    out = draw(200, target_matrix, changed, by_id(kb))
    header = next(line for line in out.splitlines() if "therapy" in line)
    assert "Complement" in [c.strip() for c in header.split("|")]
    assert "None" not in out


def test_marks_are_coloured_by_status(kb: KnowledgeBase) -> None:
    therapies = by_id(kb)
    out = draw(140, target_matrix, kb, therapies, colour=True)
    lines = {
        ESCAPES.sub("", line).strip(" |│").split()[0]: line
        for line in out.splitlines()
        if line.strip()
    }
    for t in therapies:
        colour = ANSI_COLOUR[STATUS_STYLES[t.overall.status]]
        codes = SGR_MARK.findall(lines[t.id])
        assert len(codes) == len(t.targets)
        assert all(colour in c.split(";") for c in codes), (t.id, codes)
    legend = next(line for line in out.splitlines() if "Status:" in ESCAPES.sub("", line))
    for status, style in STATUS_STYLES.items():
        mark = STATUS_MARKS[status]
        assert re.search(rf"\x1b\[[0-9;]*{ANSI_COLOUR[style]}m{mark} {status}", legend), status


def test_no_colour_means_no_escapes(kb: KnowledgeBase) -> None:
    assert "\x1b" not in draw(120, target_matrix, kb, by_id(kb))


# -- forest bars -------------------------------------------------------------------------------


def point(low: float, value: float, high: float, verdict: str = "inconclusive") -> Point:
    return Point(
        label="S",
        n=None,
        measure="RR",
        estimate=value,
        ci_low=low,
        ci_high=high,
        direction="higher-better",
        outcome="Live birth",
        certainty=None,
        verdict=verdict,  # type: ignore[arg-type]
        refs=[],
        checked="primary",
    )


PANEL = Panel(scale="log", null=1.0, low=0.2, high=5.0, points=[])


@pytest.mark.parametrize("width", [20, 40, 56, 76])
@pytest.mark.parametrize(
    ("low", "value", "high"), [(0.5, 0.8, 2.0), (0.4, 1.6, 3.0), (0.7, 1.0, 1.5)]
)
def test_a_bar_crossing_no_effect_has_the_null_mark_inside(
    width: int, low: float, value: float, high: float
) -> None:
    bar = _bar(PANEL, point(low, value, high), width).plain
    assert len(bar) == width
    left, right = bar.index("├"), bar.index("┤")
    null = position(PANEL, 1.0, width)
    assert left < null < right
    assert bar[null] in ("┼", "■")
    if bar[null] == "■":  # the estimate may hide the line only where it sits on it
        assert position(PANEL, value, width) == null
    assert "│" not in bar
    assert bar[position(PANEL, value, width)] == "■"
    assert set(bar[left : right + 1]) <= {"├", "─", "┼", "■", "┤"}
    assert bar[:left].strip() == "" and bar[right + 1 :].strip() == ""


@pytest.mark.parametrize("width", [20, 40, 56, 76])
@pytest.mark.parametrize(("low", "value", "high"), [(1.5, 2.0, 4.0), (0.25, 0.4, 0.6)])
def test_a_bar_clear_of_no_effect_has_the_null_mark_outside(
    width: int, low: float, value: float, high: float
) -> None:
    bar = _bar(PANEL, point(low, value, high, "favours treatment"), width).plain
    left, right = bar.index("├"), bar.index("┤")
    null = bar.index("│")
    assert null == position(PANEL, 1.0, width)
    assert null < left or null > right
    assert "┼" not in bar


def test_a_bar_close_to_but_clear_of_no_effect_keeps_its_end(kb: KnowledgeBase) -> None:
    """PRISM 2019 subgroup, RR 1.09 (1.03-1.15), favours treatment: at 60 columns the bar
    must not show the no-effect mark as the end of its CI."""
    progesterone = next(t for t in kb.therapies if t.id == "progesterone")
    (panel,) = panels(progesterone)
    subgroup = next(p for p in panel.points if p.ci_low == 1.03)
    bar = _bar(panel, subgroup, 56).plain.strip()
    # the CI keeps both ends, and the no-effect line stands clear of it, on the left
    assert bar.endswith("┤") and "├" in bar, repr(bar)
    assert bar.index("│") < bar.index("├"), repr(bar)


# -- forest plot -------------------------------------------------------------------------------


def table_rows(out: str) -> list[dict[str, str]]:
    """The rows of the wide forest tables, each cell's lines joined (Rich interleaves them)."""
    found: list[dict[str, str]] = []
    at: dict[str, int] | None = None
    for line in out.splitlines():
        if "effect (95% CI)" in line and "reading" in line:
            at = {name: line.index(name) for name in ("effect (95% CI)", "plot (", "reading")}
            continue
        if at is None or not line.strip() or set(line.strip()) <= set("─┬┼ "):
            continue
        effect, plot, verdict = at["effect (95% CI)"], at["plot ("], at["reading"]
        if "■" in line:
            study, n = line[:effect].rstrip().rsplit(maxsplit=1)
            found.append(
                {
                    "study": study,
                    "n": n,
                    "effect": line[effect:plot].strip(),
                    "reading": line[verdict:],
                }
            )
        elif any(ch.isdigit() for ch in line[plot:verdict]):
            at = None  # the tick labels under the axis end this table
        else:
            found[-1]["study"] += " " + line[:effect]
            found[-1]["reading"] += " " + line[verdict:]
    return found


@pytest.mark.parametrize("width", [60, 80, 109, 110, 120, 160])
def test_forest_shows_every_study_and_fits(kb: KnowledgeBase, width: int) -> None:
    for t in kb.therapies:
        out = draw(width, forest, kb, t)
        assert max(len(line) for line in out.splitlines()) <= width, t.id
        flat = squash(out)
        assert squash(reading(t, panels(t))) in flat
        points = [p for panel in panels(t) for p in panel.points]
        wide = table_rows(out)
        assert len(wide) == (len(points) if width >= 110 else 0), (t.id, width)
        for index, p in enumerate(points):
            effect = f"{p.measure} {p.estimate:g} ({p.ci_low:g} to {p.ci_high:g})"
            grade = f"; GRADE {p.certainty}" if p.certainty else ""
            if wide:
                row = wide[index]
                assert squash(row["study"]) == squash(f"{p.label} {p.outcome}"), (t.id, p.label)
                assert row["n"] == (str(p.n) if p.n else "-")
                assert row["effect"] == effect
                assert squash(row["reading"]) == squash(p.verdict + grade), (t.id, p.label)
            else:
                n = f", n={p.n}" if p.n else ""
                line = f"{p.label}{n}: {p.outcome}. {effect}: {p.verdict}{grade}"
                assert squash(line) in flat, (t.id, p.label, width)
        for study in not_plotted(t):
            assert squash(f"{study.label}: {study.result}") in flat, (t.id, study.label)
        assert out.rstrip().endswith(kb.manifest.disclaimer.split()[-1])
        bars = [line for line in out.splitlines() if "■" in line]
        assert len(bars) == len(points)


def test_forest_is_a_table_only_when_wide(kb: KnowledgeBase) -> None:
    heparin = next(t for t in kb.therapies if t.id == "heparin")
    wide = draw(120, forest, kb, heparin)
    narrow = draw(100, forest, kb, heparin)
    assert "effect (95% CI)" in wide and "plot (log scale; │ = no effect)" in wide
    assert "effect (95% CI)" not in narrow and "log scale; │ = no effect" in narrow
    assert "linear scale" in wide and "linear scale" in narrow
    for out in (wide, narrow):
        assert "Studies without an effect estimate and 95% CI (not drawn):" in out


def test_forest_without_estimates_lists_every_study(kb: KnowledgeBase) -> None:
    t = next(t for t in kb.therapies if not panels(t))
    out = draw(80, forest, kb, t)
    assert "■" not in out and "├" not in out
    flat = squash(out)
    assert squash(f"No study of {t.name}") in flat
    for study in t.evidence:
        assert squash(study.label) in flat
