"""`rmcli wizard --answers FILE` with a file that is anything but a profile: one clear line, the
exit code docs/profile.md gives for it, never a hang, a traceback or "internal error".

The table in docs/profile.md ("Errors") is read here and each of its rows is run, so the
documentation and the code cannot drift apart; README's exit-code table must agree too.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rmcli.cli.run import EXIT_CODES
from rmcli.errors import ExitCode, FileError, ProfileError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "profile.toml"
RMCLI = Path(sys.executable).parent / "rmcli"
MiB = 1024 * 1024

Maker = Callable[[Path], Path]


def written(content: bytes) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / "p.toml"
        path.write_bytes(content)
        return path

    return make


def fifo(folder: Path) -> Path:
    path = folder / "p.toml"
    os.mkfifo(path)
    return path


def big(folder: Path) -> Path:
    path = folder / "p.toml"
    with path.open("wb") as handle:
        handle.write(EXAMPLE.read_bytes())
        handle.truncate(MiB + 1)  # the size alone decides: refused before a byte is read
    return path


# Each kind of file, by the words its row of docs/profile.md starts with.
CASES: dict[str, list[tuple[str, Maker]]] = {
    "it does not exist": [
        ("missing", lambda folder: folder / "none.toml"),
        ("file as folder", lambda folder: written(b"losses = 3\n")(folder) / "x"),
    ],
    "it is not a regular file": [
        ("directory", lambda folder: folder),
        ("fifo", fifo),
        ("/dev/zero", lambda folder: Path("/dev/zero")),
        ("/dev/null", lambda folder: Path("/dev/null")),
    ],
    "it is larger than 1 MB": [("over 1 MB", big)],
    "it is not UTF-8 text": [
        ("invalid UTF-8", written(b"losses = 3\nconditions = ['\xff']\n")),
        ("BOM", written(b"\xef\xbb\xbflosses = 3\n")),
    ],
    "it is not valid TOML": [
        ("not TOML", written(b"losses = = 3\n")),
        ("1000 deep", written(b"x = " + b"[" * 1000 + b"]" * 1000 + b"\nlosses = 3\n")),
        ("4301 digits", written(b"losses = " + b"1" * 4301 + b"\n")),
        ("2**64", written(b"losses = 18446744073709551616\n")),
    ],
    "an unknown key": [
        ("unknown key", written(b"losses = 3\ncolour = 'blue'\n")),
        ("out of range", written(b"losses = 31\n")),
    ],
}


def documented_codes() -> dict[str, int]:
    """docs/profile.md's table: the first words of each problem, and its exit code."""
    text = (ROOT / "docs" / "profile.md").read_text(encoding="utf-8")
    section = text.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+?) \| (\d+) \|$", section, flags=re.MULTILINE)
    assert rows, "docs/profile.md has no table of exit codes"
    return {problem: int(code) for problem, code in rows}


def test_every_documented_row_is_tested_and_every_case_documented() -> None:
    rows = documented_codes()
    for start in CASES:
        assert any(problem.startswith(start) for problem in rows), start
    for problem in rows:
        assert any(problem.startswith(start) for start in CASES), problem


def test_the_documented_codes_are_the_codes_of_their_kind_of_problem() -> None:
    by_kind = dict(EXIT_CODES)
    assert set(documented_codes().values()) == {
        by_kind[FileError].value,
        by_kind[ProfileError].value,
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Exit codes\n", 1)[1]
    table = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", readme, flags=re.MULTILINE))
    assert "profile" in table[str(ExitCode.INVALID_PROFILE.value)]
    assert "cannot be read" in table[str(ExitCode.FILE_ERROR.value)]
    assert "not a regular file" in table[str(ExitCode.FILE_ERROR.value)]


PARAMS = [
    pytest.param(start, maker, id=name) for start, makers in CASES.items() for name, maker in makers
]


@pytest.mark.parametrize(("start", "make"), PARAMS)
def test_each_hostile_profile_is_one_line_and_its_documented_code(
    run_cli: Any, tmp_path: Path, start: str, make: Maker
) -> None:
    expected = next(
        code for problem, code in documented_codes().items() if problem.startswith(start)
    )
    path = make(tmp_path)
    begun = time.monotonic()
    code, out, err = run_cli("wizard", "--answers", str(path))
    assert time.monotonic() - begun < 5  # refused before it is read, never a hang
    assert (code, out) == (expected, ""), err
    assert "Traceback" not in err and "internal error" not in err
    lines = err.splitlines()
    assert len(lines) <= 2 and lines[0].startswith("rmcli: error: ")
    assert str(path) in lines[0]


def test_a_fifo_with_no_writer_never_hangs_the_installed_tool(tmp_path: Path) -> None:
    """`mkfifo f; rmcli wizard --answers f` once waited forever for a writer."""
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} is not installed")
    path = fifo(tmp_path)
    result = subprocess.run(
        [str(RMCLI), "wizard", "--answers", str(path)], capture_output=True, text=True, timeout=20
    )
    assert result.returncode == ExitCode.FILE_ERROR
    assert (
        result.stderr
        == f"rmcli: error: profile {path} is a FIFO (named pipe), not a regular file\n"
    )
