"""`rmcli targets`."""

from typing import Annotated

import typer

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


@app.command("targets")
def targets(
    ctx: typer.Context,
    fmt: Annotated[FormatArg, format_option(ViewKind.matrix)] = None,
    kb: KbOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Which therapy acts on which immune target, marked by the therapy's status.

    Example: rmcli targets --format csv
    """
    from rmcli.views.targets import matrix

    run, chosen = read_command(ctx, ViewKind.matrix, fmt, kb, no_color, no_pager)
    knowledge = run.kb()
    run.show(matrix(knowledge, knowledge.therapies), chosen)
