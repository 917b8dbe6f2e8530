"""Running the CLI: every failure becomes one line on stderr and its documented exit code.

This is the one place exceptions meet exit codes (README, "Exit codes"); nothing else exits.
"""

from __future__ import annotations

import contextlib
import os
import sys

import typer

from rmcli.cli.app import app
from rmcli.cli.session import Session
from rmcli.environment import Environment, PipeClosed
from rmcli.errors import (
    ExitCode,
    FileError,
    KnowledgeBaseError,
    ProfileError,
    RmcliError,
    UsageError,
)

# Each kind of problem and its documented exit code (README, "Exit codes"), first match wins.
EXIT_CODES: tuple[tuple[type[RmcliError], ExitCode], ...] = (
    (PipeClosed, ExitCode.BROKEN_PIPE),
    (UsageError, ExitCode.USAGE),
    (FileError, ExitCode.FILE_ERROR),
    (KnowledgeBaseError, ExitCode.INVALID_KB),
    (ProfileError, ExitCode.INVALID_PROFILE),
)


def exit_code(problem: RmcliError) -> ExitCode:
    """The exit code of a problem the user can fix; an unclassified one is a bug."""
    return next((code for kind, code in EXIT_CODES if isinstance(problem, kind)), ExitCode.INTERNAL)


def _usage_hint(exc: typer.TyperException) -> str | None:
    ctx = getattr(exc, "ctx", None)
    return f"see `{ctx.command_path} --help`" if ctx is not None else None


def run(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run rmcli with `argv` (default: sys.argv) in `env` (default: the real terminal)."""
    session = Session(env)
    try:
        command = typer.main.get_command(app)
        result = command.main(args=argv, prog_name="rmcli", standalone_mode=False, obj=session)
        if result == ExitCode.INTERRUPTED:  # Typer turns KeyboardInterrupt into Exit(130)
            session.env.error("interrupted")
        return int(result) if isinstance(result, int) else ExitCode.OK
    except PipeClosed:
        return ExitCode.BROKEN_PIPE
    except RmcliError as exc:
        session.env.error(exc.message, exc.hint)
        return exit_code(exc)
    except typer.TyperException as exc:
        session.env.error(exc.format_message(), _usage_hint(exc))
        return exc.exit_code if exc.exit_code != 1 else ExitCode.USAGE
    except (KeyboardInterrupt, typer.Abort):
        session.env.error("interrupted")
        return ExitCode.INTERRUPTED
    except SystemExit as exc:  # shell completion ends this way
        return exc.code if isinstance(exc.code, int) else ExitCode.OK
    except OSError as exc:  # a file-system refusal that no check caught: still one line
        target = f": {exc.filename}" if exc.filename else ""
        session.env.error(f"{exc.strerror or exc}{target}")
        return ExitCode.FILE_ERROR
    except ValueError as exc:
        if "null byte" not in str(exc):  # anything else is a bug, reported as such below
            return _internal(session, exc)
        session.env.error("file names cannot contain NUL characters")
        return ExitCode.USAGE
    except Exception as exc:  # a bug: still one line, never a traceback
        return _internal(session, exc)


def _internal(session: Session, exc: Exception) -> int:
    session.env.error(
        f"internal error: {type(exc).__name__}: {exc}",
        "please report this with the command you ran",
    )
    return ExitCode.INTERNAL


def finish(code: int) -> int:
    """Flush what is left for stdout: a reader that went away makes it exit 141, a full disk
    5, quietly. A stdout the shell closed (`>&-`) is None here: nothing is left to flush."""
    if sys.stdout is None:
        return code
    failed = False
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        failed, code = True, code or ExitCode.BROKEN_PIPE
    except OSError:
        failed, code = True, code or ExitCode.FILE_ERROR
    if failed or code == ExitCode.BROKEN_PIPE:
        # Python flushes stdout once more at exit; point it at /dev/null so that final flush
        # cannot fail and print "Exception ignored ... BrokenPipeError".
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
    return code
