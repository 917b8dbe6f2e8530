"""Text from a knowledge base never steers the terminal: escapes and Rich markup in any
field are shown, never obeyed."""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hardening_helpers import (
    CONTROL,
    EXAMPLE,
    SGR,
    squash,
)

HOSTILE = (
    "[bold red]x[/] [link=http://e]y[/link] \x1b[2J\x1b[1;1H "
    "\x1b]8;;http://evil\x07click\x1b]8;;\x07 bell\x07 back\x08space c1\x9b end"
)
MARKUP = ("[bold red]x[/]", "[link=http://e]y[/link]")


def rewrite(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def poison_heparin(t: dict[str, Any]) -> None:
    t["summary"] = f"SUMMARY {HOSTILE}"
    t["drug_class"] = f"CLASS {HOSTILE}"
    t["mechanism"]["text"] = f"MECHANISM {HOSTILE}"
    t["mechanism_short"] = f"MECHANISM {HOSTILE}"
    for g in t["guidelines"]:
        g["text"] = f"GUIDELINE {HOSTILE}"
        g["population"] = f"POPULATION {HOSTILE}"
    t["evidence"][0]["result"] = f"RESULT {HOSTILE}"
    for rule in t["rules"]:
        rule["reason"] = f"REASON {HOSTILE}"


def poison_vocabulary(v: dict[str, Any]) -> None:
    for target in v["targets"].values():
        target["name"] = f"TERM {HOSTILE}"
        target["abbrev"] = f"ABBREV {HOSTILE}"


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory: pytest.TempPathFactory, bundled_path: Path) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "kb"
    shutil.copytree(bundled_path, root, symlinks=False)
    rewrite(root / "therapies" / "heparin.toml", poison_heparin)
    rewrite(root / "references.toml", lambda r: r["acr-2020"].update(title=f"CITE {HOSTILE}"))
    rewrite(root / "vocabulary.toml", poison_vocabulary)
    assert "\\u001b" in (root / "therapies" / "heparin.toml").read_text(encoding="utf-8")
    return root


SAFETY_COMMANDS = {
    "list": ["list", "--long"],
    "show": ["show", "heparin", "--all-positions"],
    "compare": ["compare", "heparin", "aspirin", "--full"],
    "wizard": ["wizard", "--answers", str(EXAMPLE), "--details"],
}
SAFETY_CASES = [
    pytest.param(name, fmt, color, columns, id=f"{name}-{fmt}-{color or 'plain'}-{columns}")
    for name in SAFETY_COMMANDS
    for fmt in ("table", "markdown", "csv", "json")
    if fmt != "csv" or name == "list"
    for color in ((None, "1") if fmt == "table" else (None,))
    for columns in (("80", "200") if fmt == "table" else ("100",))
]


def shown_fields(name: str, fmt: str) -> set[str]:
    """Which poisoned fields (by their tag) each command and format shows."""
    if name == "list":
        return {"CLASS"}
    if name == "wizard":
        return {"REASON", "MECHANISM"} if fmt == "table" else {"REASON", "CITE"}
    monograph = {"SUMMARY", "MECHANISM", "GUIDELINE", "RESULT", "CITE"}
    return monograph if fmt == "json" else monograph | {"TERM"}  # JSON names targets by id


def assert_terminal_safe(out: str, *, colour: bool) -> None:
    visible = SGR.sub("", out) if colour else out
    bad = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(visible)})
    assert not bad, f"control characters from the knowledge base reached stdout: {bad}"


@pytest.mark.parametrize(("name", "fmt", "color", "columns"), SAFETY_CASES)
def test_hostile_kb_text_never_steers_the_terminal(
    run_cli: Any, hostile_kb: Path, name: str, fmt: str, color: str | None, columns: str
) -> None:
    env = {"COLUMNS": columns, "FORCE_COLOR": color}
    code, out, err = run_cli(
        "--kb", str(hostile_kb), *SAFETY_COMMANDS[name], "--format", fmt, env=env
    )
    assert code == 0, err
    assert_terminal_safe(out, colour=color is not None)
    if fmt == "table":  # forced colour really is on, and otherwise there is no styling at all
        assert ("\x1b[" in out) == (color is not None)
    for tag in shown_fields(name, fmt):
        assert tag in out, f"the poisoned {tag} field is not in the output: the check is void"
    if fmt == "json":
        strings: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, str):
                strings.append(node)
            elif isinstance(node, dict):
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(json.loads(out))
        assert any(HOSTILE in s for s in strings), "JSON must carry the text as data, escaped"
    else:
        visible = SGR.sub("", out)
        assert "click" in visible  # the OSC 8 link text survives; only the escapes are dropped
        if columns != "200":  # wide tables interleave their columns line by line
            for literal in MARKUP:
                assert squash(literal) in squash(visible), literal


EVIL_REF = "acr-2020\x1b[2J\x9b"


@pytest.fixture(scope="module")
def hostile_ids_kb(tmp_path_factory: pytest.TempPathFactory, bundled_path: Path) -> Path:
    """Controls in a reference id (a TOML key; nothing restricts its characters)."""
    root = tmp_path_factory.mktemp("hostile-ids") / "kb"
    shutil.copytree(bundled_path, root, symlinks=False)

    def rename_refs(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: rename_refs(v) for k, v in node.items()}
        if isinstance(node, list):
            return [rename_refs(v) for v in node]
        return EVIL_REF if node == "acr-2020" else node

    for path in [root / "assessment.toml", *(root / "therapies").glob("*.toml")]:
        rewrite(path, lambda d: d.update(rename_refs(d)))
    rewrite(root / "references.toml", lambda r: r.update({EVIL_REF: r.pop("acr-2020")}))
    return root


@pytest.mark.parametrize(
    "command",
    [
        ["wizard", "--answers", str(EXAMPLE), "--format", "markdown"],
        ["wizard", "--answers", str(EXAMPLE), "--format", "table", "--details"],
        ["show", "heparin", "--format", "markdown"],
        ["show", "heparin", "--format", "table"],
        ["compare", "heparin", "aspirin", "--full", "--format", "markdown"],
    ],
    ids=["wizard-markdown", "wizard-table", "show-markdown", "show-table", "compare-markdown"],
)
def test_hostile_reference_ids_never_steer_the_terminal(
    run_cli: Any, hostile_ids_kb: Path, command: list[str]
) -> None:
    code, out, err = run_cli("--kb", str(hostile_ids_kb), *command)
    assert code == 0, err
    assert "acr-2020" in out
    assert_terminal_safe(out, colour=False)
