"""The interview (questions as data, prompts through questionary, imported only when run)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rmcli.wizard.prompts import interview

__all__ = ["interview"]


def __getattr__(name: str) -> Any:
    if name != "interview":
        raise AttributeError(f"module 'rmcli.wizard' has no attribute {name!r}")
    from rmcli.wizard.prompts import interview

    return interview
