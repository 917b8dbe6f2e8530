"""Reading knowledge-base and cache files: the one place their bytes come in.

A file is read only if it is a regular file no larger than its limit (both checked with
`fstat` before a byte is read, on a descriptor opened without blocking, so a FIFO cannot hang
a run and a link to /dev/zero cannot fill memory). TOML is parsed with rtoml (chosen on
measurement, benchmarks/toml_readers.py: the same results as tomllib on every bundled file,
about ten times faster); a byte-order mark, text that is not UTF-8, an integer outside 64 bits
and nesting deeper than any real knowledge-base file are refused, each with a one-line reason.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

MAX_DEPTH = 16  # tables and lists inside each other; real files nest 8 deep at most
INT_RANGE = (-(2**63), 2**63 - 1)  # TOML's integers are 64-bit
BOM = b"\xef\xbb\xbf"


class Refused(Exception):
    """A file that cannot be used, with the one-line reason (the caller names the file)."""


class TooLarge(Refused):
    """A file over the limit it was read with."""

    def __init__(self, limit: int, size: int) -> None:
        shown = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit} bytes"
        super().__init__(f"over the {shown} limit; refused")
        self.size = size


def stat_regular(path: Path) -> os.stat_result:
    """The file's metadata, if it is a regular file (symbolic links followed)."""
    try:
        info = path.stat()
    except OSError as error:
        raise Refused(f"cannot read: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused("not a regular file")
    return info


def read_bytes(file: Path, limit: int, *, follow: bool = True) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `limit` bytes, and its metadata as opened;
    `follow=False` refuses a symbolic link."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        descriptor = os.open(file, flags)
    except OSError as error:
        raise Refused(f"cannot read: {error.strerror or error}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not a regular file")
        if info.st_size > limit:
            raise TooLarge(limit, info.st_size)
        with open(descriptor, "rb", closefd=False) as handle:
            data = handle.read(info.st_size + 1)  # one more byte shows a file still growing
    except OSError as error:
        raise Refused(f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    if len(data) > info.st_size:
        raise Refused("changed while it was read; run again")
    return data, info


def parse_toml(raw: bytes) -> dict[str, Any]:
    """A TOML document from its bytes, or Refused with the reason."""
    import rtoml

    if raw.startswith(BOM):
        raise Refused("starts with a byte-order mark (BOM); save it as UTF-8 without one")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(f"not UTF-8 text (byte {error.start})") from None
    try:
        data = rtoml.loads(text)
    except (ValueError, RecursionError) as error:
        message = " ".join(str(error).split()) or "nested too deeply"
        raise Refused(f"not valid TOML: {message}") from None
    found = _out_of_bounds(data, 0)
    if found:
        reason, keys = found
        where = "".join(f"[#{k + 1}]" if isinstance(k, int) else f".{k}" for k in reversed(keys))
        raise Refused(f"{where.lstrip('.') or 'the document'}: {reason}; refused")
    return data


def _out_of_bounds(value: object, depth: int) -> tuple[str, list[str | int]] | None:
    """Why a parsed value is refused (too deep, an integer out of range) and the keys leading
    to it, innermost first; None when it is within bounds. Paths are built only on failure."""
    items: Any
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    elif type(value) is int and not INT_RANGE[0] <= value <= INT_RANGE[1]:
        return "integer out of range (TOML integers are 64-bit)", []
    else:
        return None
    if depth >= MAX_DEPTH:
        return f"nested more than {MAX_DEPTH} deep", []
    for key, item in items:
        found = _out_of_bounds(item, depth + 1)
        if found:
            found[1].append(key)
            return found
    return None
