"""What a command run shares: the Environment, the options given, the knowledge base."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from rmcli.environment import Environment
from rmcli.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from rmcli.formats import Format, View
    from rmcli.kb.lookup import UnknownTherapy
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
        from rmcli.kb import UnknownTherapy, name_index
        from rmcli.text import printable

        kb = self.kb()
        index = name_index(kb)
        try:
            ids = [index.resolve(name) for name in names]
        except UnknownTherapy as unknown:
            raise _with_search_hint(unknown, kb) from None
        for position, therapy_id in enumerate(ids):
            if therapy_id in ids[:position]:
                raise UsageError(
                    f"'{printable(names[position])}' names {therapy_id}, already in the {what}",
                    hint="name each therapy once",
                )
        by_id = {t.id: t for t in kb.therapies}
        return [by_id[i] for i in ids]

    def show(self, view: View, fmt: Format) -> None:
        """Write `view` in `fmt` to stdout (paged at a terminal when taller than it, unless
        `fmt` is a file for another program: formats.UNPAGED); `render` has cleaned it."""
        from rmcli.formats import ESCAPES, UNPAGED, render

        text = render(view, fmt, self.env.canvas())
        if fmt in UNPAGED:
            self.env.write(text, mode=ESCAPES.get(fmt, "text"))
        else:
            self.env.page(text, mode=ESCAPES.get(fmt, "text"))

    def message(self, text: str) -> None:
        self.env.message(text)


def _with_search_hint(unknown: UnknownTherapy, kb: KnowledgeBase) -> UnknownTherapy:
    """`unknown`, whose hint also gives the search to run where one finds therapies
    (`show "NK cells"`: rmcli list --search "NK cells")."""
    from rmcli.kb.lookup import MAX_NAME_LENGTH
    from rmcli.search import filter_therapies

    name = unknown.name
    if not name.strip() or len(name) > MAX_NAME_LENGTH or not filter_therapies(kb, search=name):
        return unknown
    search = f"rmcli list --search {_quoted(name)}"
    if unknown.suggestions:
        unknown.hint = f"{unknown.hint} Or search the therapies' texts: {search}"
    else:
        unknown.hint = f"to find the therapies that mention it: {search}"
    return unknown


def _quoted(text: str) -> str:
    """`text` as a shell argument: in double quotes where that is safe, else as shlex quotes."""
    import shlex

    from rmcli.text import printable

    if text.isprintable() and not any(ch in text for ch in '"$`\\!'):
        return f'"{text}"' if shlex.quote(text) != text else text
    return printable(shlex.quote(text), limit=200)


def checked_format(kind: ViewKind, fmt: str | None, command: str) -> Format:
    """The format asked for, in any case (else the view's default, table for all but `refs`),
    if this command can write it; otherwise a did-you-mean or the formats it writes."""
    from rmcli.formats import Format, default, formats

    if fmt is None:
        return default(kind)
    from rmcli.kb.lookup import NameIndex, normalize, shown
    from rmcli.text import printable

    offered = [f.value for f in formats(kind)]
    index = NameIndex(((f, f, ()) for f in offered), what="format")
    found = index.find(fmt)
    if found is None:
        close = index.suggest(normalize(fmt))
        raise UsageError(
            f"{command} cannot write {printable(fmt)}",
            hint=f"did you mean {shown(close)}?"
            if close
            else f"--format is one of: {', '.join(offered)}",
        )
    return Format(found)
