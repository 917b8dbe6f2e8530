"""Hostile-input fuzz (hypothesis): profile files of any content and any kind, and anything a
person can type at the interview's number prompts. 0 tracebacks, 0 hangs, and every refusal
is one line with a documented exit code. The budget is a few seconds, for every CI run;
RMCLI_FUZZ_SCALE=N runs N times as many examples.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_helpers import ANY_CHAR, RunCli, assert_no_raw_controls, assert_one_error, fuzz_settings
from hypothesis import example, given
from hypothesis import strategies as st
from wizard_helpers import CLEAR_LINE, ENTER, bundled_kb, run_interview

from rmcli.errors import ExitCode
from rmcli.wizard.prompts import number_check

HANG_SECONDS = 5
_counter = itertools.count()


class Hang(Exception):
    pass


@contextlib.contextmanager
def no_hang(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Fail, rather than wait forever, if the block takes longer than `seconds`."""

    def hung(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-input")


# -- profile files --------------------------------------------------------------------------------

SPELLINGS = [name for t in bundled_kb().therapies for name in (t.id, t.name, *t.aliases)]
CONDITIONS = [n for k, c in bundled_kb().vocabulary.conditions.items() for n in (k, c.name)]


def nested(depth: int, kind: str) -> bytes:
    if kind == "arrays":
        return b"x = " + b"[" * depth + b"]" * depth + b"\n"
    if kind == "tables":
        return b"x = " + b"{a = " * depth + b"1" + b"}" * depth + b"\n"
    return b"x" + b".x" * depth + b" = 1\n"  # a dotted key


def listed(names: list[str]) -> bytes:
    return (
        "["
        + ", ".join('"' + n.replace("\\", "\\\\").replace('"', '\\"') + '"' for n in names)
        + "]"
    ).encode()


contents = st.one_of(
    st.binary(max_size=300),
    st.builds(
        lambda depth, kind: b"losses = 3\n" + nested(depth, kind),
        st.integers(1, 3000),
        st.sampled_from(["arrays", "tables", "dotted"]),
    ),
    st.builds(
        lambda digits, sign: b"losses = " + sign + b"9" * digits + b"\n",
        st.integers(1, 6000),
        st.sampled_from([b"", b"-", b"+"]),
    ),
    st.builds(
        lambda body, bom: (b"\xef\xbb\xbf" if bom else b"") + body,
        st.sampled_from([b"losses = 3\n", b"", b"losses = 3\nconditions = ['hiv']\n"]),
        st.booleans(),
    ),
    st.builds(  # names as people write them, and some that are no name at all
        lambda therapies, conditions: (
            b"losses = 3\ntreatments_failed = "
            + listed(therapies)
            + b"\nconditions = "
            + listed(conditions)
            + b"\n"
        ),
        st.lists(st.sampled_from(SPELLINGS) | st.text(ANY_CHAR, max_size=12), max_size=4),
        st.lists(
            st.sampled_from(CONDITIONS).map(str.upper) | st.text(ANY_CHAR, max_size=12),
            max_size=4,
        ),
    ),
)
KINDS = ["file", "fifo", "directory", "dev-zero", "dangling", "loop", "sparse-2MB"]


def make(folder: Path, kind: str, content: bytes) -> Path:
    path = folder / f"profile-{next(_counter)}.toml"
    if kind == "file":
        path.write_bytes(content)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "dangling":
        path.symlink_to(folder / "nowhere")
    elif kind == "loop":
        path.symlink_to(path)
    else:
        with path.open("wb") as handle:
            handle.write(content)
            handle.truncate(2 * 1024 * 1024)
    return path


@fuzz_settings(80)
@given(kind=st.sampled_from(KINDS) | st.just("file"), content=contents)
@example(kind="fifo", content=b"")
@example(kind="file", content=b"losses = " + b"1" * 4301 + b"\n")
@example(kind="file", content=b"x = " + b"[" * 1000 + b"]" * 1000 + b"\n")
def test_any_profile_file_is_read_or_refused_in_one_line(
    run_cli: RunCli, folder: Path, kind: str, content: bytes
) -> None:
    path = make(folder, kind, content)
    with no_hang():
        code, out, err = run_cli("wizard", "--answers", str(path), "--format", "json")
    assert "Traceback" not in out + err
    assert_no_raw_controls(out, err)
    assert code in (ExitCode.OK, ExitCode.INVALID_PROFILE, ExitCode.FILE_ERROR), (code, err)
    if code != ExitCode.OK:
        assert out == ""
        assert_one_error(err)
    if kind != "file":
        assert code == ExitCode.FILE_ERROR, err


# -- what is typed at a number prompt ---------------------------------------------------------

DIGIT_LIKE = [
    "²",
    "¹",
    "³",
    "①",
    "٣",
    "\uff13",
    "߃",
    "\U0001d7d1",  # MATHEMATICAL BOLD DIGIT THREE
    "Ⅲ",
    "½",
    "⁰",
    "₃",
    "-",
    "+",
    ".",
    "_",
    " ",
]
typed = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    st.text(st.sampled_from(DIGIT_LIKE + list("0123456789")), min_size=1, max_size=12),
    st.integers(1, 6000).map(lambda n: "7" * n),
)


def whole_number(text: str, low: int, high: int) -> bool:
    """The oracle: a few ASCII digits, nothing else but surrounding space, within range."""
    text = text.strip()
    return (
        text != ""
        and all("0" <= ch <= "9" for ch in text)
        and len(text) <= 6
        and low <= int(text) <= high
    )


@fuzz_settings(400)
@given(text=typed)
@example(text="²")
@example(text="5" * 5000)
def test_the_number_check_never_raises_and_takes_only_whole_numbers(text: str) -> None:
    verdict = number_check(0, 30)(text)
    assert (
        verdict is True
        if whole_number(text, 0, 30)
        else verdict == ("enter a whole number from 0 to 30")
    )


def keyable(text: str) -> bool:
    """Text a person types as characters (control keys are keystrokes, not text)."""
    return not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text)


@fuzz_settings(5)
@given(text=typed.filter(lambda t: keyable(t) and not whole_number(t, 0, 30)))
@example(text="²")
@example(text="5" * 5000)
def test_the_interview_asks_again_whatever_is_typed(text: str) -> None:
    """Typed at "Pregnancy losses?", then a 3: the next question comes; then Ctrl-C ends it."""
    keys = [ENTER, text + ENTER + CLEAR_LINE + "3" + ENTER]
    with no_hang(20):
        result = run_interview(keys)  # a Ctrl-C is queued after the keys
    assert result.code == ExitCode.INTERRUPTED
    assert result.stderr == "rmcli: error: interrupted\n"
    # the losses question was answered 3 (what was typed first was refused), then came the next
    assert re.search(r"RCOG\)\n +3\n\? Previous live births\?", result.screen), result.screen
    assert "Traceback" not in result.screen and "Press ENTER" not in result.screen
