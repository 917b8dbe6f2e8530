"""Text hygiene: nothing from a file or from the user may steer the terminal."""

from __future__ import annotations

import pytest

from rmcli.text import clean, printable

STEERING = [
    *(chr(i) for i in range(0x20) if chr(i) not in "\n\t"),
    *(chr(i) for i in range(0x7F, 0xA0)),
    "\u061c",
    "\u200e",
    "\u200f",
    "\u2028",
    "\u2029",
    *(chr(i) for i in range(0x202A, 0x202F)),
    *(chr(i) for i in range(0x2066, 0x206A)),
    "\ufeff",
]


def controls(text: str) -> list[str]:
    return [ch for ch in text if ch in STEERING]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain text", "plain text"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),  # CSI: clear screen, shown rather than run
        ("a\x1b[1;31mred\x1b[0mb", "a\\x1b[1;31mred\\x1b[0mb"),  # SGR colours
        ("a\x1b]8;;http://e\x07link\x1b]8;;\x07b", "a\\x1b]8;;http://e\\x07link\\x1b]8;;\\x07b"),
        ("a\x1b]0;title\x1b\\b", "a\\x1b]0;title\\x1b\\b"),  # OSC, ST-terminated
        ("a\x00b\x07c\x08d\x7fe", "a\\x00b\\x07c\\x08d\\x7fe"),  # C0 and DEL
        ("a\x9b31mb", "a\\x9b31mb"),  # C1 CSI introducer
        ("a\rb", "a\\x0db"),  # a carriage return could overwrite a line
        ("one\r\ntwo", "one\ntwo"),  # a Windows line end is a line end
        ("abc\u202edef\u2066x\u2069", "abc\\u202edef\\u2066x\\u2069"),  # bidi override, isolate
        ("a\u2028b\ufeffc", "a\\u2028b\\ufeffc"),  # line separator, byte-order mark
        ("line one\nline two\tend", "line one\nline two\tend"),  # newlines and tabs stay
        ("TNF-α ⊕○○○ – ’\u00a0x", "TNF-α ⊕○○○ – ’\u00a0x"),  # ordinary Unicode stays
        ("[bold]x[/bold] [sic]", "[bold]x[/bold] [sic]"),  # brackets are text, not markup
    ],
)
def test_clean_shows_steering_characters_as_escapes(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_clean_leaves_no_steering_character_and_is_idempotent() -> None:
    hostile = "".join(STEERING) + "\x1b[2J\x1b]8;;x\x07"
    assert controls(clean(hostile)) == []
    assert clean(clean(hostile)) == clean(hostile)


def test_printable_escapes_control_characters() -> None:
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("tab\there\nnew") == "tab\\x09here\\x0anew"
    assert printable("TNF-α") == "TNF-α"
    assert controls(printable("".join(chr(i) for i in range(0xA0)), limit=10_000)) == []


def test_printable_cuts_long_input() -> None:
    shown = printable("x" * 10_000)
    assert len(shown) == 60
    assert shown.endswith("…")
    assert printable("y" * 60) == "y" * 60
    assert len(printable("z" * 100, limit=20)) == 20


def test_one_greek_table_serves_name_lookup_and_degraded_output() -> None:
    from rmcli.kb.lookup import normalize
    from rmcli.text import GREEK
    from rmcli.transliterate import degrade

    for letter, name in GREEK.items():
        assert normalize(f"TNF-{letter}") == normalize(f"TNF-{name}") == f"tnf{name}"
        assert degrade(f"TNF-{letter}", "ascii") == f"TNF-{name}"
    assert degrade("50 µg daily", "ascii") == "50 ug daily"  # the micro sign, not the letter
