"""Exit codes are chosen in one place: every kind of problem maps to its documented code."""

from __future__ import annotations

import pytest

from rmcli.cli.run import EXIT_CODES, exit_code
from rmcli.environment import PipeClosed
from rmcli.errors import (
    ExitCode,
    FileError,
    KnowledgeBaseError,
    ProfileError,
    RmcliError,
    UsageError,
)
from rmcli.kb.lookup import UnknownTherapy
from rmcli.kb.problems import InvalidKnowledgeBase, Problem
from rmcli.profile import InvalidProfile


@pytest.mark.parametrize(
    ("problem", "code"),
    [
        (UsageError("x"), ExitCode.USAGE),
        (UnknownTherapy("ivgi", []), ExitCode.USAGE),
        (FileError("x"), ExitCode.FILE_ERROR),
        (KnowledgeBaseError("x"), ExitCode.INVALID_KB),
        (InvalidKnowledgeBase("(bundled)", [Problem("kb.toml", "version", "missing")]), 3),
        (ProfileError("x"), ExitCode.INVALID_PROFILE),
        (InvalidProfile("p.toml", ["losses: missing"]), ExitCode.INVALID_PROFILE),
        (PipeClosed(), ExitCode.BROKEN_PIPE),
        (RmcliError("unclassified"), ExitCode.INTERNAL),
    ],
)
def test_each_kind_of_problem_has_its_exit_code(problem: RmcliError, code: int) -> None:
    assert exit_code(problem) == code


def test_every_documented_code_for_a_problem_is_reachable() -> None:
    codes = {code for _, code in EXIT_CODES}
    assert codes == {
        ExitCode.USAGE,
        ExitCode.FILE_ERROR,
        ExitCode.INVALID_KB,
        ExitCode.INVALID_PROFILE,
        ExitCode.BROKEN_PIPE,
    }


def test_the_core_never_chooses_an_exit_code() -> None:
    """kb, profile and assess raise kinds of problems; only rmcli.cli knows exit codes."""
    from pathlib import Path

    import rmcli

    root = Path(rmcli.__file__).parent
    core = [*root.glob("kb/*.py"), root / "profile.py", root / "assess.py", root / "match.py"]
    for path in core:
        assert "ExitCode" not in path.read_text("utf-8"), path


def test_the_knowledge_base_imports_only_kb_errors_and_text() -> None:
    import re
    from pathlib import Path

    import rmcli

    allowed = re.compile(r"^rmcli\.(kb|errors|text)(\.|$)")
    for path in (Path(rmcli.__file__).parent / "kb").glob("*.py"):
        for module in re.findall(
            r"^\s*(?:from|import) (rmcli[\w.]*)", path.read_text("utf-8"), re.M
        ):
            assert allowed.match(module), (path.name, module)
