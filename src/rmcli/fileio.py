"""Safe file output: atomic, private (0600), and never overwriting unless asked."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from rmcli.errors import FileError


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse early what write_private would refuse: a directory, an existing file, no parent."""
    try:
        _check_writable(path, force=force)
    except OSError as error:  # e.g. a file name too long for the file system
        raise FileError(f"cannot write {path}: {error.strerror or error}") from None


def _check_writable(path: Path, *, force: bool) -> None:
    if path.is_dir():
        raise FileError(f"cannot write {path}: it is a directory")
    if path.exists() and not force:
        raise FileError(f"{path} already exists", hint="use --force to overwrite it")
    if not path.parent.is_dir():
        raise FileError(f"cannot write {path}: directory {path.parent} does not exist")


def write_private(path: Path, text: str, *, force: bool) -> None:
    """Write `text` to `path` atomically with mode 0600; refuse to replace a file unless `force`."""
    import tempfile  # only when writing

    check_writable(path, force=force)
    parent = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise FileError(f"cannot write {path}: {error.strerror or error}") from None
    temp = Path(temp_name)
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
        raise FileError(f"{path} already exists", hint="use --force to overwrite it") from None
    except OSError as error:
        raise FileError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
