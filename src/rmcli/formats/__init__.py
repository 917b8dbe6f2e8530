"""Output formats and the registry that says which writer turns which view into which format.

One module per format (terminal, json, markdown, csv, html, svg; terminal and markdown are
packages with a module per view family, to stay readable; the reference exports reftext, bibtex,
ris and csl_json). Every writer has the same
shape, `write(view: SomeView, canvas: Canvas) -> str`, and is listed here explicitly under its
view kind and format: nothing is looked up by a built name. The registry stores module paths,
so a run imports only the writer it uses (the terminal writer is the only Rich importer).
`tests/formats/test_registry.py` checks that every entry resolves to a function taking exactly
its view type, and that every command offers only formats that resolve. A view's first format
is its command's default (table, except for `refs`, whose view is only ever an export).

Adding a format: write `rmcli/formats/NAME.py` with one function per view it serves, add the
member to `Format` and its entries to `REGISTRY` (see docs/architecture.md).
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Final, Protocol

from rmcli.environment import Canvas
from rmcli.views import ViewKind


class Format(enum.StrEnum):
    table = "table"  # the terminal: tables, colour and pictures, or plain text in a pipe
    json = "json"
    markdown = "markdown"
    csv = "csv"
    html = "html"
    svg = "svg"
    text = "text"  # plain text, one line per item (references)
    bibtex = "bibtex"
    ris = "ris"
    csl_json = "csl-json"


class Writer:
    """Where a writer lives: its module and function (a plain class: cheap to define)."""

    __slots__ = ("function", "module")

    def __init__(self, module: str, function: str) -> None:
        self.module = module
        self.function = function


class View(Protocol):
    kind: ClassVar[ViewKind]


_T = "rmcli.formats.terminal"
_J = "rmcli.formats.json"
_M = "rmcli.formats.markdown.documents"
_C = "rmcli.formats.csv"

REGISTRY: Final[Mapping[ViewKind, Mapping[Format, Writer]]] = {
    ViewKind.listing: {
        Format.table: Writer(f"{_T}.listing", "listing"),
        Format.json: Writer(_J, "listing"),
        Format.markdown: Writer(_M, "listing"),
        Format.csv: Writer(_C, "listing"),
    },
    ViewKind.monograph: {
        Format.table: Writer(f"{_T}.monograph", "monograph"),
        Format.json: Writer(_J, "monograph"),
        Format.markdown: Writer(_M, "monograph"),
    },
    ViewKind.comparison: {
        Format.table: Writer(f"{_T}.monograph", "comparison"),
        Format.json: Writer(_J, "comparison"),
        Format.markdown: Writer(_M, "comparison"),
    },
    ViewKind.matrix: {
        Format.table: Writer(f"{_T}.figures", "matrix"),
        Format.json: Writer(_J, "matrix"),
        Format.markdown: Writer(_M, "matrix"),
        Format.csv: Writer(_C, "matrix"),
    },
    ViewKind.forest: {
        Format.table: Writer(f"{_T}.figures", "forest"),
        Format.json: Writer(_J, "forest"),
        Format.markdown: Writer(_M, "forest"),
        Format.svg: Writer("rmcli.formats.svg", "forest"),
    },
    ViewKind.assessment: {
        Format.table: Writer(f"{_T}.assessment", "assessment"),
        Format.json: Writer(_J, "assessment"),
        Format.markdown: Writer("rmcli.formats.markdown.assessment", "assessment"),
        Format.html: Writer("rmcli.formats.html", "assessment"),
    },
    ViewKind.diff: {
        Format.table: Writer(f"{_T}.diff", "diff"),
        Format.json: Writer(_J, "diff"),
        Format.markdown: Writer(_M, "diff"),
    },
    ViewKind.references: {  # an export for reference managers: no table, no rmcli JSON
        Format.text: Writer("rmcli.formats.reftext", "references"),
        Format.bibtex: Writer("rmcli.formats.bibtex", "references"),
        Format.ris: Writer("rmcli.formats.ris", "references"),
        Format.csl_json: Writer("rmcli.formats.csl_json", "references"),
    },
}
# How each format's text reaches a stream that cannot encode every character.
ESCAPES: Final[Mapping[Format, str]] = {
    Format.json: "json",
    Format.html: "xml",
    Format.svg: "xml",
    Format.csl_json: "json",
}
# Files for another program (a reference manager): written straight out, never paged, even at
# a terminal, so that they can be copied whole or redirected as they are.
UNPAGED: Final[frozenset[Format]] = frozenset({Format.bibtex, Format.ris, Format.csl_json})


def formats(kind: ViewKind) -> list[Format]:
    """The formats a view can be written in, in registry order (the first is the default)."""
    return list(REGISTRY[kind])


def default(kind: ViewKind) -> Format:
    """The format a command writes its view in when --format is not given."""
    return next(iter(REGISTRY[kind]))


def load(kind: ViewKind, fmt: Format) -> Callable[[Any, Canvas], str]:
    """The writer for a view kind and format (imports its module now, not before)."""
    entry = REGISTRY[kind][fmt]
    write: Callable[[Any, Canvas], str] = getattr(
        importlib.import_module(entry.module), entry.function
    )
    return write


def render(view: View, fmt: Format, canvas: Canvas) -> str:
    """`view` written as `fmt`; KeyError if the registry has no such writer. Whatever a writer
    missed, no control or bidi character leaves raw (rmcli.text), on a stream or in a file;
    the terminal writer cleans each span itself, around its styles."""
    from rmcli.text import clean, json_safe

    text = load(view.kind, fmt)(view, canvas)
    if fmt is Format.table:
        return text
    return json_safe(text) if ESCAPES.get(fmt) == "json" else clean(text)
