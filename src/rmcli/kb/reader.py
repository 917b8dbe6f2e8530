"""Reading one TOML file that a user or a knowledge base hands over, whatever it turns out to be.

A path may name a FIFO that never delivers, a device that never ends, a directory, a file of
gigabytes, bytes that are not UTF-8, a byte-order mark, or TOML nested or numbered to break the
code that reads it. `read_toml` refuses each with one clear line before it can hang, exhaust
memory or raise something unexpected: the file is opened without blocking and checked with
fstat (a regular file, within `limit` bytes) before a byte is read; then decoded, parsed, and
walked once for depth and integer range. Profiles and knowledge-base files share it.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from rmcli.errors import FileError
from rmcli.text import printable

MAX_DEPTH = 32  # tables and arrays inside each other; real files need fewer than 10
INT_RANGE = (-(2**63), 2**63 - 1)  # what msgspec and every consumer can hold
BOM = b"\xef\xbb\xbf"
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InvalidText(FileError):
    """The file was read but is not valid TOML within the limits. `problem` says what, without
    the file's name, so that callers report it as their own kind of problem (an invalid
    profile, an invalid knowledge base); uncaught, it is still a one-line file error."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.problem = problem


def read_toml(path: Path, *, limit: int, what: str) -> dict[str, Any]:
    """The TOML document at `path` (a regular file of at most `limit` bytes).

    FileError when it cannot be read (missing, not a regular file, too large, unreadable);
    InvalidText when its content is not UTF-8 TOML within MAX_DEPTH and INT_RANGE.
    """
    raw = read_regular(path, limit=limit, what=what)
    if raw.startswith(BOM):
        raise InvalidText(path, "starts with a byte-order mark (BOM): save it as UTF-8 without one")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise InvalidText(
            path,
            f"not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}, line {line})",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidText(path, f"not valid TOML: {error}") from None
    except RecursionError:
        raise InvalidText(path, f"nested more than {MAX_DEPTH} levels deep") from None
    except ValueError:  # int() past Python's digit limit: the only ValueError tomllib lets out
        raise InvalidText(path, f"holds an integer out of range ({_range()})") from None
    problem = _beyond_limits(data)
    if problem:
        raise InvalidText(path, problem)
    return data


def read_regular(path: Path, *, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is a FileError."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise FileError(f"{what} {path} does not exist") from None
    except OSError as error:
        raise FileError(_not_regular(path, what) or _cannot(path, what, error)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileError(_kind(path, what, info.st_mode))
        if info.st_size > limit:
            raise FileError(f"{what} {path} is larger than {_size(limit)}; refused")
        chunks, size = [], 0
        while size <= limit:  # the file may grow after fstat: never read past the limit
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise FileError(_cannot(path, what, error)) from None
    finally:
        os.close(fd)
    if size > limit:
        raise FileError(f"{what} {path} is larger than {_size(limit)}; refused")
    return b"".join(chunks)


def _not_regular(path: Path, what: str) -> str | None:
    """Why a file that could not be opened is not a regular file (a socket), if it is not."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else _kind(path, what, mode)


def _kind(path: Path, what: str, mode: int) -> str:
    """'profile f is a FIFO (named pipe), not a regular file'."""
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"{what} {path} is {kind}, not a regular file"


def _cannot(path: Path, what: str, error: OSError) -> str:
    return f"cannot read {what} {path}: {error.strerror or error}"


def _size(limit: int) -> str:
    return f"{limit // 1024} KB"


def _range() -> str:
    return f"{INT_RANGE[0]} to {INT_RANGE[1]}"


def _beyond_limits(data: dict[str, Any]) -> str | None:
    """The first nesting or integer beyond the limits, walked without recursion."""
    low, high = INT_RANGE
    pending: list[tuple[Any, str, int]] = [(data, "", 1)]
    while pending:
        node, where, depth = pending.pop()
        if depth > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels deep (at {printable(where)})"
        if isinstance(node, dict):
            pending += [
                (v, f"{where}.{k}" if where else str(k), depth + 1) for k, v in node.items()
            ]
        elif isinstance(node, list):
            pending += [(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(node)]
        elif isinstance(node, int) and not isinstance(node, bool) and not low <= node <= high:
            return f"{printable(where)}: integer out of range ({_range()})"
    return None
