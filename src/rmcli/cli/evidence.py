"""`rmcli evidence`."""

from pathlib import Path
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


@app.command("evidence")
def evidence(
    ctx: typer.Context,
    therapy: Annotated[
        str,
        typer.Argument(
            metavar="THERAPY",
            help="Therapy id, name or alias.",
            autocompletion=completion.therapy,
            show_default=False,
        ),
    ],
    svg: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Write the forest plot as SVG to FILE ('-' for standard output) instead of "
            "printing it; add --format to print as well.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing --svg file.")] = False,
    absolute: Annotated[
        bool,
        typer.Option(
            "--absolute",
            help="Add each ratio estimate's absolute effect per 1000 people with its 95% CI "
            "and NNT or NNH (GRADE method), from the study's own control arm; 'baseline "
            "unknown' where it gives no arm counts. Table, Markdown and JSON; the SVG plot "
            "shows relative effects only.",
        ),
    ] = False,
    baseline: Annotated[
        str | None,  # a string, so that parse_baseline words the error (and its hint)
        typer.Option(
            "--baseline",
            metavar="RISK",
            help="Risk of each outcome without the therapy, a proportion from 0.0001 to 0.9999 "
            "(0.35 for 35 in 100), used instead of the control arms; implies --absolute.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[FormatArg, format_option(ViewKind.forest)] = None,
    kb: KbOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """A forest plot of the therapy's trials and meta-analyses, with a reading that names
    the therapy's status and each row's population and outcome; with --absolute, what the
    ratios mean per 1000 people.

    Example: rmcli evidence heparin --svg heparin.svg
    """
    from rmcli.formats import Format
    from rmcli.views.forest import forest

    run, chosen = read_command(ctx, ViewKind.forest, fmt, kb, no_color, no_pager)
    risk = None
    if baseline is not None:
        from rmcli.absolute import parse_baseline

        risk = parse_baseline(baseline)
    to_stdout = svg is not None and str(svg) == "-"
    if to_stdout and fmt is not None:
        raise UsageError("--svg - and --format both write to standard output; choose one")
    if svg is not None and not to_stdout:
        from rmcli.fileio import check_writable

        check_writable(svg, force=force)
    (record,) = run.resolve([therapy])
    view = forest(record, run.kb(), absolute=absolute, baseline=risk)
    if svg is not None:
        if to_stdout:
            run.show(view, Format.svg)
            return
        from rmcli.fileio import write_private
        from rmcli.formats import render

        write_private(svg, render(view, Format.svg, run.env.canvas()), force=force)
        run.message(f"forest plot written to {svg}")
        if fmt is None:
            return
    run.show(view, chosen)
