"""What a command run shares: the Environment, the options given, the knowledge base."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from rmcli.environment import Environment
from rmcli.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from rmcli.formats import Format, View
    from rmcli.kb.model import KnowledgeBase, Therapy
    from rmcli.views import ViewKind


class Session:
    """One run of rmcli. Options may be given before or after the command; both land here."""

    def __init__(self, env: Environment | None = None) -> None:
        self.env = env or Environment()
        self.kb_path: str | None = None
        self._kb: KnowledgeBase | None = None

    def apply(
        self, *, kb: str | None = None, no_color: bool = False, no_pager: bool = False
    ) -> None:
        """Options from the root or from the command; given ones win, flags only switch on."""
        if kb is not None:
            self.kb_path = kb
            self._kb = None
        self.env.no_color = self.env.no_color or no_color
        self.env.no_pager = self.env.no_pager or no_pager

    def kb_root(self) -> Path:
        """The knowledge-base folder: --kb, else $RMCLI_KB, else the bundled one."""
        from rmcli.kb.files import locate

        return locate(*self.env.kb_location(self.kb_path))

    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            from rmcli.kb.cache import load_cached

            self._kb = load_cached(self.kb_root(), self.env.cache_folder())
        return self._kb

    @staticmethod
    def today() -> datetime.date:
        return datetime.date.today()

    def resolve(self, names: list[str], what: str = "comparison") -> list[Therapy]:
        """Therapies by id, name or alias; each at most once."""
        from rmcli.kb import name_index
        from rmcli.text import printable

        kb = self.kb()
        by_id = {t.id: t for t in kb.therapies}
        index = None
        ids = []
        for name in names:
            if name not in by_id:  # an id as typed needs no index of every name (the usual case)
                index = index or name_index(kb)
                name = index.resolve(name)
            ids.append(name)
        for position, therapy_id in enumerate(ids):
            if therapy_id in ids[:position]:
                raise UsageError(
                    f"'{printable(names[position])}' names {therapy_id}, already in the {what}",
                    hint="name each therapy once",
                )
        return [by_id[i] for i in ids]

    def show(self, view: View, fmt: Format) -> None:
        """Write `view` in `fmt` to stdout (paged at a terminal when taller than it, unless
        `fmt` is a file for another program: formats.UNPAGED)."""
        from rmcli.formats import ESCAPES, UNPAGED, render

        text = render(view, fmt, self.env.canvas())
        if fmt in UNPAGED:
            self.env.write(text, mode=ESCAPES.get(fmt, "text"))
        else:
            self.env.page(text, mode=ESCAPES.get(fmt, "text"))

    def message(self, text: str) -> None:
        self.env.message(text)


def checked_format(kind: ViewKind, fmt: Format | None, command: str) -> Format:
    """The format asked for (else the view's default, table for all but `refs`), if this
    command can write it."""
    from rmcli.formats import default, formats

    chosen = fmt or default(kind)
    offered = formats(kind)
    if chosen not in offered:
        raise UsageError(
            f"{command} cannot write {chosen.value}",
            hint=f"--format is one of: {', '.join(f.value for f in offered)}",
        )
    return chosen
