"""Reading TOML files: the one place the bytes of knowledge-base, cache and profile files come in.

A file is read only if it is a regular file no larger than its limit (both checked with
`fstat` before a byte is read, on a descriptor opened without blocking, so a FIFO cannot hang
a run and a link to /dev/zero cannot fill memory). TOML is parsed with rtoml (chosen on
measurement, benchmarks/toml_readers.py: the same results as tomllib on every bundled file,
about ten times faster); a byte-order mark, text that is not UTF-8, an integer outside 64 bits
and nesting deeper than any real file are refused, each with a one-line reason.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from rmcli.errors import FileError
from rmcli.text import printable

MAX_DEPTH = 16  # tables and lists inside each other, the document included; real files nest 8
INT_RANGE = (-(2**63), 2**63 - 1)  # TOML's integers are 64-bit
BOM = b"\xef\xbb\xbf"
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class Refused(Exception):
    """A file that cannot be used, with the one-line reason (the caller names the file)."""


class Missing(Refused):
    def __init__(self) -> None:
        super().__init__("does not exist")


class NotRegular(Refused):
    def __init__(self, mode: int) -> None:
        self.kind = next((name for test, name in _KINDS if test(mode)), "a special file")
        super().__init__(f"not a regular file ({self.kind})")


class TooLarge(Refused):
    """A file over the limit it was read with."""

    def __init__(self, limit: int, size: int) -> None:
        self.size = size
        super().__init__(f"over the {size_text(limit)} limit; refused")


class Unreadable(Refused):
    def __init__(self, error: OSError) -> None:
        self.cause = str(error.strerror or error)
        super().__init__(f"cannot read: {self.cause}")


class InvalidContent(Refused):
    """Bytes that were read but are not UTF-8 TOML within the limits."""


def size_text(limit: int) -> str:
    """'5 MB', '64 KB' or '100 bytes'."""
    for unit, name in ((2**20, "MB"), (2**10, "KB")):
        if limit >= unit and limit % unit == 0:
            return f"{limit // unit} {name}"
    return f"{limit} bytes"


def stat_regular(path: Path) -> os.stat_result:
    """The file's metadata, if it is a regular file (symbolic links followed)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise Missing() from None
    except OSError as error:
        raise Unreadable(error) from None
    if not stat.S_ISREG(info.st_mode):
        raise NotRegular(info.st_mode)
    return info


def read_bytes(file: Path, limit: int, *, follow: bool = True) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `limit` bytes, and its metadata as opened;
    `follow=False` refuses a symbolic link."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        descriptor = os.open(file, flags | (0 if follow else os.O_NOFOLLOW))
    except FileNotFoundError:
        raise Missing() from None
    except OSError as error:
        stat_regular(file)  # a socket cannot be opened: say what it is
        raise Unreadable(error) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(info.st_mode)
        if info.st_size > limit:
            raise TooLarge(limit, info.st_size)
        with open(descriptor, "rb", closefd=False) as handle:
            data = handle.read(info.st_size + 1)  # one more byte shows a file still growing
    except OSError as error:
        raise Unreadable(error) from None
    finally:
        os.close(descriptor)
    if len(data) > info.st_size:
        raise Refused("changed while it was read; run again")
    return data, info


def parse_toml(raw: bytes) -> dict[str, Any]:
    """A TOML document from its bytes, or InvalidContent with the reason."""
    import rtoml

    if raw.startswith(BOM):
        raise InvalidContent("starts with a byte-order mark (BOM): save it as UTF-8 without one")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        where = f"byte 0x{raw[error.start]:02x} at offset {error.start}, line {line}"
        raise InvalidContent(f"not UTF-8 text ({where})") from None
    try:
        data = rtoml.loads(text)
    except (ValueError, RecursionError) as error:
        raise InvalidContent(_parse_problem(error)) from None
    found = _out_of_bounds(data, 1)
    if found:
        reason, keys = found
        path = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in reversed(keys))
        where = printable(path.lstrip(".")) or "the document"
        nested = reason.startswith("nested")
        raise InvalidContent(f"{reason} (at {where})" if nested else f"{where}: {reason}")
    return data


def read_toml(path: Path, *, limit: int, what: str) -> dict[str, Any]:
    """The TOML document a user hands over (a profile, an answers file, kb.toml), or a one-line
    FileError naming it as `what`; InvalidText (a FileError) when its content is refused."""
    try:
        return parse_toml(read_bytes(path, limit)[0])
    except InvalidContent as invalid:
        raise InvalidText(path, str(invalid)) from None
    except Missing:
        raise FileError(f"{what} {path} does not exist") from None
    except NotRegular as odd:
        raise FileError(f"{what} {path} is {odd.kind}, not a regular file") from None
    except TooLarge:
        raise FileError(f"{what} {path} is larger than {size_text(limit)}; refused") from None
    except Unreadable as unreadable:
        raise FileError(f"cannot read {what} {path}: {unreadable.cause}") from None
    except Refused as refused:
        raise FileError(f"{what} {path} {refused}") from None


class InvalidText(FileError):
    """The file was read but is not valid TOML within the limits. `problem` says what, without
    the file's name, so that callers report it as their own kind of problem (an invalid
    profile); uncaught, it is still a one-line file error."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.problem = problem


def _parse_problem(error: Exception) -> str:
    message = " ".join(str(error).split())
    if isinstance(error, RecursionError) or "recursion" in message:
        return f"nested more than {MAX_DEPTH} levels deep"
    if "overflow" in message:
        return f"integer out of range ({INT_RANGE[0]} to {INT_RANGE[1]})"
    return f"not valid TOML: {message}"


def _out_of_bounds(value: object, depth: int) -> tuple[str, list[str | int]] | None:
    """Why a parsed value is refused (too deep, an integer out of range) and the keys leading
    to it, innermost first; None when it is within bounds. Paths are built only on failure."""
    items: Any
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    elif type(value) is int and not INT_RANGE[0] <= value <= INT_RANGE[1]:
        return f"integer out of range ({INT_RANGE[0]} to {INT_RANGE[1]})", []
    else:
        return None
    if depth > MAX_DEPTH:
        return f"nested more than {MAX_DEPTH} levels deep", []
    for key, item in items:
        found = _out_of_bounds(item, depth + 1)
        if found:
            found[1].append(key)
            return found
    return None
