"""`rmcli --version` reads kb.toml without loading the knowledge base: whatever kb.toml holds,
it prints one line and exits 0, never "internal error"."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

UNKNOWN = "rmcli 0.1.0, knowledge base unknown (kb.toml unreadable)\n"


@pytest.mark.parametrize(
    "content",
    [
        b"version = " + b"1" * 4301 + b"\n",  # once: ValueError, exit 1
        b"version = " + b"[" * 1000 + b"]" * 1000 + b"\n",  # once: RecursionError, exit 1
        b"\xef\xbb\xbfversion = '1'\n",
        b"version = '\xff'\n",
        b"x" * (64 * 1024 + 1),
    ],
    ids=["4301-digits", "1000-deep", "bom", "not-utf8", "over-64-KB"],
)
def test_an_unreadable_kb_toml_is_an_unknown_version(
    run_cli: Any, kb_copy: Path, content: bytes
) -> None:
    (kb_copy / "kb.toml").write_bytes(content)
    assert run_cli("--kb", str(kb_copy), "--version") == (0, UNKNOWN, "")


def test_a_fifo_kb_toml_does_not_hang_the_version(run_cli: Any, kb_copy: Path) -> None:
    (kb_copy / "kb.toml").unlink()
    os.mkfifo(kb_copy / "kb.toml")
    assert run_cli("--kb", str(kb_copy), "--version") == (0, UNKNOWN, "")
