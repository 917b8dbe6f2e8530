"""A write in progress (--save, --report, --svg) leaves no temporary file behind when the
process is interrupted (SIGINT), terminated (SIGTERM) or hung up on (SIGHUP).

The temporary file of --save holds patient data. Each test runs rmcli in its own process and
sends it a real signal at the moment its data is being flushed to the temporary file (an
`os.fsync` that signals first), then looks at the folder.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "profile.toml"
RMCLI = Path(sys.executable).parent / "rmcli"
DRIVER = """\
import os, signal, sys
chosen = getattr(signal, sys.argv[1])
real_fsync = os.fsync
def fsync(fd):
    os.write(2, b"[signal sent]\\n")
    os.kill(os.getpid(), chosen)
    return real_fsync(fd)
os.fsync = fsync
sys.argv = ["rmcli", *sys.argv[2:]]
from rmcli.entry import main
main()
"""
WRITES = {
    "save": ["wizard", "--answers", str(EXAMPLE), "--save", "out.toml"],
    "report": ["wizard", "--answers", str(EXAMPLE), "--report", "out.md"],
    "svg": ["evidence", "heparin", "--svg", "out.svg"],
}
ENDS = {"SIGINT": 130, "SIGTERM": -signal.SIGTERM, "SIGHUP": -signal.SIGHUP}


def child_env() -> dict[str, str]:
    drop = {"RMCLI_KB", "NO_COLOR", "FORCE_COLOR"}
    return {k: v for k, v in os.environ.items() if k not in drop}


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("name", sorted(ENDS))
def test_a_signal_during_a_write_leaves_no_temporary_file(
    tmp_path: Path, write: str, name: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, name, *WRITES[write]],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=child_env(),
        timeout=60,
    )
    assert result.stderr.startswith("[signal sent]\n"), result.stderr  # not void: it was sent
    assert result.returncode == ENDS[name], result.stderr
    if name == "SIGINT":
        assert result.stderr == "[signal sent]\nrmcli: error: interrupted\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no target, no .out.*.tmp


def test_sigterm_at_any_moment_of_a_save_leaves_no_temporary_file(tmp_path: Path) -> None:
    """Real timing, no hook: SIGTERM at random moments of `wizard --save`."""
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} is not installed")
    randomly = random.Random(17)
    ends = set()
    for attempt in range(12):
        folder = tmp_path / str(attempt)
        folder.mkdir()
        process = subprocess.Popen(
            [str(RMCLI), "wizard", "--answers", str(EXAMPLE), "--save", "p.toml"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=child_env(),
        )
        time.sleep(randomly.uniform(0.03, 0.25))
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
        ends.add(process.returncode)
        left = sorted(p.name for p in folder.iterdir())
        assert left in ([], ["p.toml"]), left  # all of it or nothing, never a temporary file
        if left:
            assert (folder / "p.toml").read_text(encoding="utf-8").startswith("# rmcli")
    assert ends <= {0, -signal.SIGTERM}
