"""Shared pieces of the property-based (hypothesis) fuzz tests in tests/test_fuzz_*.py."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

RunCli = Callable[..., tuple[int, str, str]]

# Any C0 or C1 control character except newline and tab (the ones plain output may contain).
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Every Unicode character a command line can carry: surrogates cannot be encoded in argv.
# The characters that can steer a terminal or split a line are drawn far more often than
# their share of Unicode: every C0 and C1 control, DEL, line and paragraph separators,
# bidirectional overrides and isolates, the byte-order mark and the soft hyphen.
STEERING = [
    *map(chr, range(0x00, 0x20)),
    "\x7f",
    *map(chr, range(0x80, 0xA0)),
    "\u2028",
    "\u2029",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\ufeff",
    "\u00ad",
]
ANY_CHAR = st.one_of(st.sampled_from(STEERING), st.characters(exclude_categories=["Cs"]))

# A file name (no "/"): short and made of any characters, or longer than a file system allows.
FILE_NAMES = st.one_of(
    st.text(ANY_CHAR, min_size=1, max_size=40).filter(lambda name: "/" not in name),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "é", "😀"]), st.integers(200, 300)),
)


def fuzz_settings(max_examples: int) -> Any:
    """Reproducible, deadline-free settings. The budgets are small so that the whole suite
    stays within its time (README, "Development"): each example runs the real CLI.

    RMCLI_FUZZ_SCALE=N multiplies every example count, for a deeper run by hand.
    """
    return settings(
        max_examples=max_examples * int(os.environ.get("RMCLI_FUZZ_SCALE", "1")),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def assert_no_raw_controls(*streams: str) -> None:
    """Nothing echoed to the terminal may carry ESC or another C0/C1 control character."""
    for stream in streams:
        found = RAW_CONTROL.search(stream)
        assert found is None, f"raw control {found.group()!r} in output: {stream[:300]!r}"


def assert_one_error(err: str) -> str:
    """stderr as the README promises: one `rmcli: error:` line, optionally one `hint:` line."""
    assert "Traceback" not in err, err
    lines = err.removesuffix("\n").split("\n")
    assert 1 <= len(lines) <= 2, f"expected one error line (+ hint), got {err!r}"
    for line in lines:  # user input is echoed escaped, as rmcli.text.printable does it
        bad = [ch for ch in line if not ch.isprintable()]
        assert not bad, f"unescaped {bad[0]!r} (U+{ord(bad[0]):04X}) in {line!r}"
    assert lines[0].startswith("rmcli: error: "), err
    assert lines[0] != "rmcli: error: ", "empty error message"
    if len(lines) == 2:
        assert lines[1].startswith("hint: "), err
    assert err.endswith("\n"), err
    return lines[0]


# -- TOML documents as trees: key paths, and values to mutate them with --------------------------

Key = str | int
Where = tuple[Key, ...]


def key_paths(value: Any, where: Where = ()) -> Iterator[Where]:
    """Every key path below `value` (table keys and list positions)."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        yield (*where, key)
        if isinstance(item, dict | list):
            yield from key_paths(item, (*where, key))


def at(data: Any, where: Where) -> Any:
    for key in where:
        data = data[key]
    return data


toml_scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.text(ANY_CHAR, max_size=12),
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=5,
)
