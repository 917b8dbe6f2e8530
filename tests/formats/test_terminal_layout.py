"""The terminal layout kit: wrapping by cells at word boundaries, grids, plain and styled."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from rmcli.environment import Canvas
from rmcli.formats.terminal.grid import fit, grid
from rmcli.formats.terminal.layout import Page, cells, wrap

SGR = re.compile(r"\x1b\[[0-9;]*m")
WORDS = st.lists(
    st.text(st.sampled_from("abcdefghij-/中文é"), min_size=1, max_size=30), min_size=0, max_size=30
)


def test_cells_count_terminal_columns() -> None:
    assert cells("abc") == 3
    assert cells("中文") == 4
    assert cells("e\u0301") == 1  # a combining accent takes no column
    assert cells("TNF-α") == 5


@given(words=WORDS, width=st.integers(4, 60))
def test_wrapped_lines_never_exceed_the_width(words: list[str], width: int) -> None:
    text = " ".join(words)
    lines = wrap(text, width, "• ", "  ")
    assert all(cells(line) <= width for line in lines), lines
    assert "".join("".join(lines).split()).replace("•", "") == "".join(text.split())


def test_cjk_text_is_wrapped_by_cells_not_characters() -> None:
    lines = wrap("中文字符" * 12, 40)
    assert all(cells(line) <= 40 for line in lines)
    assert max(cells(line) for line in lines) >= 38


def test_a_word_is_only_split_when_no_line_could_hold_it() -> None:
    lines = wrap("recurrent antiphospholipid-associated miscarriage", 20)
    assert lines == ["recurrent", "antiphospholipid-", "associated", "miscarriage"]
    assert wrap("short words only here", 10) == ["short", "words only", "here"]


def test_fit_shrinks_the_widest_column_first() -> None:
    assert fit([10, 50, 40], [5, 10, 10], 70) == [10, 30, 30]
    assert fit([10, 20], [5, 5], 40) == [10, 20]
    assert fit([30, 30], [20, 20], 30) is None


def test_grid_lines_are_all_as_wide_as_the_table() -> None:
    canvas = Canvas(width=40, terminal=True)
    lines = grid(
        canvas,
        [[[("one two three four five", "")], [("x", "")]], [[("a", "")], [("b c", "")]]],
        [10, 6],
        header=["left", "right"],
    )
    rendered = ["".join(text for text, _ in line) for line in lines]
    assert len({cells(line) for line in rendered}) == 1
    assert rendered[0].startswith("╭") and rendered[-1].startswith("╰")
    ascii_lines = grid(Canvas(width=40), [[[("a", "")], [("b", "")]]], [3, 3])
    assert "".join(t for t, _ in ascii_lines[0]).startswith("+")


def test_grid_wraps_a_tall_cell_whole() -> None:
    lines = grid(Canvas(), [[[("a b c d e f g h", "")]]], [3], box=False)
    assert ["".join(t for t, _ in line).strip() for line in lines] == ["a b", "c d", "e f", "g h"]


def test_plain_pages_have_no_trailing_spaces_and_styled_ones_the_same_text() -> None:
    page = Page(Canvas(width=30))
    page.add(("x   ", "bold"), ("", ""))
    page.text("a long sentence that has to wrap over lines", "italic")
    page.item("a bullet point that wraps as well, twice over")
    plain = page.render()
    assert all(line == line.rstrip() for line in plain.splitlines())
    assert "\x1b" not in plain
    styled = Page(Canvas(width=30, styles=True, colour=True), page.lines).render()
    assert "\x1b[" in styled
    assert [line.rstrip() for line in SGR.sub("", styled).splitlines()] == plain.splitlines()


def test_no_colour_keeps_bold_but_drops_colours() -> None:
    page = Page(Canvas(width=30, styles=True, colour=False))
    page.add(("x", "bold red"))
    codes = {
        p for match in re.findall(r"\x1b\[([0-9;]*)m", page.render()) for p in match.split(";")
    }
    assert "1" in codes
    assert not codes & {"31", "91"}


def test_ascii_canvases_get_ascii_bullets() -> None:
    page = Page(Canvas(width=30, unicode=False))
    page.item("text")
    assert page.render() == "* text\n"
