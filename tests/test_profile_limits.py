"""A profile is read up to its size limit and refused past it, before parsing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hardening_helpers import (
    EXAMPLE,
    MiB,
    error_lines,
)

from rmcli.errors import ExitCode


def padded_profile(size: int) -> bytes:
    body = EXAMPLE.read_bytes()
    line = b"# " + b"x" * 77 + b"\n"
    padding = line * ((size - len(body)) // len(line) + 1)
    data = (body + padding)[:size]
    return data[:-1] + b"\n"


def test_a_profile_of_exactly_one_mebibyte_is_read(
    run_cli: Any, tmp_path: Path, example_json: str
) -> None:
    profile = tmp_path / "big.toml"
    profile.write_bytes(padded_profile(MiB))
    assert profile.stat().st_size == MiB
    code, out, err = run_cli("wizard", "--answers", str(profile), "--format", "json")
    assert code == 0, err
    assert out == example_json


@pytest.mark.parametrize("content", ["valid-toml", "garbage"])
def test_a_profile_over_one_mebibyte_is_refused_before_parsing(
    run_cli: Any, tmp_path: Path, content: str
) -> None:
    profile = tmp_path / "big.toml"
    if content == "valid-toml":  # would be accepted if it were parsed
        profile.write_bytes(padded_profile(MiB + 1))
    else:  # would be an invalid profile (exit 4) if it were parsed
        profile.write_bytes(b"\xff\x00 not toml " * (MiB // 10))
    assert profile.stat().st_size > MiB
    start = time.perf_counter()
    code, out, err = run_cli("wizard", "--answers", str(profile))
    assert time.perf_counter() - start < 5
    assert code == ExitCode.FILE_ERROR
    assert out == ""
    (line,) = error_lines(err)
    assert "1 MB" in line
    assert "refused" in line
