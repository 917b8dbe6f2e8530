"""The door to the terminal: data to stdout, messages to stderr, a closed pipe ends quietly."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from rmcli import cli
from rmcli.errors import ExitCode
from rmcli.output import PipeClosed, emit, error, guarded, message

SCRIPT = Path(sys.executable).parent / "rmcli"
COMMANDS = [
    ["list"],
    ["show", "ivig"],
    ["compare", "prednisolone", "ivig", "heparin"],
    ["list", "--format", "json"],
    ["list", "--format", "csv"],
    ["show", "ivig", "--format", "markdown"],
    ["compare", "ivig", "heparin", "--format", "json"],
    ["kb", "schema"],
    ["--version"],
]


def test_emit_writes_one_trailing_newline(capsys: pytest.CaptureFixture[str]) -> None:
    emit("a")
    emit("b\n")
    captured = capsys.readouterr()
    assert captured.out == "a\nb\n"
    assert captured.err == ""


def test_messages_and_errors_go_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    message("working")
    error("it broke", "try this")
    error("no hint")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "working\nrmcli: error: it broke\nhint: try this\nrmcli: error: no hint\n"
    )


def test_guarded_turns_a_broken_pipe_into_pipe_closed() -> None:
    def write() -> None:
        raise BrokenPipeError

    with pytest.raises(PipeClosed) as caught:
        guarded(write)
    assert caught.value.code == ExitCode.BROKEN_PIPE == 141


def test_guarded_lets_other_errors_through() -> None:
    def write() -> None:
        raise ValueError("not a pipe problem")

    with pytest.raises(ValueError, match="not a pipe problem"):
        guarded(write)


@pytest.fixture
def closed_pipe() -> Iterator[IO[str]]:
    """A text stream whose reader has already gone away: every flush raises BrokenPipeError."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    stream = os.fdopen(write_end, "w", encoding="utf-8")
    yield stream
    with contextlib.suppress(BrokenPipeError):
        stream.close()


def test_message_survives_a_closed_stderr(
    closed_pipe: IO[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stderr", closed_pipe)
    message("nobody is listening")  # must not raise


@pytest.mark.parametrize(
    "command",
    [["list"], ["show", "ivig"], ["list", "--format", "json"], ["kb", "schema"]],
    ids=" ".join,
)
def test_run_returns_141_in_process_when_stdout_is_closed(
    closed_pipe: IO[str], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.delenv("RMCLI_KB", raising=False)
    monkeypatch.setattr(sys, "stdout", closed_pipe)
    try:
        code = cli.run(command)
    except SystemExit as exit_:  # run() promises to return, never to raise
        pytest.fail(f"run() raised SystemExit({exit_.code}) instead of returning 141")
    assert code == ExitCode.BROKEN_PIPE


def _script() -> Path:
    if not SCRIPT.exists():
        pytest.skip(f"console script not installed next to {sys.executable}")
    return SCRIPT


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RMCLI_KB", "NO_COLOR", "FORCE_COLOR")}
    env["COLUMNS"] = "100"
    return env


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_console_script_with_closed_stdout_exits_141_silently(command: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [str(_script()), *command],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=_env(),
            timeout=30,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.stderr == b""
    assert result.returncode == ExitCode.BROKEN_PIPE


@pytest.mark.parametrize(
    ("command", "lines"),
    [("list", 1), ("show ivig", 3), ("compare prednisolone ivig heparin", 2), ("kb schema", 1)],
)
def test_piping_into_head_is_quiet(command: str, lines: int) -> None:
    script = _script()
    shell = f'"{script}" {command} | head -{lines}; echo "status=${{PIPESTATUS[0]}}"'
    result = subprocess.run(
        ["bash", "-c", shell], capture_output=True, text=True, env=_env(), timeout=30, check=False
    )
    assert result.stderr == ""
    assert "Traceback" not in result.stdout
    *head, status = result.stdout.splitlines()
    assert len(head) == lines
    assert status in ("status=0", "status=141")  # finished before head left, or stopped quietly
    full = subprocess.run(
        [str(script), *command.split()], capture_output=True, text=True, env=_env(), check=True
    )
    assert full.stdout.splitlines()[:lines] == head
