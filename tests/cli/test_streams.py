"""Closed or full standard streams, and Ctrl-C at any moment of start-up: the documented exit
code, quietly or in one line, never "internal error" and never a traceback from rmcli.

These run the installed console script: what happens to a closed stream or a signal is the
process's business, not something an in-process run can show.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rmcli.errors import ExitCode

RMCLI = Path(sys.executable).parent / "rmcli"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "profile.toml"
INTERRUPTED = "rmcli: error: interrupted\n"


@pytest.fixture(autouse=True)
def console_script() -> None:
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} is not installed")


def child_env() -> dict[str, str]:
    drop = {"RMCLI_KB", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"}
    return {k: v for k, v in os.environ.items() if k not in drop} | {"COLUMNS": "100"}


def shell(redirects: str, *args: str, cwd: Path | None = None) -> tuple[int, str]:
    """`rmcli ARGS REDIRECTS` in bash; its exit code and what it wrote to a captured stderr
    (the redirects may close or fill stdout and stderr)."""
    script = f'"$RMCLI" "$@" {redirects}; echo "exit=$?" >&3'
    read_end, write_end = os.pipe()
    try:
        result = subprocess.run(
            ["bash", "-c", f"exec 3>&{write_end}; {script}", "rmcli", *args],
            capture_output=True,
            text=True,
            env=child_env() | {"RMCLI": str(RMCLI)},
            pass_fds=(write_end,),
            cwd=cwd,
            timeout=60,
        )
        os.close(write_end)
        write_end = -1
        with os.fdopen(read_end, encoding="utf-8") as status:
            read_end = -1
            code = int(status.read().strip().removeprefix("exit="))
    finally:
        for fd in (read_end, write_end):
            if fd >= 0:
                os.close(fd)
    return code, result.stderr


@pytest.mark.parametrize(
    "args",
    [["show", "aspirin"], ["list", "--long"], ["--version"], ["refs", "-f", "bibtex"]],
)
def test_closed_stdout_ends_quietly_with_141(args: list[str]) -> None:
    assert shell(">&-", *args) == (ExitCode.BROKEN_PIPE, "")


def test_closed_stdout_and_stderr_end_quietly_with_141() -> None:
    assert shell(">&- 2>&-", "show", "aspirin") == (ExitCode.BROKEN_PIPE, "")


def test_full_stdout_is_one_line_and_exit_5() -> None:
    code, err = shell(">/dev/full", "show", "aspirin")
    assert code == ExitCode.FILE_ERROR
    assert err == "rmcli: error: cannot write standard output: No space left on device\n"


@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"], ids=["closed", "full"])
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["show", "no-such-therapy"], ExitCode.USAGE),
        (["wizard", "--answers", "/nonexistent/p.toml"], ExitCode.FILE_ERROR),
        (["show", "aspirin"], ExitCode.OK),
    ],
)
def test_closed_or_full_stderr_keeps_the_exit_code(
    redirect: str, args: list[str], expected: int
) -> None:
    """Once exit 1 ("internal error") whatever the problem was."""
    assert shell(f">/dev/null {redirect}", *args) == (expected, "")


def test_a_profile_is_still_saved_when_stdout_is_closed(tmp_path: Path) -> None:
    code, err = shell(">&-", "wizard", "--answers", str(EXAMPLE), "--save", "p.toml", cwd=tmp_path)
    assert code == ExitCode.BROKEN_PIPE
    assert err == "profile saved to p.toml (mode 0600)\n"
    assert (tmp_path / "p.toml").is_file()


# -- Ctrl-C at every moment of start-up ---------------------------------------------------------

# A real SIGINT, sent from an audit hook at the N-th module loaded (`import`, an event Python
# raises for each) once rmcli's entry point has begun: every moment from there to the
# command's output. Before that, Python itself
# and the console script pip wrote are starting; an interrupt there is Python's to report.
DRIVER = """\
import atexit, os, runpy, signal, sys
target, seen = int(sys.argv[1]), []
def hook(event, args):
    if event == "import" and "rmcli.entry" in sys.modules:
        seen.append(args[0])
        if len(seen) == target:
            os.write(2, ("[SIGINT at " + args[0] + "]\\n").encode())
            os.kill(os.getpid(), signal.SIGINT)
sys.addaudithook(hook)
if target == 0:  # count the imports instead
    atexit.register(lambda: os.write(2, ("[" + str(len(seen)) + " imports]\\n").encode()))
sys.argv = [sys.argv[2], *sys.argv[3:]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""
SENT = re.compile(r"^\[SIGINT at [\w.]+\]\n")


def interrupted_at(nth: int, *args: str) -> tuple[int, str]:
    """Run `rmcli ARGS` with SIGINT sent at the `nth` import after its entry point started
    (0: none, the number of imports is written at the end instead)."""
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, str(nth), str(RMCLI), *args],
        capture_output=True,
        text=True,
        env=child_env() | {"RMCLI_NO_CACHE": "1"},
        timeout=60,
    )
    return result.returncode, result.stderr


@pytest.mark.parametrize("args", [["list"], ["wizard", "--answers", str(EXAMPLE)]])
def test_ctrl_c_at_every_moment_of_start_up_is_one_line_and_130(args: list[str]) -> None:
    code, err = interrupted_at(0, *args)
    assert code == 0, err
    total = int(re.findall(r"\[(\d+) imports\]", err)[-1])
    assert total > 20, "too few imports to sample: the test would be void"
    moments = sorted({1, 2, 3, total, *range(1, total + 1, max(total // 25, 1))})
    for nth in moments:
        code, err = interrupted_at(nth, *args)
        assert SENT.match(err), (nth, err)  # the signal really was sent at that moment
        shown = SENT.sub("", err)
        assert "Traceback" not in shown and "Exception ignored" not in shown, (nth, shown)
        assert shown == INTERRUPTED, (nth, shown)
        # 130 from rmcli; or, between statements that can catch it, Python's own end by
        # SIGINT (the shell reports that as 130 too) after rmcli's excepthook said so
        assert code in (ExitCode.INTERRUPTED, -signal.SIGINT), (nth, code)
