"""rmcli.kb.read.read_toml: a file a user names (a profile, kb.toml), refused in one clear line
naming it when it is anything but a small, regular, UTF-8 TOML file within the depth and integer
limits."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from rmcli.cli.run import exit_code
from rmcli.errors import ExitCode, FileError
from rmcli.kb.read import INT_RANGE, MAX_DEPTH, InvalidText, read_toml

LIMIT = 64 * 1024


def toml_file(tmp_path: Path, content: str | bytes, name: str = "f.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def refused(path: Path, kind: type[FileError] = FileError) -> str:
    with pytest.raises(kind) as caught:
        read_toml(path, limit=LIMIT, what="profile")
    assert exit_code(caught.value) == ExitCode.FILE_ERROR  # even if a caller forgot to convert
    assert "\n" not in caught.value.message
    return caught.value.problem if isinstance(caught.value, InvalidText) else caught.value.message


def test_a_small_toml_file_is_read(tmp_path: Path) -> None:
    assert read_toml(toml_file(tmp_path, "a = 1\n[t]\nb = [1, 2]\n"), limit=LIMIT, what="x") == {
        "a": 1,
        "t": {"b": [1, 2]},
    }


def test_exactly_the_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    body = "a = 1\n"
    exact = toml_file(tmp_path, body + "#" * (LIMIT - len(body) - 1) + "\n", "exact.toml")
    assert exact.stat().st_size == LIMIT
    assert read_toml(exact, limit=LIMIT, what="profile") == {"a": 1}
    over = toml_file(tmp_path, body + "#" * (LIMIT - len(body)) + "\n", "over.toml")
    assert refused(over) == f"profile {over} is larger than 64 KB; refused"


def test_size_is_checked_before_a_byte_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(2**40)  # sparse: a terabyte that uses no disk; reading it would not end
    assert refused(path) == f"profile {path} is larger than 64 KB; refused"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/dev/null", "a character device"),
        ("/dev/zero", "a character device"),
        ("/dev/urandom", "a character device"),
    ],
)
def test_devices_are_refused_without_reading(path: str, kind: str) -> None:
    assert refused(Path(path)) == f"profile {path} is {kind}, not a regular file"


def test_a_fifo_without_a_writer_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "f.toml"
    os.mkfifo(fifo)
    start = time.monotonic()
    assert refused(fifo) == f"profile {fifo} is a FIFO (named pipe), not a regular file"
    assert time.monotonic() - start < 1


def test_a_directory_a_missing_file_and_a_file_as_a_folder(tmp_path: Path) -> None:
    assert refused(tmp_path) == f"profile {tmp_path} is a directory, not a regular file"
    assert refused(tmp_path / "nope") == f"profile {tmp_path / 'nope'} does not exist"
    plain = toml_file(tmp_path, "a = 1\n")
    assert refused(plain / "x") == f"cannot read profile {plain / 'x'}: Not a directory"


def test_a_symlink_to_a_regular_file_is_read_and_to_a_device_refused(tmp_path: Path) -> None:
    target = toml_file(tmp_path, "a = 1\n")
    (tmp_path / "good").symlink_to(target)
    (tmp_path / "bad").symlink_to("/dev/zero")
    assert read_toml(tmp_path / "good", limit=LIMIT, what="profile") == {"a": 1}
    assert "character device" in refused(tmp_path / "bad")


def test_a_byte_order_mark_is_named(tmp_path: Path) -> None:
    path = toml_file(tmp_path, b"\xef\xbb\xbflosses = 3\n")
    assert refused(path, InvalidText) == (
        "starts with a byte-order mark (BOM): save it as UTF-8 without one"
    )


def test_invalid_utf8_names_the_byte_and_line(tmp_path: Path) -> None:
    path = toml_file(tmp_path, b"a = 1\nb = '\xff'\n")
    assert refused(path, InvalidText) == "not UTF-8 text (byte 0xff at offset 11, line 2)"


def test_invalid_toml_says_where(tmp_path: Path) -> None:
    problem = refused(toml_file(tmp_path, "a = [unclosed\n"), InvalidText)
    assert problem.startswith("not valid TOML:") and "line 1" in problem


@pytest.mark.parametrize(
    "content",
    [
        "a = " + "[" * 1000 + "]" * 1000,  # inline arrays: deeper than tomllib can recurse
        "a = " + "{b = " * 1000 + "1" + "}" * 1000,  # inline tables
        "a" + ".a" * 1000 + " = 1",  # a dotted key: tomllib builds it without recursion
        "[" + ".".join(["t"] * 1000) + "]\nx = 1",  # a table header
    ],
    ids=["arrays", "inline-tables", "dotted-key", "table-header"],
)
def test_nesting_1000_deep_is_refused(tmp_path: Path, content: str) -> None:
    problem = refused(toml_file(tmp_path, content + "\n"), InvalidText)
    assert problem.startswith(f"nested more than {MAX_DEPTH} levels deep")


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    depth = MAX_DEPTH - 1  # the document itself is the first level
    data = read_toml(
        toml_file(tmp_path, "a = " + "[" * depth + "]" * depth + "\n"), limit=LIMIT, what="x"
    )
    assert data["a"] is not None
    deeper = "a = " + "[" * (depth + 1) + "]" * (depth + 1) + "\n"
    assert refused(toml_file(tmp_path, deeper, "deeper.toml"), InvalidText).startswith("nested")


@pytest.mark.parametrize(
    "number",
    ["1" * 4301, "-" + "9" * 5000, str(INT_RANGE[1] + 1), str(INT_RANGE[0] - 1), "0x" + "f" * 17],
    ids=["4301-digits", "5000-digits", "int64-max+1", "int64-min-1", "hex"],
)
def test_integers_beyond_64_bits_are_refused(tmp_path: Path, number: str) -> None:
    path = toml_file(tmp_path, f"losses = {number}\n")
    problem = refused(path, InvalidText)
    assert "integer out of range" in problem and str(INT_RANGE[1]) in problem
    assert len(problem) < 200  # the number itself is never echoed


def test_64_bit_integers_are_read(tmp_path: Path) -> None:
    path = toml_file(tmp_path, f"a = {INT_RANGE[0]}\nb = {INT_RANGE[1]}\n")
    assert read_toml(path, limit=LIMIT, what="x") == {"a": INT_RANGE[0], "b": INT_RANGE[1]}


def test_a_hostile_key_in_a_message_is_escaped(tmp_path: Path) -> None:
    path = toml_file(tmp_path, f'"\\u001b[2J" = {INT_RANGE[1] + 1}\n')
    problem = refused(path, InvalidText)
    assert "\x1b" not in problem and problem.startswith("\\x1b[2J: integer out of range")
