"""The Environment: data to stdout, messages to stderr, a closed pipe ends quietly, and what
it knows about the terminal (size, colour, encoding) comes from one place tests can set."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from rmcli.cli.run import exit_code
from rmcli.cli.run import run as rmcli_run
from rmcli.environment import Environment, PipeClosed
from rmcli.errors import ExitCode

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


def env(**fields: object) -> Environment:
    defaults: dict[str, object] = {
        "stdout": io.StringIO(),
        "stderr": io.StringIO(),
        "environ": {},
    }
    return Environment(**{**defaults, **fields})  # type: ignore[arg-type]


def test_write_adds_one_trailing_newline() -> None:
    e = env()
    e.write("a")
    e.write("b\n")
    assert e.stdout.getvalue() == "a\nb\n"  # type: ignore[attr-defined]
    assert e.stderr.getvalue() == ""  # type: ignore[attr-defined]


def test_messages_and_errors_go_to_stderr() -> None:
    e = env()
    e.message("working")
    e.error("it broke", "try this")
    e.error("no hint")
    assert e.stdout.getvalue() == ""  # type: ignore[attr-defined]
    assert e.stderr.getvalue() == (  # type: ignore[attr-defined]
        "working\nrmcli: error: it broke\nhint: try this\nrmcli: error: no hint\n"
    )


def test_a_broken_pipe_becomes_pipe_closed() -> None:
    class Broken(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    with pytest.raises(PipeClosed) as caught:
        env(stdout=Broken()).write("x")
    assert exit_code(caught.value) == ExitCode.BROKEN_PIPE == 141


@pytest.mark.parametrize(
    ("environ", "tty", "no_color", "styles", "colour"),
    [
        ({}, False, False, False, False),
        ({}, True, False, True, True),
        ({"NO_COLOR": "1"}, True, False, True, False),
        ({"NO_COLOR": ""}, True, False, True, True),  # an empty NO_COLOR does not count
        ({}, True, True, True, False),
        ({"FORCE_COLOR": "1"}, False, False, True, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False, True, False),
        ({"TERM": "dumb"}, True, False, False, False),
    ],
)
def test_colour_follows_tty_no_color_force_color_and_the_flag(
    environ: dict[str, str], tty: bool, no_color: bool, styles: bool, colour: bool
) -> None:
    canvas = env(environ=environ, stdout_isatty=tty, no_color=no_color).canvas()
    assert (canvas.styles, canvas.colour) == (styles, colour)


def test_interactive_needs_a_terminal_unless_a_test_says_so() -> None:
    assert env(stdout_isatty=False).interactive is False
    assert env(interactive=True).interactive is True


def test_size_comes_from_the_environment_else_80_by_24() -> None:
    assert (env().width, env().height) == (80, 24)
    sized = env(environ={"COLUMNS": "120", "LINES": "40"})
    assert (sized.width, sized.height) == (120, 40)
    assert env(environ={"COLUMNS": "abc"}).width == 80
    assert env(size=(100, 30)).canvas().width == 100


@pytest.mark.parametrize(
    ("encoding", "unicode"), [("utf-8", True), ("ascii", False), ("cp1252", False)]
)
def test_the_canvas_knows_whether_box_drawing_can_be_encoded(encoding: str, unicode: bool) -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    assert env(stdout=stream).canvas().unicode is unicode


def test_writing_degrades_to_the_streams_encoding() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii", write_through=True)
    env(stdout=stream).write("TNF-α │ ok")
    env(stdout=stream).write('{"name": "TNF-α"}', mode="json")
    assert stream.buffer.getvalue() == b'TNF-alpha | ok\n{"name": "TNF-\\u03b1"}\n'  # type: ignore[attr-defined]


@pytest.fixture
def closed_pipe() -> Iterator[IO[str]]:
    """A text stream whose reader has already gone away: every flush raises BrokenPipeError."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    stream = os.fdopen(write_end, "w", encoding="utf-8")
    yield stream
    with contextlib.suppress(BrokenPipeError):
        stream.close()


def test_message_survives_a_closed_stderr(closed_pipe: IO[str]) -> None:
    env(stderr=closed_pipe).message("nobody is listening")  # must not raise


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
        code = rmcli_run(command)
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


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"RMCLI_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/c"),
        ({"XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/x/rmcli"),
        ({"HOME": "/h"}, "/h/.cache/rmcli"),
        ({"RMCLI_NO_CACHE": "1", "RMCLI_CACHE_DIR": "/c"}, None),
    ],
)
def test_the_cache_folder_comes_from_the_environment_given(
    environ: dict[str, str], expected: str | None
) -> None:
    """A test builds one Environment for a run: no process variable is read behind it."""
    folder = Environment(environ=environ).cache_folder()
    assert (str(folder) if folder else None) == expected


def test_the_knowledge_base_setting_names_where_it_came_from() -> None:
    env = Environment(environ={"RMCLI_KB": "/kb"})
    assert env.kb_location("/option") == ("/option", "--kb")
    assert env.kb_location(None) == ("/kb", "$RMCLI_KB")
    assert Environment(environ={}).kb_location(None) == (None, "$RMCLI_KB")
