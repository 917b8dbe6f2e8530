"""Safe file output: atomic, private (0600), never overwriting unless asked, never an input.

A write goes to a temporary file next to the target, then is linked (or, with --force,
renamed) into place. The temporary file holds patient data (`--save`), so it is removed however
the write ends: an error, Ctrl-C, SIGTERM or SIGHUP. SIGKILL cannot be caught; see
docs/architecture.md.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

from rmcli.errors import FileError, UsageError

# Signals that end a process by default and that a handler can catch: during a write, each
# removes the temporary file first, then ends the process as it would have ended anyway.
TERMINATING = ("SIGTERM", "SIGHUP")


class TargetExists(FileError):
    """The target exists and --force was not given (or it appeared during the run)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists", hint="use --force to overwrite it")
        self.path = path


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse early what write_private would refuse: a directory, a device or another file
    that is not a regular file (even with --force), an existing file, no parent."""
    try:
        _check_writable(path, force=force)
    except OSError as error:  # e.g. a file name too long for the file system
        raise FileError(f"cannot write {path}: {error.strerror or error}") from None
    except ValueError:  # a NUL byte: no file can have that name
        raise FileError(f"cannot write {path!r}: a file name cannot hold a NUL byte") from None


def _check_writable(path: Path, *, force: bool) -> None:
    if path.is_dir():
        raise FileError(f"cannot write {path}: it is a directory")
    if path.exists():
        if not stat.S_ISREG(path.stat().st_mode):
            raise FileError(
                f"cannot write {path}: it is not a regular file (a device, FIFO or socket)"
            )
        if not force:
            raise TargetExists(path)
    if not path.parent.is_dir():
        raise FileError(f"cannot write {path}: directory {path.parent} does not exist")


def same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file: the same inode when both exist (hard and symbolic
    links too), else the same absolute path once symbolic links are resolved."""
    try:
        if one.exists() and other.exists():
            return one.samefile(other)
        return one.resolve() == other.resolve()
    except (OSError, ValueError, RuntimeError):  # unresolvable: they cannot be shown the same
        return False


def check_targets(targets: Mapping[str, Path | None], inputs: Mapping[str, Path | None]) -> None:
    """Refuse, before any work, a target that is one of the inputs or another target:
    `--answers p.md --report p.md` would overwrite the profile being read, and
    `--save x.html --report x.html` would lose the profile to the report, even with --force."""
    given = [(option, path) for option, path in targets.items() if path is not None]
    for index, (option, path) in enumerate(given):
        for other_option, other in [*given[:index], *inputs.items()]:
            if other is not None and same_file(path, other):
                raise UsageError(
                    f"{option} {path} is the file given with {other_option}",
                    hint=f"give {option} a file of its own",
                )


def write_private(path: Path, text: str, *, force: bool) -> None:
    """Write `text` to `path` atomically with mode 0600; refuse to replace a file unless
    `force` (TargetExists, also when it appeared since the run began)."""
    check_writable(path, force=force)
    with _temporary(path) as (fd, temp):
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            if force:
                temp.replace(path)
            else:
                os.link(temp, path)  # fails if the file appeared meanwhile: no silent overwrite
        except FileExistsError:
            raise TargetExists(path) from None
        except OSError as error:
            raise FileError(f"cannot write {path}: {error.strerror or error}") from None


@contextlib.contextmanager
def _temporary(path: Path) -> Iterator[tuple[int, Path]]:
    """A new private file next to `path` (descriptor and name), removed when the block ends,
    however it ends. Creating it and learning its name happen with the signals blocked, so no
    signal finds a file whose name is not yet known."""
    import signal
    import tempfile  # only when writing
    import threading

    temp: list[Path] = []

    def remove_then_end(signum: int, frame: object) -> None:
        for made in temp:
            with contextlib.suppress(OSError):
                made.unlink()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)  # end as the signal would have ended the process

    handled = [getattr(signal, name) for name in TERMINATING if hasattr(signal, name)]
    in_main = threading.current_thread() is threading.main_thread()  # where handlers live
    previous = {s: signal.signal(s, remove_then_end) for s in handled} if in_main else {}
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, *handled})
    try:
        try:
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temp.append(Path(name))
        except OSError as error:
            raise FileError(f"cannot write {path}: {error.strerror or error}") from None
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        yield fd, temp[0]
    finally:
        for made in temp:
            with contextlib.suppress(FileNotFoundError):
                made.unlink()
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
