"""Resolve what a user types to a therapy by id, name or alias; forgiving, but never guessing."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rmcli.errors import UsageError
from rmcli.text import GREEK, printable

if TYPE_CHECKING:
    from rmcli.kb.model import KnowledgeBase

MAX_NAME_LENGTH = 200


def normalize(name: str) -> str:
    """Fold case, Greek letters, accents, spaces, hyphens and punctuation: `TNF-α` -> `tnfalpha`."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    text = "".join(GREEK.get(ch, ch) for ch in text)
    # Drop accents (combining marks) and punctuation, but keep every letter: a name with a
    # Cyrillic or CJK letter in it must not fold into a known therapy.
    return "".join(ch for ch in text if ch.isalnum() and unicodedata.category(ch) != "Mn")


class UnknownTherapy(UsageError):
    def __init__(self, name: str, suggestions: list[tuple[str, str]]) -> None:
        hint = None
        if suggestions:
            names = ", ".join(f"{tid} ({full})" for tid, full in suggestions)
            hint = f"did you mean {printable(names, limit=300)}?"
        super().__init__(
            f"no therapy named '{printable(name)}'",
            hint=hint or "run `rmcli list` to see every therapy",
        )
        self.suggestions = suggestions


class NameIndex:
    """Normalized names of every therapy, for exact lookup and suggestions."""

    def __init__(self, entries: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        self._owner: dict[str, str] = {}
        self._full_name: dict[str, str] = {}
        for therapy_id, full_name, names in entries:
            self._full_name[therapy_id] = full_name
            for name in (therapy_id, full_name, *names):
                self._owner.setdefault(normalize(name), therapy_id)

    def resolve(self, name: str) -> str:
        """The id `name` stands for, or UnknownTherapy with up to three suggestions."""
        key = normalize(name)
        if key in self._owner:
            return self._owner[key]
        raise UnknownTherapy(name, self.suggest(key))

    def suggest(self, key: str) -> list[tuple[str, str]]:
        if not key or len(key) > MAX_NAME_LENGTH:
            return []
        import difflib

        close = difflib.get_close_matches(key, self._owner, n=12, cutoff=0.6)
        close += [k for k in self._owner if len(key) >= 3 and (k.startswith(key) or key in k)]
        ids: list[str] = []
        for match in close:
            owner = self._owner[match]
            if owner not in ids:
                ids.append(owner)
        return [(tid, self._full_name[tid]) for tid in ids[:3]]


def name_index(kb: KnowledgeBase) -> NameIndex:
    return NameIndex((t.id, t.name, t.aliases) for t in kb.therapies)
