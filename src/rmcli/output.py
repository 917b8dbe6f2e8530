"""The one door to the terminal: data to stdout, messages to stderr, a closed pipe ends quietly."""

from __future__ import annotations

import sys
from collections.abc import Callable

from rmcli.errors import ExitCode, RmcliError
from rmcli.text import printable


class PipeClosed(RmcliError):
    """stdout went away (e.g. `rmcli list | head -1`): stop quietly."""

    def __init__(self) -> None:
        super().__init__("", ExitCode.BROKEN_PIPE)


def guarded(write: Callable[[], object]) -> None:
    """Run a write to stdout and flush it, turning a closed pipe into PipeClosed."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        raise PipeClosed from None


def emit(text: str) -> None:
    """Plain data (JSON, Markdown, CSV) to stdout."""
    guarded(lambda: sys.stdout.write(text if text.endswith("\n") else text + "\n"))


def message(text: str) -> None:
    """A status message for the user, on stderr so that stdout stays data."""
    try:
        sys.stderr.write(printable(text, limit=4000) + "\n")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


def error(text: str, hint: str | None = None) -> None:
    """One line (plus an optional hint line); control characters are shown escaped, so no
    path, name or file content in a message can break the line or steer the terminal."""
    message(f"rmcli: error: {printable(text, limit=4000)}")
    if hint:
        message(f"hint: {printable(hint, limit=4000)}")
