"""The terminal format: tables, colour and pictures at a terminal, plain text in a pipe.

The only place that imports Rich, and only to turn styles into escape sequences
(`layout._styled`); plain output never imports it. One module per view family.
"""

from __future__ import annotations

STATUS_STYLES = {
    "established": "green",
    "conditional": "cyan",
    "unproven": "yellow",
    "not-recommended": "red",
    "experimental": "magenta",
}
TIER_STYLES = {
    "avoid": "bold red",
    "recommended": "bold green",
    "consider": "cyan",
    "research-only": "magenta",
    "not-recommended": "yellow",
    "not-indicated": "dim",
}
