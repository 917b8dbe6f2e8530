"""`rmcli wizard`."""

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
)
from rmcli.errors import UsageError
from rmcli.views import ViewKind

app = command_app()
REPORT_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def report_format(path: Path) -> str:
    try:
        return REPORT_SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise UsageError(
            f"cannot tell the report format from {path.name!r}",
            hint="name the report file *.md or *.html",
        ) from None


@app.command("wizard")
def wizard(
    ctx: typer.Context,
    answers: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Read the profile from FILE instead of asking."),
    ] = None,
    save: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Save the profile to FILE (mode 0600).")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Also write a printable report: FILE.md or FILE.html."),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Overwrite an existing --save or --report file.")
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Include therapies that are not indicated.")
    ] = False,
    details: Annotated[
        bool,
        typer.Option("--details", help="Add each therapy's cited reasons and the references."),
    ] = False,
    fmt: Annotated[FormatArg, format_option(ViewKind.assessment)] = None,
    kb: KbOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Interview about a patient's immune profile, then name her clinical situation and show
    the therapies that matter for her: on whose authority, how they act, their risks and her
    cautions; what to check next and what untested results would change.

    Without a terminal, give a saved profile with --answers FILE. A profile is a TOML file
    (schema 3); only `losses` is required, the rest default to 0, false, empty or
    not-tested:

    \b
      schema = 3
      age = 34                      # optional, 14-60
      losses = 3                    # 0-30
      live_births = 0               # more than 0: secondary RPL
      late_losses = 1               # losses at or after 10 weeks
      second_trimester_losses = 0   # losses from 14+0 to 23+6 weeks
      placental_preterm_births = 0  # births before 34 weeks for placental disease
      pregnant = false
      bleeding = false              # in this pregnancy; needs pregnant = true
      gestation_weeks = 8           # optional, completed weeks; read only when pregnant
      treatments_failed = []        # therapy ids, e.g. ["heparin", "aspirin"]
      treatments_current = []       # therapy ids
      autoimmune_disease = []       # sle, sjogren, rheumatoid-arthritis, ...
      conditions = ["diabetes"]     # condition ids, e.g. hit-recent, active-bleeding
      [findings]                    # each optional; missing means not-tested
      antiphospholipid = "persistent"   # persistent, transient, negative, not-tested
      anti_ro = "negative"              # positive, negative, not-tested
      nk_cells = "elevated"             # elevated, normal, not-tested

    Every key, finding, value and condition id is listed in docs/profile.md; schema 1
    and 2 files still load.

    Example: rmcli wizard --answers examples/profile.toml --report report.html
    """
    from rmcli import profile as profiles
    from rmcli.fileio import check_targets, check_writable
    from rmcli.formats import Format

    run, chosen = read_command(ctx, ViewKind.assessment, fmt, kb, no_color, no_pager)
    check_targets({"--save": save, "--report": report}, {"--answers": answers})
    for target in (save, report):
        if target is not None:
            check_writable(target, force=force)  # fail before the interview, not after it
    report_as = Format(report_format(report)) if report is not None else None
    knowledge = run.kb()
    therapy_ids = [t.id for t in knowledge.therapies]
    if answers is not None:
        from rmcli.kb import name_index

        patient = profiles.load(
            answers, knowledge.vocabulary, therapy_ids, therapy_names=name_index(knowledge)
        )
    else:
        from rmcli.wizard import interview

        patient = interview(knowledge, run.env)
    if save is not None:
        from rmcli.fileio import TargetExists

        try:
            profiles.save(patient, save, force=force)
            run.message(f"profile saved to {save} (mode 0600)")
        except TargetExists as appeared:
            if answers is not None:  # nothing typed: nothing to lose
                raise
            from rmcli.wizard.prompts import save_elsewhere

            save_elsewhere(patient, run.env, appeared)  # the answers are not thrown away
    from rmcli.assess import assess
    from rmcli.views.assessment import assessment_view

    result = assess(patient, knowledge)
    if report is not None and report_as is not None:
        from rmcli.fileio import write_private
        from rmcli.formats import render

        printable = assessment_view(
            result,
            knowledge,
            include_all=show_all,
            show_details=details,
            generated=run.today(),
        )
        write_private(report, render(printable, report_as, run.env.canvas()), force=force)
        run.message(f"report written to {report} (mode 0600)")
    view = assessment_view(
        result,
        knowledge,
        include_all=show_all,
        show_details=details or chosen is not Format.table,
    )
    run.show(view, chosen)
    if answers is None and save is None:  # asked at a terminal: offer to keep the answers
        from rmcli.wizard import offer_save

        offer_save(patient, run.env)
