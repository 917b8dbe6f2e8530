"""Shared fixtures: run the real CLI in-process, and copies of the bundled knowledge base."""

from __future__ import annotations

import shutil
import signal
import tomllib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import hardening_helpers
import pytest
import tomli_w
from typer.testing import CliRunner
from wizard_helpers import ENV

from rmcli.cli.run import run as rmcli_run
from rmcli.kb import KnowledgeBase
from rmcli.kb.load import bundled, load

# A suite started in the background (`pytest &`, nohup) inherits SIGINT ignored, and every rmcli
# it starts would too (an ignored signal stays ignored across exec): the Ctrl-C tests need the
# default, which a handled signal gives a child.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# Environment variables that change how rmcli or Rich behave; cleared unless a test sets them.
CLEAN_ENV = ENV

RunCli = Callable[..., tuple[int, str, str]]


def run(
    *args: str, env: Mapping[str, str | None] | None = None, input: str | None = None
) -> tuple[int, str, str]:
    """Run `rmcli ARGS` in-process; returns (exit code, stdout, stderr)."""
    merged = {**CLEAN_ENV, **(env or {})}
    with CliRunner().isolation(input=input, env=merged) as (out, err, _mixed):
        code = rmcli_run(list(args))
        stdout = out.getvalue().decode("utf-8")
        stderr = err.getvalue().decode("utf-8")
    return int(code), stdout, stderr


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the knowledge-base cache of the whole run out of the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("rmcli-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RMCLI_CACHE_DIR", str(folder))
        patch.delenv("RMCLI_NO_CACHE", raising=False)
        yield


@pytest.fixture
def run_cli() -> RunCli:
    return run


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The bundled knowledge base, loaded once."""
    return load(bundled())


@pytest.fixture(scope="session")
def bundled_path() -> Path:
    return Path(str(bundled())).resolve()


@pytest.fixture
def kb_copy(tmp_path: Path, bundled_path: Path) -> Path:
    """A private, writable copy of the bundled knowledge base (symlinks resolved)."""
    target = tmp_path / "kb"
    shutil.copytree(bundled_path, target, symlinks=False)
    return target


Edit = Callable[[str, Callable[[dict[str, Any]], object]], Path]


@pytest.fixture
def edit_therapy(kb_copy: Path) -> Edit:
    """Rewrite one therapy file of `kb_copy` through a function that mutates its parsed data."""

    def edit(therapy_id: str, change: Callable[[dict[str, Any]], object]) -> Path:
        path = kb_copy / "therapies" / f"{therapy_id}.toml"
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
        return path

    return edit


@pytest.fixture(scope="session")
def big_kb(tmp_path_factory: pytest.TempPathFactory, bundled_path: Path) -> Path:
    """A valid knowledge base of 300 therapies (the benchmark's generator): slow to load and
    with a `list --long` output far larger than a pipe buffer."""
    folder = tmp_path_factory.mktemp("big-kb")
    built: Path = hardening_helpers.load_benchmark_module().synthetic_kb(
        bundled_path, folder / "kb", 300
    )
    return built


@pytest.fixture
def example_json(run_cli: RunCli) -> str:
    """The assessment of examples/profile.toml as JSON."""
    code, out, err = run_cli(
        "wizard", "--answers", str(hardening_helpers.EXAMPLE), "--format", "json"
    )
    assert code == 0, err
    return str(out)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (then review the diff by eye)",
    )
