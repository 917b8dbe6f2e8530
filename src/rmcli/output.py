"""Messages for code that runs outside a command's Environment (the interactive interview).

Commands write through `rmcli.environment.Environment`; this module gives the same one-line
messages and errors on the real stderr to the few places that have no Environment at hand.
"""

from __future__ import annotations

from rmcli.environment import Environment


def message(text: str) -> None:
    """A status message on stderr."""
    Environment().message(text)


def error(text: str, hint: str | None = None) -> None:
    """`rmcli: error: ...` on stderr, with an optional hint line."""
    Environment().error(text, hint)
