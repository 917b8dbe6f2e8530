"""`rmcli kb diff`: what changed between two knowledge bases, grouped for reading."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import msgspec

from rmcli.kb.diff import Difference
from rmcli.text import clean
from rmcli.views import ViewKind

SHORT = 160


class DiffView(msgspec.Struct, frozen=True, kw_only=True):
    kind: ClassVar[ViewKind] = ViewKind.diff
    old: str
    new: str
    differences: list[Difference]

    @property
    def title(self) -> str:
        return f"Knowledge-base changes: {self.old} -> {self.new}"


def shorten(value: Any, limit: int = SHORT) -> str:
    """A value for reading: text as is, anything else as compact JSON; long ones cut."""
    text = clean(value if isinstance(value, str) else msgspec.json.encode(value).decode())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diff_view(old: Path, new: Path, differences: list[Difference]) -> DiffView:
    return DiffView(old=str(old), new=str(new), differences=differences)
