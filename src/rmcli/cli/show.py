"""`rmcli show`."""

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
from rmcli.views.monograph import SECTIONS

app = command_app()


def section_keys(names: list[str]) -> list[str]:
    """Section keys from what was typed ('Evidence', 'maternal risks'); unknown is an error
    with a did-you-mean ('risks': maternal-risks, fetal-risks)."""
    if not names:
        return []
    from rmcli.kb.lookup import NameIndex

    sections = NameIndex(
        ((key, title, ()) for key, title in SECTIONS.items()),
        what="section",
        fallback=f"choose from: {', '.join(SECTIONS)}",
    )
    return [sections.resolve(name) for name in names]


@app.command("show")
def show(
    ctx: typer.Context,
    therapy: Annotated[
        str,
        typer.Argument(
            metavar="THERAPY",
            help="Therapy id, name or alias (e.g. ivig, 'TNF-α', enoxaparin).",
            autocompletion=completion.therapy,
            show_default=False,
        ),
    ],
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            metavar="NAME",
            help=f"Only this section; repeat for more: {', '.join(SECTIONS)}.",
            autocompletion=completion.section,
            show_default=False,
        ),
    ] = None,
    brief: Annotated[bool, typer.Option("--brief", help="Only the summary at the top.")] = False,
    all_positions: Annotated[
        bool,
        typer.Option(
            "--all-positions", help="List every guideline row, also those not verified here."
        ),
    ] = False,
    fmt: Annotated[FormatArg, format_option(ViewKind.monograph)] = None,
    kb: KbOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Show a therapy's monograph: a summary (status, certainty, headline stance, key
    estimate, main risks, burden, last reviewed), then every section, each claim cited.

    Example: rmcli show ivig --section evidence --section guidelines
    """
    from rmcli.views.monograph import monograph

    run, chosen = read_command(ctx, ViewKind.monograph, fmt, kb, no_color, no_pager)
    keys = section_keys(section or [])
    (record,) = run.resolve([therapy])
    view = monograph(
        record, run.kb(), run.today(), sections=keys, brief=brief, all_positions=all_positions
    )
    run.show(view, chosen)
