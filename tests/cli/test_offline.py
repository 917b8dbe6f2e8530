"""Every command runs offline: an audit hook fails any attempt to reach the network."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hardening_helpers import (
    EXAMPLE,
    child_env,
)

NETWORK_HOOK = """\
import os, sys
def _no_network(event, args):
    if event.startswith(("socket.", "urllib.", "http.client.", "ftplib.", "smtplib.",
                         "poplib.", "imaplib.", "nntplib.", "telnetlib.", "webbrowser.")):
        os.write(2, ("NETWORK-ATTEMPT " + event + "\\n").encode())
        os._exit(99)
sys.addaudithook(_no_network)
"""

OFFLINE_COMMANDS = [
    ["--version"],
    ["kb", "validate"],
    ["kb", "schema"],
    *[["list", "--format", f] for f in ("table", "json", "markdown", "csv")],
    *[["show", "ivig", "--format", f] for f in ("table", "json", "markdown")],
    *[
        ["compare", "prednisolone", "ivig", "heparin", "--format", f]
        for f in ("table", "json", "markdown")
    ],
    *[["wizard", "--answers", str(EXAMPLE), "--format", f] for f in ("table", "json", "markdown")],
]


def hooked(body: str) -> list[str]:
    return [sys.executable, "-c", NETWORK_HOOK + body]


def test_the_network_hook_does_fire(tmp_path: Path) -> None:
    """The guard below is only worth something if it catches a lookup and a request."""
    for body in (
        "import socket; socket.getaddrinfo('localhost', 80)",
        "import urllib.request; urllib.request.urlopen('http://example.invalid/')",
    ):
        result = subprocess.run(hooked(body), capture_output=True, text=True, timeout=30)
        assert result.returncode == 99
        assert "NETWORK-ATTEMPT" in result.stderr


def test_every_command_runs_without_touching_the_network(tmp_path: Path) -> None:
    env = child_env(RMCLI_CACHE_DIR=str(tmp_path / "cold-cache"))
    processes = [
        (
            argv,
            subprocess.Popen(
                hooked(f"from rmcli.cli.run import run\nsys.exit(run({argv!r}))"),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=tmp_path,
            ),
        )
        for argv in OFFLINE_COMMANDS
    ]
    for argv, process in processes:
        out, err = process.communicate(timeout=60)
        assert "NETWORK-ATTEMPT" not in err, (argv, err)
        assert process.returncode == 0, (argv, err)
        if argv[:2] == ["kb", "validate"]:  # the verdict is a status message, on stderr
            assert "valid" in err, err
        else:
            assert out.strip(), argv
    assert list((tmp_path / "cold-cache").glob("kb-*.msgpack"))  # the cache path ran too
