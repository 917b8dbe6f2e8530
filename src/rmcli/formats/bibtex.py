"""References as BibTeX; the LaTeX encoder (pylatexenc) is imported only for text that needs it.

Text fields (title, journal, publisher, names) are LaTeX-encoded with pylatexenc's encoder
(bibtexparser's default): & % $ # _ { } \\ ~ become commands or escapes, and non-ASCII
letters become LaTeX accents, braced whole as BibTeX needs them to sort and split names
({\\^A}ngelo), or math (α -> \\ensuremath{\\alpha}); a straight double quote is
written {"} so that it reads back as itself. Plain text is written as it is, without loading the
encoder (most references are plain ASCII). The title gets one more pair of braces, so styles
keep its capitals (IVIG, TNF-α). A group author is braced whole, so BibTeX neither splits it at
"and" nor reads its last word as a surname. Identifiers (doi, pmid, pmcid, url) are written
verbatim, as BibTeX and biblatex expect them. The entries are laid out as bibtexparser writes
them, and the tests read them back with bibtexparser.

Entry types by publication form (reftext.form): article -> @article (journal); report ->
@techreport (institution = publisher), or @misc without a publisher; webpage -> @misc
(howpublished = site); book -> @book (publisher).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rmcli.formats.reftext import form, person
from rmcli.text import clean
from rmcli.views.cite import display_title

if TYPE_CHECKING:
    from rmcli.environment import Canvas
    from rmcli.kb.model import Reference
    from rmcli.views.references import References

VERBATIM = ("doi", "pmid", "pmcid", "url")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:.\-]")
_PUBLISHER_FIELD = {"article": "journal", "report": "institution", "webpage": "howpublished"}
_ENCODED = re.compile(r'[^\t\n\x20-\x7e]|["#$%&<>\\^_{}~]')  # what the encoder changes
_ACCENTED = re.compile(r"\\[`'^\"~=.][A-Za-z]|\\[cuvHkrdbt]\{[A-Za-z]\}")  # \^A, \c{c}


def write(refs: Sequence[tuple[str, Reference]]) -> str:
    """A BibTeX database with one entry per reference, keyed by its knowledge-base id."""
    return clean("\n".join(_entry(key, ref) for key, ref in refs))


def references(view: References, canvas: Canvas) -> str:
    """`rmcli refs --format ...`: the view's references as a BibTeX database."""
    return write(view.refs)


def _entry(key: str, ref: Reference) -> str:
    fields = _text_fields(ref) + _verbatim(ref)
    lines = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{_entry_type(ref)}{{{_key(key)},\n{lines}\n}}\n"


def _key(key: str) -> str:
    return _KEY_UNSAFE.sub("-", key) or "ref"


def _entry_type(ref: Reference) -> str:
    shape = form(ref)
    if shape == "report":
        return "techreport" if ref.journal else "misc"
    return {"article": "article", "webpage": "misc", "book": "book"}[shape]


def _text_fields(ref: Reference) -> list[tuple[str, str]]:
    """Authors ("Family, G." for a person, a group braced whole, "others" for et al.), the
    title braced, the publisher, year, volume, number and pages, each LaTeX-encoded."""
    fields = []
    authors = [_author(name) for name in ref.authors]
    if authors and ref.et_al:  # BibTeX's own mark of a list the source cut short
        authors.append("others")
    if authors:
        fields.append(("author", " and ".join(authors)))
    title = display_title(ref)
    if title:
        fields.append(("title", "{" + _latex(title) + "}"))
    if ref.journal:
        fields.append((_PUBLISHER_FIELD.get(form(ref), "publisher"), _latex(ref.journal)))
    values = (ref.year, ref.volume, ref.issue, ref.pages)
    for name, value in zip(("year", "volume", "number", "pages"), values, strict=True):
        if value is not None:
            fields.append((name, _latex(str(value))))
    return fields


def _author(name: str) -> str:
    split = person(name)
    if split:
        return f"{_latex(split[0])}, {_latex(split[1])}"
    return "{" + _latex(name) + "}"


def _latex(text: str) -> str:
    """`text` with control and bidi characters made visible (rmcli.text.clean), then
    LaTeX-encoded; plain ASCII as it is, without loading the encoder."""
    text = clean(text)
    if not _ENCODED.search(text):
        return text
    # An accented letter is braced whole ({\^A}ngelo), as BibTeX needs to sort and split names.
    return _ACCENTED.sub(r"{\g<0>}", _encoder()(text))


def _verbatim(ref: Reference) -> list[tuple[str, str]]:
    """Identifiers as they are; one that would unbalance braces is dropped to its safe part."""
    values = [clean(v) if v else v for v in (ref.doi, ref.pmid, ref.pmcid, ref.url)]
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


@functools.cache
def _encoder() -> Callable[[str], str]:
    """bibtexparser's default encoder (pylatexenc), plus {"} for a straight double quote."""
    from pylatexenc.latexencode import (  # type: ignore[import-untyped]
        RULE_DICT,
        UnicodeToLatexConversionRule,
        UnicodeToLatexEncoder,
    )

    quote = UnicodeToLatexConversionRule(rule_type=RULE_DICT, rule={ord('"'): '{"}'})
    encoder = UnicodeToLatexEncoder(
        conversion_rules=[quote, "defaults"],
        unknown_char_policy="keep",  # CJK or emoji stay UTF-8, as biber and modern BibTeX read
        unknown_char_warning=False,  # and pylatexenc says nothing on stderr for each one
    )
    return encoder.unicode_to_latex  # type: ignore[no-any-return]
