"""The one reader of knowledge-base and cache files: hostile files end in one clear line.

Non-regular files (a FIFO must not hang, /dev/zero must not fill memory), files over the
limit (refused from their size, before reading), a byte-order mark, text that is not UTF-8,
integers outside 64 bits and nesting deeper than any real file are refused, and `rmcli kb
validate` and every command say which file and why, with exit 3.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from rmcli.kb.load import bundled
from rmcli.kb.read import MAX_DEPTH, Refused, TooLarge, parse_toml, read_bytes

BUNDLED = Path(str(bundled()))
RMCLI = Path(sys.executable).parent / "rmcli"


def same(a: Any, b: Any) -> bool:
    """Equal with the same types all the way down (1 is not 1.0; dates keep their zone)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, datetime.datetime | datetime.time):
        return a == b and a.utcoffset() == b.utcoffset()
    return bool(a == b)


@pytest.mark.parametrize("path", sorted(BUNDLED.rglob("*.toml")), ids=lambda p: p.name)
def test_rtoml_reads_every_bundled_file_exactly_as_tomllib(path: Path) -> None:
    """The evidence for reading with rtoml (benchmarks/toml_readers.py times it)."""
    raw = path.read_bytes()
    assert same(parse_toml(raw), tomllib.loads(raw.decode("utf-8")))


def test_dates_floats_and_strings_read_as_tomllib_reads_them() -> None:
    text = (
        'a = 1979-05-27\nb = 1e-308\nc = -0.0\nd = 0.1\ne = "tab\\tq\\"u\\u00e9"\n'
        "f = 07:32:00\ng = [1, 2.5, true]\nh = { x = 'lit\\\\eral' }\n"
    )
    assert same(parse_toml(text.encode()), tomllib.loads(text))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xef\xbb\xbfversion = '1'\n", "starts with a byte-order mark (BOM)"),
        (b"title = 'caf\xe9'\n", "not UTF-8 text (byte 0xe9 at offset 12, line 1)"),
        (b"n = " + b"9" * 4301 + b"\n", "integer out of range"),
        (b"[x]\nn = 9223372036854775808\n", "x.n: integer out of range"),
        (b"a = " + b"[" * 20 + b"]" * 20 + b"\n", f"nested more than {MAX_DEPTH} levels deep"),
        (b"a = " + b"[" * 1000 + b"]" * 1000 + b"\n", "nested more than"),
        (b"a = [1,\n", "not valid TOML: "),
    ],
    ids=["bom", "latin-1", "4301-digits", "int64", "deep", "1000-deep", "broken"],
)
def test_hostile_content_is_refused_with_a_reason(raw: bytes, message: str) -> None:
    with pytest.raises(Refused) as caught:
        parse_toml(raw)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_size_is_checked_before_reading(tmp_path: Path) -> None:
    sparse = tmp_path / "huge.toml"
    with sparse.open("wb") as handle:
        handle.truncate(2**40)  # a terabyte that occupies nothing: reading it would not end
    with pytest.raises(TooLarge) as caught:
        read_bytes(sparse, 5 * 2**20)
    assert caught.value.size == 2**40
    assert str(caught.value) == "over the 5 MB limit; refused"


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory", "dangling"])
def test_a_file_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "directory":
        path.mkdir()
    else:
        path.symlink_to(tmp_path / "missing")
    with pytest.raises(Refused) as caught:
        read_bytes(path, 1000)
    expected = "does not exist" if kind == "dangling" else "not a regular file"
    assert str(caught.value).startswith(expected)


def test_a_symbolic_link_is_refused_where_links_are_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "real"
    target.write_bytes(b"x")
    (tmp_path / "link").symlink_to(target)
    assert read_bytes(tmp_path / "link", 10)[0] == b"x"
    with pytest.raises(Refused):
        read_bytes(tmp_path / "link", 10, follow=False)


# -- through the command line, in a child process (a hang fails instead of blocking) -----------


def rmcli(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RMCLI_KB", "RMCLI_NO_CACHE")}
    env["RMCLI_CACHE_DIR"] = str(cache)
    return subprocess.run(
        [str(RMCLI), *args], env=env, capture_output=True, text=True, timeout=30, check=False
    )


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "bom", "deep"])
def test_a_hostile_therapy_file_is_one_problem_line_and_exit_3(
    kb_copy: Path, tmp_path: Path, kind: str
) -> None:
    path = kb_copy / "therapies" / "zz-hostile.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "bom":
        path.write_bytes(b"\xef\xbb\xbfid = 'zz-hostile'\n")
    else:
        path.write_bytes(b"a = " + b"[" * 1000 + b"]" * 1000 + b"\n")
    result = rmcli("kb", "validate", str(kb_copy), cache=tmp_path / "cache")
    assert result.returncode == 3, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if "zz-hostile" in line]
    assert line.startswith("therapies/zz-hostile.toml: ")
    shown = rmcli("--kb", str(kb_copy), "list", cache=tmp_path / "cache")
    assert shown.returncode == 3
    assert shown.stderr.startswith("rmcli: error: knowledge base ")
    assert "Traceback" not in shown.stderr + result.stderr


def test_kb_validate_of_a_device_says_what_it_is(tmp_path: Path) -> None:
    result = rmcli("kb", "validate", "/dev/zero", cache=tmp_path / "cache")
    assert result.returncode == 5
    assert result.stderr == "rmcli: error: /dev/zero: not a regular file (a character device)\n"


def test_version_with_a_hostile_manifest_still_answers(kb_copy: Path, tmp_path: Path) -> None:
    manifest = kb_copy / "kb.toml"
    manifest.unlink()
    os.mkfifo(manifest)
    result = rmcli("--kb", str(kb_copy), "--version", cache=tmp_path / "cache")
    assert result.returncode == 0
    assert result.stdout.endswith("knowledge base unknown (kb.toml unreadable)\n")
