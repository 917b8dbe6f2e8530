"""The knowledge-base cache: fast when warm, never stale, never unvalidated, never in the way."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import msgspec
import pytest

import rmcli
from rmcli.environment import Environment
from rmcli.kb import InvalidKnowledgeBase, KnowledgeBase
from rmcli.kb import load as loader
from rmcli.kb.cache import CACHE_FORMAT, Entry
from rmcli.kb.cache import load_cached as load_cached_in
from rmcli.kb.load import bundled, load

ENTRY = re.compile(r"^kb-[0-9a-f]{16}\.msgpack$")
KB_FILES = sorted(
    str(p.relative_to(Path(str(bundled())))) for p in Path(str(bundled())).rglob("*.toml")
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def tree(folder: Path) -> list[str]:
    """Every path under `folder`, hidden temporary files included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, not yet existing cache directory for this test."""
    folder = tmp_path / "cache" / "rmcli"
    monkeypatch.setenv("RMCLI_CACHE_DIR", str(folder))
    monkeypatch.delenv("RMCLI_NO_CACHE", raising=False)
    return folder


def load_cached(root: Path) -> KnowledgeBase:
    """Load through the cache this test's environment names (as a command would)."""
    return load_cached_in(root, Environment().cache_folder())


def decode(entry: Path) -> Entry:
    """An entry's content, after checking its header and digest."""
    raw = entry.read_bytes()
    header = len(CACHE_FORMAT)
    assert raw[:header] == CACHE_FORMAT
    assert zlib.crc32(raw[header + 4 :]).to_bytes(4, "big") == raw[header : header + 4]
    return msgspec.msgpack.decode(raw[header + 4 :], type=Entry)


def encode(entry: Entry) -> bytes:
    """An entry as the cache writes it: header, digest of the body, body."""
    body = msgspec.msgpack.encode(entry)
    return CACHE_FORMAT + zlib.crc32(body).to_bytes(4, "big") + body


def parses(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records every full parse and validation (a cache miss) from now on; still does them."""
    calls: list[object] = []
    real_load = loader.load

    def counting(*args: Any, **kwargs: Any) -> KnowledgeBase:
        calls.append(args[0])
        return real_load(*args, **kwargs)

    monkeypatch.setattr(loader, "load", counting)
    return calls


def load_or_invalid(root: Path) -> KnowledgeBase | None:
    try:
        return load_cached(root)
    except InvalidKnowledgeBase:
        return None


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Call to make any further TOML parse and validation fail the test."""

    def forbid() -> None:
        def fail(*args: object, **kwargs: object) -> KnowledgeBase:
            raise AssertionError("the knowledge base was parsed although the cache was warm")

        monkeypatch.setattr(loader, "load", fail)

    return forbid


def entries(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.is_dir() else []


def replace_same_size(path: Path, old: bytes, new: bytes) -> None:
    """Edit a file in place (same size, same inode), as an editor's save would."""
    assert len(old) == len(new)
    before = path.stat()
    data = path.read_bytes()
    assert old in data, f"{old!r} not in {path}"
    path.write_bytes(data.replace(old, new, 1))
    after = path.stat()
    assert (after.st_size, after.st_ino) == (before.st_size, before.st_ino)


def age(folder: Path, seconds: int = 3600) -> None:
    """Date every file under `folder` back, as files that were saved a while ago are."""
    past = time.time_ns() - seconds * 10**9
    for path in folder.rglob("*"):
        os.utime(path, ns=(past, past))


# ---------------------------------------------------------------- cold and warm


def test_first_load_writes_one_private_entry(kb_copy: Path, cache: Path, kb: KnowledgeBase) -> None:
    assert not cache.exists()
    loaded = load_cached(kb_copy)
    assert loaded == kb
    files = entries(cache)
    assert len(files) == 1
    assert ENTRY.match(files[0].name)
    assert mode(files[0]) == 0o600
    assert mode(cache) == 0o700
    assert decode(files[0]).kb == kb


def test_second_load_comes_from_the_cache_without_parsing(
    kb_copy: Path, cache: Path, kb: KnowledgeBase, no_parsing: Any
) -> None:
    first = load_cached(kb_copy)
    entry = entries(cache)[0]
    written = entry.read_bytes()
    no_parsing()
    second = load_cached(kb_copy)
    assert second == first == kb
    assert entries(cache) == [entry]
    assert entry.read_bytes() == written


# ---------------------------------------------------------------- edits invalidate


@pytest.mark.parametrize("name", KB_FILES)
def test_a_one_byte_same_size_save_of_any_file_is_not_served_from_the_cache(
    kb_copy: Path, cache: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    age(kb_copy)
    load_cached(kb_copy)
    path = kb_copy / name
    data = bytearray(path.read_bytes())
    position = len(data) // 2
    data[position] = ord("#") if data[position] != ord("#") else ord("$")
    replace_same_size(path, path.read_bytes(), bytes(data))
    calls = parses(monkeypatch)
    load_or_invalid(kb_copy)  # the edit may or may not leave the file valid
    assert len(calls) == 1, "an edited knowledge base was served from the cache"


def test_a_racy_entry_is_served_only_when_the_bytes_match(
    kb_copy: Path, cache: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file saved just before the entry was written could be saved again within the same
    timestamp tick; such an entry is checked byte for byte (git's "racy clean" rule)."""
    path = kb_copy / "therapies" / "ivig.toml"
    path.touch()
    load_cached(kb_copy)
    (entry,) = entries(cache)
    assert decode(entry).racy
    calls = parses(monkeypatch)
    assert load_cached(kb_copy) == kb
    assert calls == []  # the bytes match: served
    before = path.stat()
    replace_same_size(path, b'summary = "A plasma', b'summary = "B plasma')
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same tick
    fresh = load_cached(kb_copy)
    assert len(calls) == 1
    assert next(t for t in fresh.therapies if t.id == "ivig").summary.startswith("B ")


def test_a_racy_entry_is_rewritten_once_its_files_are_old_enough(
    kb_copy: Path, cache: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    (kb_copy / "kb.toml").touch()
    load_cached(kb_copy)
    (entry,) = entries(cache)
    assert decode(entry).racy
    monkeypatch.setattr("rmcli.kb.cache.RACY_NS", 0)  # as if two seconds had passed
    assert load_cached(kb_copy) == kb
    assert not decode(entry).racy  # later runs read no knowledge-base file


def test_an_entry_is_keyed_on_metadata_not_on_every_byte(
    kb_copy: Path, cache: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like git and make, a change that keeps a file's size, time and inode exactly (which
    only a deliberate tool does) is not noticed once the file is older than the racy window;
    the warm path reads no knowledge-base file at all."""
    monkeypatch.setattr("rmcli.kb.cache.RACY_NS", 0)  # the code may have been saved just now
    age(kb_copy)
    load_cached(kb_copy)
    path = kb_copy / "therapies" / "ivig.toml"
    before = path.stat()
    replace_same_size(path, b'summary = "A plasma', b'summary = "B plasma')
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    calls = parses(monkeypatch)
    assert load_cached(kb_copy) == kb
    assert calls == []


def test_adding_or_removing_a_therapy_file_is_noticed(
    kb_copy: Path, cache: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_cached(kb_copy)
    calls = parses(monkeypatch)
    extra = kb_copy / "therapies" / "zz-new.toml"
    extra.write_bytes(b"")
    assert load_or_invalid(kb_copy) is None  # an empty therapy file is invalid
    assert len(calls) == 1
    extra.unlink()
    assert load_cached(kb_copy) == kb
    assert len(calls) == 1  # the same files as before: the cache again
    (kb_copy / "therapies" / "ivig.toml").rename(kb_copy / "therapies" / "ivig2.toml")
    assert load_or_invalid(kb_copy) is None  # the id no longer matches the file name
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("name", "old", "new", "check"),
    [
        (
            "kb.toml",
            b"rmcli summarises",
            b"rmcli summarizes",
            lambda kb: "summarizes" in kb.manifest.disclaimer,
        ),
        (
            "therapies/ivig.toml",
            b'summary = "A plasma',
            b'summary = "B plasma',
            lambda kb: next(t for t in kb.therapies if t.id == "ivig").summary.startswith("B "),
        ),
        (
            "vocabulary.toml",
            b'abbrev = "NK"',
            b'abbrev = "NX"',
            lambda kb: kb.vocabulary.targets["nk-cells"].abbrev == "NX",
        ),
    ],
)
def test_a_valid_same_size_edit_is_loaded_not_served_stale(
    kb_copy: Path, cache: Path, name: str, old: bytes, new: bytes, check: Any
) -> None:
    assert not check(load_cached(kb_copy))
    replace_same_size(kb_copy / name, old, new)
    fresh = load_cached(kb_copy)
    assert check(fresh)
    assert fresh == load(kb_copy)
    assert len(entries(cache)) == 2  # the old entry stays for the old content, unused


INVALID_EDITS = [
    ("therapies/ivig.toml", b'checked = "primary"', b'checked = "primarz"'),
    ("therapies/heparin.toml", b'status = "conditional"', b'status = "conditionax"'),
    ("references.toml", b"year = 2023", b"yeer = 2023"),
    ("vocabulary.toml", b'abbrev = "NK"', b'abbrex = "NK"'),
    ("assessment.toml", b'checked = "primary"', b'checked = "primarz"'),
    ("kb.toml", b"version = ", b"versiom = "),
]


@pytest.mark.parametrize(("name", "old", "new"), INVALID_EDITS)
def test_an_invalid_same_size_edit_is_reported_although_a_valid_entry_exists(
    kb_copy: Path, cache: Path, kb: KnowledgeBase, name: str, old: bytes, new: bytes
) -> None:
    assert load_cached(kb_copy) == kb  # a valid entry for the old content now exists
    assert len(entries(cache)) == 1
    replace_same_size(kb_copy / name, old, new)
    with pytest.raises(InvalidKnowledgeBase):
        load_cached(kb_copy)
    assert len(entries(cache)) == 1  # nothing is cached for invalid content
    with pytest.raises(InvalidKnowledgeBase):
        load_cached(kb_copy)  # ... and it stays invalid on the next run
    replace_same_size(kb_copy / name, new, old)
    assert load_cached(kb_copy) == kb  # back to the old content: the old entry is valid


def test_a_file_edited_during_a_load_cannot_make_invalid_content_load(
    kb_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key must describe the bytes that were validated, not the bytes hashed earlier.

    An editor saving a file while rmcli reads the knowledge base is the real trigger; the
    wrapper below only pins that moment down (after the files are hashed, before they are
    parsed), the one place a concurrent save cannot be timed from a test.
    """
    path = kb_copy / "therapies" / "ivig.toml"
    valid = path.read_bytes()
    invalid = valid.replace(b'checked = "primary"', b'checked = "primarz"', 1)
    path.write_bytes(invalid)
    with pytest.raises(InvalidKnowledgeBase):
        load_cached(kb_copy)
    real_load = loader.load

    def user_saves_a_fix_meanwhile(*args: Any, **kwargs: Any) -> KnowledgeBase:
        path.write_bytes(valid)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(loader, "load", user_saves_a_fix_meanwhile)
    load_or_invalid(kb_copy)  # either verdict is fine for content that changed mid-load
    monkeypatch.setattr(loader, "load", real_load)
    path.write_bytes(invalid)  # ... and then undoes the fix: the files are invalid again
    with pytest.raises(InvalidKnowledgeBase):
        load_cached(kb_copy)


def test_the_key_covers_all_code_that_decides_validity(tmp_path: Path) -> None:
    """Editing the validating code (here the tiers a rule may have) must not leave old verdicts.

    Runs a private copy of the installed package, so the edit is a real source change.
    """
    site = tmp_path / "site"
    package = site / "rmcli"
    shutil.copytree(
        Path(rmcli.__file__).parent,
        package,
        symlinks=False,
        ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache"),
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "RMCLI_CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("RMCLI_NO_CACHE", None)
    env.pop("RMCLI_KB", None)
    script = (
        "import sys, rmcli; "
        f"assert rmcli.__file__.startswith({str(package)!r}), rmcli.__file__; "
        "from rmcli.cli.run import run; sys.exit(run(['list', '--format', 'json']))"
    )

    def rmcli_list(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script],
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert rmcli_list().returncode == 0  # warms the cache
    source = package / "kb" / "values.py"
    text = source.read_text(encoding="utf-8")
    old = 'Tier = Literal["recommended", "consider", "research-only", "not-recommended"]'
    assert old in text
    source.write_text(
        text.replace(old, 'Tier = Literal["recommended", "research-only", "not-recommended"]'),
        encoding="utf-8",
    )
    cold = rmcli_list(RMCLI_NO_CACHE="1")
    assert cold.returncode == 3, cold.stderr  # this code rejects the bundled rules
    assert "consider" in cold.stderr
    warm = rmcli_list()
    assert warm.returncode == 3, "a verdict of the old validation code was served from the cache"


# ---------------------------------------------------------------- a bad cache is ignored


def valid_entry_bytes(kb: KnowledgeBase) -> bytes:
    return encode(Entry(key=[], sources=0, racy=False, kb=kb))


@pytest.mark.parametrize(
    "corrupt",
    [
        pytest.param(lambda kb: b"\x00garbage\xff" * 100, id="garbage"),
        pytest.param(lambda kb: b"", id="empty"),
        pytest.param(
            lambda kb: valid_entry_bytes(kb)[: len(valid_entry_bytes(kb)) // 2], id="truncated"
        ),
        pytest.param(lambda kb: valid_entry_bytes(kb)[:-1], id="last-byte-missing"),
        pytest.param(lambda kb: msgspec.msgpack.encode({"manifest": 1}), id="no-header"),
        pytest.param(
            lambda kb: CACHE_FORMAT + bytes(4) + msgspec.msgpack.encode([1]), id="wrong-checksum"
        ),
        pytest.param(
            lambda kb: CACHE_FORMAT[:-2] + b"2\n" + valid_entry_bytes(kb)[len(CACHE_FORMAT) :],
            id="older-format",
        ),
        pytest.param(
            lambda kb: (
                CACHE_FORMAT
                + zlib.crc32(msgspec.msgpack.encode([1, 2, 3])).to_bytes(4, "big")
                + msgspec.msgpack.encode([1, 2, 3])
            ),
            id="wrong-shape-list",
        ),
        pytest.param(lambda kb: valid_entry_bytes(kb).replace(b"ivig", b"ivix", 1), id="altered"),
    ],
)
def test_a_corrupt_entry_is_ignored_and_rebuilt(
    kb_copy: Path, cache: Path, kb: KnowledgeBase, corrupt: Any
) -> None:
    load_cached(kb_copy)
    (entry,) = entries(cache)
    entry.write_bytes(corrupt(kb))
    assert load_cached(kb_copy) == kb
    assert entries(cache) == [entry]
    assert decode(entry).kb == kb
    assert mode(entry) == 0o600


def test_an_entry_that_is_a_directory_is_ignored_and_leaves_no_temp_file(
    kb_copy: Path, cache: Path, kb: KnowledgeBase
) -> None:
    load_cached(kb_copy)
    (blocker,) = entries(cache)
    blocker.unlink()
    blocker.mkdir()
    assert load_cached(kb_copy) == kb
    assert tree(cache) == [blocker.name]  # the temporary file was cleaned up


def test_an_uncreatable_cache_directory_still_loads_and_writes_nothing(
    kb_copy: Path, tmp_path: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n")
    monkeypatch.setenv("RMCLI_CACHE_DIR", str(blocker / "cache" / "rmcli"))
    outside = tree(tmp_path)
    assert load_cached(kb_copy) == kb
    assert load_cached(kb_copy) == kb
    assert tree(tmp_path) == outside
    assert blocker.read_text() == "not a directory\n"


# ---------------------------------------------------------------- where the cache lives


def test_no_cache_variable_reads_and_writes_nothing(
    kb_copy: Path, cache: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RMCLI_NO_CACHE", "1")
    assert load_cached(kb_copy) == kb
    assert not cache.exists()
    monkeypatch.delenv("RMCLI_NO_CACHE")
    load_cached(kb_copy)  # warm
    (entry,) = entries(cache)
    entry.write_bytes(b"poisoned")
    monkeypatch.setenv("RMCLI_NO_CACHE", "1")
    calls = parses(monkeypatch)
    assert load_cached(kb_copy) == kb
    assert len(calls) == 1  # parsed, not read from the cache
    assert entry.read_bytes() == b"poisoned"  # and not rewritten


def test_xdg_cache_home_is_used_without_rmcli_cache_dir(
    kb_copy: Path, tmp_path: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.delenv("RMCLI_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert load_cached(kb_copy) == kb
    (entry,) = entries(tmp_path / "xdg" / "rmcli")
    assert ENTRY.match(entry.name)
    assert mode(tmp_path / "xdg" / "rmcli") == 0o700
    assert tree(home) == []


def test_home_cache_is_the_last_resort(
    kb_copy: Path, tmp_path: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.delenv("RMCLI_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    assert load_cached(kb_copy) == kb
    (entry,) = entries(home / ".cache" / "rmcli")
    assert ENTRY.match(entry.name)


def test_rmcli_cache_dir_wins_over_xdg(
    kb_copy: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_cached(kb_copy)
    assert len(entries(cache)) == 1
    assert not (tmp_path / "xdg").exists()


# ---------------------------------------------------------------- through the command line


@pytest.mark.parametrize(
    "command",
    [["list", "--format", "json"], ["show", "ivig", "--format", "markdown"], ["list"]],
)
def test_cold_and_warm_runs_print_the_same(
    run_cli: Any, kb_copy: Path, tmp_path: Path, command: list[str]
) -> None:
    folder = tmp_path / "cli-cache"
    env = {"RMCLI_CACHE_DIR": str(folder)}
    cold = run_cli("--kb", str(kb_copy), *command, env=env)
    assert cold[0] == 0, cold[2]
    assert len(entries(folder)) == 1
    warm = run_cli("--kb", str(kb_copy), *command, env=env)
    uncached = run_cli("--kb", str(kb_copy), *command, env={"RMCLI_NO_CACHE": "1"})
    assert cold == warm == uncached
    assert cold[1].strip()
    assert cold[2] == ""


def test_an_entry_for_other_files_is_never_served(
    kb_copy: Path, cache: Path, kb: KnowledgeBase
) -> None:
    """Even under the right name and with a sound digest, an entry whose key differs from the
    files' metadata now is rebuilt, not trusted."""
    load_cached(kb_copy)
    (entry,) = entries(cache)
    stored = decode(entry)
    forged_kb = msgspec.structs.replace(kb, therapies=kb.therapies[:1])
    key = [(path, size + 1, mtime, inode) for path, size, mtime, inode in stored.key]
    entry.write_bytes(encode(Entry(key=key, sources=stored.sources, racy=False, kb=forged_kb)))
    assert load_cached(kb_copy) == kb
    assert decode(entry).kb == kb


def test_an_altered_entry_is_not_served(kb_copy: Path, cache: Path, kb: KnowledgeBase) -> None:
    """A stored therapy changed inside a sound-looking entry fails its digest: rebuilt."""
    load_cached(kb_copy)
    (entry,) = entries(cache)
    raw = entry.read_bytes()
    assert raw.count(b"Intravenous immunoglobulin") >= 1
    entry.write_bytes(raw.replace(b"Intravenous immunoglobulin", b"Intravenous immunoglobulix"))
    loaded = load_cached(kb_copy)
    assert loaded == kb
    assert "immunoglobulix" not in msgspec.json.encode(loaded).decode()


# ---------------------------------------------------------------- trust and hostile entries


def test_a_folder_others_may_write_to_is_not_used(
    kb_copy: Path, cache: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_cached(kb_copy)
    (entry,) = entries(cache)
    cache.chmod(0o777)
    calls = parses(monkeypatch)
    assert load_cached(kb_copy) == kb
    assert len(calls) == 1  # not read from the cache ...
    assert entries(cache) == [entry]  # ... and nothing written there


def test_a_folder_or_entry_owned_by_another_user_is_not_used(
    kb_copy: Path, cache: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.getuid() != 0:
        pytest.skip("only root can give a file to another user")
    load_cached(kb_copy)
    (entry,) = entries(cache)
    os.chown(entry, 65534, 65534)
    calls = parses(monkeypatch)
    assert load_cached(kb_copy) == kb
    assert len(calls) == 1  # the foreign entry was rebuilt
    assert entry.stat().st_uid == os.getuid()
    os.chown(cache, 65534, 65534)
    assert load_cached(kb_copy) == kb
    assert len(calls) == 2


def test_an_entry_that_is_a_fifo_or_a_device_is_ignored(kb_copy: Path, cache: Path) -> None:
    """Neither hangs nor reads without end: only a regular file is an entry (run in a child
    process with a timeout, so a regression fails instead of hanging the suite)."""
    load_cached(kb_copy)
    (entry,) = entries(cache)
    env = {**os.environ, "RMCLI_CACHE_DIR": str(cache)}
    command = [str(Path(sys.executable).parent / "rmcli"), "--kb", str(kb_copy), "list"]
    for make in (lambda: entry.symlink_to("/dev/zero"), lambda: os.mkfifo(entry)):
        entry.unlink()
        make()
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        assert "ivig" in result.stdout
        assert entry.is_file() and not entry.is_symlink()  # replaced by a real entry
        assert decode(entry).kb.therapies


def test_a_temporary_file_left_by_a_killed_run_is_removed_by_the_next(
    kb_copy: Path, cache: Path, kb: KnowledgeBase
) -> None:
    load_cached(kb_copy)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    left = cache / f".kb-{dead.stdout.strip()}-x1y2z3.tmp"
    left.write_bytes(b"half an entry")
    mine = cache / f".kb-{os.getpid()}-a1b2c3.tmp"  # a run still writing: left alone
    mine.write_bytes(b"in progress")
    assert load_cached(kb_copy) == kb
    assert not left.exists()
    assert mine.exists()


def test_old_entries_are_removed(
    kb_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("rmcli.kb.cache.MAX_ENTRIES", 2)
    path = kb_copy / "kb.toml"
    for title in ("A", "B", "C"):
        path.write_text(
            path.read_text(encoding="utf-8").replace('title = "', f'title = "{title}', 1),
            encoding="utf-8",
        )
        load_cached(kb_copy)
    assert len(entries(cache)) == 2


def test_kb_validate_reviews_the_wording_once_per_state_of_the_files(
    kb_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rmcli.kb import lint
    from rmcli.kb.check import validate

    reviews: list[int] = []
    real = lint.wording_problems

    def counting(*args: Any) -> Any:
        reviews.append(1)
        return real(*args)

    monkeypatch.setattr("rmcli.kb.check.wording_problems", counting)
    load_cached(kb_copy)  # a reader's run does not review the wording
    assert reviews == []
    validate(kb_copy, bundled(), cache)
    validate(kb_copy, bundled(), cache)
    assert len(reviews) == 1  # kept with the entry
    path = kb_copy / "therapies" / "ivig.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'summary = "', 'summary = "Only the abstract was read. ', 1
        ),
        encoding="utf-8",
    )
    for _ in range(2):  # found on the first run after the edit, and still on the next
        with pytest.raises(InvalidKnowledgeBase) as caught:
            validate(kb_copy, bundled(), cache)
        assert [p.path for p in caught.value.problems] == ["ivig.summary"]
    assert len(reviews) == 2
