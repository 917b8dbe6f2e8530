"""`rmcli compare`."""

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
from rmcli.errors import UsageError
from rmcli.views import ViewKind

app = command_app()


@app.command("compare")
def compare(
    ctx: typer.Context,
    therapies: Annotated[
        list[str],
        typer.Argument(
            metavar="THERAPY...",
            help="Two or more therapy ids, names or aliases.",
            autocompletion=completion.therapy,
            show_default=False,
        ),
    ],
    full: Annotated[
        bool, typer.Option("--full", help="Add every section, therapy by therapy.")
    ] = False,
    fmt: Annotated[FormatArg, format_option(ViewKind.comparison)] = None,
    kb: KbOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Compare therapies at a glance: status, certainty, key evidence, headline stance,
    main risks, burden and review date side by side.

    Example: rmcli compare prednisolone ivig --full
    """
    from rmcli.views.comparison import comparison

    run, chosen = read_command(ctx, ViewKind.comparison, fmt, kb, no_color, no_pager)
    if len(therapies) < 2:
        raise UsageError(
            "compare needs at least two therapies", hint="e.g. rmcli compare prednisolone ivig"
        )
    records = run.resolve(therapies)
    run.show(comparison(records, run.kb(), run.today(), full=full), chosen)
