"""Knowledge-base problems and the error that carries them to the user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rmcli.errors import KnowledgeBaseError
from rmcli.text import printable

if TYPE_CHECKING:
    from rmcli.kb.model import KnowledgeBase


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return printable(f"{where}: {self.message}", limit=2000)


class InvalidKnowledgeBase(KnowledgeBaseError):
    """A knowledge base with problems; `built` is the knowledge base when every file was
    well-formed and only cross-file checks failed (`files`: therapy id to file name), so that
    `kb validate` can check its wording too and list every problem at once."""

    def __init__(
        self,
        location: str,
        problems: list[Problem],
        *,
        built: KnowledgeBase | None = None,
        files: dict[str, str] | None = None,
    ) -> None:
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"knowledge base {location} is invalid ({count} {noun}); first: {problems[0]}",
            hint="run `rmcli kb validate"
            + ("" if location == "(bundled)" else f" {location}")
            + "` to list every problem",
            details=[str(p) for p in problems],
        )
        self.problems = problems
        self.built = built
        self.files = files or {}
