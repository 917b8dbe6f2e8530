"""`rmcli show`'s summary of findings (issue 11): after the summary, in every format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_completion import complete

TITLE = "Summary of findings"
PROMISE_RISKS = "633 without, 658 with progesterone (595 to 728)"
PROMISE_DIFFERENCE = "25 more live births after 24 weeks per 1000 women (38 fewer to 95 more)"


def squash(text: str) -> str:
    return " ".join(text.split())


def cells(lines: list[str]) -> list[str]:
    """The text of every cell: a grid's cells joined across their lines, or stacked lines."""
    if not any(line.startswith("|") for line in lines):
        return [squash("\n".join(lines))]
    found: list[str] = []
    row: list[list[str]] = []
    for line in [*lines, "+"]:
        if line.startswith("|"):
            parts = [part.strip() for part in line.strip("|").split("|")]
            row = row or [[] for _ in parts]
            for column, part in zip(row, parts, strict=True):
                column.append(part)
        elif row:
            found += [squash(" ".join(column)) for column in row]
            row = []
    return found


def show(run_cli: Any, *args: str, columns: str = "80") -> str:
    code, out, err = run_cli("show", *args, env={"COLUMNS": columns})
    assert (code, err) == (0, ""), err
    return out


@pytest.mark.parametrize("columns", ["80", "120", "160"])
def test_the_terminal_puts_it_after_the_summary_and_before_the_sections(
    run_cli: Any, columns: str
) -> None:
    out = show(run_cli, "progesterone", columns=columns)
    lines = out.splitlines()
    glance = next(i for i, line in enumerate(lines) if line.startswith("Last reviewed "))
    assert glance < lines.index(TITLE) < lines.index("Overview")
    block = " ".join(cells(lines[lines.index(TITLE) + 1 : lines.index("Overview")]))
    for text in ("PROMISE 2015 (RCT, 826 participants) [promise-2015]", "RR 1.04 (0.94 to 1.15)"):
        assert text in block
    assert PROMISE_RISKS in block and PROMISE_DIFFERENCE in block
    assert "Haas 2019 Cochrane (miscarriage)" in block and "moderate" in block
    assert all(len(line) <= int(columns) for line in lines)


@pytest.mark.parametrize(("columns", "grid"), [("80", False), ("119", False), ("120", True)])
def test_the_six_columns_are_a_grid_only_where_they_fit_whole_words(
    run_cli: Any, columns: str, grid: bool
) -> None:
    lines = show(run_cli, "ivig", "--section", "findings", columns=columns).splitlines()
    assert any(line.startswith("| Outcome ") for line in lines) == grid
    if not grid:
        assert "• Live birth: Christiansen 2015 (RCT, 82 participants) [christiansen-2015]" in lines
    heparin = show(run_cli, "heparin", "--section", "guidelines", columns="100")
    assert "| Guideline " in heparin  # the 4-column guideline table still draws from 100


def test_markdown_has_the_table(run_cli: Any) -> None:
    out = show(run_cli, "progesterone", "--format", "markdown")
    lines = out.splitlines()
    start = lines.index(f"## {TITLE}")
    assert lines.index("## At a glance") < start < lines.index("## Overview")
    assert lines[start + 2] == (
        "| Outcome | Study and participants | Relative effect (95% CI) | Risk per 1000 (95% CI) "
        "| Absolute difference | GRADE certainty |"
    )
    assert (
        "| Live birth after 24 weeks | PROMISE 2015 (RCT, 826 participants) [promise-2015] | "
        f"RR 1.04 (0.94 to 1.15) | {PROMISE_RISKS} | {PROMISE_DIFFERENCE} | not rated |"
    ) in lines


def test_json_has_summary_of_findings(run_cli: Any) -> None:
    document = json.loads(show(run_cli, "progesterone", "--format", "json"))
    rows = document["therapy"]["summary_of_findings"]
    assert 1 <= len(rows) <= 4
    promise = next(r for r in rows if r["study"] == "PROMISE 2015")
    assert promise["outcome"] == "Live birth after 24 weeks"
    assert promise["participants"] == 826
    assert promise["relative"] == "RR 1.04 (0.94 to 1.15)"
    assert promise["checked"] == "primary" and promise["refs"] == ["promise-2015"]
    absolute = promise["absolute"]
    assert (absolute["control_per_1000"], absolute["therapy_per_1000"]) == (633, 658)
    assert (absolute["per_1000"], absolute["per_1000_low"], absolute["per_1000_high"]) == (
        25,
        -38,
        95,
    )
    haas = next(r for r in rows if r["study"] == "Haas 2019 Cochrane (miscarriage)")
    assert haas["absolute"]["control_per_1000"] == 275  # the control risk the source gives
    assert haas["unavailable"] is None and haas["certainty"] == "moderate"


def test_a_therapy_without_key_comparisons_says_so(run_cli: Any) -> None:
    out = squash(show(run_cli, "treg-transfer", "--section", "findings"))
    assert "Summary of findings No randomised trial with control-arm data" in out
    document = json.loads(show(run_cli, "treg-transfer", "--format", "json"))
    assert document["therapy"]["summary_of_findings"] == []


@pytest.mark.parametrize("name", ["findings", "Summary of findings", "summary-of-findings"])
def test_section_selects_it_by_key_or_title(run_cli: Any, name: str) -> None:
    out = show(run_cli, "progesterone", "--section", name)
    lines = out.splitlines()
    assert TITLE in lines and "Overview" not in lines and "Status" not in out
    markdown = show(run_cli, "progesterone", "--section", name, "--format", "markdown")
    assert f"## {TITLE}" in markdown and "## Overview" not in markdown


def test_help_and_completion_offer_it(run_cli: Any, tmp_path: Path) -> None:
    code, out, _ = run_cli("show", "--help", env={"COLUMNS": "200"})
    assert code == 0 and "summary, findings, changes, overview" in squash(out)
    assert complete("rmcli show ivig --section fi", tmp_path) == ["findings"]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_brief_stays_the_summary_only(run_cli: Any, fmt: str) -> None:
    out = show(run_cli, "progesterone", "--brief", "--format", fmt)
    assert TITLE not in out and "Overview" not in out
    assert "Headline" in out


def test_compare_full_shows_it_for_each_therapy(run_cli: Any) -> None:
    code, out, _ = run_cli("compare", "progesterone", "ivig", "--full", "-f", "markdown")
    assert code == 0
    section = out.split(f"## {TITLE}", 1)[1].split("\n## ", 1)[0]
    assert "PROMISE 2015" in section and "Christiansen 2015" in section
