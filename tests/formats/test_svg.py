"""The forest plot as SVG: well-formed XML, drawn to scale, every piece of text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

from rmcli.environment import Canvas
from rmcli.estimates import natural
from rmcli.formats.svg import LEFT, PLOT, ROW, forest
from rmcli.kb import KnowledgeBase, Therapy
from rmcli.kb.load import load
from rmcli.views.forest import Point, not_plotted, panels
from rmcli.views.forest import forest as forest_view

NS = "{http://www.w3.org/2000/svg}"
Edit = Callable[[str, Callable[[dict[str, Any]], object]], Path]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def markers(root: ET.Element) -> list[ET.Element]:
    """The estimate squares (the white background rect is not one)."""
    return [r for r in root.iter(f"{NS}rect") if r.get("width") != "100%"]


def lines(root: ET.Element) -> list[dict[str, float | str]]:
    found = []
    for line in root.iter(f"{NS}line"):
        item: dict[str, float | str] = {
            k: float(line.get(k, "nan")) for k in ("x1", "y1", "x2", "y2")
        }
        item["width"] = line.get("stroke-width", "")
        found.append(item)
    return found


def null_lines(root: ET.Element) -> list[dict[str, float | str]]:
    """Vertical lines taller than a tick mark: one per panel, at no effect."""
    return [
        ln
        for ln in lines(root)
        if ln["x1"] == ln["x2"] and float(ln["y2"]) - float(ln["y1"]) >= ROW and ln["width"] == "1"
    ]


def ci_lines(root: ET.Element) -> list[dict[str, float | str]]:
    return [ln for ln in lines(root) if ln["width"] == "2"]


def forest_svg(t: Therapy, kb: KnowledgeBase) -> str:
    return forest(forest_view(t, kb), Canvas())


def therapy(kb: KnowledgeBase, therapy_id: str) -> Therapy:
    return next(t for t in kb.therapies if t.id == therapy_id)


def plotted(t: Therapy) -> list[Point]:
    return [p for panel in panels(natural(t)) for p in panel.points]


@pytest.fixture(scope="module")
def drawings(kb: KnowledgeBase) -> dict[str, tuple[Therapy, str]]:
    return {t.id: (t, forest_svg(t, kb)) for t in kb.therapies}


def test_every_bundled_therapy_gives_well_formed_svg(drawings: dict[str, Any]) -> None:
    for t, svg in drawings.values():
        root = parse(svg)
        width, height = int(root.get("width", "0")), int(root.get("height", "0"))
        assert root.get("viewBox") == f"0 0 {width} {height}"
        assert width >= LEFT + PLOT and height > 0
        assert svg.endswith("</svg>\n")
        assert texts(root)[0] == f"Evidence: {t.name} ({t.id})"


def test_one_marker_per_plotted_study(drawings: dict[str, Any]) -> None:
    for t, svg in drawings.values():
        root = parse(svg)
        points = plotted(t)
        assert len(markers(root)) == len(points), t.id
        assert len(ci_lines(root)) == len(points), t.id
        for point in points:
            n = f", n={point.n}" if point.n else ""
            assert f"{point.label}{n}" in texts(root), (t.id, point.label)


def test_one_null_line_per_panel(drawings: dict[str, Any]) -> None:
    for t, svg in drawings.values():
        root = parse(svg)
        drawn = panels(natural(t))
        found = null_lines(root)
        assert len(found) == len(drawn), t.id
        for panel, line in zip(drawn, found, strict=True):
            assert LEFT < float(line["x1"]) < LEFT + PLOT
            # a row is at least ROW high; one whose text wraps to more lines is taller
            assert float(line["y2"]) - float(line["y1"]) >= ROW * len(panel.points)


def test_the_null_line_sits_at_the_no_effect_tick(drawings: dict[str, Any]) -> None:
    for t, svg in drawings.values():
        root = parse(svg)
        labels = {
            (node.text, float(node.get("x", "nan")))
            for node in root.iter(f"{NS}text")
            if node.get("text-anchor") == "middle"
        }
        for panel, line in zip(panels(natural(t)), null_lines(root), strict=True):
            tick = "1" if panel.scale == "log" else "0"
            assert (tick, float(line["x1"])) in labels, t.id


def test_cis_are_drawn_to_scale_around_the_null_line(drawings: dict[str, Any]) -> None:
    seen = {"crossing": 0, "clear": 0}
    for t, svg in drawings.values():
        root = parse(svg)
        cis = iter(ci_lines(root))
        squares = iter(markers(root))
        for panel, null_line in zip(panels(natural(t)), null_lines(root), strict=True):
            null_x = float(null_line["x1"])
            for p in panel.points:
                ci, square = next(cis), next(squares)
                x1, x2 = float(ci["x1"]), float(ci["x2"])
                centre = float(square.get("x", "nan")) + 5
                assert x1 <= centre <= x2, (t.id, p.label)
                if p.ci_low < panel.null < p.ci_high:
                    assert x1 < null_x < x2, (t.id, p.label)
                    seen["crossing"] += 1
                elif p.ci_low > panel.null or p.ci_high < panel.null:
                    assert not x1 <= null_x <= x2, (t.id, p.label)
                    seen["clear"] += 1
    assert seen["crossing"] >= 10 and seen["clear"] >= 5


def test_the_log_axis_puts_half_and_double_equally_far_from_one(kb: KnowledgeBase) -> None:
    root = parse(forest_svg(therapy(kb, "heparin"), kb))
    ticks = {
        node.text: float(node.get("x", "nan"))
        for node in root.iter(f"{NS}text")
        if node.get("text-anchor") == "middle" and node.get("font-size") == "11"
    }
    assert {"0.5", "1", "2"} <= set(ticks)
    assert abs((ticks["1"] - ticks["0.5"]) - (ticks["2"] - ticks["1"])) < 0.5


def test_studies_without_an_estimate_are_listed_not_drawn(drawings: dict[str, Any]) -> None:
    for t, svg in drawings.values():
        rest = [s for s in not_plotted(natural(t)) if s.checked != "unverified"]
        words = "".join(texts(parse(svg))).replace(" ", "")
        if not rest:
            assert "Not drawn" not in words
            continue
        assert "Notdrawn(nostructuredestimatewitha95%CI):" in words
        for study in rest:
            shown = f"{study.label}:{(study.result or study.design).strip()}".replace(" ", "")
            assert shown in words, (t.id, study.label)


def test_a_therapy_without_estimates_draws_no_plot(kb: KnowledgeBase) -> None:
    t = therapy(kb, "treg-transfer")
    t = msgspec.structs.replace(t, evidence=[s for s in t.evidence if s.estimate is None])
    assert not plotted(t)
    root = parse(forest_svg(t, kb))
    assert markers(root) == [] and null_lines(root) == []
    assert "No study gives an effect estimate with a 95% CI" in " ".join(texts(root))


def test_each_row_shows_the_studys_certainty(drawings: dict[str, Any]) -> None:
    """The issue's plot has certainty on every row; the SVG is "the same picture"."""
    checked = 0
    for t, svg in drawings.values():
        root = parse(svg)
        right = " ".join(  # the column right of the plot: each row's effect, then its reading
            node.text or ""
            for node in root.iter(f"{NS}text")
            if float(node.get("x", "0")) > LEFT + PLOT
        )
        for p in plotted(t):
            if p.certainty:
                checked += 1
                assert f"GRADE {p.certainty.replace('-', ' ')}" in right, (t.id, p.label)
    assert checked > 0


def test_a_ci_with_negative_bounds_is_written_unambiguously(kb: KnowledgeBase) -> None:
    """ "RD -2.6 (-15-9.9)" reads as a CI of -15 to -9.9; the interval must not be ambiguous."""
    t = therapy(kb, "heparin")
    point = next(p for p in plotted(t) if p.ci_low < 0)
    words = texts(parse(forest_svg(t, kb)))
    assert f"(95% CI {point.numbers[1]} to {point.numbers[2]}" in " ".join(words)


HOSTILE = "<script>alert(\"x\")</script> & <b>bold</b> 'q'"


def test_knowledge_base_text_is_escaped(kb_copy: Path, edit_therapy: Edit) -> None:
    def change(data: dict[str, Any]) -> None:
        data["name"] = f"Heparin {HOSTILE}"
        study = next(s for s in data["evidence"] if s["label"] == "Farquharson 2002")
        study["label"] = f"Farquharson 2002 {HOSTILE}"
        study["outcome"] = "Live birth & <i>more</i>"
        unplotted = next(s for s in data["evidence"] if "estimate" not in s)
        unplotted["result"] = f"Result {HOSTILE}"

    edit_therapy("heparin", change)
    edited = load(kb_copy)
    svg = forest_svg(therapy(edited, "heparin"), edited)
    assert "<script" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg and "&amp;" in svg
    words = texts(parse(svg))
    assert f"Evidence: Heparin {HOSTILE} (heparin)" in words
    assert f"Farquharson 2002 {HOSTILE}, n=98" in words
    assert "Live birth & <i>more</i>" in words
    assert f"Result {HOSTILE}" in "".join(words)
    assert {node.tag for node in parse(svg).iter()} <= {
        f"{NS}{tag}" for tag in ("svg", "rect", "text", "line")
    }


@pytest.mark.parametrize(
    "nasty",
    [
        "bell\x07 and \x1b[31mred\x1b[0m",
        "nul\x00byte",
        "c1\x85\x9bx",
        "form\x0cfeed",
        "bad\ufffeone",
    ],
    ids=["escape-sequences", "nul", "c1-controls", "form-feed", "noncharacter-fffe"],
)
def test_any_label_the_knowledge_base_accepts_gives_well_formed_xml(
    kb_copy: Path, edit_therapy: Edit, nasty: str
) -> None:
    def change(data: dict[str, Any]) -> None:
        data["evidence"][0]["label"] = f"Study {nasty}"

    edit_therapy("heparin", change)
    edited = load(kb_copy)
    parse(forest_svg(therapy(edited, "heparin"), edited))


def test_no_word_is_cut_to_fit_a_row(drawings: dict[str, Any]) -> None:
    for _, svg in drawings.values():
        assert "…" not in svg
