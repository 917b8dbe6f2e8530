"""The output options every read command shares, declared once (as sqlite-utils does).

Each command takes `--format`, `--no-color`, `--no-pager` and `--kb`, so they work after
the command as well as before it (`rmcli list --no-color`). A command's `--format` choices
come from the format registry, so adding a writer is enough to offer its format.
"""

from typing import Annotated, Any

import typer

from rmcli.cli.session import Session, checked_format
from rmcli.formats import Format, formats
from rmcli.views import ViewKind

KbOption = Annotated[
    str | None,
    typer.Option(
        "--kb",
        metavar="PATH",
        help="Use this knowledge-base directory (default: $RMCLI_KB, else the bundled one).",
        show_default=False,
    ),
]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help="No colour (also: NO_COLOR in the environment).")
]
NoPagerOption = Annotated[
    bool, typer.Option("--no-pager", help="Never page output (also: RMCLI_PAGER=cat).")
]


def format_option(kind: ViewKind) -> Any:
    """`--format/-f` with the formats the registry has for this kind of view (the first is
    the default)."""
    offered = [f.value for f in formats(kind)]

    def complete(incomplete: str) -> list[str]:
        return [f for f in offered if f.startswith(incomplete)]

    return typer.Option(
        "--format",
        "-f",
        metavar="[" + "|".join(offered) + "]",
        help=f"Output format: {', '.join(offered)} (default: {offered[0]}).",
        autocompletion=complete,
        show_default=False,
    )


FormatArg = str | None  # resolved by checked_format: any case, only what the command writes


def command_app(help: str | None = None) -> typer.Typer:
    """A Typer app for one command module, with the settings every command shares."""
    return typer.Typer(
        help=help,
        rich_markup_mode=None,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


def session(ctx: typer.Context, kb: str | None, no_color: bool, no_pager: bool) -> Session:
    """The run's Session, with this command's output options applied."""
    current = ctx.find_root().obj
    assert isinstance(current, Session)
    current.apply(kb=kb, no_color=no_color, no_pager=no_pager)
    return current


def read_command(
    ctx: typer.Context,
    kind: ViewKind,
    fmt: str | None,
    kb: str | None,
    no_color: bool,
    no_pager: bool,
) -> tuple[Session, Format]:
    """The Session of a command that shows a `kind` view, and the format it will write."""
    run = session(ctx, kb, no_color, no_pager)
    command = ctx.command_path.split(" ", 1)[-1]  # "kb diff", without the program's name
    return run, checked_format(kind, fmt, command)
