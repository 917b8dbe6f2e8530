"""`wizard --save`: never onto a directory or an existing file unless asked, private, and
never a partial or temporary file left behind."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hardening_helpers import (
    EXAMPLE,
    error_lines,
    mode,
    tree,
)

from rmcli.errors import ExitCode


def save(run_cli: Any, target: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(  # type: ignore[no-any-return]
        "wizard", "--answers", str(EXAMPLE), "--format", "json", "--save", str(target), *extra
    )


def test_save_into_a_missing_directory(run_cli: Any, tmp_path: Path) -> None:
    code, out, err = save(run_cli, tmp_path / "missing" / "p.toml")
    assert code == ExitCode.FILE_ERROR
    assert out == ""
    (line,) = error_lines(err)
    assert "does not exist" in line
    assert tree(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_save_into_a_read_only_directory(run_cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, out, err = save(run_cli, folder / "p.toml")
    finally:
        folder.chmod(0o700)
    assert code == ExitCode.FILE_ERROR
    assert out == ""
    assert len(error_lines(err)) == 1
    assert tree(folder) == []


def test_save_onto_a_directory(run_cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "p.toml"
    folder.mkdir()
    code, out, err = save(run_cli, folder)
    assert code == ExitCode.FILE_ERROR
    assert out == ""
    (line,) = error_lines(err)
    assert "directory" in line
    assert tree(tmp_path) == ["p.toml"]
    code, _, err = save(run_cli, folder, "--force")
    assert code == ExitCode.FILE_ERROR
    assert tree(tmp_path) == ["p.toml"]


def test_save_onto_an_existing_file_changes_nothing(run_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    original = b"# somebody else's notes\x00\xff\n"
    target.write_bytes(original)
    target.chmod(0o644)
    code, out, err = save(run_cli, target)
    assert code == ExitCode.FILE_ERROR
    assert out == ""
    assert "already exists" in error_lines(err)[0]
    assert "--force" in err
    assert target.read_bytes() == original
    assert mode(target) == 0o644
    assert tree(tmp_path) == ["p.toml"]


def test_save_with_force_replaces_the_file_privately(
    run_cli: Any, tmp_path: Path, example_json: str
) -> None:
    target = tmp_path / "p.toml"
    target.write_bytes(b"old\n")
    target.chmod(0o644)
    code, out, err = save(run_cli, target, "--force")
    assert code == 0, err
    assert out == example_json
    assert mode(target) == 0o600
    assert target.read_text(encoding="utf-8").startswith("# rmcli patient profile")
    assert tree(tmp_path) == ["p.toml"]
    replay = run_cli("wizard", "--answers", str(target), "--format", "json")
    assert replay == (0, example_json, "")


def interrupt_at(monkeypatch: pytest.MonkeyPatch, step: str, target: Path) -> Callable[[], bool]:
    """Make one step of the atomic write to `target` raise KeyboardInterrupt (as Ctrl-C would).

    There is no way to time a real Ctrl-C between two system calls of one write; the fault is
    injected at the call itself and only for `target`, so nothing else is affected.
    """
    fired: list[str] = []
    real = getattr(os, step)

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        if step == "fsync" or Path(args[-1]) == target:
            fired.append(step)
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(os, step, interrupted)
    return lambda: bool(fired)


@pytest.mark.parametrize(
    ("step", "existing"),
    [("fsync", None), ("link", None), ("fsync", b"precious\n"), ("replace", b"precious\n")],
)
def test_an_interrupted_save_leaves_no_partial_or_temp_file(
    run_cli: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
    existing: bytes | None,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "p.toml"
    if existing is not None:
        target.write_bytes(existing)
        target.chmod(0o640)
    fired = interrupt_at(monkeypatch, step, target)
    extra = ("--force",) if existing is not None else ()
    code, out, err = run_cli(
        "wizard",
        "--answers",
        str(EXAMPLE),
        "--save",
        str(target),
        *extra,
        env={"RMCLI_NO_CACHE": "1"},
    )
    assert fired(), f"the write never reached os.{step}"
    assert code == ExitCode.INTERRUPTED
    assert err == "rmcli: error: interrupted\n"
    assert out == ""
    if existing is None:
        assert tree(folder) == []
    else:
        assert tree(folder) == ["p.toml"]
        assert target.read_bytes() == existing
        assert mode(target) == 0o640
