"""A pager like git's: $RMCLI_PAGER, else $PAGER, else `less -FRX`, with colour kept.

Only the Environment calls this, and only when stdout is a terminal and the text is taller
than it. Quitting the pager early is a normal end (exit 0); Ctrl-C belongs to the pager while
it runs, as in git.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Mapping

DEFAULT = "less -FRX"
NO_PAGER = ("", "cat")


def pager_command(environ: Mapping[str, str]) -> str | None:
    """The pager to run, or None when the user turned paging off (empty or `cat`)."""
    for name in ("RMCLI_PAGER", "PAGER"):
        if name in environ:
            chosen = environ[name].strip()
            return None if chosen in NO_PAGER else chosen
    return DEFAULT


def _runnable(command: str) -> bool:
    try:
        words = shlex.split(command)
    except ValueError:
        return False
    return bool(words) and shutil.which(words[0]) is not None


def run_pager(command: str, text: str, encoding: str, environ: Mapping[str, str]) -> bool:
    """Show `text` through `command`; False when the pager cannot be started."""
    if not _runnable(command):
        return False
    env = dict(environ)
    env.setdefault("LESS", "FRX")  # as git does: quit if one screen, keep colours
    env.setdefault("LV", "-c")
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode(encoding, errors="replace"))
        process.stdin.close()
    except (BrokenPipeError, OSError):  # the reader quit before reading everything
        pass
    while True:
        try:
            process.wait()
            return True
        except KeyboardInterrupt:  # the pager handles Ctrl-C; wait for it to finish
            continue
