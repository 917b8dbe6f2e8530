"""Markdown: documents to paste into notes, reports and pull requests (GitHub-flavoured).

Knowledge-base text is escaped so that it cannot open HTML tags or break a table; the writers
live in `documents` (list, show, compare, targets, evidence, kb diff) and `assessment`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rmcli.text import clean

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def md_text(text: str) -> str:
    """One line of Markdown; a `<` that could open an HTML tag is escaped (`<30` stays)."""
    return _TAG_START.sub("&lt;", clean(text).replace("\n", " "))


def md_cell(text: str) -> str:
    return md_text(text).replace("|", "\\|")


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(md_cell(h) for h in headers) + " |"]
    lines.append("|" + "---|" * len(headers))
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines


def bullets(items: Sequence[str], empty: str = "None.") -> list[str]:
    return [f"- {md_text(item)}" for item in items] or [f"- {empty}"]


def document(lines: Sequence[str]) -> str:
    """Lines joined, never more than one blank line in a row, one final newline."""
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line.rstrip())
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
