"""The terminal format, view by view: what fits where, and nothing lost or split mid-word."""

from __future__ import annotations

import re

import contract
import msgspec
import pytest
from helpers import TODAY, pick

from rmcli.environment import Canvas
from rmcli.formats import Format, render
from rmcli.formats.terminal.figures import STATUS_MARKS, bar
from rmcli.kb import KnowledgeBase
from rmcli.views.comparison import comparison
from rmcli.views.forest import Panel, Point, forest, panels, position
from rmcli.views.listing import listing
from rmcli.views.monograph import monograph
from rmcli.views.targets import matrix

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def squash(text: str) -> str:
    return "".join(text.split())


def draw(view: object, width: int, **canvas: bool) -> str:
    return render(view, Format.table, Canvas(width=width, **canvas))  # type: ignore[arg-type]


# -- list ------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120])
def test_list_is_one_line_per_therapy_sorted_by_id(kb: KnowledgeBase, width: int) -> None:
    view = listing(kb, kb.therapies, TODAY)
    out = draw(view, width)
    lines = out.splitlines()
    if width < 100:  # names do not fit whole: the column gives way, and a line says where
        assert lines[0].split() == ["id", "status", "certainty", "targets"]
        assert lines[-2] == view.narrow_note
        body = lines[1:-2]
    else:
        assert lines[0].split() == ["id", "name", "status", "certainty", "targets"]
        body = lines[1:-1]
        for line, t in zip(body, sorted(kb.therapies, key=lambda t: t.id), strict=True):
            assert f" {(t.short_name or t.name).casefold()} " in line.casefold()
    assert [line.split()[0] for line in body] == sorted(t.id for t in kb.therapies)
    for line, t in zip(body, sorted(kb.therapies, key=lambda t: t.id), strict=True):
        assert t.overall.status in line.split() and t.overall.certainty in line.split()
        for target in t.targets:
            assert (kb.vocabulary.targets[target].abbrev or "") in line
    assert lines[-1].startswith(f"{len(kb.therapies)} therapies · knowledge base ")
    assert all(len(line) <= width and line == line.rstrip() for line in lines)


def test_list_long_adds_class_headline_and_review_date(kb: KnowledgeBase) -> None:
    (ivig,) = pick(kb, "ivig")
    out = draw(listing(kb, [ivig], TODAY, long=True), 80)
    flat = squash(out)
    assert squash(f"class: {ivig.drug_class}") in flat
    assert "headline:" in out and "last reviewed:" in out
    assert out.splitlines()[-1].startswith("1 therapy · ")


def test_an_empty_list_says_so(kb: KnowledgeBase) -> None:
    out = draw(listing(kb, [], TODAY, filters=["--search 'zz'"]), 80)
    assert out.splitlines()[0] == "No therapy matches --search 'zz'."


# -- show --------------------------------------------------------------------------------------


@pytest.mark.parametrize("therapy_id", sorted(contract.THERAPY_IDS))
def test_the_summary_fits_one_80_by_24_screen(kb: KnowledgeBase, therapy_id: str) -> None:
    (t,) = pick(kb, therapy_id)
    out = draw(monograph(t, kb, TODAY), 80)
    lines = out.splitlines()
    first = lines[: lines.index("Summary of findings")]  # the first section after it
    status = next(i for i, line in enumerate(first) if line.startswith("Status "))
    assert squash("".join(first[:status])) == squash(f"{t.name} ({t.id})")
    assert len(first) <= 23, "\n".join(first)
    labels = [line.split("  ")[0] for line in first[status:] if line and not line.startswith(" ")]
    labels = [label for label in labels if not label.startswith("Labels: ")]  # the legend
    burden = any(c.checked != "unverified" for c in t.cost)  # a row only where there is one
    assert labels == [r for r in contract.SUMMARY_ROWS if r != "Burden" or burden]
    assert first[status].startswith(f"Status         {t.overall.status}, certainty ")
    assert all(len(line) <= 80 for line in lines)


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("therapy_id", ["ivig", "heparin", "treg-transfer"])
def test_show_keeps_every_claim(kb: KnowledgeBase, width: int, therapy_id: str) -> None:
    (t,) = pick(kb, therapy_id)
    view = monograph(t, kb, TODAY)
    flat = squash(draw(view, width))
    for s in view.sections:
        for text in [s.title, *s.paragraphs, *s.bullets, *([s.note] if s.note else [])]:
            assert squash(text) in flat, (s.key, text[:50])
        for row in s.table.rows if s.table and width < 100 else []:
            assert squash(f"{row[0]}: {row[1]}") in flat


def test_show_draws_the_guideline_grid_only_when_wide(kb: KnowledgeBase) -> None:
    (heparin,) = pick(kb, "heparin")
    view = monograph(heparin, kb, TODAY)
    assert "| Guideline" in draw(view, 140)
    assert "| Guideline" not in draw(view, 80)


def test_brief_is_only_the_summary(kb: KnowledgeBase) -> None:
    (ivig,) = pick(kb, "ivig")
    out = draw(monograph(ivig, kb, TODAY, brief=True), 80)
    assert "Overview" not in out and "Headline" in out


# -- compare -----------------------------------------------------------------------------------


def words_of(values: list[str]) -> set[str]:
    return {w for value in values for w in value.split()}


@pytest.mark.parametrize(
    ("ids", "width"),
    [
        (("prednisolone", "ivig"), 80),
        (("progesterone", "lymphocyte-immunotherapy"), 80),
        (("prednisolone", "ivig", "heparin"), 120),
        (("tnf-inhibitors", "hydroxychloroquine", "lymphocyte-immunotherapy"), 120),
    ],
)
def test_the_glance_fits_side_by_side_without_cutting_a_word(
    kb: KnowledgeBase, ids: tuple[str, ...], width: int
) -> None:
    view = comparison(pick(kb, *ids), kb, TODAY)
    out = draw(view, width, terminal=True)
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines)
    assert "…" not in out
    assert lines[0].startswith("╭") and lines[0].count("┬") == len(ids)  # no title above
    known = words_of([v for _, values in view.glance() for v in values] + view.headers)
    known |= words_of([label for label, _ in view.glance()])
    for line in lines[1:]:
        if not line.startswith("│"):
            continue
        for cell in line.strip("│").split("│"):
            for word in cell.split():
                assert word in known or (word.endswith("-") and word.count("-") == 1), (word, line)
    rows = [line.strip("│").split("│") for line in lines if line.startswith("│")]
    columns = ["".join(squash(row[i]) for row in rows) for i in range(len(ids) + 1)]
    for label, values in view.glance():  # every cell whole, in its column
        for index, value in enumerate(values, start=1):
            assert squash(value) in columns[index], (label, value)


def test_every_pair_glances_within_one_80_by_24_screen(kb: KnowledgeBase) -> None:
    """The table itself (the first 23 lines of a paged screen); the footer may follow."""
    import itertools

    for a, b in itertools.combinations(kb.therapies, 2):
        lines = draw(comparison([a, b], kb, TODAY), 80, terminal=True).splitlines()
        bottom = next(i for i, line in enumerate(lines) if line.startswith("╰"))
        assert bottom + 1 <= 23, (a.id, b.id)


def test_narrow_comparisons_stack_with_a_divider_per_therapy(kb: KnowledgeBase) -> None:
    view = comparison(pick(kb, "prednisolone", "ivig", "heparin"), kb, TODAY, full=True)
    out = draw(view, 60, unicode=True)
    for header in view.headers:
        assert f"─── {header} " in out
    assert out.count(f"─── {view.headers[0]} ") >= 2  # glance and each section


# -- targets -----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("unicode", [True, False])
def test_matrix_keeps_every_therapy_target_and_mark(
    kb: KnowledgeBase, width: int, unicode: bool
) -> None:
    view = matrix(kb, kb.therapies)
    out = draw(view, width, unicode=unicode)
    assert all(len(line) <= width for line in out.splitlines())
    rows = {line.strip(" |").split()[0]: line for line in out.splitlines() if line.strip()}
    for t in kb.therapies:
        mark = STATUS_MARKS[t.overall.status][0 if unicode else 1]
        assert rows[t.id].split()[1:].count(mark) == len(t.targets), (t.id, width)
    for term in kb.vocabulary.targets.values():
        assert squash(term.name) in squash(out)


def test_matrix_marks_are_coloured_by_status(kb: KnowledgeBase) -> None:
    out = draw(matrix(kb, kb.therapies), 140, styles=True, colour=True)
    colours = {"green": "32", "red": "31", "yellow": "33", "cyan": "36", "magenta": "35"}
    from rmcli.formats.terminal import STATUS_STYLES

    for status, style in STATUS_STYLES.items():
        mark = STATUS_MARKS[status][0]
        assert re.search(rf"\x1b\[[0-9;]*{colours[style]}m{mark}", out), status
    assert "\x1b" not in draw(matrix(kb, kb.therapies), 140)


# -- evidence ----------------------------------------------------------------------------------


def in_order(words: list[str], text: list[str]) -> bool:
    """Whether `words` appear in `text` in order (a wrapped cell beside other columns)."""
    rest = iter(text)
    return all(word in rest for word in words)


def point(low: float, value: float, high: float, verdict: str = "inconclusive") -> Point:
    return Point(
        label="S",
        n=None,
        measure="RR",
        estimate=value,
        ci_low=low,
        ci_high=high,
        effect="",
        figure="",
        numbers=("", "", ""),
        direction="higher-better",
        comparison=None,
        population="p",
        outcome="Live birth",
        certainty=None,
        verdict=verdict,  # type: ignore[arg-type]
        verdict_text=verdict,
        refs=[],
        checked="primary",
    )


PANEL = Panel(scale="log", null=1.0, low=0.2, high=5.0, ticks=[0.2, 0.5, 1, 2, 5], points=[])


@pytest.mark.parametrize("width", [20, 40, 56, 76])
@pytest.mark.parametrize(("low", "value", "high"), [(0.5, 0.8, 2.0), (0.4, 1.6, 3.0)])
def test_a_bar_crossing_no_effect_has_the_null_mark_inside(
    width: int, low: float, value: float, high: float
) -> None:
    drawn = bar(PANEL, point(low, value, high), width, Canvas())
    assert len(drawn) == width
    left, right = drawn.index("├"), drawn.index("┤")
    assert left < position(PANEL, 1.0, width) < right
    assert "│" not in drawn


@pytest.mark.parametrize("width", [20, 40, 56, 76])
@pytest.mark.parametrize(("low", "value", "high"), [(1.5, 2.0, 4.0), (0.25, 0.4, 0.6)])
def test_a_bar_clear_of_no_effect_has_the_null_mark_outside(
    width: int, low: float, value: float, high: float
) -> None:
    drawn = bar(PANEL, point(low, value, high, "favours treatment"), width, Canvas())
    null = drawn.index("│")
    assert null < drawn.index("├") or null > drawn.index("┤")
    ascii_bar = bar(PANEL, point(low, value, high), width, Canvas(unicode=False))
    assert set(ascii_bar) <= set(" |-+[]#")


@pytest.mark.parametrize("width", [60, 80, 109, 110, 120, 160])
def test_forest_shows_every_study_three_ticks_and_fits(kb: KnowledgeBase, width: int) -> None:
    for t in kb.therapies:
        view = forest(t, kb)
        out = draw(view, width)
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= width, t.id
        flat = squash(out)
        assert squash(view.reading) in flat
        points = [p for panel in view.panels for p in panel.points]
        assert len([line for line in lines if "■" in line]) == len(points)
        for p in points:
            value, low, high = p.numbers
            unit = " percentage points" if p.measure == "RD" else ""
            assert p.figure.startswith(f"{p.measure} {value}{unit} (95% CI {low} to {high})")
            wrapped = width >= 110 and in_order(p.figure.split(), out.split())  # beside the plot
            assert squash(p.figure) in flat or wrapped, (p.figure, width)
            assert squash(p.verdict_text) in flat or width >= 110
            assert squash(p.label) in flat or squash(p.label.split()[0]) in flat
        labels = [line for line in lines if re.fullmatch(r"[\s\d.\-]+", line) and line.strip()]
        assert len(labels) == len(view.panels), t.id
        for label_line in labels:
            assert len(label_line.split()) >= 3, (t.id, width, label_line)
        for study in view.not_plotted:
            assert squash(f"{study.label}: {study.text}") in flat
        if view.not_plotted:
            assert "Studies without a structured estimate and 95% CI (not drawn)" in out
        assert not panels(t) or "no effect)" in out


def test_a_placebo_vs_drug_row_names_the_favoured_arm(kb: KnowledgeBase) -> None:
    (progesterone,) = pick(kb, "progesterone")
    study = progesterone.evidence[0]
    reversed_ = msgspec.structs.replace(
        study,
        measure="RR",
        estimate=2.4,
        ci_low=1.3,
        ci_high=4.4,
        direction="lower-better",
        comparison="placebo vs dydrogesterone",
        decimals=None,
    )
    t = msgspec.structs.replace(progesterone, evidence=[reversed_])
    out = draw(forest(t, kb), 80)
    assert "placebo vs dydrogesterone: favours dydrogesterone" in " ".join(out.split())
