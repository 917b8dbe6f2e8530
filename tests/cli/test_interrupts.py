"""Ctrl-C anywhere (starting up, loading, writing) ends in exit 130 and one line."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hardening_helpers import (
    RMCLI,
    blocked_writing_stdout,
    child_env,
    needs_console_script,
    wait_until,
)

from rmcli.errors import ExitCode


@pytest.fixture
def interrupted_list(big_kb: Path) -> Iterator[Callable[[Callable[[int], bool]], tuple[int, str]]]:
    needs_console_script()
    started: list[subprocess.Popen[bytes]] = []

    def run(moment: Callable[[int], bool]) -> tuple[int, str]:
        process = subprocess.Popen(
            [str(RMCLI), "--kb", str(big_kb), "list", "--long"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(RMCLI_NO_CACHE="1"),
        )
        started.append(process)
        wait_until(process, lambda: moment(process.pid))
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        return process.returncode, err.decode("utf-8", "replace")

    yield run
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_sigint_while_loading_the_knowledge_base(big_kb: Path) -> None:
    """A real SIGINT the moment the tenth therapy file is opened (files are read too fast for
    another process to catch one open)."""
    needs_console_script()
    therapies = str(big_kb / "therapies")
    body = (
        "import os, runpy, signal, sys\n"
        "opened = []\n"
        "def at_open(event, args):\n"
        f"    if event == 'open' and str(args[0]).startswith({therapies!r}):\n"
        "        opened.append(args[0])\n"
        "        if len(opened) == 10:\n"
        "            os.write(2, b'[SIGINT sent]\\n')\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "sys.addaudithook(at_open)\n"
        f"sys.argv = [{str(RMCLI)!r}, '--kb', {str(big_kb)!r}, 'list']\n"
        f"runpy.run_path({str(RMCLI)!r}, run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", body],
        capture_output=True,
        text=True,
        env=child_env(RMCLI_NO_CACHE="1"),
        timeout=60,
    )
    assert result.stderr.startswith("[SIGINT sent]\n"), "no therapy file opened: test is void"
    assert result.stderr.removeprefix("[SIGINT sent]\n") == "rmcli: error: interrupted\n"
    assert result.returncode == ExitCode.INTERRUPTED
    assert result.stdout == ""


def test_sigint_while_writing_the_output(interrupted_list: Any) -> None:
    code, err = interrupted_list(blocked_writing_stdout)
    assert err == "rmcli: error: interrupted\n"
    assert code == ExitCode.INTERRUPTED


def test_sigint_while_starting_up(tmp_path: Path) -> None:
    """Ctrl-C while the console script imports rmcli's dependencies (a real SIGINT, sent the
    moment `typer` starts importing) must also end in one line and 130, not a traceback."""
    needs_console_script()
    body = (
        "import os, runpy, signal, sys\n"
        "sent = []\n"
        "def at_import(event, args):\n"
        "    if event == 'import' and args[0] == 'typer' and not sent:\n"
        "        sent.append(True)\n"
        "        os.write(2, b'[SIGINT sent]\\n')\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "sys.addaudithook(at_import)\n"
        f"sys.argv = [{str(RMCLI)!r}, 'list']\n"
        f"runpy.run_path({str(RMCLI)!r}, run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", body], capture_output=True, text=True, env=child_env(), timeout=60
    )
    assert result.stderr.startswith("[SIGINT sent]\n"), "typer was never imported: test is void"
    err = result.stderr.removeprefix("[SIGINT sent]\n")
    assert "Traceback" not in err, err[-600:]
    assert err == "rmcli: error: interrupted\n"
    assert result.returncode == ExitCode.INTERRUPTED
