"""Text hygiene shared by every output: nothing from a file may steer the terminal."""

from __future__ import annotations

import re

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

# CSI/OSC/other escape sequences first, then any remaining C0/C1 control character.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Strip escape sequences and control characters; keep newlines and tabs."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def _escape(ch: str) -> str:
    code = ord(ch)
    return (
        f"\\x{code:02x}"
        if code <= 0xFF
        else f"\\u{code:04x}"
        if code <= 0xFFFF
        else f"\\U{code:08x}"
    )


def printable(text: str, limit: int = 60) -> str:
    """User input made safe to echo: control characters escaped, long input cut short."""
    safe = "".join(ch if ch.isprintable() else _escape(ch) for ch in text)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"
