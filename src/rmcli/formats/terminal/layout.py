"""Lines for the terminal: wrapping by terminal cells at word boundaries; Rich only for styles.

Writers build a Page of lines, each a list of (text, style) spans, already wrapped to the
canvas width at word boundaries (a word longer than a line breaks after a hyphen or slash
before it breaks anywhere else). Knowledge-base text is only ever a span's text, never Rich
markup. Plain output (a pipe, or no styles) is the spans joined, with no trailing spaces;
styled output goes through Rich, which only turns styles into escape sequences.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence

from rmcli.environment import Canvas
from rmcli.text import clean

Span = tuple[str, str]  # (text, Rich style; "" for none)
Line = list[Span]
Cell = list[Span]  # paragraphs of a grid cell, each wrapped on its own


@functools.cache
def _char_cells(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    """Width of `text` in terminal cells (CJK characters take two, combining marks none)."""
    if text.isascii():
        return len(text)
    return sum(_char_cells(ch) for ch in text)


def _cut(word: str, room: int) -> tuple[str, str]:
    """Split `word` so the head fits `room` cells: after a hyphen or slash if possible."""
    taken, width = 0, 0
    for index, ch in enumerate(word):
        width += _char_cells(ch)
        if width > room:
            break
        taken = index + 1
    head = word[:taken]
    for mark in ("-", "/", "–"):
        at = head.rfind(mark)
        if at >= 1:
            return word[: at + 1], word[at + 1 :]
    taken = max(taken, 1)  # always progress, even when not one character fits
    return word[:taken], word[taken:]


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Greedy wrap of one paragraph at word boundaries, by terminal cells."""
    lines: list[str] = []
    line, used, blank = first, cells(first), True
    rest_width = cells(rest)
    for word in clean(text).split():
        size = cells(word)
        if used + size + (0 if blank else 1) <= width:
            line += ("" if blank else " ") + word
            used, blank = used + size + (0 if blank else 1), False
            continue
        if not blank:  # a new line first; break the word only if it fits no line at all
            lines.append(line)
            line, used = rest, rest_width
        while used + cells(word) > width:
            head, word = _cut(word, max(width - used, 1))
            lines.append(line + head)
            line, used = rest, rest_width
        line += word
        used += cells(word)
        blank = not word
    lines.append(line)
    return [text.rstrip() for text in lines]


class Page:
    """Output being built: lines of styled spans, at most `canvas.width` cells each."""

    def __init__(self, canvas: Canvas, lines: list[Line] | None = None) -> None:
        self.canvas = canvas
        self.lines: list[Line] = lines if lines is not None else []

    @property
    def width(self) -> int:
        return self.canvas.width

    @property
    def bullet(self) -> str:
        return "•" if self.canvas.unicode else "*"

    def add(self, *spans: Span) -> None:
        self.lines.append([s for s in spans if s[0]])

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append([])

    def text(self, text: str, style: str = "", first: str = "", rest: str = "") -> None:
        for index, paragraph in enumerate(clean(text).split("\n")):
            lead = first if index == 0 else rest
            for line in wrap(paragraph, self.width, lead, rest):
                self.add((line, style))

    def item(self, text: str, style: str = "", indent: str = "") -> None:
        """A bullet point: the mark, then text wrapped under itself."""
        self.text(text, style, first=f"{indent}{self.bullet} ", rest=indent + "  ")

    def labelled(self, label: str, text: str, label_width: int) -> None:
        """'Label          value wrapped under the value column'."""
        label_width = max(label_width, cells(label))
        pad = " " * (label_width + 2)
        lines = wrap(text, self.width, pad, pad)
        for index, line in enumerate(lines):
            if index == 0:
                self.add((label.ljust(label_width + 2), "bold"), (line[len(pad) :], ""))
            else:
                self.add((line, ""))

    def flow(self, items: Sequence[Span], first: Span = ("", "")) -> None:
        """Short styled items on as few lines as fit, two spaces apart (legends, keys)."""
        line: Line = [first] if first[0] else []
        used = cells(first[0])
        gap = " " if first[0] else ""
        for text, style in items:
            size = cells(text)
            if used and used + len(gap) + size > self.width:
                self.lines.append(line)
                line, used, gap = [("  ", "")], 2, ""
            line += [(gap, ""), (text, style)]
            used += len(gap) + size
            gap = "  "
        if line:
            self.lines.append(line)

    def heading(self, title: str) -> None:
        self.blank()
        self.add((clean(title), "bold underline"))

    def extend(self, lines: Sequence[Line]) -> None:
        self.lines.extend(lines)

    def render(self) -> str:
        """The page as text; any span a writer did not clean is cleaned here (rmcli.text), so
        nothing reaches the terminal raw."""
        if not self.canvas.styles:
            return "".join(
                clean("".join(t for t, _ in line)).rstrip() + "\n" for line in self.lines
            )
        return _styled(self.lines, self.canvas)


def _styled(lines: Sequence[Line], canvas: Canvas) -> str:
    """The lines with their styles as escape sequences (Rich does the styling, nothing else)."""
    import io

    from rich.console import Console
    from rich.text import Text

    text = Text()
    for line in lines:
        spans = list(line)
        while spans and not spans[-1][0].rstrip():  # no trailing spaces, styled or not
            spans.pop()
        if spans:
            spans[-1] = (spans[-1][0].rstrip(), spans[-1][1])
        for content, style in spans:
            text.append(clean(content), style or None)
        text.append("\n")
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        no_color=not canvas.colour,
        color_system=canvas.colour_system,  # type: ignore[arg-type]
        width=max(canvas.width, 20),
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        soft_wrap=True,
    )
    console.print(text, end="")
    return buffer.getvalue()
