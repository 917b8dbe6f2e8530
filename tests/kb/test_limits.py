"""Knowledge-base size limits: a file and a whole knowledge base are refused past their
limits, before parsing (and a huge file without reading it)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hardening_helpers import (
    RMCLI,
    MiB,
    child_env,
    error_lines,
    needs_console_script,
)

from rmcli.errors import ExitCode


def padded_therapy(source: Path, size: int, new_id: str | None = None) -> bytes:
    """A valid therapy file of exactly `size` bytes (TOML comments make up the rest)."""
    if new_id is None:
        body = source.read_bytes()
    else:
        document = tomllib.loads(source.read_text(encoding="utf-8"))
        document["id"] = new_id
        document["name"] = f"{document['name']} {new_id}"
        document["aliases"] = [f"{alias} {new_id}" for alias in document["aliases"]]
        body = tomli_w.dumps(document).encode()
    line = b"#" + b"-" * 1022 + b"\n"
    data = body + b"\n" + line * ((size - len(body)) // len(line) + 1)
    return data[: size - 1] + b"\n"


def test_a_therapy_file_of_exactly_five_mebibytes_is_loaded(run_cli: Any, kb_copy: Path) -> None:
    ivig = kb_copy / "therapies" / "ivig.toml"
    ivig.write_bytes(padded_therapy(ivig, 5 * MiB))
    code, out, err = run_cli("--kb", str(kb_copy), "list", "--format", "json")
    assert code == 0, err
    assert "ivig" in {t["id"] for t in json.loads(out)["therapies"]}


def test_a_therapy_file_over_five_mebibytes_is_refused(run_cli: Any, kb_copy: Path) -> None:
    ivig = kb_copy / "therapies" / "ivig.toml"
    ivig.write_bytes(padded_therapy(ivig, 5 * MiB + 1))
    start = time.perf_counter()
    code, out, err = run_cli("--kb", str(kb_copy), "list")
    assert time.perf_counter() - start < 5
    assert code == ExitCode.INVALID_KB
    assert out == ""
    (line,) = error_lines(err)
    assert "therapies/ivig.toml: over the 5 MB limit; refused" in line


def test_a_knowledge_base_over_its_size_limit_is_refused(run_cli: Any, kb_copy: Path) -> None:
    from rmcli.kb.limits import MAX_KB_BYTES

    assert 64 * MiB == MAX_KB_BYTES
    source = kb_copy / "therapies" / "ivig.toml"
    for index in range(15):  # 15 x 4.5 MiB, each file under the per-file limit
        name = f"aa-pad-{index}"
        padded = padded_therapy(source, 4 * MiB + MiB // 2, new_id=name)
        (kb_copy / "therapies" / f"{name}.toml").write_bytes(padded)
    total = sum(p.stat().st_size for p in kb_copy.rglob("*.toml"))
    assert total > 64 * MiB
    start = time.perf_counter()
    code, out, err = run_cli("--kb", str(kb_copy), "list")
    assert time.perf_counter() - start < 10
    assert code == ExitCode.INVALID_KB
    assert out == ""
    assert "over the 64 MB limit; refused" in error_lines(err)[0]
    code, out, _ = run_cli("kb", "validate", str(kb_copy))
    assert code == ExitCode.INVALID_KB
    problems = out.splitlines()
    assert problems
    assert all("over the 64 MB limit; refused" in p for p in problems), problems


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sparse files and RLIMIT_AS")
@pytest.mark.parametrize("cache", ["cache", "no-cache"])
def test_a_huge_therapy_file_is_refused_without_reading_it(
    kb_copy: Path, tmp_path: Path, cache: str
) -> None:
    """An 8 GiB (sparse) therapy file under a 2 GiB address-space limit: the 5 MB limit must
    hold before anything reads the whole file, with the cache on (the default) or off."""
    import resource

    needs_console_script()
    huge = kb_copy / "therapies" / "zz-huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(8 * 1024 * MiB)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 * MiB, 2 * 1024 * MiB))

    env = child_env(RMCLI_CACHE_DIR=str(tmp_path / "cache"))
    if cache == "no-cache":
        env["RMCLI_NO_CACHE"] = "1"
    start = time.perf_counter()
    result = subprocess.run(
        [str(RMCLI), "--kb", str(kb_copy), "list"],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=limit_memory,
        timeout=60,
    )
    assert time.perf_counter() - start < 10
    assert result.returncode == ExitCode.INVALID_KB, result.stderr
    (line,) = error_lines(result.stderr)
    assert "zz-huge.toml: over the 5 MB limit; refused" in line
