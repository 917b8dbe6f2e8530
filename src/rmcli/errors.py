"""Exit codes and the one exception type that reaches the user as a one-line message."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Documented process exit codes (README, "Exit codes")."""

    OK = 0
    INTERNAL = 1  # a bug: reported in one line, never as a traceback
    USAGE = 2  # bad arguments, unknown therapy name, wizard without a terminal
    INVALID_KB = 3  # the knowledge base does not load or validate
    INVALID_PROFILE = 4  # a profile file does not parse or validate
    FILE_ERROR = 5  # a file cannot be read or written, or would be overwritten
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # stdout closed early (e.g. `| head`)


class RmcliError(Exception):
    """A problem the user can fix; shown as `rmcli: <message>` plus an optional hint."""

    def __init__(
        self,
        message: str,
        code: ExitCode,
        hint: str | None = None,
        details: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint
        self.details = details or []


class UsageError(RmcliError):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message, ExitCode.USAGE, hint)


class FileError(RmcliError):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message, ExitCode.FILE_ERROR, hint)
