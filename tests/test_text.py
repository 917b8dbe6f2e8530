"""Text hygiene: nothing from a file or from the user may steer the terminal."""

from __future__ import annotations

import pytest

from rmcli.text import clean, printable


def controls(text: str) -> list[str]:
    return [ch for ch in text if ch not in "\n\t" and (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain text", "plain text"),
        ("a\x1b[2Jb", "ab"),  # CSI: clear screen
        ("a\x1b[1;31mred\x1b[0mb", "aredb"),  # SGR colours
        ("a\x1b]8;;http://e\x07link\x1b]8;;\x07b", "alinkb"),  # OSC 8 hyperlink, BEL-terminated
        ("a\x1b]0;title\x1b\\b", "ab"),  # OSC, ST-terminated
        ("a\x1bcb", "acb"),  # RIS (full reset): ESC goes, the "c" is plain text
        ("a\x00b\x07c\x08d\x7fe", "abcde"),  # C0 and DEL
        ("a\x9b31mb", "a31mb"),  # C1 CSI introducer removed; the rest is harmless text
        ("a\rb", "ab"),  # carriage return could overwrite a line
        ("line one\nline two\tend", "line one\nline two\tend"),  # newlines and tabs stay
        ("TNF-α ⊕○○○ – ’", "TNF-α ⊕○○○ – ’"),  # ordinary Unicode stays
        ("[bold]x[/bold] [sic]", "[bold]x[/bold] [sic]"),  # brackets are text, not markup
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_clean_leaves_no_control_characters() -> None:
    hostile = "".join(chr(i) for i in range(0xA0)) + "\x1b[2J\x1b]8;;x\x07"
    assert controls(clean(hostile)) == []


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
