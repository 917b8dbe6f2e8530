"""`rmcli kb validate|schema|diff`: for people who maintain knowledge bases."""

from pathlib import Path
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
    session,
)
from rmcli.errors import KnowledgeBaseError
from rmcli.views import ViewKind

app = command_app(help="Check, describe and compare knowledge bases.")


@app.callback(invoke_without_command=True)
def _group(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        session(ctx, None, False, False).env.write(ctx.get_help())


@app.command("validate")
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="PATH",
            help="A knowledge-base directory or one therapy file (default: the one in use).",
            show_default=False,
        ),
    ] = None,
    kb: KbOption = None,
) -> None:
    """Check a knowledge base and list every problem (exit 3 if there are any).

    Example: rmcli kb validate data/therapies/ivig.toml
    """
    from rmcli.kb import InvalidKnowledgeBase
    from rmcli.kb.check import validate as checked
    from rmcli.kb.files import label

    run = session(ctx, kb, False, True)
    try:
        knowledge, root = checked(path, run.kb_root(), run.env.cache_folder())
    except InvalidKnowledgeBase as invalid:
        from rmcli.text import clean

        run.env.write(clean("\n".join(invalid.details)))
        count = len(invalid.problems)
        raise KnowledgeBaseError(f"{count} problem{'s' if count > 1 else ''} found") from None
    count = len(knowledge.therapies)
    run.message(
        f"{label(root)}: valid — {count} therapies, knowledge base {knowledge.manifest.version}"
    )


@app.command("schema")
def schema(ctx: typer.Context) -> None:
    """Print the JSON Schema of a therapy file (for TOML editors).

    Example: rmcli kb schema > therapy.schema.json
    """
    from rmcli.kb.schema import therapy_schema

    session(ctx, None, False, True).env.write(therapy_schema(), mode="json")


@app.command("diff")
def diff(
    ctx: typer.Context,
    old: Annotated[
        Path, typer.Argument(metavar="OLD", help="The earlier knowledge-base directory.")
    ],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The later knowledge-base directory.")],
    fmt: Annotated[FormatArg, format_option(ViewKind.diff)] = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """What changed between two knowledge bases, therapy by therapy and field by field.

    Example: rmcli kb diff old-kb/ data/
    """
    from rmcli.kb.cache import load_cached
    from rmcli.kb.diff import diff as differences
    from rmcli.views.diff import diff_view

    run, chosen = read_command(ctx, ViewKind.diff, fmt, None, no_color, no_pager)
    for path in (old, new):
        if not path.is_dir():
            raise KnowledgeBaseError(f"kb diff: no such directory: {path}")
    folder = run.env.cache_folder()
    before, after = load_cached(old, folder), load_cached(new, folder)
    run.show(diff_view(old, new, differences(before, after), before, after), chosen)
