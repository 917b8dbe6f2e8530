"""References as CSL-JSON, the input format of citeproc, Zotero, Pandoc and Mendeley.

Plain JSON against the published schema (citation-style-language/schema, csl-data.json): an
array of items with `id` and `type` and the variables below. Types by publication form
(reftext.form): article-journal, report, webpage, book. The `journal` field is the item's
`container-title` for articles and web pages, and its `publisher` for reports and books.
Authors are {"family", "given"} for a person and {"literal"} for a group; `issued` is
{"date-parts": [[year]]}.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rmcli.formats.reftext import Form, form, person
from rmcli.text import json_safe
from rmcli.views.cite import display_title

if TYPE_CHECKING:  # the view is imported by its command, not here
    from rmcli.environment import Canvas
    from rmcli.kb.model import Reference
    from rmcli.views.references import References

TYPES: dict[Form, str] = {
    "article": "article-journal",
    "report": "report",
    "webpage": "webpage",
    "book": "book",
}
CONTAINER: frozenset[Form] = frozenset({"article", "webpage"})


def write(refs: Sequence[tuple[str, Reference]]) -> str:
    """A CSL-JSON array, one item per reference, keyed by its knowledge-base id."""
    items = [item(key, ref) for key, ref in refs]
    return json_safe(json.dumps(items, ensure_ascii=False, indent=2) + "\n")


def references(view: References, canvas: Canvas) -> str:
    """`rmcli refs --format ...`: the view's references as a CSL-JSON array."""
    return write(view.refs)


def item(key: str, ref: Reference) -> dict[str, Any]:
    shape = form(ref)
    data: dict[str, Any] = {"id": key, "type": TYPES[shape]}
    if ref.authors:
        data["author"] = [_name(author) for author in ref.authors]
    if display_title(ref):
        data["title"] = display_title(ref)
    if ref.journal:
        data["container-title" if shape in CONTAINER else "publisher"] = ref.journal
    if ref.year is not None:
        data["issued"] = {"date-parts": [[ref.year]]}
    optional = {
        "volume": ref.volume,
        "issue": ref.issue,
        "page": ref.pages,
        "DOI": ref.doi,
        "PMID": ref.pmid,
        "PMCID": ref.pmcid,
        "URL": ref.url,
    }
    data.update({name: value for name, value in optional.items() if value})
    return data


def _name(author: str) -> dict[str, str]:
    split = person(author)
    return {"family": split[0], "given": split[1]} if split else {"literal": author}
