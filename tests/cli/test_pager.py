"""The pager, as git does it: at a terminal, long output goes through $RMCLI_PAGER, else
$PAGER, else `less -FRX`, with colour kept; never in a pipe; never with --no-pager."""

from __future__ import annotations

import io
import os
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from rmcli.cli.run import run
from rmcli.environment import Environment
from rmcli.pager import DEFAULT, pager_command

RMCLI = Path(sys.executable).parent / "rmcli"
FAKE = "import sys; open(sys.argv[1], 'wb').write(sys.stdin.buffer.read()); print('PAGED')"


def fake_pager(target: Path) -> str:
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(FAKE)} {shlex.quote(str(target))}"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, DEFAULT),
        ({"PAGER": "more"}, "more"),
        ({"PAGER": "more", "RMCLI_PAGER": "most -s"}, "most -s"),
        ({"RMCLI_PAGER": ""}, None),
        ({"RMCLI_PAGER": "cat", "PAGER": "less"}, None),
        ({"PAGER": " cat "}, None),
    ],
)
def test_which_pager(environ: dict[str, str], expected: str | None) -> None:
    assert pager_command(environ) == expected
    assert DEFAULT == "less -FRX"


def in_terminal(
    tmp_path: Path, *args: str, tty: bool = True, lines: int = 24, pager: str | None = None
) -> tuple[int, str, str]:
    target = tmp_path / "paged.txt"
    environ = {**os.environ, "RMCLI_PAGER": pager or fake_pager(target)}
    environ.pop("NO_COLOR", None)
    environ.pop("FORCE_COLOR", None)
    env = Environment(
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        environ=environ,
        stdout_isatty=tty,
        size=(80, lines),
    )
    code = run(list(args), env=env)
    paged = target.read_text(encoding="utf-8") if target.exists() else ""
    return code, env.stdout.getvalue(), paged  # type: ignore[attr-defined]


def test_long_output_at_a_terminal_is_paged_with_colour(tmp_path: Path) -> None:
    code, out, paged = in_terminal(tmp_path, "show", "ivig")
    assert code == 0
    assert out == ""
    assert paged.startswith("\x1b[") and "Intravenous immunoglobulin" in paged
    assert "╭" not in paged or "\x1b[" in paged  # a terminal gets terminal output


def test_short_output_is_not_paged(tmp_path: Path) -> None:
    code, out, paged = in_terminal(tmp_path, "show", "ivig", "--brief", lines=50)
    assert code == 0
    assert paged == ""
    assert "Intravenous immunoglobulin" in out


def test_no_pager_and_pipes_are_never_paged(tmp_path: Path) -> None:
    code, out, paged = in_terminal(tmp_path, "show", "ivig", "--no-pager")
    assert (code, paged) == (0, "")
    assert "Intravenous immunoglobulin" in out
    code, out, paged = in_terminal(tmp_path, "--no-pager", "list")
    assert (code, paged) == (0, "")
    code, out, paged = in_terminal(tmp_path, "show", "ivig", tty=False)
    assert (code, paged) == (0, "")
    assert "\x1b" not in out


def test_a_pager_that_cannot_run_falls_back_to_plain_output(tmp_path: Path) -> None:
    code, out, _paged = in_terminal(tmp_path, "show", "ivig", pager="no-such-pager-xyz -R")
    assert code == 0
    assert "Intravenous immunoglobulin" in out


def spawn(args: list[str], tmp_path: Path, **env: str) -> object:
    pexpect = pytest.importorskip("pexpect")
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} is not installed")
    dropped = ("NO_COLOR", "FORCE_COLOR", "PAGER", "RMCLI_PAGER", "LESS")
    environ = {k: v for k, v in os.environ.items() if k not in dropped}
    environ.update(TERM="xterm-256color", COLUMNS="80", LINES="24", **env)
    return pexpect.spawn(
        str(RMCLI),
        args,
        env=environ,
        cwd=str(tmp_path),
        dimensions=(24, 80),
        encoding="utf-8",
        codec_errors="replace",
        timeout=30,
    )


def test_through_a_real_pty_with_a_fake_pager(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    target = tmp_path / "paged.txt"
    child = spawn(["show", "ivig"], tmp_path, RMCLI_PAGER=fake_pager(target))
    child.expect("PAGED")  # type: ignore[attr-defined]
    child.expect(pexpect.EOF)  # type: ignore[attr-defined]
    child.close()  # type: ignore[attr-defined]
    assert child.exitstatus == 0  # type: ignore[attr-defined]
    paged = target.read_text(encoding="utf-8")
    assert "\x1b[" in paged and "Intravenous immunoglobulin" in paged
    assert "╭" in paged or "Status" in paged


@pytest.mark.skipif(shutil.which("less") is None, reason="needs less")
def test_through_a_real_pty_with_less(tmp_path: Path) -> None:
    """The default pager: the first screen shows, `q` quits, and rmcli ends with 0."""
    pexpect = pytest.importorskip("pexpect")
    child = spawn(["show", "ivig"], tmp_path)
    child.expect("Status")  # type: ignore[attr-defined]
    child.send("q")  # type: ignore[attr-defined]
    child.expect(pexpect.EOF)  # type: ignore[attr-defined]
    child.close()  # type: ignore[attr-defined]
    assert child.exitstatus == 0  # type: ignore[attr-defined]
