"""Output in any encoding: text that the output cannot encode degrades instead of failing.

`rmcli show ivig > notes.txt` on a machine whose files default to cp1252, or a terminal set to
ASCII, must still get readable output and exit 0. Known characters get readable stand-ins
(`TNF-α` becomes `TNF-alpha`, box lines become `-` and `|`); accents are dropped; anything
else becomes `?`. JSON keeps every character, escaped as `\\u` and four hex digits.
"""

from __future__ import annotations

import codecs
import functools
import re

from rmcli.text import GREEK

FALLBACKS: dict[str, str] = {
    **GREEK,
    "\u00b5": "u",  # the micro sign, as SI writes it in ASCII: 50 µg -> 50 ug
    "–": "-",
    "—": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",
    "’": "'",
    "\u2018": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "·": "-",
    "•": "*",
    "≥": ">=",
    "≤": "<=",
    "\u00d7": "x",
    "→": "->",
    "←": "<-",
    "±": "+/-",
    "²": "2",
    "³": "3",
    "°": " deg",
    "⊕": "+",
    "○": "o",
    "●": "*",
    "◐": "+",
    "✕": "x",
    "◇": "<>",
    "■": "#",
    "│": "|",
    "┃": "|",
    "║": "|",
    "─": "-",
    "━": "-",
    "═": "=",
    "┼": "+",
    "┬": "+",
    "┴": "+",
    "├": "+",
    "┤": "+",
    "╭": "+",
    "╮": "+",
    "╰": "+",
    "╯": "+",
    "┌": "+",
    "┐": "+",
    "└": "+",
    "┘": "+",
    "\u00a0": " ",
}
UNICODE_SAMPLE = "│─┼■●◐○✕◇⊕–’α·•"


@functools.cache
def _codec(encoding: str | None) -> str:
    try:
        return codecs.lookup(encoding or "utf-8").name
    except LookupError:
        return "ascii"


def can_encode(text: str, encoding: str | None) -> bool:
    codec = _codec(encoding)
    if codec.startswith("utf"):
        return True
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def degrade(text: str, encoding: str | None) -> str:
    """`text` with every character `encoding` cannot hold replaced by a readable stand-in."""
    codec = _codec(encoding)
    if codec.startswith("utf") or can_encode(text, codec):
        return text
    return "".join(_stand_in(ch, codec) for ch in text)


@functools.cache
def _stand_in(ch: str, codec: str) -> str:
    for candidate in (ch, FALLBACKS.get(ch), _without_accents(ch)):
        if candidate and can_encode(candidate, codec):
            return candidate
    return "?"


def _without_accents(ch: str) -> str:
    import unicodedata  # only when output degrades

    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if base != ch else ""


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def escape_xml(text: str, encoding: str | None) -> str:
    """XML or HTML whose non-encodable characters become character references."""
    if can_encode(text, encoding):
        return text
    return _NON_ASCII.sub(lambda m: f"&#x{ord(m.group()):x};", text)


def for_output(text: str, mode: str, encoding: str | None) -> str:
    """`text` made safe for `encoding`: mode "json" and "xml" escape, "text" degrades."""
    if mode == "json":
        return escape_json(text, encoding)
    if mode == "xml":
        return escape_xml(text, encoding)
    return degrade(text, encoding)


def escape_json(text: str, encoding: str | None) -> str:
    """JSON text whose non-encodable characters (all inside strings) become `\\u` escapes."""
    if can_encode(text, encoding):
        return text

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code > 0xFFFF:
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"

    return _NON_ASCII.sub(escape, text)
