"""Rich rendering: nothing is lost at any width, colour obeys the environment, text is text."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from rich.console import Console

from rmcli import render
from rmcli.document import cited_refs, headline, sections
from rmcli.kb import KnowledgeBase, Therapy

WIDTHS = ["60", "80", "120"]
BORDER = re.compile(r"^\+[-+]+\+$")
SGR = re.compile(r"\x1b\[([0-9;]*)m")
COLOUR_PARAMS = re.compile(r"^(3[0-9]|4[0-9]|9[0-7]|10[0-7])$")


def squash(text: str) -> str:
    return "".join(text.split())


def corpus(out: str) -> list[str]:
    """The output's text as whitespace-free strings: one for text outside ASCII tables, plus
    one per table column (a column's lines joined top to bottom), so that a cell's words can be
    read back even though Rich interleaves the lines of neighbouring cells."""
    plain: list[str] = []
    columns: list[list[str]] = []
    edges: list[int] | None = None
    current: list[list[str]] = []
    for line in out.splitlines():
        if BORDER.match(line):
            found = [i for i, ch in enumerate(line) if ch == "+"]
            if found != edges:
                edges = found
                current = [[] for _ in found[1:]]
                columns.extend(current)
            continue
        if edges and line.startswith("|") and len(line) == edges[-1] + 1:
            for k, cell in enumerate(current):
                cell.append(line[edges[k] + 1 : edges[k + 1]])
            continue
        edges = None
        plain.append(line)
    return [squash("\n".join(plain)), *(squash("".join(c)) for c in columns)]


def expected_texts(therapy: Therapy, kb: KnowledgeBase) -> Iterator[str]:
    for section in sections(therapy, kb):
        yield section.title
        yield from section.paragraphs
        yield from section.bullets
        if section.table:
            yield from section.table.headers
            for row in section.table.rows:
                yield from row


def missing_texts(out: str, therapies: list[Therapy], kb: KnowledgeBase) -> list[str]:
    texts = corpus(out)
    return [
        f"{t.id}: {wanted[:60]}"
        for t in therapies
        for wanted in expected_texts(t, kb)
        if not any(squash(wanted) in text for text in texts)
    ]


def pick(kb: KnowledgeBase, *ids: str) -> list[Therapy]:
    by_id = {t.id: t for t in kb.therapies}
    return [by_id[i] for i in ids]


# -- nothing is lost at any width ----------------------------------------------------------


@pytest.mark.parametrize("columns", WIDTHS)
def test_compare_three_keeps_every_reference(run_cli: Any, kb: KnowledgeBase, columns: str) -> None:
    code, out, _ = run_cli("compare", "prednisolone", "ivig", "heparin", env={"COLUMNS": columns})
    assert code == 0
    flat = squash(out)
    for therapy in pick(kb, "prednisolone", "ivig", "heparin"):
        for ref in cited_refs(therapy):
            assert ref in flat, f"{therapy.id}: {ref} lost at {columns} columns"


@pytest.mark.parametrize("columns", [*WIDTHS, "160"])
@pytest.mark.parametrize(
    "names", [["prednisolone", "ivig", "heparin"], ["tnf-inhibitors", "low-dose-il2"]]
)
def test_compare_keeps_every_claim(
    run_cli: Any, kb: KnowledgeBase, columns: str, names: list[str]
) -> None:
    code, out, _ = run_cli("compare", *names, env={"COLUMNS": columns})
    assert code == 0
    assert missing_texts(out, pick(kb, *names), kb) == []


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("therapy_id", ["ivig", "heparin", "treg-transfer"])
def test_show_keeps_every_claim(
    run_cli: Any, kb: KnowledgeBase, columns: str, therapy_id: str
) -> None:
    code, out, _ = run_cli("show", therapy_id, env={"COLUMNS": columns})
    assert code == 0
    assert missing_texts(out, pick(kb, therapy_id), kb) == []


@pytest.mark.parametrize("columns", ["60", "80"])
def test_narrow_list_stacks_and_keeps_every_cell(
    run_cli: Any, kb: KnowledgeBase, columns: str
) -> None:
    """Below 90 columns each therapy is a block of its own; nothing is cut."""
    code, out, _ = run_cli("list", env={"COLUMNS": columns})
    assert code == 0
    assert all(len(line) <= int(columns) for line in out.splitlines())
    starts = {line.split()[0] for line in out.splitlines() if line and not line[0].isspace()}
    assert {t.id for t in kb.therapies} <= starts
    text = squash(out)
    for t in kb.therapies:
        for value in (t.id, t.name, t.drug_class, headline(t), t.overall.status):
            assert squash(value) in text, f"{t.id}: {value[:40]} lost at {columns} columns"
    assert f"{len(kb.therapies)} therapies" in out


def test_list_table_keeps_every_cell(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("list", env={"COLUMNS": "120"})
    assert code == 0
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:1] == ["id"])
    start, stop = lines[header].index("therapy"), lines[header].index("status")
    body = lines[header + 2 :]
    id_column = squash("".join(line[:start] for line in body))
    therapy_column = squash("".join(line[start:stop] for line in body))
    rest = [line[stop:].split() for line in body]
    for t in kb.therapies:
        assert t.id in id_column
        for text in (t.name, t.drug_class, headline(t)):
            assert squash(text) in therapy_column, f"{t.id}: {text[:40]} lost"
        assert [t.overall.status, t.overall.certainty] in rest
    assert f"{len(kb.therapies)} therapies" in out


def test_wide_list_has_separate_columns(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("list", env={"COLUMNS": "160"})
    assert code == 0
    header = next(line for line in out.splitlines() if "headline stance" in line)
    for name in ("id", "name", "class", "targets", "status", "certainty"):
        assert name in header
    texts = corpus(out)
    for t in kb.therapies:
        for text in (t.id, t.name, t.drug_class, headline(t)):
            assert any(squash(text) in column for column in texts), text


def test_comparison_is_side_by_side_only_when_it_fits(run_cli: Any) -> None:
    _, wide, _ = run_cli("compare", "ivig", "heparin", env={"COLUMNS": "120"})
    _, narrow, _ = run_cli("compare", "ivig", "heparin", env={"COLUMNS": "80"})
    assert BORDER.match(wide.splitlines()[0])
    assert not any(BORDER.match(line) for line in narrow.splitlines())
    assert "\nSummary\n" in narrow


def test_no_line_is_wider_than_the_terminal(run_cli: Any) -> None:
    for columns in WIDTHS:
        for command in (["list"], ["show", "ivig"], ["compare", "ivig", "heparin", "aspirin"]):
            _, out, _ = run_cli(*command, env={"COLUMNS": columns})
            assert max(len(line) for line in out.splitlines()) <= int(columns), command


def test_disclaimer_is_the_last_line(run_cli: Any, kb: KnowledgeBase) -> None:
    for command in (["show", "ivig"], ["compare", "ivig", "heparin"]):
        _, out, _ = run_cli(*command, env={"COLUMNS": "200"})
        assert out.splitlines()[-1] == kb.manifest.disclaimer


# -- colour --------------------------------------------------------------------------------


def sgr_params(out: str) -> set[str]:
    return {p for codes in SGR.findall(out) for p in codes.split(";") if p}


def colour_params(out: str) -> set[str]:
    return {p for p in sgr_params(out) if COLOUR_PARAMS.match(p)}


COMMANDS = [["list"], ["show", "ivig"], ["compare", "ivig", "heparin"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_output_to_a_pipe_has_no_escapes(run_cli: Any, command: list[str]) -> None:
    _, out, _ = run_cli(*command)
    assert "\x1b" not in out


def test_force_color_colours_the_list(run_cli: Any) -> None:
    _, out, _ = run_cli("list", env={"FORCE_COLOR": "1"})
    assert colour_params(out)  # status colours
    assert "1" in sgr_params(out)  # bold ids


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("switch", ["NO_COLOR", "--no-color"])
def test_no_color_wins_over_force_color(run_cli: Any, command: list[str], switch: str) -> None:
    """NO_COLOR (no-color.org) and --no-color remove colour; Rich keeps bold/italic styles."""
    env = {"FORCE_COLOR": "1"}
    args = command
    if switch == "NO_COLOR":
        env["NO_COLOR"] = "1"
    else:
        args = ["--no-color", *command]
    _, out, _ = run_cli(*args, env=env)
    assert colour_params(out) == set()


@pytest.mark.parametrize("switch", ["NO_COLOR", "--no-color"])
def test_no_color_alone_on_a_pipe_is_plain(run_cli: Any, switch: str) -> None:
    env = {"NO_COLOR": "1"} if switch == "NO_COLOR" else {}
    args = ["list"] if switch == "NO_COLOR" else ["--no-color", "list"]
    _, out, _ = run_cli(*args, env=env)
    assert "\x1b" not in out


def test_console_factory_honours_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert render.console(no_color=True).no_color
    assert not render.console(no_color=False).no_color
    monkeypatch.setenv("NO_COLOR", "1")
    assert render.console(no_color=False).no_color


def test_pipes_get_ascii_borders_and_terminals_rounded_ones(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    therapies = pick(kb, "ivig", "heparin")
    plain = io.StringIO()
    render.comparison(Console(file=plain, width=120), kb, therapies)
    assert plain.getvalue().startswith("+")
    terminal = io.StringIO()
    render.comparison(Console(file=terminal, width=120, force_terminal=True), kb, therapies)
    assert "╭" in terminal.getvalue()


# -- knowledge-base text is text, never markup or control sequences ------------------------

HOSTILE = (
    "[bold]x[/bold] [/x] [sic] [link=http://e]y[/link] \x1b[2J "
    "\x1b]8;;http://e\x07link\x1b]8;;\x07 \x00\x08\x7f\x9b31m end"
)


def hostile_therapy(kb: KnowledgeBase) -> Therapy:
    (ivig,) = pick(kb, "ivig")
    mechanism = msgspec.structs.replace(ivig.mechanism, text=f"MECH {HOSTILE}")
    return msgspec.structs.replace(ivig, summary=f"SUM {HOSTILE}", mechanism=mechanism)


def forbidden(out: str) -> list[str]:
    return [ch for ch in out if ch in "\x1b\x07\x00\x08\x7f\x9b"]


@pytest.mark.parametrize("force_terminal", [False, True])
def test_monograph_prints_brackets_literally_and_drops_controls(
    kb: KnowledgeBase, force_terminal: bool
) -> None:
    buffer = io.StringIO()
    out = Console(file=buffer, width=200, force_terminal=force_terminal, color_system=None)
    render.monograph(out, kb, hostile_therapy(kb))
    text = buffer.getvalue()
    assert forbidden(text) == []
    for literal in ("[bold]x[/bold]", "[/x]", "[sic]", "[link=http://e]y[/link]"):
        assert text.count(literal) == 2  # summary and mechanism


def test_table_prints_brackets_literally(kb: KnowledgeBase) -> None:
    (ivig,) = pick(kb, "ivig")
    buffer = io.StringIO()
    name = "Name [bold]x[/bold] [sic] \x1b[31mred"
    render.therapy_table(
        Console(file=buffer, width=200), kb, [msgspec.structs.replace(ivig, name=name)]
    )
    assert "Name [bold]x[/bold] [sic] red" in buffer.getvalue()
    assert "\x1b" not in buffer.getvalue()


def test_problems_renderer_prints_lines_verbatim() -> None:
    buffer = io.StringIO()
    render.problems(Console(file=buffer, width=200), ["a.toml: [x] bad", "b.toml: worse"])
    assert buffer.getvalue().splitlines() == ["a.toml: [x] bad", "b.toml: worse"]
