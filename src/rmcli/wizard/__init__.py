"""The interview (questions as data, prompts through questionary, imported only when run)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rmcli.wizard.prompts import interview, offer_save

__all__ = ["interview", "offer_save"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'rmcli.wizard' has no attribute {name!r}")
    from rmcli.wizard import prompts

    return getattr(prompts, name)
