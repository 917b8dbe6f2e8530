"""Markdown: documents to paste into notes, reports and pull requests (GitHub-flavoured).

Text from a file goes through `md_text` (rmcli.text.markdown): it cannot steer a terminal, open
an HTML tag, make a link or an image, or break a table. `document` applies the same rule to the
whole page once more, so a text a writer forgot is still inert. The writers live in
`documents` (list, show, compare, targets, evidence, kb diff) and `assessment`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rmcli.text import clean, inert_markdown, markdown


def md_text(text: str) -> str:
    """One line of Markdown from a file's text (`<30` stays as it is)."""
    return markdown(text).replace("\n", " ")


def md_cell(text: str) -> str:
    return md_text(text).replace("|", "\\|")


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(md_cell(h) for h in headers) + " |"]
    lines.append("|" + "---|" * len(headers))
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines


def bullets(items: Sequence[str], empty: str = "None.") -> list[str]:
    return [f"- {md_text(item)}" for item in items] or [f"- {empty}"]


def document(lines: Sequence[str], links: Collection[str] = ()) -> str:
    """Lines joined, never more than one blank line in a row, one final newline; made inert
    once more as a whole (a bare address is a link only when it is one of `links`, the
    references' URLs)."""
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line.rstrip())
    while out and out[-1] == "":
        out.pop()
    return inert_markdown(clean("\n".join(out)), links) + "\n"
