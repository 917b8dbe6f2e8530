"""The shared output options and plain output: every read command, 80 and 120 columns,
NO_COLOR and FORCE_COLOR set or not, options before or after the command."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from rmcli.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "profile.toml")
SGR = re.compile(r"\x1b\[([0-9;]*)m")
COLOURS = re.compile(r"^(3[0-7]|38|4[0-7]|48|9[0-7]|10[0-7])$")
COMMANDS = {
    "list": ["list"],
    "list-long": ["list", "--long"],
    "show": ["show", "ivig"],
    "compare": ["compare", "prednisolone", "ivig", "heparin"],
    "compare-full": ["compare", "ivig", "heparin", "--full"],
    "targets": ["targets"],
    "evidence": ["evidence", "heparin"],
    "wizard": ["wizard", "--answers", EXAMPLE, "--details"],
}
CASES = [
    pytest.param(args, columns, id=f"{name}-{columns}")
    for name, args in COMMANDS.items()
    for columns in ("80", "120")
]


def colour_codes(out: str) -> set[str]:
    return {p for codes in SGR.findall(out) for p in codes.split(";") if COLOURS.match(p)}


@pytest.mark.parametrize(("args", "columns"), CASES)
def test_plain_output_fits_has_no_trailing_spaces_and_starts_with_content(
    run_cli: Any, args: list[str], columns: str
) -> None:
    code, out, err = run_cli(*args, env={"COLUMNS": columns})
    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert lines[0].strip(), "the first line must carry content (`| head -1`)"
    assert all(line == line.rstrip() for line in lines), "trailing spaces"
    assert all(len(line) <= int(columns) for line in lines)
    assert "\x1b" not in out


@pytest.mark.parametrize(("args", "columns"), CASES)
def test_force_color_adds_styles_and_nothing_else(
    run_cli: Any, args: list[str], columns: str
) -> None:
    _, plain, _ = run_cli(*args, env={"COLUMNS": columns})
    _, forced, _ = run_cli(*args, env={"COLUMNS": columns, "FORCE_COLOR": "1"})
    assert "\x1b[" in forced
    assert SGR.sub("", forced).splitlines() == plain.splitlines()  # no trailing spaces either


@pytest.mark.parametrize("switch", ["NO_COLOR", "--no-color before", "--no-color after"])
@pytest.mark.parametrize("name", ["list", "show", "targets", "wizard"])
def test_no_color_wins_over_force_color(run_cli: Any, switch: str, name: str) -> None:
    args = list(COMMANDS[name])
    env = {"FORCE_COLOR": "1"}
    if switch == "NO_COLOR":
        env["NO_COLOR"] = "1"
    elif switch == "--no-color before":
        args = ["--no-color", *args]
    else:
        args = [*args, "--no-color"]
    code, out, err = run_cli(*args, env=env)
    assert code == 0, err
    assert colour_codes(out) == set()
    assert "\x1b[1m" in out or "\x1b[1;" in out  # bold stays: NO_COLOR is about colour


def test_force_color_colours_the_list(run_cli: Any) -> None:
    _, out, _ = run_cli("list", env={"FORCE_COLOR": "1"})
    assert colour_codes(out)


@pytest.mark.parametrize("position", ["before", "after"])
def test_kb_works_before_and_after_the_command(run_cli: Any, kb_copy: Path, position: str) -> None:
    path = kb_copy / "therapies" / "ivig.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('name = "Intravenous immunoglobulin"', 'name = "Copy IVIG"'))
    args = ["show", "ivig", "-f", "json"]
    args = ["--kb", str(kb_copy), *args] if position == "before" else [*args, "--kb", str(kb_copy)]
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert '"name": "Copy IVIG"' in out


def test_no_pager_and_no_color_are_accepted_everywhere(run_cli: Any) -> None:
    for args in COMMANDS.values():
        code, _, err = run_cli(*args, "--no-pager", "--no-color")
        assert code == 0, (args, err)


def test_one_therapy_is_one_therapy(run_cli: Any) -> None:
    _, out, _ = run_cli("list", "--search", "etanercept")
    assert out.splitlines()[-1].startswith("1 therapy · ")


def test_an_empty_list_says_so(run_cli: Any) -> None:
    code, out, _ = run_cli("list", "--search", "qqxqq", "--status", "Conditional")
    assert code == 0
    assert out.splitlines()[0] == "No therapy matches --status 'Conditional' --search 'qqxqq'."


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["list", "--search", "NK cells"], "ivig"),
        (["list", "--search", "APS"], "heparin"),
        (["list", "--search", "killer"], "ivig"),
        (["list", "--target", "NK"], "ivig"),
        (["list", "--target", "treg"], "treg-transfer"),
        (["list", "--status", "Conditional"], "heparin"),
    ],
)
def test_search_and_filters_find_what_people_type(
    run_cli: Any, args: list[str], expected: str
) -> None:
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert expected in [line.split()[0] for line in out.splitlines()[1:-1]]


@pytest.mark.parametrize("command", ["list", "show", "compare", "evidence", "targets", "wizard"])
def test_help_gives_an_example_and_named_metavars(run_cli: Any, command: str) -> None:
    code, out, _ = run_cli(command, "--help", env={"COLUMNS": "100"})
    assert code == 0
    assert f"Example: rmcli {command}" in out
    assert "<str>" not in out
    if command in ("show", "evidence"):
        assert "THERAPY" in out
    if command == "compare":
        assert "THERAPY..." in out


def test_list_help_names_every_target_abbreviation_and_status(
    run_cli: Any, kb: KnowledgeBase
) -> None:
    _, out, _ = run_cli("list", "--help", env={"COLUMNS": "200"})
    flat = " ".join(out.split())
    for term in kb.vocabulary.targets.values():
        assert term.abbrev in flat, term.abbrev
    for status in ("established", "conditional", "unproven", "not-recommended", "experimental"):
        assert status in flat


def test_wizard_help_describes_the_profile_format(run_cli: Any) -> None:
    _, out, _ = run_cli("wizard", "--help")
    for key in ("schema = 3", "losses", "second_trimester_losses", "gestation_weeks", "[findings]"):
        assert key in out
    assert "docs/profile.md" in out
