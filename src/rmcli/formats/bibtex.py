"""References as BibTeX, written by bibtexparser (v2); imported lazily to keep startup fast.

Text fields (title, journal, publisher, names) are LaTeX-encoded by bibtexparser's
LatexEncodingMiddleware (pylatexenc): & % $ # _ { } \\ ~ become commands or escapes, and
non-ASCII letters become LaTeX accents or math (α -> \\ensuremath{\\alpha}); a straight double
quote is written {"} so that it reads back as itself. The title gets one more pair of braces,
so styles keep its capitals (IVIG, TNF-α). A group author is braced whole, so BibTeX neither
splits it at "and" nor reads its last word as a surname. Identifiers (doi, pmid, pmcid, url)
are written verbatim, as BibTeX and biblatex expect them.

Entry types by publication form (reftext.form): article -> @article (journal); report ->
@techreport (institution = publisher), or @misc without a publisher; webpage -> @misc
(howpublished = site); book -> @book (publisher).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rmcli.formats.reftext import form, person
from rmcli.text import clean
from rmcli.views.cite import display_title

if TYPE_CHECKING:
    from bibtexparser.middlewares import NameParts
    from bibtexparser.model import Field

    from rmcli.environment import Canvas
    from rmcli.kb.model import Reference
    from rmcli.views.references import References

VERBATIM = ("doi", "pmid", "pmcid", "url")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:.\-]")
_PUBLISHER_FIELD = {"article": "journal", "report": "institution", "webpage": "howpublished"}


def write(refs: Sequence[tuple[str, Reference]]) -> str:
    """A BibTeX database with one entry per reference, keyed by its knowledge-base id."""
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library
    from bibtexparser.middlewares import LatexEncodingMiddleware, MergeCoAuthors, MergeNameParts
    from bibtexparser.model import Entry, Field
    from bibtexparser.writer import BibtexFormat

    raw = Library([Entry("misc", _key(key), _text_fields(ref)) for key, ref in refs])
    encoded = LatexEncodingMiddleware(encoder=_encoder()).transform(raw)
    if encoded.failed_blocks:  # pragma: no cover - the encoder keeps what it cannot encode
        raise ValueError(f"cannot encode {encoded.failed_blocks[0]}")
    library = Library()
    for ref, entry in zip((ref for _, ref in refs), encoded.entries, strict=True):
        fields = _final_fields(entry.fields, ref)
        fields += [Field(name, value) for name, value in _verbatim(ref)]
        library.add(Entry(_entry_type(ref), entry.key, fields))
    layout = BibtexFormat()  # type: ignore[no-untyped-call]
    layout.indent, layout.block_separator = "  ", "\n"
    merge = [MergeNameParts(), MergeCoAuthors()]
    return clean(str(write_string(library, prepend_middleware=merge, bibtex_format=layout)))


def references(view: References, canvas: Canvas) -> str:
    """`rmcli refs --format ...`: the view's references as a BibTeX database."""
    return write(view.refs)


def _key(key: str) -> str:
    return _KEY_UNSAFE.sub("-", key) or "ref"


def _entry_type(ref: Reference) -> str:
    shape = form(ref)
    if shape == "report":
        return "techreport" if ref.journal else "misc"
    return {"article": "article", "webpage": "misc", "book": "book"}[shape]


def _text_fields(ref: Reference) -> list[Field]:
    """Fields to encode; each author is its own field (`author 0`, ...) holding NameParts."""
    from bibtexparser.middlewares import NameParts
    from bibtexparser.model import Field

    fields = []
    for index, author in enumerate(ref.authors):
        split = person(author)
        parts = NameParts(last=[split[0]], first=[split[1]]) if split else NameParts(last=[author])
        fields.append(Field(f"author {index}", parts))
    if display_title(ref):
        fields.append(Field("title", display_title(ref)))
    if ref.journal:
        fields.append(Field(_PUBLISHER_FIELD.get(form(ref), "publisher"), ref.journal))
    values = (ref.year, ref.volume, ref.issue, ref.pages)
    for name, value in zip(("year", "volume", "number", "pages"), values, strict=True):
        if value is not None:
            fields.append(Field(name, str(value)))
    return fields


def _final_fields(encoded: list[Field], ref: Reference) -> list[Field]:
    """One `author` list (groups braced whole), the title braced, the rest as encoded."""
    from bibtexparser.middlewares import NameParts
    from bibtexparser.model import Field

    authors = [_braced_group(f.value) for f in encoded if f.key.startswith("author ")]
    if authors and ref.et_al:  # BibTeX's own mark of a list the source cut short
        authors.append(NameParts(last=["others"]))
    fields = [Field("author", authors)] if authors else []
    for field in encoded:
        if field.key == "title":
            fields.append(Field("title", "{" + field.value + "}"))
        elif not field.key.startswith("author "):
            fields.append(field)
    return fields


def _braced_group(parts: NameParts) -> NameParts:
    from bibtexparser.middlewares import NameParts

    if parts.first:
        return parts
    return NameParts(last=["{" + " ".join(parts.last) + "}"])


def _verbatim(ref: Reference) -> list[tuple[str, str]]:
    """Identifiers as they are; one that would unbalance braces is dropped to its safe part."""
    values = (ref.doi, ref.pmid, ref.pmcid, ref.url)
    return [
        (name, value.replace("{", "").replace("}", "") if _unbalanced(value) else value)
        for name, value in zip(VERBATIM, values, strict=True)
        if value
    ]


def _unbalanced(value: str) -> bool:
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return True
    return depth != 0


def _encoder() -> object:
    """bibtexparser's default encoder (pylatexenc), plus {"} for a straight double quote."""
    from pylatexenc.latexencode import (  # type: ignore[import-untyped]
        RULE_DICT,
        UnicodeToLatexConversionRule,
        UnicodeToLatexEncoder,
    )

    quote = UnicodeToLatexConversionRule(rule_type=RULE_DICT, rule={ord('"'): '{"}'})
    return UnicodeToLatexEncoder(conversion_rules=[quote, "defaults"])
