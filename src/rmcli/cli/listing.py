"""`rmcli list`."""

from typing import Annotated

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

app = command_app()


@app.command("list")
def list_therapies(
    ctx: typer.Context,
    target: Annotated[
        str | None,
        typer.Option(
            metavar="TARGET",
            help="Only therapies acting on this immune target: its id, name or abbreviation as "
            "`rmcli targets` shows it (NK, Treg, Th1/17, TNF, aPL, Coag, C', AutoAb, Allo, "
            "Thyr, Troph), in any case.",
            autocompletion=completion.target,
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            metavar="STATUS",
            help="Only therapies with this status: established, conditional, unproven, "
            "not-recommended or experimental (any case).",
            autocompletion=completion.status,
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="Only therapies whose names, aliases, summary, mechanism, indications, "
            "targets or guideline populations mention TEXT (any case; APS, aPL, NK, LMWH and "
            "other common abbreviations also find what they stand for).",
        ),
    ] = None,
    long: Annotated[
        bool, typer.Option("--long", "-l", help="Add each therapy's class and headline stance.")
    ] = False,
    fmt: Annotated[FormatArg, format_option(ViewKind.listing)] = None,
    kb: KbOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """List the therapies, one line each: id, name, status, certainty, immune targets.

    Example: rmcli list --search APS --long
    """
    from rmcli.search import filter_therapies
    from rmcli.text import printable
    from rmcli.views.listing import listing

    run, chosen = read_command(ctx, ViewKind.listing, fmt, kb, no_color, no_pager)
    knowledge = run.kb()
    therapies = filter_therapies(knowledge, target=target, status=status, search=search)
    given = [("--target", target), ("--status", status), ("--search", search)]
    filters = [f"{name} '{printable(value)}'" for name, value in given if value is not None]
    view = listing(knowledge, therapies, run.today(), long=long, filters=filters)
    run.show(view, chosen)
