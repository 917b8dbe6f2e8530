"""References as plain text, and the reading of reference fields every export format shares.

`write` gives one reference per line: the citation (rmcli.views.cite) and its identifiers, each
once, on one line whatever whitespace the fields hold. Every format's text goes through
rmcli.text.clean, so no escape sequence in a knowledge base reaches the terminal.
The helpers below are what BibTeX, RIS and CSL-JSON agree on:

- `person`: an author written "Surname Initials" ("Dhillon-Smith RK", "van Dijk MM") is a
  person, split into family name and dotted initials ("R. K."); anything else ("ESHRE
  Guideline Group on RPL", "National Institute for Health and Care Excellence") is a group
  author, kept whole. A surname word is a lowercase particle (van, de, ...) or a capitalised
  word that is not an acronym; the initials are at most four capitals, hyphens allowed.
- `form`: the publication form a reference is exported as. Articles are articles; a guideline
  or report with a volume, issue or pages was published in a journal and is an article too,
  otherwise a report (its `journal` is the publisher); web pages and books are themselves.
- `page_range`: "809-13" as ("809", "813"); a single page or article number has no end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from rmcli.text import clean
from rmcli.views.cite import citation, identifiers

if TYPE_CHECKING:  # the view is imported by its command, not here
    from rmcli.environment import Canvas
    from rmcli.kb.model import Reference
    from rmcli.views.references import References

Form = Literal["article", "report", "webpage", "book"]

PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "du", "la", "le", "ten"}
)
_INITIALS = re.compile(r"[^\W\d_](?:-?[^\W\d_]){0,3}")
_PAGES = re.compile(r"\s*[-\u2013\u2014]+\s*")


def write(refs: Sequence[tuple[str, Reference]]) -> str:
    """One line per reference: citation, then identifiers (DOI, PMID, PMCID, or the URL)."""
    return "".join(one_line(f"{citation(r)} {identifiers(r)}") + "\n" for _, r in refs)


def references(view: References, canvas: Canvas) -> str:
    """`rmcli refs --format ...`: the view's references as text, one reference per line."""
    return write(view.refs)


def person(author: str) -> tuple[str, str] | None:
    """(family, given) for "Surname Initials"; None for a group author."""
    words = author.split()
    if len(words) < 2 or len(words) > 5:
        return None
    *family, initials = words
    if not (_INITIALS.fullmatch(initials) and initials.replace("-", "").isupper()):
        return None
    if not all(_surname_word(word) for word in family) or family[-1] in PARTICLES:
        return None
    return " ".join(family), _dotted(initials)


def _surname_word(word: str) -> bool:
    if word in PARTICLES:
        return True
    letters = [ch for ch in word if ch.isalpha()]
    acronym = len(letters) >= 2 and all(ch.isupper() for ch in letters)
    return bool(letters) and word[0].isupper() and not acronym


def _dotted(initials: str) -> str:
    """'RK' -> 'R. K.'; 'J-L' -> 'J.-L.'."""
    parts = initials.split("-")
    return "-".join(" ".join(f"{ch}." for ch in part) for part in parts if part).replace(" -", "-")


def form(ref: Reference) -> Form:
    if ref.kind == "webpage" or ref.kind == "book":
        return ref.kind
    if ref.kind == "article" or ref.volume or ref.issue or ref.pages:
        return "article"
    return "report"  # a guideline or report not in a journal


def page_range(pages: str) -> tuple[str, str | None]:
    """First and last page; an abbreviated last page is written out ("2141-8" -> "2148")."""
    first, *rest = _PAGES.split(pages.strip(), maxsplit=1)
    last = rest[0] if rest and rest[0] else None
    if last and first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return first, last


def one_line(text: str) -> str:
    """Line-based formats (RIS) hold a value on one line: runs of whitespace become a space,
    and a control or bidi character a visible escape (rmcli.text.clean)."""
    return " ".join(clean(text).split())
