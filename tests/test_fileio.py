"""Safe file output (atomic, 0600, no silent overwrite); reading is rmcli.kb.read's."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from rmcli import fileio
from rmcli.cli.run import exit_code
from rmcli.errors import ExitCode, FileError
from rmcli.fileio import write_private


def names(directory: Path) -> list[str]:
    """Every entry, hidden temporary files included."""
    return sorted(entry.name for entry in directory.iterdir())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------- write_private


def test_writes_text_with_mode_0600_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "out.toml"
    write_private(path, 'losses = 3\nnote = "é"\n', force=False)
    assert path.read_text(encoding="utf-8") == 'losses = 3\nnote = "é"\n'
    assert mode(path) == 0o600
    assert names(tmp_path) == ["out.toml"]


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_mode_is_0600_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        write_private(tmp_path / "out", "x", force=False)
    finally:
        os.umask(old)
    assert mode(tmp_path / "out") == 0o600


def test_refuses_existing_file_without_force(tmp_path: Path) -> None:
    path = tmp_path / "out"
    path.write_bytes(b"original\n")
    path.chmod(0o640)
    with pytest.raises(FileError) as caught:
        write_private(path, "new", force=False)
    assert exit_code(caught.value) == ExitCode.FILE_ERROR
    assert caught.value.message == f"{path} already exists"
    assert caught.value.hint == "use --force to overwrite it"
    assert path.read_bytes() == b"original\n"
    assert mode(path) == 0o640
    assert names(tmp_path) == ["out"]


def test_force_replaces_existing_file_and_makes_it_private(tmp_path: Path) -> None:
    path = tmp_path / "out"
    path.write_text("original")
    path.chmod(0o644)
    write_private(path, "new", force=True)
    assert path.read_text() == "new"
    assert mode(path) == 0o600
    assert names(tmp_path) == ["out"]


def test_force_on_a_new_file(tmp_path: Path) -> None:
    write_private(tmp_path / "out", "new", force=True)
    assert (tmp_path / "out").read_text() == "new"
    assert mode(tmp_path / "out") == 0o600


def test_refuses_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "out"
    with pytest.raises(FileError, match="does not exist") as caught:
        write_private(path, "x", force=True)
    assert exit_code(caught.value) == ExitCode.FILE_ERROR
    assert not (tmp_path / "missing").exists()


def test_refuses_a_directory(tmp_path: Path) -> None:
    target = tmp_path / "dir"
    target.mkdir()
    for force in (False, True):
        with pytest.raises(FileError, match="is a directory"):
            write_private(target, "x", force=force)
    assert names(target) == []
    assert names(tmp_path) == ["dir"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_refuses_read_only_directory(tmp_path: Path) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    directory.chmod(0o500)
    try:
        with pytest.raises(FileError, match="cannot write"):
            write_private(directory / "out", "x", force=False)
        assert names(directory) == []
    finally:
        directory.chmod(0o700)


def test_cannot_create_temp_file_is_a_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a read-only directory looks like to the code, simulated so that it runs as root too."""

    def refuse(**_: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(FileError) as caught:
        write_private(tmp_path / "out", "x", force=False)
    assert caught.value.message == f"cannot write {tmp_path / 'out'}: Permission denied"
    assert names(tmp_path) == []


@pytest.mark.parametrize("force", [False, True])
def test_failure_while_writing_leaves_no_temp_file_and_old_content_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    path = tmp_path / "out"
    if force:
        path.write_text("original")

    def broken_fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", broken_fsync)
    with pytest.raises(FileError, match="No space left on device"):
        write_private(path, "new", force=force)
    if force:
        assert path.read_text() == "original"
        assert names(tmp_path) == ["out"]
    else:
        assert names(tmp_path) == []


def test_file_appearing_meanwhile_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exists() check and the final link race; the link must fail, not replace."""
    path = tmp_path / "out"
    real_link = os.link

    def racing_link(src: str | Path, dst: str | Path) -> None:
        Path(dst).write_text("someone else's")
        real_link(src, dst)

    monkeypatch.setattr(fileio.os, "link", racing_link)
    with pytest.raises(FileError, match="already exists"):
        write_private(path, "mine", force=False)
    assert path.read_text() == "someone else's"
    assert names(tmp_path) == ["out"]


def test_dangling_symlink_is_not_followed_without_force(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    link = tmp_path / "out"
    link.symlink_to(elsewhere)
    with pytest.raises(FileError, match="already exists"):
        write_private(link, "secret", force=False)
    assert not elsewhere.exists()
    assert link.is_symlink()
    assert names(tmp_path) == ["out"]
