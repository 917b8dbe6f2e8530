"""A cache of validated knowledge bases, so that a run need not parse and check every TOML file.

Each entry stores the exact bytes it was validated from: every knowledge-base file and the code
that decides validity (the `rmcli.kb` package, which imports nothing of rmcli but `errors` and
`text`). An entry is used only when those bytes are byte-for-byte the bytes read now, so nothing
stale and nothing unvalidated is served; the file name (a CRC of the same bytes) only finds the
candidate. The cache is an optimisation: an unreadable, corrupt or unwritable cache falls back
to a full load, silently.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zlib
from importlib.resources.abc import Traversable
from pathlib import Path

import msgspec

from rmcli.kb.files import kb_files, therapy_files
from rmcli.kb.model import KnowledgeBase

CACHE_FORMAT = "2"
# The code whose verdict an entry stores: the kb package and the two modules it imports.
CODE_ROOTS = ("kb", "errors.py", "text.py")


class Entry(msgspec.Struct):
    sources: dict[str, bytes]
    kb: KnowledgeBase


def cache_dir() -> Path | None:
    """$RMCLI_CACHE_DIR, else $XDG_CACHE_HOME/rmcli, else ~/.cache/rmcli; None when disabled."""
    if os.environ.get("RMCLI_NO_CACHE"):
        return None
    explicit = os.environ.get("RMCLI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rmcli"


def snapshot(root: Traversable) -> dict[str, bytes] | None:
    """The bytes of every knowledge-base file, or None when one cannot be read within limits."""
    from rmcli.kb.limits import MAX_FILE_BYTES, MAX_KB_BYTES

    contents = {}
    total = 0
    for name, file in kb_files(root).items():
        try:
            with file.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError:
            return None
        total += len(data)
        if len(data) > MAX_FILE_BYTES or total > MAX_KB_BYTES:
            return None  # the full loader reports it
        contents[name] = data
    return contents


def code_files() -> dict[str, bytes]:
    package = Path(__file__).parent.parent
    files: dict[str, bytes] = {}
    for root in CODE_ROOTS:
        paths = sorted((package / root).glob("*.py")) if root == "kb" else [package / root]
        files.update({f"code:{p.relative_to(package)}": p.read_bytes() for p in paths})
    return files


def sources(contents: dict[str, bytes]) -> dict[str, bytes]:
    """Everything an entry must match: the format, the code, the knowledge base."""
    header = {"format": CACHE_FORMAT.encode()}
    return {**header, **code_files(), **{f"kb:{k}": v for k, v in sorted(contents.items())}}


def entry_name(current: dict[str, bytes]) -> str:
    checksum = 0
    for name, data in current.items():
        checksum = zlib.crc32(data, zlib.crc32(name.encode(), checksum))
    return f"kb-{checksum:08x}-{sum(map(len, current.values()))}.msgpack"


def _read(entry: Path, current: dict[str, bytes]) -> KnowledgeBase | None:
    with contextlib.suppress(OSError, msgspec.DecodeError, msgspec.ValidationError):
        cached = msgspec.msgpack.decode(entry.read_bytes(), type=Entry)
        if cached.sources == current:
            return cached.kb
    return None


def load_cached(root: Traversable) -> KnowledgeBase:
    """The validated knowledge base at `root`, from the cache when its sources match exactly."""
    folder = cache_dir()
    contents = snapshot(root) if folder is not None and root.is_dir() else None
    if folder is None or contents is None:
        from rmcli.kb.load import load

        return load(root)
    current = sources(contents)
    entry = folder / entry_name(current)
    kb = _read(entry, current)
    if kb is not None:
        return kb
    from rmcli.kb.load import load  # only on a miss: parsing and validation are the slow part

    kb = load(root, contents=contents)
    with contextlib.suppress(OSError):
        _store(entry, msgspec.msgpack.encode(Entry(sources=current, kb=kb)))
    return kb


def _store(entry: Path, data: bytes) -> None:
    entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(dir=entry.parent, prefix=".kb-", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        temp.replace(entry)
    finally:
        temp.unlink(missing_ok=True)


def cached_only(root: Traversable) -> KnowledgeBase | None:
    """The cached knowledge base if there is a valid entry for these exact files, else None."""
    folder = cache_dir()
    contents = snapshot(root) if folder is not None and root.is_dir() else None
    if folder is None or contents is None:
        return None
    current = sources(contents)
    return _read(folder / entry_name(current), current)


def completion_names(root: Traversable) -> list[str]:
    """Therapy ids and one-word aliases for shell completion, without validating anything.

    From the cache when it is warm; otherwise each therapy file's `id` and `aliases` are read
    with a plain TOML parse. Files that do not parse are skipped: completion never fails.
    """
    kb = cached_only(root)
    if kb is not None:
        entries = [(t.id, t.aliases) for t in kb.therapies]
    else:
        import tomllib

        entries = []
        for file in therapy_files(root):
            try:
                data = tomllib.loads(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            aliases = data.get("aliases")
            aliases = (
                [a for a in aliases if isinstance(a, str)] if isinstance(aliases, list) else []
            )
            entries.append((str(data.get("id", file.name.removesuffix(".toml"))), aliases))
    names = [name for therapy_id, aliases in entries for name in (therapy_id, *aliases)]
    return list(dict.fromkeys(n for n in names if n and not any(c.isspace() for c in n)))
