"""A reference as readers expect it: authors, title, journal, year, volume and pages, each once.

The citation style is a matter of presentation, so it lives with the views: changing it does
not change what the knowledge-base cache keys on (the code of `rmcli.kb`).
"""

from __future__ import annotations

from rmcli.kb.model import Reference

MAX_AUTHORS = 6  # Vancouver style: six names, then "et al."


def authors_text(ref: Reference) -> str:
    names = ref.authors[:MAX_AUTHORS]
    tail = ", et al" if names and (ref.et_al or len(ref.authors) > MAX_AUTHORS) else ""
    return ", ".join(names) + tail


def source_text(ref: Reference) -> str:
    """'Hum Reprod Open 2023;2023(1):hoad002' — journal, year, volume, issue and pages."""
    where = ref.journal or ""
    when = str(ref.year) if ref.year is not None else ""
    volume = (ref.volume or "") + (f"({ref.issue})" if ref.issue else "")
    dated = " ".join(part for part in (where, when) if part)
    if volume:
        dated = f"{dated};{volume}" if dated else volume
    if ref.pages:
        dated = f"{dated}:{ref.pages}" if dated else ref.pages
    return dated


def display_title(ref: Reference) -> str | None:
    """The title, or a description in square brackets (NLM's mark of a supplied title)."""
    if ref.title:
        return ref.title
    return f"[{ref.description.rstrip('.')}]" if ref.description else None


def citation(ref: Reference) -> str:
    """The citation without identifiers; a reference without authors starts with its title."""
    parts = [authors_text(ref), display_title(ref) or "", source_text(ref)]
    text = ""
    for part in (p.strip() for p in parts if p.strip()):
        text += part if part[-1] in ".?!" else part + "."
        text += " "
    return text.strip()


def identifiers(ref: Reference) -> str:
    """'doi:10.1093/hropen/hoad002; PMID 36873081; PMCID PMC9982362', each once."""
    ids = []
    if ref.doi:
        ids.append(f"doi:{ref.doi}")
    if ref.pmid:
        ids.append(f"PMID {ref.pmid}")
    if ref.pmcid:
        ids.append(f"PMCID {ref.pmcid}")
    if ref.url and not ids:
        ids.append(ref.url)
    return "; ".join(ids)
