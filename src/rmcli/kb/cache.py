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
from rmcli.kb.files import kb_files, therapy_files
from rmcli.kb.model import KnowledgeBase

try:  # CPython's built-in SHA-256 imports in microseconds; hashlib loads OpenSSL (~3 ms)
    from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment,unused-ignore]

CACHE_FORMAT = "1"
# Everything whose behaviour decides whether a knowledge base is valid, and what it decodes to.
CODE_FILES = (
    "kb/model.py",
    "kb/structure.py",
    "kb/validate.py",
    "kb/load.py",
    "kb/limits.py",
    "kb/files.py",
    "kb/lookup.py",
    "kb/problems.py",
    "kb/cache.py",
    "profile.py",
    "text.py",
    "errors.py",
)


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


def fingerprint(contents: dict[str, bytes]) -> str:
    """Hash of the knowledge-base contents and of the code whose verdict the cache stores."""
    digest = sha256(f"{CACHE_FORMAT}:{__version__}".encode())
    package = Path(__file__).parent.parent
    parts = [(name, (package / name).read_bytes()) for name in CODE_FILES]
    for name, data in [*parts, *sorted(contents.items())]:
        digest.update(f"{name}:{len(data)}:".encode())
        digest.update(data)
    return str(digest.hexdigest())


def load_cached(root: Traversable) -> KnowledgeBase:
    """The validated knowledge base at `root`, from the cache when its fingerprint matches."""
    folder = cache_dir()
    contents = snapshot(root) if folder is not None and root.is_dir() else None
    if folder is None or contents is None:
        from rmcli.kb.load import load

        return load(root)
    entry = folder / f"kb-{fingerprint(contents)}.msgpack"
    with contextlib.suppress(OSError, msgspec.DecodeError, msgspec.ValidationError):
        return msgspec.msgpack.decode(entry.read_bytes(), type=KnowledgeBase)
    from rmcli.kb.load import load  # only on a miss: parsing and validation are the slow part

    kb = load(root, contents=contents)
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
    contents = snapshot(root) if folder is not None and root.is_dir() else None
    if folder is None or contents is None:
        return None
    try:
        entry = folder / f"kb-{fingerprint(contents)}.msgpack"
        return msgspec.msgpack.decode(entry.read_bytes(), type=KnowledgeBase)
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
