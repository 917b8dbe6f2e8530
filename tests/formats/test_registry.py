"""The format registry: every command x format pair resolves to a writer of that view."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

from rmcli.cli.app import COMMANDS
from rmcli.environment import Canvas
from rmcli.formats import REGISTRY, Format, formats, load
from rmcli.views import ViewKind

VIEW_CLASSES = {
    ViewKind.listing: "rmcli.views.listing:Listing",
    ViewKind.monograph: "rmcli.views.monograph:Monograph",
    ViewKind.comparison: "rmcli.views.comparison:Comparison",
    ViewKind.matrix: "rmcli.views.targets:Matrix",
    ViewKind.forest: "rmcli.views.forest:Forest",
    ViewKind.assessment: "rmcli.views.assessment:AssessmentView",
    ViewKind.diff: "rmcli.views.diff:DiffView",
    ViewKind.references: "rmcli.views.references:References",
}
# Views that are exports for other programs: their own formats, no table and no rmcli JSON.
EXPORTS = {ViewKind.references: [Format.text, Format.bibtex, Format.ris, Format.csl_json]}
# Which view each command writes (the kb group's only read command with formats is diff).
COMMAND_VIEWS = {
    "list": ViewKind.listing,
    "show": ViewKind.monograph,
    "compare": ViewKind.comparison,
    "evidence": ViewKind.forest,
    "targets": ViewKind.matrix,
    "refs": ViewKind.references,
    "wizard": ViewKind.assessment,
    "kb diff": ViewKind.diff,
}
DATA = str(Path(__file__).resolve().parents[2] / "data")
EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "profile.toml")
ARGS: dict[str, list[str]] = {
    "list": [],
    "show": ["ivig"],
    "compare": ["ivig", "heparin"],
    "evidence": ["heparin"],
    "targets": [],
    "refs": ["ivig"],
    "wizard": ["--answers", EXAMPLE],
    "kb diff": [DATA, DATA],
}
PAIRS = [(kind, fmt) for kind, writers in REGISTRY.items() for fmt in writers]


def view_class(kind: ViewKind) -> type:
    module, name = VIEW_CLASSES[kind].split(":")
    cls: type = getattr(importlib.import_module(module), name)
    return cls


def test_every_view_kind_is_registered_with_a_table_and_json() -> None:
    assert set(REGISTRY) == set(ViewKind)
    assert set(VIEW_CLASSES) == set(ViewKind)
    for kind in ViewKind:
        if kind in EXPORTS:
            assert formats(kind) == EXPORTS[kind], kind
        else:
            assert {Format.table, Format.json} <= set(formats(kind)), kind
            assert formats(kind)[0] is Format.table  # the default
        assert view_class(kind).kind is kind


def test_every_format_is_written_by_some_view() -> None:
    assert {fmt for writers in REGISTRY.values() for fmt in writers} == set(Format)


@pytest.mark.parametrize(("kind", "fmt"), PAIRS, ids=[f"{k}-{f}" for k, f in PAIRS])
def test_every_entry_resolves_to_a_writer_of_exactly_its_view(kind: ViewKind, fmt: Format) -> None:
    """Annotations are checked by mypy; here, by name (writers import views for type checking
    only, so that a run imports the one view it writes)."""
    write = load(kind, fmt)
    signature = inspect.signature(write)
    view, canvas = signature.parameters.values()
    assert view.annotation == view_class(kind).__name__, (kind, fmt)
    assert canvas.annotation == Canvas.__name__
    assert signature.return_annotation == "str"


@pytest.mark.parametrize("command", sorted(COMMAND_VIEWS))
def test_every_command_offers_exactly_the_formats_that_resolve(run_cli: Any, command: str) -> None:
    """The --format choices in each command's help come from the registry."""
    kind = COMMAND_VIEWS[command]
    offered = formats(kind)
    code, out, _ = run_cli(*command.split(), "--help", env={"COLUMNS": "200"})
    assert code == 0
    assert "[" + "|".join(f.value for f in offered) + "]" in out
    for fmt in Format:
        if fmt not in offered:
            code, out, err = run_cli(*command.split(), *ARGS[command], "--format", fmt.value)
            assert code == 2, (command, fmt)
            assert out == ""
            assert err.startswith(f"rmcli: error: {command} cannot write {fmt.value}\n")


def test_the_commands_are_the_documented_ones(run_cli: Any) -> None:
    """`rmcli --help` lists the commands of the README's command table, in its order, and
    each one's help answers (its module loads and has a Typer app)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `rmcli (\w+)", readme, flags=re.MULTILINE)
    code, out, _ = run_cli("--help", env={"COLUMNS": "200"})
    assert code == 0
    listed = re.findall(r"^\s+(\w+)\s{2,}", out.split("Commands:", 1)[1], flags=re.MULTILINE)
    assert listed == list(dict.fromkeys(documented)) == list(COMMANDS)
    for command in listed:
        code, out, err = run_cli(command, "--help")
        assert code == 0, err
        assert f"Usage: rmcli {command}" in out
