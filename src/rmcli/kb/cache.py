"""A cache of validated knowledge bases, so that a run need not parse and check every TOML file.

An entry is keyed, as git's index and make are, on the metadata of every file whose content
decides the verdict: each knowledge-base file and the code that validates it (the `rmcli.kb`
package and the two modules it imports, `errors` and `text`), by path, size, modification time
in nanoseconds and inode. Any save changes one of them, so an edited file means a full load.
A file saved within RACY_NS of the entry being written could change again without its time
changing; such an entry is marked racy and served only after the files' bytes are read and
match the checksum stored with it. Each entry also carries a checksum of its own bytes (CRC-32,
as zip and PNG use: zlib is loaded anyway, where hashlib would add 3 ms and 3 MB to every
run), checked on every load, so a damaged or altered entry is rebuilt, never served; that
nobody else can write to the folder is what keeps a deliberate forgery out.

The cache is used only in a folder the user owns that nobody else may write to (as ssh treats
~/.ssh), and an entry only if it is a regular file the user owns. It is an optimisation: an
unreadable, corrupt, foreign or unwritable cache means a full load, silently. Temporary files
of a run that was killed while writing are removed by the next run.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import msgspec

from rmcli.kb.files import kb_files
from rmcli.kb.limits import MAX_FILE_BYTES, MAX_KB_BYTES
from rmcli.kb.model import KnowledgeBase
from rmcli.kb.read import Refused, read_bytes, stat_regular

CACHE_FORMAT = b"rmcli-kb-cache 3\n"  # then the body's CRC-32 (4 bytes), then the body
# The code whose verdict an entry stores: the kb package and the two modules it imports
# (tests/test_architecture.py checks that the kb package imports nothing else of rmcli).
CODE_ROOTS = ("kb", "errors.py", "text.py")
RACY_NS = 2 * 10**9  # coarser than any file system's timestamps (FAT: 2 s)
MAX_ENTRIES = 16  # one per recent state of each knowledge base; older ones are removed
MAX_ENTRY_BYTES = 2 * MAX_KB_BYTES
TEMP_PREFIX = ".kb-"

Key = list[tuple[str, int, int, int]]  # (path, size, mtime_ns, inode) of each source
Wording = list[tuple[str, str, str]]  # the wording review's findings: (file, path, message)


class Entry(msgspec.Struct):
    key: Key
    sources: int  # CRC-32 of the sources' names, sizes and bytes, in key order
    racy: bool  # a source was saved too recently for its time to show a later save
    kb: KnowledgeBase
    wording: Wording | None = None  # `kb validate`'s findings, once it has run


def source_files(root: Path) -> dict[str, Path]:
    """Every file whose bytes decide the verdict: the code first, then the knowledge base."""
    package = Path(__file__).parent.parent
    code: list[Path] = []
    for name in CODE_ROOTS:
        code += sorted((package / name).glob("*.py")) if name == "kb" else [package / name]
    files = {f"code:{p.name if p.parent == package else 'kb/' + p.name}": p for p in code}
    for name, file in kb_files(root).items():
        files[f"kb:{name}"] = file
    return files


def metadata(files: dict[str, Path]) -> Key:
    """The key of these files as they are now; Refused when one is missing or not regular."""
    key = []
    for path in files.values():
        info = stat_regular(path)
        key.append((str(path), info.st_size, info.st_mtime_ns, info.st_ino))
    return key


def trusted(folder: Path, *, create: bool = True) -> bool:
    """Whether `folder` is a cache folder to use: one the user owns and nobody else may write
    to (created private when missing, if `create`)."""
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


def entry_path(folder: Path, key: Key) -> Path:
    text = repr(key).encode()
    return folder / f"kb-{zlib.crc32(text):08x}{zlib.adler32(text):08x}.msgpack"


def read_entry(path: Path, key: Key, files: dict[str, Path]) -> Entry | None:
    """The sound entry for exactly these sources, else None."""
    try:
        raw, info = read_bytes(path, MAX_ENTRY_BYTES, follow=False)
    except Refused:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        return None
    header = len(CACHE_FORMAT)
    body = raw[header + 4 :]
    if raw[:header] != CACHE_FORMAT or _checksum(body) != raw[header : header + 4]:
        return None
    try:
        entry = msgspec.msgpack.decode(body, type=Entry)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    if entry.key != key:
        return None
    if entry.racy:
        contents = _read_all(files)
        if contents is None or _digest(contents) != entry.sources:
            return None
    return entry


def _read_all(files: dict[str, Path]) -> dict[str, bytes] | None:
    """The bytes of every source within the limits, or None (the full load reports why)."""
    contents: dict[str, bytes] = {}
    total = 0
    for name, path in files.items():
        try:
            contents[name] = read_bytes(path, MAX_FILE_BYTES)[0]
        except Refused:
            return None
        total += len(contents[name])
        if total > MAX_KB_BYTES:
            return None
    return contents


def _digest(contents: dict[str, bytes]) -> int:
    checksum = 0
    for name, data in contents.items():
        checksum = zlib.crc32(data, zlib.crc32(f"{name}\0{len(data)}\0".encode(), checksum))
    return checksum


def _checksum(body: bytes) -> bytes:
    return zlib.crc32(body).to_bytes(4, "big")


def load_cached(root: Path, folder: Path | None) -> KnowledgeBase:
    """The validated knowledge base at `root`, from the cache in `folder` (None: no cache)
    when a sound entry has exactly these sources."""
    return _cached(root, folder, None)[0]


def load_reviewed(
    root: Path, folder: Path | None, review: Callable[[KnowledgeBase], Wording]
) -> tuple[KnowledgeBase, Wording]:
    """load_cached, and what `review` finds in the knowledge base (`kb validate`'s wording
    check), kept with the entry so that an unchanged knowledge base is not reviewed again."""
    kb, wording = _cached(root, folder, review)
    return kb, wording if wording is not None else review(kb)


def _cached(
    root: Path, folder: Path | None, review: Callable[[KnowledgeBase], Wording] | None
) -> tuple[KnowledgeBase, Wording | None]:
    if folder is None or not root.is_dir() or not trusted(folder):
        return _load(root), None
    remove_abandoned(folder)
    files = source_files(root.absolute())
    found = _lookup(folder, files)
    if found is None:
        return _load(root), None  # it reports the file
    key, entry = found
    if entry is not None and entry.racy and not _racy(key):
        entry.racy = False  # its bytes matched, and the files are old enough now
        with contextlib.suppress(OSError):
            store(folder, key, entry)
    if entry is not None and (review is None or entry.wording is not None):
        return entry.kb, entry.wording
    if entry is None:
        kb, entry = _validated(root, files, key)
        if entry is None:
            return kb, None
    if review is not None:
        entry.wording = review(entry.kb)
    with contextlib.suppress(OSError):
        store(folder, key, entry)
    return entry.kb, entry.wording


def _validated(root: Path, files: dict[str, Path], key: Key) -> tuple[KnowledgeBase, Entry | None]:
    """The knowledge base read and validated, and its new entry; no entry when a file was
    saved while it was read (the key would not describe the bytes validated)."""
    contents = _read_all(files)
    if contents is None:
        return _load(root), None  # it reports the file that is over a limit or unreadable
    kb = _load(root, contents={k[3:]: v for k, v in contents.items() if k[:3] == "kb:"})
    try:
        if metadata(files) != key:
            return kb, None
    except Refused:
        return kb, None
    return kb, Entry(key=key, sources=_digest(contents), racy=_racy(key), kb=kb)


def _racy(key: Key) -> bool:
    """Whether a file was saved so recently that a second save might keep its time."""
    return max(mtime for _, _, mtime, _ in key) > time.time_ns() - RACY_NS


def _load(root: Path, contents: dict[str, bytes] | None = None) -> KnowledgeBase:
    """Parse and validate (the slow part, so imported only on a miss)."""
    from rmcli.kb import load as loader

    return loader.load(root, contents=contents)


def store(folder: Path, key: Key, entry: Entry) -> None:
    """Write the entry atomically (a private temporary file, renamed), then keep only the
    MAX_ENTRIES most recent entries."""
    import tempfile

    body = msgspec.msgpack.encode(entry)
    data = CACHE_FORMAT + _checksum(body) + body
    fd, name = tempfile.mkstemp(dir=folder, prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        temp.replace(entry_path(folder, key))
    finally:
        temp.unlink(missing_ok=True)
    entries = sorted(folder.glob("kb-*.msgpack"), key=lambda p: p.stat().st_mtime_ns)
    for old in entries[:-MAX_ENTRIES]:
        old.unlink(missing_ok=True)


def remove_abandoned(folder: Path) -> None:
    """Remove the temporary files of runs that ended while writing an entry (killed, or the
    machine stopped): their names carry the writer's process id."""
    with contextlib.suppress(OSError), os.scandir(folder) as found:  # gone, or unreadable
        for item in found:
            if not (item.name.startswith(TEMP_PREFIX) and item.name.endswith(".tmp")):
                continue
            writer = item.name[len(TEMP_PREFIX) :].split("-", 1)[0]
            if not (writer.isdigit() and _running(int(writer))):
                Path(item.path).unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def cached_only(root: Path, folder: Path | None) -> KnowledgeBase | None:
    """The cached knowledge base if there is a sound entry for these exact files, else None."""
    if folder is None or not root.is_dir():
        return None
    if not trusted(folder, create=False):
        return None
    found = _lookup(folder, source_files(root.absolute()))
    return found[1].kb if found is not None and found[1] is not None else None


def _lookup(folder: Path, files: dict[str, Path]) -> tuple[Key, Entry | None] | None:
    """The sources' key and the sound entry for it, if any; None when a source is missing or
    not a regular file."""
    try:
        key = metadata(files)
    except Refused:
        return None
    return key, read_entry(entry_path(folder, key), key, files)
