"""Any output encoding: `rmcli show ivig > notes.txt` on a cp1252 machine, an ASCII terminal.

Output degrades (ASCII boxes and marks, `TNF-alpha` for `TNF-α`, `?` for the rest) and the
command exits 0; JSON keeps every character as a `\\u` escape.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RMCLI = Path(sys.executable).parent / "rmcli"
EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "profile.toml")
ENCODINGS = ["ascii", "latin-1", "cp1252"]
COMMANDS = [
    ["show", "tnf-inhibitors"],
    ["show", "ivig", "--all-positions"],
    ["targets"],
    ["list", "--long"],
    ["compare", "tnf-inhibitors", "ivig", "--full"],
    ["evidence", "heparin"],
    ["wizard", "--answers", EXAMPLE, "--details"],
    ["show", "tnf-inhibitors", "--format", "markdown"],
    ["list", "--format", "csv"],
    ["evidence", "heparin", "--format", "svg"],
    ["wizard", "--answers", EXAMPLE, "--format", "html"],
    ["evidence", "progesterone", "--absolute"],
    ["show", "tnf-inhibitors", "--section", "findings"],
    ["refs"],
    ["refs", "--format", "bibtex"],
    ["refs", "--format", "ris"],
]


def run(args: list[str], encoding: str, **extra: str) -> subprocess.CompletedProcess[bytes]:
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(PYTHONIOENCODING=encoding, COLUMNS="100", **extra)
    return subprocess.run([str(RMCLI), *args], capture_output=True, env=env, timeout=60)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_degrades_instead_of_failing(args: list[str], encoding: str) -> None:
    result = run(args, encoding)
    assert result.returncode == 0, result.stderr.decode(encoding, "replace")
    assert result.stderr == b""
    text = result.stdout.decode(encoding)  # strict: every byte is valid in that encoding
    if args[0] == "show" and "markdown" not in args:
        assert "TNF-alpha" in text or "Intravenous" in text
    if encoding == "ascii":
        assert text.isascii()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_json_keeps_every_character(encoding: str) -> None:
    result = run(["show", "tnf-inhibitors", "--format", "json"], encoding)
    assert result.returncode == 0
    document = json.loads(result.stdout.decode(encoding))
    assert "α" in document["therapy"]["name"]


def test_ascii_output_uses_ascii_boxes_and_marks() -> None:
    text = run(["targets"], "ascii").stdout.decode("ascii")
    assert "# established" in text and "o unproven" in text
    assert "TNF-alpha" in text


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_errors_degrade_too(encoding: str) -> None:
    result = run(["show", "TNF-ω"], encoding)
    assert result.returncode == 2
    assert result.stderr.decode(encoding).startswith("rmcli: error: no therapy named 'TNF-")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_csl_json_keeps_every_character(encoding: str) -> None:
    result = run(["refs", "--format", "csl-json"], encoding)
    assert result.returncode == 0
    items = json.loads(result.stdout.decode(encoding))
    assert any(not item.get("title", "").isascii() for item in items)
