"""The root of the command line: `app`, its lazily loaded commands and the root options.

`rmcli show ivig` imports this module and `rmcli.cli.show`, nothing of the other commands.
Adding a command is a module with a Typer `app` and one line in COMMANDS
(docs/architecture.md, "Adding a format or a command"). `rmcli.cli.run` runs `app`; the
console script is `rmcli.entry:main`.
"""

# No `from __future__ import annotations` here: Typer would have to eval every annotation
# string at start-up; names only used in annotations are quoted instead.

import importlib
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from rmcli import __version__
from rmcli.cli.options import KbOption, NoColorOption, NoPagerOption
from rmcli.cli.session import Session

if TYPE_CHECKING:
    from pathlib import Path

# Command name -> module holding its Typer `app`, in the order help lists them.
COMMANDS: dict[str, str] = {
    "list": "rmcli.cli.listing",
    "show": "rmcli.cli.show",
    "compare": "rmcli.cli.compare",
    "evidence": "rmcli.cli.evidence",
    "targets": "rmcli.cli.targets",
    "refs": "rmcli.cli.refs",
    "wizard": "rmcli.cli.wizard",
    "kb": "rmcli.cli.kb",
}


class LazyGroup(TyperGroup):
    """A group whose commands are imported when first asked for (click's lazy loading)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            if ctx.resilient_parsing:  # shell completion asks about partial words
                return None
            from difflib import get_close_matches

            from rmcli.errors import UsageError
            from rmcli.text import printable

            close = get_close_matches(cmd_name, COMMANDS, n=1)
            hint = f"did you mean `rmcli {close[0]}`?" if close else "see `rmcli --help`"
            raise UsageError(f"no command named '{printable(cmd_name)}'", hint=hint)
        if cmd_name not in self.commands:
            module = importlib.import_module(COMMANDS[cmd_name])
            command = typer.main.get_command(module.app)
            command.name = cmd_name
            self.commands[cmd_name] = command
        return self.commands[cmd_name]


app = typer.Typer(
    name="rmcli",
    cls=LazyGroup,
    help=(
        "Cited evidence on immunotherapy for recurrent miscarriage. Not medical advice.\n\n"
        "Example: rmcli show ivig"
    ),
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def version_line(root: "Path") -> str:
    """'rmcli 0.1.0, knowledge base 2026.12.0 (2026-12-01)', read without loading the KB."""
    import datetime

    from rmcli.kb.read import Refused, parse_toml, read_bytes
    from rmcli.text import clean

    try:
        data = parse_toml(read_bytes(root / "kb.toml", 64 * 1024)[0])
    except Refused:
        return f"rmcli {__version__}, knowledge base unknown (kb.toml unreadable)"
    version, date = data.get("version", "unknown"), data.get("date")
    dated = f" ({date.isoformat()})" if isinstance(date, datetime.date) else ""
    return clean(f"rmcli {__version__}, knowledge base {version}{dated}")


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    kb: KbOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
    version: Annotated[
        bool, typer.Option("--version", help="Print the tool and knowledge-base versions.")
    ] = False,
) -> None:
    session = ctx.obj
    assert isinstance(session, Session)
    session.apply(kb=kb, no_color=no_color, no_pager=no_pager)
    if version:
        session.env.write(version_line(session.kb_root()))
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        session.env.write(ctx.get_help())
        raise typer.Exit()
