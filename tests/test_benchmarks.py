"""The benchmark script runs and reports (whether its speed goals are met is not a test matter)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARK = ROOT / "benchmarks" / "startup.py"
RMCLI = Path(sys.executable).parent / "rmcli"

TIMED = [
    "baseline: import typer, rich.console, rich.table",
    "baseline: import typer",
    "rmcli --version",
    "rmcli list",
    "rmcli show ivig",
    "rmcli compare prednisolone ivig heparin",
    "rmcli show ivig --format json",
    "rmcli wizard --answers ... --format json",
    "baseline: import typer, questionary",
    "rmcli wizard: time to first prompt (PTY)",
    "list --format json (20)",
    "kb validate (20)",
    "list --format json (60)",
    "kb validate (60)",
]
MEDIAN = r"\s+\d+\.\d ms  \(\s*\d+\.\d-\s*\d+\.\d\)"


def test_quick_benchmark_runs_and_reports(tmp_path: Path) -> None:
    pytest.importorskip("pexpect")  # the script times the wizard's first prompt in a pty
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} is not installed")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"RMCLI_KB", "RMCLI_CACHE_DIR", "RMCLI_NO_CACHE", "FORCE_COLOR"}
    }
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")  # the script sets its own; this is a backstop
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--quick"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr  # 1 = a speed goal missed; fine here
    out = result.stdout
    assert out.startswith("3 interleaved rounds; median (min-max)")
    for name in TIMED:
        assert re.search(rf"^{re.escape(name)}{MEDIAN}", out, flags=re.MULTILINE), name
    assert "Scale: synthetic knowledge bases of 20 and 60 therapies" in out
    assert "\nGoals:\n" in out
    goals = out.split("\nGoals:\n", 1)[1].splitlines()
    assert goals
    assert all(re.match(r"^  (met   |MISSED)  \S", line) for line in goals), goals
    assert result.returncode == (1 if any("MISSED" in line for line in goals) else 0)
    assert "Traceback" not in result.stderr
