"""References as RIS, written by rispy; imported lazily to keep startup fast.

Tags by publication form (reftext.form): TY JOUR (journal in T2), RPRT (publisher in PB), ELEC
(site in T2), BOOK (publisher in PB). AU "Family, Given" per person, a group author whole; TI;
PY; VL; IS; SP/EP from the page range; DO; AN the PMID and C2 the PMCID (as PubMed and EndNote
write them); UR; ID the knowledge-base id. RIS has no escaping and holds one value per line,
so whitespace runs (newlines included) become single spaces. rispy's numbered header before
each record ("1.") is left out: it is not part of the format.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rmcli.formats.reftext import Form, form, one_line, page_range, person
from rmcli.text import clean
from rmcli.views.cite import display_title

if TYPE_CHECKING:  # the view is imported by its command, not here
    from rmcli.environment import Canvas
    from rmcli.kb.model import Reference
    from rmcli.views.references import References

TYPES: dict[Form, str] = {"article": "JOUR", "report": "RPRT", "webpage": "ELEC", "book": "BOOK"}
# rispy's names for the tags: T2 secondary_title, PB publisher
PUBLISHER_KEY: dict[Form, str] = {
    "article": "secondary_title",
    "webpage": "secondary_title",
    "report": "publisher",
    "book": "publisher",
}


def write(refs: Sequence[tuple[str, Reference]]) -> str:
    """An RIS file with one record per reference."""
    import rispy  # type: ignore[import-untyped]

    class Writer(rispy.RisWriter):  # type: ignore[misc]
        def set_header(self, count: int) -> str:
            return ""

    records = [record(key, ref) for key, ref in refs]
    return clean(str(rispy.dumps(records, implementation=Writer)))


def references(view: References, canvas: Canvas) -> str:
    """`rmcli refs --format ...`: the view's references as an RIS file."""
    return write(view.refs)


def record(key: str, ref: Reference) -> dict[str, Any]:
    """The reference as a rispy record (rispy's field names, e.g. `secondary_title` for T2)."""
    shape = form(ref)
    entry: dict[str, Any] = {"type_of_reference": TYPES[shape], "id": one_line(key)}
    if ref.authors:
        entry["authors"] = [_author(one_line(author)) for author in ref.authors]
    title = display_title(ref)
    if title:
        entry["title"] = one_line(title)
    if ref.journal:
        entry[PUBLISHER_KEY[shape]] = one_line(ref.journal)
    if ref.year is not None:
        entry["year"] = str(ref.year)
    if ref.volume:
        entry["volume"] = one_line(ref.volume)
    if ref.issue:
        entry["number"] = one_line(ref.issue)
    if ref.pages:
        first, last = page_range(one_line(ref.pages))
        entry["start_page"] = first
        if last:
            entry["end_page"] = last
    if ref.doi:
        entry["doi"] = one_line(ref.doi)
    if ref.pmid:
        entry["accession_number"] = one_line(ref.pmid)
    if ref.pmcid:
        entry["custom2"] = one_line(ref.pmcid)
    if ref.url:
        entry["urls"] = [one_line(ref.url)]
    return entry


def _author(author: str) -> str:
    split = person(author)
    return f"{split[0]}, {split[1]}" if split else author
