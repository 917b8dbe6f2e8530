"""`rmcli targets` and `rmcli evidence` end to end: every width, every format, the SVG file."""

from __future__ import annotations

import csv
import io
import json
import math
import stat
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from rmcli.estimates import natural
from rmcli.kb import KnowledgeBase, Therapy
from rmcli.kb.model import Study
from rmcli.views.forest import Panel, Point, not_plotted, panels, reading

COLUMNS = ["60", "80", "120"]
# One mark per status, by shape as well as colour (rmcli.formats.terminal.figures.STATUS_MARKS).
MARKS = {
    "established": "●",
    "conditional": "◐",
    "unproven": "○",
    "not-recommended": "✕",
    "experimental": "◇",
}
STATUSES = ["established", "conditional", "unproven", "not-recommended", "experimental"]


def squash(text: str) -> str:
    return "".join(text.split())


def by_id(kb: KnowledgeBase) -> list[Therapy]:
    return sorted(kb.therapies, key=lambda t: t.id)


def therapy(kb: KnowledgeBase, therapy_id: str) -> Therapy:
    return next(t for t in kb.therapies if t.id == therapy_id)


def one_error(err: str) -> str:
    lines = err.splitlines()
    assert 1 <= len(lines) <= 2 and lines[0].startswith("rmcli: error: "), err
    assert "Traceback" not in err
    return lines[0]


# -- targets -----------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", COLUMNS)
def test_targets_fits_and_keeps_every_therapy_and_target(
    run_cli: Any, kb: KnowledgeBase, columns: str
) -> None:
    code, out, err = run_cli("targets", env={"COLUMNS": columns})
    assert code == 0, err
    assert err == ""
    too_long = [line for line in out.splitlines() if len(line) > int(columns)]
    assert too_long == []
    words = {line.strip(" |").split(" ")[0]: line for line in out.splitlines() if line.strip()}
    flat = squash(out)
    for t in kb.therapies:
        assert t.id in words, f"therapy id {t.id} lost at {columns} columns"
        mark = MARKS[t.overall.status]
        assert words[t.id].count(mark) == len(t.targets), f"{t.id}: marks lost at {columns}"
    assert "Key:" in out
    for term in kb.vocabulary.targets.values():
        assert squash(term.name) in flat, f"target {term.name} lost at {columns} columns"
    for status in STATUSES:
        assert f"{MARKS[status]}{status}" in flat


@pytest.mark.parametrize("columns", COLUMNS)
def test_targets_key_explains_every_header(run_cli: Any, kb: KnowledgeBase, columns: str) -> None:
    _, out, _ = run_cli("targets", env={"COLUMNS": columns})
    header = next(line for line in out.splitlines() if "therapy" in line)
    labels = [cell for cell in header.replace("|", " ").split() if cell != "therapy"]
    key = squash(out[out.index("Key:") :])
    assert len(labels) == len(kb.vocabulary.targets), f"columns lost at {columns}"
    for label, term in zip(labels, kb.vocabulary.targets.values(), strict=True):
        assert squash(f"{label} = {term.name}") in key, (columns, label)


def test_targets_json(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("targets", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["kb_version"] == kb.manifest.version
    assert data["disclaimer"] == kb.manifest.disclaimer
    assert data["targets"] == [
        {"id": key, "name": term.name, "abbrev": term.abbrev}
        for key, term in kb.vocabulary.targets.items()
    ]
    assert data["therapies"] == [
        {"id": t.id, "name": t.name, "status": t.overall.status, "targets": t.targets}
        for t in by_id(kb)
    ]


def test_targets_csv(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("targets", "-f", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    keys = list(kb.vocabulary.targets)
    assert rows[0] == ["therapy", "status", *keys]
    assert [row[0] for row in rows[1:]] == [t.id for t in by_id(kb)]
    for row, t in zip(rows[1:], by_id(kb), strict=True):
        assert row[1] == t.overall.status
        assert {k for k, cell in zip(keys, row[2:], strict=True) if cell == "x"} == set(t.targets)
        assert set(row[2:]) <= {"x", ""}


def test_targets_markdown(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("targets", "-f", "markdown")
    assert code == 0
    lines = out.splitlines()
    terms = list(kb.vocabulary.targets.values())
    assert (
        lines[0]
        == "| " + " | ".join(["therapy", "status", *(t.abbrev or t.name for t in terms)]) + " |"
    )
    assert lines[1] == "|" + "---|" * (len(terms) + 2)
    keys = list(kb.vocabulary.targets)
    for line, t in zip(lines[2:], by_id(kb), strict=False):
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert cells[:2] == [t.id, t.overall.status]
        assert {k for k, c in zip(keys, cells[2:], strict=True) if c == "x"} == set(t.targets)
    key = next(line for line in lines if line.startswith("Key: "))
    for term in terms:
        assert f"{term.abbrev} = {term.name}" in key


def test_targets_key_with_a_target_lacking_an_abbreviation(run_cli: Any, kb_copy: Path) -> None:
    path = kb_copy / "vocabulary.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    del data["targets"]["complement"]["abbrev"]
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    for fmt in ("markdown", "table"):
        code, out, err = run_cli("--kb", str(kb_copy), "targets", "-f", fmt)
        assert code == 0, err
        assert "None" not in out, fmt
        assert "Complement" in out


# -- evidence: the terminal plot ---------------------------------------------------------------


def is_axis(line: str) -> bool:
    body = line.strip()
    return bool(body) and "┼" in body and set(body) <= set("─┬┼")


def bars_by_panel(out: str) -> list[tuple[int, list[str]]]:
    """(column of the no-effect tick, the bar lines above it), one per panel, in order."""
    found: list[tuple[int, list[str]]] = []
    bars: list[str] = []
    for line in out.splitlines():
        if "■" in line:
            bars.append(line)
        elif is_axis(line):
            found.append((line.index("┼"), bars))
            bars = []
    assert bars == [], "bars after the last axis"
    return found


def near_null(panel: Panel, p: Point) -> bool:
    if panel.scale == "log":
        return abs(math.log(p.estimate)) < 0.1
    return abs(p.estimate) < 0.05 * (panel.high - panel.low)


@pytest.mark.parametrize("columns", COLUMNS)
def test_evidence_draws_each_ci_across_or_clear_of_the_null_line(
    run_cli: Any, kb: KnowledgeBase, columns: str
) -> None:
    """A CI crossing no effect has ┼ strictly inside ├…┤ (or the estimate ■ sitting on the
    line); a CI clear of it has │ outside the bar."""
    problems = []
    counted = {"crossing": 0, "clear": 0}
    for t in kb.therapies:
        code, out, err = run_cli("evidence", t.id, env={"COLUMNS": columns})
        assert code == 0, err
        drawn = panels(natural(t))
        found = bars_by_panel(out)
        assert len(found) == len(drawn), t.id
        for panel, (null, bars) in zip(drawn, found, strict=True):
            assert len(bars) == len(panel.points), t.id
            for p, bar in zip(panel.points, bars, strict=True):
                where = f"{t.id} / {p.label} at {columns}: {bar.strip()!r}"
                left, right = bar.find("├"), bar.find("┤")
                if p.ci_low < panel.null < p.ci_high:
                    counted["crossing"] += 1
                    mark = bar[null] if null < len(bar) else ""
                    ok = 0 <= left < null < right and (
                        mark == "┼" or (mark == "■" and near_null(panel, p))
                    )
                    if not ok:
                        problems.append(f"crossing CI not drawn across the line: {where}")
                elif p.ci_low > panel.null or p.ci_high < panel.null:
                    counted["clear"] += 1
                    ok = (
                        left >= 0
                        and right > left
                        and bar[null] == "│"
                        and (null < left or null > right)
                    )
                    if not ok:
                        problems.append(f"CI clear of no effect drawn touching it: {where}")
    assert counted["crossing"] >= 20 and counted["clear"] >= 8
    assert problems == []


@pytest.mark.parametrize("columns", COLUMNS)
def test_evidence_fits_and_lists_every_study(run_cli: Any, kb: KnowledgeBase, columns: str) -> None:
    for t in kb.therapies:
        code, out, _ = run_cli("evidence", t.id, env={"COLUMNS": columns})
        assert code == 0
        assert max(len(line) for line in out.splitlines()) <= int(columns), t.id
        flat = squash(out)
        assert squash(f"Evidence: {t.name} ({t.id})") in flat
        shown = natural(t)
        assert squash(reading(shown, panels(shown))) in flat
        for p in (p for panel in panels(shown) for p in panel.points):
            words = iter(out.split())  # beside the plot, a long figure wraps in its column
            assert squash(p.figure) in flat or all(w in words for w in p.figure.split())
        rest = listed_apart(shown)
        if rest:
            heading = "Studies without a structured estimate and 95% CI (not drawn)"
            assert heading in out
            listed = out[out.index(heading) :]
            for study in rest:
                text = study.result or study.design
                assert squash(f"{study.label}: {text}") in squash(listed), study.label
        assert squash(kb.manifest.disclaimer) in flat


def test_evidence_accepts_aliases_and_names(run_cli: Any) -> None:
    _, by_id_out, _ = run_cli("evidence", "heparin")
    for name in ("LMWH", "lmwh", "enoxaparin"):
        code, out, err = run_cli("evidence", name)
        assert code == 0, err
        assert out == by_id_out


def test_evidence_unknown_therapy_is_a_usage_error(run_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "plot.svg"
    code, out, err = run_cli("evidence", "no-such-therapy", "--svg", str(target))
    assert code == 2
    assert out == ""
    assert "no therapy named 'no-such-therapy'" in one_error(err)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_evidence_needs_a_therapy(run_cli: Any) -> None:
    code, out, _ = run_cli("evidence")
    assert code == 2
    assert out == ""


# -- evidence: JSON and Markdown ---------------------------------------------------------------


@pytest.mark.parametrize("therapy_id", ["heparin", "progesterone", "hydroxychloroquine"])
def test_evidence_json(run_cli: Any, kb: KnowledgeBase, therapy_id: str) -> None:
    t = therapy(kb, therapy_id)
    code, out, _ = run_cli("evidence", therapy_id, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["kb_version"] == kb.manifest.version
    assert data["kb_date"] == kb.manifest.date.isoformat()
    assert data["therapy"] == {"id": t.id, "name": t.name}
    shown = natural(t)
    assert data["reading"] == reading(shown, panels(shown))
    assert [p["scale"] for p in data["panels"]] == [p.scale for p in panels(shown)]
    for panel in data["panels"]:
        assert panel["low"] < panel["null"] < panel["high"]
        for point in panel["points"]:
            assert panel["low"] < point["ci_low"] <= point["estimate"] <= point["ci_high"]
            assert point["verdict"] in {"favours treatment", "favours control", "inconclusive"}
    plotted = [p["label"] for panel in data["panels"] for p in panel["points"]]
    listed = [s["label"] for s in data["not_plotted"]]
    assert sorted(plotted + listed) == sorted(
        s.label for s in t.evidence if s.checked != "unverified" or s.label in plotted
    )
    assert all(s.get("estimate") is None for s in data["not_plotted"])
    assert data["disclaimer"] == kb.manifest.disclaimer


def listed_apart(t: Therapy) -> list[Study]:
    """The studies the plot lists without drawing: no estimate, and verified."""
    return [s for s in not_plotted(t) if s.checked != "unverified"]


def md_rows(out: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.strip().strip("|").split(" | ")]
        for line in out.splitlines()
        if line.startswith("| ") and not line.startswith("| study")
    ]


@pytest.mark.parametrize("therapy_id", ["heparin", "progesterone", "ivig", "hydroxychloroquine"])
def test_evidence_markdown(run_cli: Any, kb: KnowledgeBase, therapy_id: str) -> None:
    t = therapy(kb, therapy_id)
    code, out, _ = run_cli("evidence", therapy_id, "-f", "markdown")
    assert code == 0
    assert out.startswith(f"# Evidence: {t.name} (`{t.id}`)\n")
    points = [p for panel in panels(natural(t)) for p in panel.points]
    rows = md_rows(out)
    assert len(rows) == len(points)
    for row, p in zip(rows, points, strict=True):
        assert row[0] == p.label
        assert row[1] == str(p.n or "-")
        assert p.effect in row
        assert p.population in row and p.verdict_text in row
    for study in listed_apart(natural(t)):
        assert f"- {study.label}: {(study.result or study.design).strip()}" in out
    assert out.rstrip().endswith(f"*{kb.manifest.disclaimer}*")


def test_evidence_markdown_keeps_each_studys_certainty(run_cli: Any, kb: KnowledgeBase) -> None:
    """The issue's rows carry certainty; the table and JSON do, Markdown must not drop it."""
    t = therapy(kb, "progesterone")
    _, out, _ = run_cli("evidence", t.id, "-f", "markdown")
    rows = {row[0]: row for row in md_rows(out)}
    graded = [p for panel in panels(t) for p in panel.points if p.certainty]
    assert graded
    for p in graded:
        words = p.certainty.replace("-", " ")
        assert any(words in cell for cell in rows[p.label][1:]), (p.label, rows[p.label])


# -- evidence --svg ----------------------------------------------------------------------------


def test_svg_is_written_private_without_printing_the_plot(
    run_cli: Any, kb: KnowledgeBase, tmp_path: Path
) -> None:
    target = tmp_path / "heparin.svg"
    code, out, err = run_cli("evidence", "heparin", "--svg", str(target))
    assert code == 0
    assert err == f"forest plot written to {target}\n"
    assert out == ""  # the terminal plot only when asked for with --format
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert [p.name for p in tmp_path.iterdir()] == ["heparin.svg"]  # no temporary file left
    code, out, _ = run_cli("evidence", "heparin", "--svg", str(target), "--force", "-f", "table")
    assert code == 0
    assert out.startswith("Evidence: Heparin")


def test_svg_dash_writes_to_stdout(run_cli: Any, tmp_path: Path) -> None:
    code, out, err = run_cli("evidence", "heparin", "--svg", "-")
    assert code == 0, err
    assert err == ""
    assert ET.fromstring(out).tag == "{http://www.w3.org/2000/svg}svg"
    assert not (tmp_path / "-").exists() and not Path("-").exists()
    code, same, _ = run_cli("evidence", "heparin", "--format", "svg")
    assert (code, same) == (0, out)


def test_svg_with_json_keeps_stdout_pure_json(run_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "p.svg"
    code, out, err = run_cli("evidence", "ivig", "--svg", str(target), "-f", "json")
    assert code == 0
    assert json.loads(out)["therapy"]["id"] == "ivig"
    assert "written to" in err
    assert target.exists()


def test_svg_refuses_to_overwrite_without_force(run_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "plot.svg"
    target.write_text("precious", encoding="utf-8")
    target.chmod(0o644)
    code, out, err = run_cli("evidence", "heparin", "--svg", str(target))
    assert code == 5
    assert "already exists" in one_error(err)
    assert "--force" in err
    assert out == ""
    assert target.read_text(encoding="utf-8") == "precious"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["plot.svg"]


def test_svg_force_overwrites_and_makes_the_file_private(run_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "plot.svg"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    code, _, err = run_cli("evidence", "heparin", "--svg", str(target), "--force")
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("<svg ")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_svg_into_a_missing_directory_or_onto_a_directory(run_cli: Any, tmp_path: Path) -> None:
    code, _, err = run_cli("evidence", "heparin", "--svg", str(tmp_path / "no" / "p.svg"))
    assert code == 5
    assert "does not exist" in one_error(err)
    code, _, err = run_cli("evidence", "heparin", "--svg", str(tmp_path), "--force")
    assert code == 5
    assert "directory" in one_error(err)
    assert list(tmp_path.iterdir()) == []
