"""Resolve what a user types to a therapy by id, name or alias; forgiving, but never guessing."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from rmcli.errors import UsageError
from rmcli.text import GREEK, printable

if TYPE_CHECKING:
    from rmcli.kb.model import KnowledgeBase

MAX_NAME_LENGTH = 200


class Named(Protocol):
    @property
    def name(self) -> str: ...


def normalize(name: str) -> str:
    """Fold case, Greek letters, accents, spaces, hyphens and punctuation: `TNF-α` -> `tnfalpha`."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    text = "".join(GREEK.get(ch, ch) for ch in text)
    # Drop accents (combining marks) and punctuation, but keep every letter: a name with a
    # Cyrillic or CJK letter in it must not fold into a known therapy.
    return "".join(ch for ch in text if ch.isalnum() and unicodedata.category(ch) != "Mn")


class UnknownName(UsageError):
    """A name that resolves to nothing: one line, and one hint, either a did-you-mean or
    (with no close name) `fallback`, which says where the names are."""

    def __init__(
        self, what: str, name: str, suggestions: list[tuple[str, str]], fallback: str | None
    ) -> None:
        hint = f"did you mean {printable(shown(suggestions), limit=300)}?" if suggestions else None
        super().__init__(f"no {what} named '{printable(name)}'", hint=hint or fallback)
        self.name = name
        self.suggestions = suggestions


class UnknownTherapy(UnknownName):
    def __init__(self, name: str, suggestions: list[tuple[str, str]]) -> None:
        super().__init__("therapy", name, suggestions, "run `rmcli list` to see every therapy")


def shown(suggestions: Iterable[tuple[str, str]]) -> str:
    """'ivig (Intravenous immunoglobulin), maternal-risks': the name only where it adds."""
    return ", ".join(
        key if normalize(full) == normalize(key) else f"{key} ({full})" for key, full in suggestions
    )


class NameIndex:
    """Normalized names of every item (therapies, targets, sections, ...), for exact lookup
    and suggestions. Every name a user types goes through one of these."""

    def __init__(
        self,
        entries: Iterable[tuple[str, str, Iterable[str]]],
        *,
        what: str = "therapy",
        fallback: str | None = None,  # the hint when nothing is close: where the names are
    ) -> None:
        self.what = what
        self.fallback = fallback
        self._entries = [(key, full_name, tuple(names)) for key, full_name, names in entries]
        self._full_name = {key: full_name for key, full_name, _ in self._entries}
        self._normalized: dict[str, str] | None = None

    @property
    def _owner(self) -> dict[str, str]:
        """Normalized name -> key; built on the first name that is not a key as typed (most
        names are, and normalizing every name costs more than the rest of a lookup)."""
        if self._normalized is None:
            self._normalized = {}
            for key, full_name, names in self._entries:
                for name in (key, full_name, *names):
                    self._normalized.setdefault(normalize(name), key)
        return self._normalized

    def keys(self) -> list[str]:
        """Every item's key (id), in the order given."""
        return list(self._full_name)

    def find(self, name: str) -> str | None:
        """The key `name` stands for, or None."""
        if name in self._full_name:
            return name
        return self._owner.get(normalize(name))

    def resolve(self, name: str) -> str:
        """The key `name` stands for, or UnknownName (UnknownTherapy) with a did-you-mean."""
        found = self.find(name)
        if found is not None:
            return found
        raise self.unknown(name)

    def unknown(self, name: str) -> UnknownName:
        suggestions = self.suggest(normalize(name))
        if self.what == "therapy":
            return UnknownTherapy(name, suggestions)
        return UnknownName(self.what, name, suggestions, self.fallback)

    def suggest(self, key: str) -> list[tuple[str, str]]:
        """Up to three (key, full name) close to the normalized `key`, closest first."""
        if not key or len(key) > MAX_NAME_LENGTH:
            return []
        import difflib

        close = difflib.get_close_matches(key, self._owner, n=12, cutoff=0.6)
        close += [k for k in self._owner if len(key) >= 3 and (k.startswith(key) or key in k)]
        keys: list[str] = []
        for match in close:
            owner = self._owner[match]
            if owner not in keys:
                keys.append(owner)
        return [(k, self._full_name[k]) for k in keys[:3]]


def name_index(kb: KnowledgeBase) -> NameIndex:
    """Therapies by id, name or alias."""
    return NameIndex((t.id, t.name, t.aliases) for t in kb.therapies)


def target_index(kb: KnowledgeBase) -> NameIndex:
    """Immune targets by id, name, abbreviation or a part of a name ("TNF-α" of
    "TNF-α / IFN-γ"), as `rmcli targets` shows them."""
    targets = kb.vocabulary.targets
    choices = ", ".join(f"{t.abbrev or key} ({key})" for key, t in targets.items())
    return NameIndex(
        (
            (key, t.name, [t.abbrev or "", *(part for part in t.name.split(" / ") if part)])
            for key, t in targets.items()
        ),
        what="target",
        fallback=f"choose one of: {choices}",
    )


def term_index(terms: Mapping[str, Named], what: str) -> NameIndex:
    """Vocabulary terms (conditions, autoimmune diseases) by id or name."""
    return NameIndex(
        ((key, term.name, ()) for key, term in terms.items()),
        what=what,
        fallback=f"choose one of: {', '.join(terms)}",
    )
