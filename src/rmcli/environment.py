"""The one object that knows the terminal and every setting: streams, TTY, size, colour,
encoding and pager, the knowledge base to use and the cache folder.

Nothing else in rmcli reads `os.environ` or touches `sys.stdout` for output; it asks the
Environment. Tests build one with their own streams and settings (as httpie does) instead of
patching globals.
Data goes to stdout, messages and errors to stderr; a reader that goes away (`| head -1`)
ends the run quietly with PipeClosed.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from rmcli.errors import FileError, RmcliError
from rmcli.text import printable
from rmcli.transliterate import UNICODE_SAMPLE, can_encode, degrade, for_output

DEFAULT_SIZE = (80, 24)
CHUNK = 16 * 1024


class PipeClosed(RmcliError):
    """stdout went away (e.g. `rmcli list | head -1`): stop quietly."""

    def __init__(self) -> None:
        super().__init__("")


class ClosedStream(io.TextIOBase):
    """Standard output or error that the shell closed (`>&-`, `2>&-`): Python then has None
    for it. Writing to it is writing to a reader that left: stdout ends quietly (exit 141),
    and messages for a closed stderr are dropped while the exit code still tells."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "stream closed")


class Canvas:
    """What a writer may assume about where its text goes (terminal writers use all of it).

    A plain class, not a dataclass: building a dataclass costs start-up time on every run.
    """

    __slots__ = ("colour", "colour_system", "height", "styles", "terminal", "unicode", "width")

    def __init__(
        self,
        width: int = 80,
        height: int = 24,
        *,
        terminal: bool = False,  # stdout is a terminal (rounded boxes; paging possible)
        styles: bool = False,  # emit escape sequences at all (a terminal, or FORCE_COLOR)
        colour: bool = False,  # colours too (not only bold): NO_COLOR, --no-color
        colour_system: str = "standard",  # "standard", "256" or "truecolor"
        unicode: bool = True,  # the output encoding holds box drawing and status marks
    ) -> None:
        self.width = width
        self.height = height
        self.terminal = terminal
        self.styles = styles
        self.colour = colour
        self.colour_system = colour_system
        self.unicode = unicode

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Canvas({fields})"


def _stream(given: TextIO | None, standard: TextIO | None) -> TextIO:
    """The stream given, else the standard one, else (closed by the shell) a ClosedStream."""
    chosen = given if given is not None else standard
    return chosen if chosen is not None else ClosedStream()  # type: ignore[return-value]


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


class Environment:
    """The terminal as rmcli sees it; every part can be set by a test."""

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        environ: Mapping[str, str] | None = None,
        *,
        stdout_isatty: bool | None = None,  # None: ask the stream
        interactive: bool | None = None,  # None: stdin and stdout are both terminals
        size: tuple[int, int] | None = None,  # (columns, lines); None: COLUMNS/LINES, the tty
        no_color: bool = False,  # --no-color
        no_pager: bool = False,  # --no-pager
    ) -> None:
        self.stdout: TextIO = _stream(stdout, sys.stdout)
        self.stderr: TextIO = _stream(stderr, sys.stderr)
        self.environ: Mapping[str, str] = environ if environ is not None else os.environ
        self.size = size
        self.no_color = no_color
        self.no_pager = no_pager
        if stdout_isatty is None:
            try:
                stdout_isatty = self.stdout.isatty()
            except (AttributeError, ValueError, OSError):
                stdout_isatty = False
        self.stdout_isatty = stdout_isatty
        self._interactive = interactive

    @property
    def interactive(self) -> bool:
        """Whether questions can be asked: stdin and stdout are terminals (a test driving the
        interview through a pipe says so instead)."""
        if self._interactive is None:
            try:
                self._interactive = bool(sys.stdin.isatty() and self.stdout_isatty)
            except (AttributeError, ValueError, OSError):
                self._interactive = False
        return self._interactive

    # -- settings -------------------------------------------------------------------------

    def kb_location(self, option: str | None) -> tuple[str | None, str]:
        """The knowledge base asked for and where: --kb, else $RMCLI_KB; (None, ...) for the
        bundled one."""
        if option:
            return option, "--kb"
        return self.environ.get("RMCLI_KB") or None, "$RMCLI_KB"

    def cache_folder(self) -> Path | None:
        """$RMCLI_CACHE_DIR, else $XDG_CACHE_HOME/rmcli, else ~/.cache/rmcli; None when
        $RMCLI_NO_CACHE is set."""
        if self.environ.get("RMCLI_NO_CACHE"):
            return None
        explicit = self.environ.get("RMCLI_CACHE_DIR")
        if explicit:
            return Path(explicit)
        base = self.environ.get("XDG_CACHE_HOME")
        if base:
            return Path(base) / "rmcli"
        home = self.environ.get("HOME")
        return (Path(home) if home else Path.home()) / ".cache" / "rmcli"

    # -- what the terminal is -------------------------------------------------------------

    @property
    def is_terminal(self) -> bool:
        return bool(self.stdout_isatty)

    def _size(self) -> tuple[int, int]:
        if self.size is not None:
            return self.size
        columns, lines = _int(self.environ.get("COLUMNS")), _int(self.environ.get("LINES"))
        if (columns is None or lines is None) and self.is_terminal:
            try:
                measured = os.get_terminal_size(self.stdout.fileno())
                columns, lines = columns or measured.columns, lines or measured.lines
            except (AttributeError, ValueError, OSError):
                pass
        self.size = (columns or DEFAULT_SIZE[0], lines or DEFAULT_SIZE[1])
        return self.size

    @property
    def width(self) -> int:
        return max(self._size()[0], 20)

    @property
    def height(self) -> int:
        return max(self._size()[1], 5)

    @property
    def encoding(self) -> str:
        return getattr(self.stdout, "encoding", None) or "utf-8"

    def canvas(self) -> Canvas:
        env = self.environ
        forced = env.get("FORCE_COLOR", "") != ""
        styles = (self.is_terminal or forced) and env.get("TERM") != "dumb"
        colour = styles and not self.no_color and env.get("NO_COLOR", "") == ""
        term = env.get("TERM", "")
        truecolor = env.get("COLORTERM", "") in ("truecolor", "24bit")
        system = "truecolor" if truecolor else "256" if "256" in term else "standard"
        return Canvas(
            width=self.width,
            height=self.height,
            terminal=self.is_terminal,
            styles=styles,
            colour=colour,
            colour_system=system,
            unicode=can_encode(UNICODE_SAMPLE, self.encoding),
        )

    # -- writing --------------------------------------------------------------------------

    def write(self, text: str, *, mode: str = "text") -> None:
        """Data to stdout, made safe for its encoding (`mode`: text, json or xml); a closed
        pipe ends quietly."""
        if not text.endswith("\n"):
            text += "\n"
        text = for_output(text, mode, self.encoding)
        try:
            for start in range(0, len(text), CHUNK):  # in pieces, so a reader that left
                self.stdout.write(text[start : start + CHUNK])  # is noticed promptly
                self.stdout.flush()
        except (BrokenPipeError, ValueError):  # ValueError: a stream closed meanwhile
            raise PipeClosed from None
        except OSError as error:  # e.g. stdout is a full disk (`> /dev/full`)
            raise FileError(f"cannot write standard output: {error.strerror or error}") from None

    def page(self, text: str, *, mode: str = "text") -> None:
        """Data to stdout, through the pager when stdout is a terminal and the text is taller
        than it (never in a pipe, never with --no-pager)."""
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        if self.no_pager or not self.is_terminal or lines <= self.height - 1:
            self.write(text, mode=mode)
            return
        from rmcli.pager import pager_command, run_pager

        command = pager_command(self.environ)
        safe = for_output(text, mode, self.encoding)
        if command is None or not run_pager(command, safe, self.encoding, self.environ):
            self.write(text, mode=mode)

    def message(self, text: str) -> None:
        """A status message for the user, on stderr so that stdout stays data."""
        encoding = getattr(self.stderr, "encoding", None)
        try:
            self.stderr.write(degrade(printable(text, limit=4000), encoding) + "\n")
            self.stderr.flush()
        except (OSError, ValueError):  # stderr closed, gone or full: the exit code still tells
            pass

    def error(self, text: str, hint: str | None = None) -> None:
        """One line (plus an optional hint line); control characters are shown escaped."""
        self.message(f"rmcli: error: {printable(text, limit=4000)}")
        if hint:
            self.message(f"hint: {printable(hint, limit=4000)}")
