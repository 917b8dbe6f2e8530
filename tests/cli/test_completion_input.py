"""`--target` completion reads vocabulary.toml without loading the knowledge base: whatever that
file is, completion offers nothing rather than hang or print a traceback into the shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RMCLI = Path(sys.executable).parent / "rmcli"


def complete_target(kb: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    words = f"rmcli --kb {kb} list --target T"
    environ = {
        **{k: v for k, v in os.environ.items() if k not in ("RMCLI_KB", "COMP_WORDS")},
        "_RMCLI_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
        "_TYPER_COMPLETE_ARGS": words,
        "RMCLI_CACHE_DIR": str(tmp_path / "cache"),
    }
    return subprocess.run([str(RMCLI)], env=environ, capture_output=True, text=True, timeout=20)


def test_the_real_vocabulary_completes(kb_copy: Path, tmp_path: Path) -> None:
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} is not installed")
    result = complete_target(kb_copy, tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert {"Treg", "TNF", "Th1/17"} <= set(result.stdout.split())


@pytest.mark.parametrize(
    "content",
    [
        b"[targets.x]\nabbrev = " + b"1" * 4301 + b"\n",
        b"targets = " + b"[" * 1000 + b"]" * 1000 + b"\n",
        b"targets = 3\n",
        b"\xef\xbb\xbf[targets.x]\nabbrev = 'X'\n",
        None,  # a FIFO: once, completion waited for a writer forever
    ],
    ids=["4301-digits", "1000-deep", "not-a-table", "bom", "fifo"],
)
def test_a_hostile_vocabulary_completes_nothing_quietly(
    kb_copy: Path, tmp_path: Path, content: bytes | None
) -> None:
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} is not installed")
    vocabulary = kb_copy / "vocabulary.toml"
    vocabulary.unlink()
    if content is None:
        os.mkfifo(vocabulary)
    else:
        vocabulary.write_bytes(content)
    result = complete_target(kb_copy, tmp_path)
    assert (result.returncode, result.stdout.split(), result.stderr) == (0, [], "")
