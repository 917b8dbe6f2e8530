"""Shared pieces of the property-based (hypothesis) fuzz tests in tests/test_fuzz_*.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

RunCli = Callable[..., tuple[int, str, str]]

# Any C0 or C1 control character except newline and tab (the ones plain output may contain).
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Every Unicode character a command line can carry: surrogates cannot be encoded in argv.
ANY_CHAR = st.characters(exclude_categories=["Cs"])


def fuzz_settings(max_examples: int) -> Any:
    """Reproducible, deadline-free settings; the fuzz suite must stay well under 60 s."""
    return settings(
        max_examples=max_examples,
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
    lines = err.splitlines()
    assert 1 <= len(lines) <= 2, f"expected one error line (+ hint), got {err!r}"
    assert lines[0].startswith("rmcli: error: "), err
    assert lines[0] != "rmcli: error: ", "empty error message"
    if len(lines) == 2:
        assert lines[1].startswith("hint: "), err
    assert err.endswith("\n"), err
    return lines[0]
