"""Text hygiene: nothing from a file or from the user may steer the terminal or the reader.

One rule for every text that came from a file (knowledge base, profile, references), with one
function per medium:

- `clean` (the terminal, and the base of every other medium): each character that could steer
  a terminal or reorder what is read — C0 and C1 controls but newline and tab (so ESC, which
  starts every escape sequence), bidirectional overrides, isolates and marks, line and
  paragraph separators, the byte-order mark — is shown as a visible escape (`\\x1b`,
  `\\u202e`), never dropped silently and never passed on raw;
- `markdown`: `clean`, then nothing that Markdown would read as HTML, a link, an image or a
  link definition; `inert_markdown` applies the same to a whole document and lets a bare
  address become a link only when the references hold it;
- `csv_cell`: `clean`, then a cell that a spreadsheet would run as a formula gets a `'`;
- `json_safe`: a JSON document with the same characters as `\\u` escapes (lossless);
- `printable`: what a user typed, echoed in a message: every non-printable character escaped,
  long input cut short.
BibTeX and RIS are built from `clean` text by their writers (rmcli.formats.bibtex, ris).
"""

from __future__ import annotations

import re
from collections.abc import Collection

# Greek letters the field writes in names (TNF-α, IFN-γ), spelled out in Latin letters: name
# lookup folds `TNF-α` and `TNF-alpha` together, and output that cannot hold α degrades to it.
GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
}

# Steering characters: C0 but tab and newline, DEL, C1, ALM, LRM, RLM, line and paragraph
# separators, the bidi embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069),
# and the byte-order mark.
_STEERING = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
# What Markdown (GitHub-flavoured) would read as markup that leaves the page or runs: an HTML
# tag or comment, a link or image (`](`, `![`), a reference link or definition (`][`, `]:`).
_MARKDOWN_ACTIVE = re.compile(r"<(?=[A-Za-z/!?])|!(?=\[)|\](?=[(\[:])")
# A bare address where GFM makes it a link: at the start, after a space, `*`, `_`, `~` or `(`.
_AUTOLINK = re.compile(r"(?:^|(?<=[\s*_~(]))(?:(?i:https?|ftp)(?=://)|(?i:www)(?=\.))[^\s<]*")
_URL_TRAILER = "?!.,:*_~"  # GFM leaves these out of an address's end
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape(ch: str) -> str:
    code = ord(ch)
    return (
        f"\\x{code:02x}"
        if code <= 0xFF
        else f"\\u{code:04x}"
        if code <= 0xFFFF
        else f"\\U{code:08x}"
    )


def clean(text: str) -> str:
    """Text from a file, safe for the terminal: steering characters shown as escapes (a
    Windows line end is a line end)."""
    return _STEERING.sub(lambda m: _escape(m.group()), text.replace("\r\n", "\n"))


def _inert(match: re.Match[str]) -> str:
    # `]\(`, `!\[`: the character after is escaped, so a second pass finds nothing to do
    return "&lt;" if match.group() == "<" else match.group() + "\\"


def _address(found: str) -> str:
    """The address GFM would link in `found` (trailing punctuation and unbalanced `)` out)."""
    while found[-1:] in tuple(_URL_TRAILER) or (
        found.endswith(")") and found.count(")") > found.count("(")
    ):
        found = found[:-1]
    return found


def inert_markdown(text: str, links: Collection[str] = ()) -> str:
    """Markdown in which no HTML, link, image or link definition can start, and a bare address
    is a link only if it is one of `links` (the http(s) URLs the references hold).

    Idempotent, and harmless to Markdown that has none (rmcli's own writers never write them),
    so it is applied to each text and once more to the whole document.
    """

    def autolink(match: re.Match[str]) -> str:
        found = match.group()
        if _address(found) in links:
            return found
        cut = 3 if found[:4].lower() == "www." else found.index(":")
        return f"{found[:cut]}\\{found[cut:]}"  # `http\://`, `www\.`: no longer an address

    return _AUTOLINK.sub(autolink, _MARKDOWN_ACTIVE.sub(_inert, text))


def markdown(text: str) -> str:
    """Text from a file for Markdown: `clean`, backslashes kept as written, no HTML, link,
    image or definition (bare addresses are left to `inert_markdown` on the whole document,
    which knows the references' URLs)."""
    return _MARKDOWN_ACTIVE.sub(_inert, clean(text).replace("\\", "\\\\"))


def csv_cell(text: str) -> str:
    """Text from a file for a CSV cell: `clean`, and never read as a formula (OWASP)."""
    text = clean(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def json_safe(document: str) -> str:
    """A JSON document whose DEL, C1 and bidi characters (JSON encoders leave them raw) are
    `\\u` escapes: the same strings for a program, nothing that steers a terminal."""
    return _STEERING.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def printable(text: str, limit: int = 60) -> str:
    """User input made safe to echo: control characters escaped, long input cut short."""
    safe = "".join(ch if ch.isprintable() else _escape(ch) for ch in text)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"
