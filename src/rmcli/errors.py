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
    """A problem the user can fix, shown as `rmcli: error: <message>` plus an optional hint.

    The kind of problem is the class; which exit code it gets is decided in one place, at the
    command line (`rmcli.cli.run.exit_code`), so the core never chooses how the process ends.
    """

    def __init__(
        self, message: str, hint: str | None = None, details: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details or []


class UsageError(RmcliError):
    """Bad arguments or options, an unknown name, an interview without a terminal."""


class FileError(RmcliError):
    """A file cannot be read or written, or would be overwritten."""


class KnowledgeBaseError(RmcliError):
    """The knowledge base is missing or does not load and validate."""


class ProfileError(RmcliError):
    """A patient profile does not parse or validate."""
