"""Every example in the README runs and prints what the README shows (issue 10, item 8).

Examples are the `$ rmcli ...` lines of the README's text blocks, followed by the output
they show: each shown line must appear in the real output (standard output, then standard
error), in order; `...` stands for lines left out. Knowledge-base versions and dates are
compared as placeholders, so a new knowledge-base release does not invalidate the README.
Inline commands (`rmcli show hcq`) must run and succeed.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
VERSION = re.compile(r"\b\d{4}\.\d+\.\d+\b")
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# A word that stands for something to fill in: THERAPY, FILE.md, data/therapies/ID.toml,
# [--long], <100 therapies>, |, ...
PLACEHOLDER = re.compile(r"[<>\[\]|]|(^|/)[A-Z]{1,}(\.\.\.|\.[a-z]+)?$|^\.\.\.$")


def normal(line: str) -> str:
    return DATE.sub("DATE", VERSION.sub("VERSION", line)).rstrip()


def examples() -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```text\n(.*?)```", README, flags=re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ rmcli "):
                found.append((line[2:], []))
            elif found and line.strip():
                found[-1][1].append(line)
    return found


def inline_commands() -> list[str]:
    commands = []
    for span in re.findall(r"`(rmcli [^`]+)`", README):
        words = shlex.split(span)
        if any(PLACEHOLDER.search(w) for w in words) or words[1] in (
            "wizard",
            "--install-completion",
        ):
            continue
        commands.append(" ".join(span.split()))
    return sorted(set(commands))


EXAMPLES = examples()


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 5
    assert {"rmcli --version", "rmcli show ivgi"} <= {command for command, _ in EXAMPLES}


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_each_readme_example_prints_what_the_readme_shows(
    run_cli: Any, command: str, shown: list[str]
) -> None:
    code, out, err = run_cli(*shlex.split(command)[1:], env={"COLUMNS": "80"})
    errors = any(line.startswith("rmcli: error:") for line in shown)
    assert (code != 0) == errors, (command, code, err)
    actual = [normal(line) for line in (out + err).splitlines()]
    position = 0
    for line in shown:
        if line.strip() == "...":
            continue
        wanted = normal(line)
        assert wanted in actual[position:], f"{command}: {line!r} not printed (in order)"
        position = actual.index(wanted, position) + 1
    if shown and shown[-1].strip() != "...":
        assert position == len(actual) or not "".join(actual[position:]).strip() or errors


@pytest.mark.parametrize("command", inline_commands())
def test_each_inline_readme_command_runs(run_cli: Any, command: str) -> None:
    code, out, err = run_cli(*shlex.split(command)[1:])
    assert code == 0, (command, err)
    assert out or err
