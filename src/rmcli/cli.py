"""The command line: parse arguments, call the core, hand results to render or export."""

# No `from __future__ import annotations` here: Typer would have to eval every annotation
# string at start-up (about 2 ms); names only used in annotations are quoted instead.

import enum
import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rmcli import __version__
from rmcli.errors import ExitCode, RmcliError, UsageError
from rmcli.output import PipeClosed, emit, error, message
from rmcli.text import printable

if TYPE_CHECKING:
    from rich.console import Console

    from rmcli.kb import KnowledgeBase, Therapy


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class ListFormat(enum.StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"


app = typer.Typer(
    name="rmcli",
    help="Cited evidence on immunotherapy for recurrent miscarriage. Not medical advice.",
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
kb_app = typer.Typer(help="Check and describe knowledge bases.")
app.add_typer(kb_app, name="kb")


@kb_app.callback(invoke_without_command=True)
def _kb_group(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        emit(ctx.get_help())


class Settings:
    """Global options, shared by every command through the click context."""

    def __init__(self, kb_path: str | None, no_color: bool) -> None:
        self.kb_path = kb_path
        self.no_color = no_color
        self._kb: KnowledgeBase | None = None

    def kb(self) -> "KnowledgeBase":
        if self._kb is None:
            from rmcli.kb.cache import load_cached
            from rmcli.kb.files import locate

            self._kb = load_cached(locate(self.kb_path))
        return self._kb

    def console(self) -> "Console":
        from rmcli.render import console

        return console(self.no_color)


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


def _kb_version(kb_path: str | None) -> str:
    """The version line of the knowledge base in use, read without loading all of it."""
    import tomllib

    from rmcli.kb.files import locate

    try:
        with (locate(kb_path) / "kb.toml").open("rb") as handle:
            data = tomllib.loads(handle.read(64 * 1024).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "unknown (kb.toml unreadable)"
    return str(data.get("version", "unknown"))


@app.callback(invoke_without_command=True)
def _main(
    ctx: typer.Context,
    kb: Annotated[
        str | None,
        typer.Option(
            "--kb",
            metavar="PATH",
            help="Use this knowledge-base directory (default: $RMCLI_KB, else the bundled one).",
        ),
    ] = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="Plain output without colour.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", help="Print the tool and knowledge-base versions.")
    ] = False,
) -> None:
    ctx.obj = Settings(kb, no_color)
    if version:
        emit(f"rmcli {__version__}, knowledge base {_kb_version(kb)}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        emit(ctx.get_help())
        raise typer.Exit()


# Each read command's output: the Rich drawer for tables, and the module whose
# `<view>_<format>` functions write JSON, Markdown and CSV. Both take (kb, subject).
VIEWS = {
    "list": ("rmcli.render", "therapy_table", "rmcli.export"),
    "show": ("rmcli.render", "monograph", "rmcli.export"),
    "compare": ("rmcli.render", "comparison", "rmcli.export"),
    "targets": ("rmcli.render.figures", "target_matrix", "rmcli.export_figures"),
    "evidence": ("rmcli.render.figures", "forest", "rmcli.export_figures"),
}


def _present(settings: Settings, fmt: str, view: str, subject: object) -> None:
    """The one place a read command's output is produced; only the chosen path is imported."""
    drawer_module, drawer, writer_module = VIEWS[view]
    if fmt == "table":
        draw = getattr(importlib.import_module(drawer_module), drawer)
        draw(settings.console(), settings.kb(), subject)
    else:
        write = getattr(importlib.import_module(writer_module), f"{view}_{fmt}")
        emit(write(settings.kb(), subject))


def _resolve(kb: "KnowledgeBase", names: list[str]) -> list["Therapy"]:
    from rmcli.kb import name_index

    index = name_index(kb)
    ids = [index.resolve(name) for name in names]
    by_id = {t.id: t for t in kb.therapies}
    for position, therapy_id in enumerate(ids):
        if therapy_id in ids[:position]:
            raise UsageError(
                f"'{printable(names[position])}' names {therapy_id}, already in the comparison",
                hint="compare different therapies",
            )
    return [by_id[i] for i in ids]


def _complete_therapy(ctx: typer.Context, incomplete: str) -> list[str]:
    """Therapy ids and aliases for shell completion; never validates, never fails."""
    from rmcli.kb.cache import completion_names
    from rmcli.kb.files import locate

    try:
        names = completion_names(locate(ctx.find_root().params.get("kb")))
    except RmcliError:
        return []
    folded = incomplete.casefold()
    # Typer keeps only values starting with what was typed, case-sensitively; names resolve
    # in any case, so offer each match spelled with the user's own prefix.
    matches = [incomplete + n[len(incomplete) :] for n in names if n.casefold().startswith(folded)]
    unique = {name.casefold(): name for name in reversed(matches)}  # "IVIG", "IVIg": once
    return list(reversed(unique.values()))


@app.command("list")
def list_therapies(
    ctx: typer.Context,
    target: Annotated[
        str | None, typer.Option(help="Only therapies acting on this immune target id.")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="Only therapies with this overall status.")
    ] = None,
    search: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Search names, aliases and mechanism.")
    ] = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ListFormat.table,
) -> None:
    """List every therapy with its class, targets, status and headline guideline stance."""
    from rmcli.kb.query import filter_therapies

    settings = _settings(ctx)
    kb = settings.kb()
    therapies = filter_therapies(kb, target=target, status=status, search=search)
    _present(settings, fmt, "list", therapies)


@app.command()
def show(
    ctx: typer.Context,
    therapy: Annotated[
        str,
        typer.Argument(
            help="Therapy id, name or alias (e.g. ivig, 'TNF-α').",
            autocompletion=_complete_therapy,
        ),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """Show the full monograph of one therapy, every claim cited."""
    settings = _settings(ctx)
    kb = settings.kb()
    (record,) = _resolve(kb, [therapy])
    _present(settings, fmt, "show", record)


@app.command()
def compare(
    ctx: typer.Context,
    therapies: Annotated[
        list[str],
        typer.Argument(
            help="Two or more therapy ids, names or aliases.", autocompletion=_complete_therapy
        ),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """Compare therapies section by section, side by side."""
    if len(therapies) < 2:
        raise UsageError(
            "compare needs at least two therapies", hint="e.g. rmcli compare prednisolone ivig"
        )
    settings = _settings(ctx)
    kb = settings.kb()
    records = _resolve(kb, therapies)
    _present(settings, fmt, "compare", records)


@app.command()
def targets(
    ctx: typer.Context,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ListFormat.table,
) -> None:
    """Which therapy acts on which immune target, coloured by the therapy's status."""
    settings = _settings(ctx)
    kb = settings.kb()
    therapies = sorted(kb.therapies, key=lambda t: t.id)
    _present(settings, fmt, "targets", therapies)


@app.command()
def evidence(
    ctx: typer.Context,
    therapy: Annotated[
        str, typer.Argument(help="Therapy id, name or alias.", autocompletion=_complete_therapy)
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    svg: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Also write the forest plot as SVG.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing --svg file.")] = False,
) -> None:
    """A forest plot of the therapy's trials and meta-analyses, with a one-line reading."""
    settings = _settings(ctx)
    kb = settings.kb()
    (record,) = _resolve(kb, [therapy])
    if svg is not None:
        from rmcli.fileio import write_private
        from rmcli.svg import forest_svg

        write_private(svg, forest_svg(record), force=force)
        message(f"forest plot written to {svg}")
    _present(settings, fmt, "evidence", record)


@kb_app.command("diff")
def kb_diff(
    old: Annotated[Path, typer.Argument(help="The earlier knowledge-base directory.")],
    new: Annotated[Path, typer.Argument(help="The later knowledge-base directory.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """What changed between two knowledge bases, therapy by therapy and field by field."""
    from rmcli.kb.cache import load_cached
    from rmcli.kb.diff import diff

    for path in (old, new):
        if not path.is_dir():
            raise RmcliError(f"kb diff: no such directory: {path}", ExitCode.INVALID_KB)
    differences = diff(load_cached(old), load_cached(new))
    from rmcli import export_diff

    if fmt is Format.json:
        emit(export_diff.diff_json(old, new, differences))
    else:
        emit(export_diff.diff_text(old, new, differences, markdown=fmt is Format.markdown))


@kb_app.command("validate")
def kb_validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="A knowledge-base directory or one therapy file.")
    ] = None,
) -> None:
    """Check a knowledge base and report every problem (exit 3 if there are any)."""
    from rmcli.kb import InvalidKnowledgeBase
    from rmcli.kb.load import label, load_path

    settings = _settings(ctx)
    try:
        kb, root = load_path(path, settings.kb_path)
    except InvalidKnowledgeBase as invalid:
        emit("\n".join(invalid.details))
        count = len(invalid.problems)
        raise RmcliError(
            f"{count} problem{'s' if count > 1 else ''} found", ExitCode.INVALID_KB
        ) from None
    count = len(kb.therapies)
    message(f"{label(root)}: valid — {count} therapies, knowledge base {kb.manifest.version}")


@kb_app.command("schema")
def kb_schema() -> None:
    """Print the JSON Schema of a therapy file (for TOML editors)."""
    from rmcli.kb.schema import therapy_schema

    emit(therapy_schema())


@app.command()
def wizard(
    ctx: typer.Context,
    answers: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Read the profile from this file instead of asking."),
    ] = None,
    save: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Save the profile to this file.")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Write a printable report (FILE.md or FILE.html)."),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Overwrite an existing --save or --report file.")
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Include therapies that are not indicated.")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """Interview about a patient's immune profile, then show the relevant therapies and why."""
    from rmcli import profile as profiles
    from rmcli.assess import assess

    settings = _settings(ctx)
    kb = settings.kb()
    from rmcli.fileio import check_writable

    for target in (save, report):
        if target is not None:
            check_writable(target, force=force)  # fail before the interview, not after it
    if report is not None:
        from rmcli.report import report_format

        report_format(report)
    if answers is not None:
        patient = profiles.load(answers, kb.vocabulary, [t.id for t in kb.therapies])
    else:
        from rmcli.wizard import interview

        interactive = sys.stdin.isatty() and sys.stdout.isatty()
        patient = interview(kb, interactive=interactive, offer_save=save is None)
    if save is not None:
        profiles.save(patient, save, force=force)
        message(f"profile saved to {save} (mode 0600)")
    result = assess(patient, kb)
    if report is not None:
        import datetime

        from rmcli.fileio import write_private
        from rmcli.report import report as make_report

        write_private(report, make_report(kb, result, report, datetime.date.today()), force=force)
        message(f"report written to {report} (mode 0600)")
    if fmt is Format.table:
        from rmcli.render import assessment

        assessment(settings.console(), result, kb, show_all)
        return
    from rmcli import export

    if fmt is Format.json:
        emit(export.assessment_json(kb, result))
    else:
        emit(export.assessment_markdown(kb, result, show_all))


def _usage_hint(exc: typer.TyperException) -> str | None:
    ctx = getattr(exc, "ctx", None)
    return f"see `{ctx.command_path} --help`" if ctx is not None else None


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every failure becomes one line on stderr."""
    try:
        command = typer.main.get_command(app)
        result: Any = command.main(args=argv, prog_name="rmcli", standalone_mode=False)
        if result == ExitCode.INTERRUPTED:
            error("interrupted")
        return result if isinstance(result, int) else ExitCode.OK
    except PipeClosed:
        _silence_stdout()
        return ExitCode.BROKEN_PIPE
    except RmcliError as exc:
        error(exc.message, exc.hint)
        return exc.code
    except typer.TyperException as exc:
        error(exc.format_message(), _usage_hint(exc))
        return exc.exit_code if exc.exit_code != 1 else ExitCode.USAGE
    except OSError as exc:  # a file-system refusal that no check caught: still one line
        target = f": {exc.filename}" if exc.filename else ""
        error(f"{exc.strerror or exc}{target}")
        return ExitCode.FILE_ERROR
    except ValueError as exc:
        if "null byte" not in str(exc):  # anything else is a bug, reported as such below
            return _internal(exc)
        error("file names cannot contain NUL characters")
        return ExitCode.USAGE
    except (KeyboardInterrupt, typer.Abort):
        error("interrupted")
        return ExitCode.INTERRUPTED
    except Exception as exc:  # a bug: still one line, never a traceback
        return _internal(exc)


def _internal(exc: Exception) -> int:
    error(
        f"internal error: {type(exc).__name__}: {exc}",
        "please report this with the command you ran",
    )
    return ExitCode.INTERNAL


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail noisily."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main() -> None:
    """Console-script entry point.

    After flushing, leave with os._exit: rmcli holds no resources that need finalising, and
    skipping interpreter teardown (freeing every module and object) saves several ms per run.
    """
    code = run()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        _silence_stdout()
        code = code or ExitCode.BROKEN_PIPE
    os._exit(code)
