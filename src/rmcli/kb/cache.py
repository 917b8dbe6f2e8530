"""A cache of validated knowledge bases, so that a run need not parse and check every TOML file.

The cache key is a SHA-256 over the bytes of every knowledge-base file and of the code that
defines and validates the model. Any edit to either gives a new key, so a cached entry is only
ever the result of validating exactly these files with exactly this code: nothing stale and
nothing unvalidated is served. The cache is an optimisation only: an unreadable, corrupt or
unwritable cache falls back to a full load, silently.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from importlib.resources.abc import Traversable
from pathlib import Path

import msgspec

from rmcli import __version__
from rmcli.kb.files import SECTION_NAMES, therapy_files
from rmcli.kb.model import KnowledgeBase

try:  # CPython's built-in SHA-256 imports in microseconds; hashlib loads OpenSSL (~3 ms)
    from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment,unused-ignore]

CACHE_FORMAT = "1"
CODE_FILES = ("model.py", "structure.py", "validate.py", "load.py", "files.py", "cache.py")


def cache_dir() -> Path | None:
    """$RMCLI_CACHE_DIR, else $XDG_CACHE_HOME/rmcli, else ~/.cache/rmcli; None when disabled."""
    if os.environ.get("RMCLI_NO_CACHE"):
        return None
    explicit = os.environ.get("RMCLI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rmcli"


def fingerprint(root: Traversable) -> str | None:
    """Hash of the knowledge-base files and the validating code; None if a file is unreadable."""
    digest = sha256(f"{CACHE_FORMAT}:{__version__}".encode())
    here = Path(__file__).parent
    files: list[Traversable] = [here / name for name in CODE_FILES]
    files += [root / name for name in SECTION_NAMES]
    files += therapy_files(root)
    for file in files:
        try:
            data = file.read_bytes()
        except OSError:
            return None
        digest.update(f"{file.name}:{len(data)}:".encode())
        digest.update(data)
    return str(digest.hexdigest())


def load_cached(root: Traversable) -> KnowledgeBase:
    """The validated knowledge base at `root`, from the cache when its fingerprint matches."""
    folder = cache_dir()
    key = fingerprint(root) if folder is not None else None
    entry = folder / f"kb-{key}.msgpack" if folder is not None and key is not None else None
    if entry is not None:
        with contextlib.suppress(OSError, msgspec.DecodeError, msgspec.ValidationError):
            return msgspec.msgpack.decode(entry.read_bytes(), type=KnowledgeBase)
    from rmcli.kb.load import load  # only on a miss: parsing and validation are the slow part

    kb = load(root)
    if entry is None:
        return kb
    with contextlib.suppress(OSError):
        _store(entry, msgspec.msgpack.encode(kb))
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
    key = fingerprint(root) if folder is not None else None
    if folder is None or key is None:
        return None
    try:
        return msgspec.msgpack.decode(
            (folder / f"kb-{key}.msgpack").read_bytes(), type=KnowledgeBase
        )
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None


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
