"""Helpers for the hardening tests (tests/cli/test_offline.py, test_exit_codes.py,
test_save.py, test_interrupts.py, tests/kb/test_limits.py, tests/test_profile_limits.py,
tests/formats/test_terminal_safety.py): child processes, their environment and output."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXAMPLE = ROOT / "examples" / "profile.toml"
BENCHMARK = ROOT / "benchmarks" / "startup.py"
RMCLI = Path(sys.executable).parent / "rmcli"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SGR = re.compile(r"\x1b\[[0-9;]*m")
MiB = 1024 * 1024


def needs_console_script() -> None:
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} is not installed")


def child_env(**extra: str) -> dict[str, str]:
    """The test environment (private cache included) without variables that change output."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"RMCLI_KB", "RMCLI_NO_CACHE", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"}
    }
    env.update(COLUMNS="100", TERM="xterm-256color")
    env.update(extra)
    return env


def error_lines(err: str) -> list[str]:
    """The `rmcli: error:` lines of stderr; asserts there is no traceback at all."""
    assert "Traceback" not in err, err
    return [line for line in err.splitlines() if line.startswith("rmcli: error:")]


def tree(folder: Path) -> list[str]:
    """Every entry under `folder`, hidden temporary files included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def squash(text: str) -> str:
    return "".join(text.split())


def load_benchmark_module() -> Any:
    spec = importlib.util.spec_from_file_location("rmcli_startup_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def open_files(pid: int, *, skip_std: bool = False) -> list[str]:
    found = []
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            if skip_std and fd.name in {"0", "1", "2"}:
                continue
            with contextlib.suppress(OSError):
                found.append(str(fd.readlink()))
    return found


def process_state(pid: int) -> str:
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "?"
    return stat_line.rsplit(")", 1)[1].split()[0]


def blocked_writing_stdout(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        pytest.skip("/proc/PID/syscall is not readable here")
    return fields[:2] == ["1", "0x1"] and process_state(pid) == "S"


def wait_until(process: subprocess.Popen[Any], ready: Callable[[], bool]) -> None:
    if not Path(f"/proc/{process.pid}").exists():
        pytest.skip("needs /proc")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"rmcli ended (code {process.returncode}) before it could be interrupted")
        if ready():
            return
        time.sleep(0.0002)
    pytest.fail("rmcli never reached the moment to interrupt it")
