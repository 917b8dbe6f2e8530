"""`rmcli refs`."""

from typing import TYPE_CHECKING, Annotated

import typer

from rmcli.cli import completion
from rmcli.cli.options import (
    FormatArg,
    KbOption,
    NoColorOption,
    NoPagerOption,
    command_app,
    format_option,
    read_command,
)
from rmcli.views import ViewKind

if TYPE_CHECKING:
    from rmcli.kb.model import Therapy

app = command_app()


@app.command("refs")
def refs(
    ctx: typer.Context,
    therapies: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[THERAPY]...",
            help="Only the references these therapies cite (id, name or alias), in the order "
            "they are first cited; default: every reference, sorted by id.",
            autocompletion=completion.therapy,
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[FormatArg, format_option(ViewKind.references)] = None,
    kb: KbOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Export references for a reference manager (Zotero, EndNote, Mendeley, BibTeX):
    authors, title, journal, year, volume, pages, DOI and PMID where known. bibtex, ris and
    csl-json are written as they are, never paged.

    Example: rmcli refs progesterone --format bibtex > progesterone.bib
    """
    from rmcli.views.references import references

    run, chosen = read_command(ctx, ViewKind.references, fmt, kb, no_color, no_pager)
    named: list[Therapy] = []
    for name in therapies or []:  # a therapy named twice is exported once
        (record,) = run.resolve([name])
        if all(record.id != other.id for other in named):
            named.append(record)
    run.show(references(run.kb(), named), chosen)
