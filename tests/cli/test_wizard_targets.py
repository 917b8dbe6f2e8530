"""Where `wizard --save/--report` (and `evidence --svg`) may write: never onto the profile being
read, never both onto one file, never onto a device or FIFO, even with --force; and a --save
file that appears while the questions are answered costs no answers."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pty_helpers import answer_findings_and_conditions, answer_history, spawn_wizard

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "profile.toml"


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "p.md"  # a profile whose name could be a report's
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def refused(run_cli: Any, *args: str, code: int) -> str:
    result, out, err = run_cli(*args)
    assert (result, out) == (code, ""), err
    assert "Traceback" not in err and len(err.splitlines()) <= 2
    return err.splitlines()[0]


def test_the_report_cannot_overwrite_the_profile_it_reads(run_cli: Any, answers: Path) -> None:
    line = refused(
        run_cli, "wizard", "--answers", str(answers), "--report", str(answers), "--force", code=2
    )
    assert line == f"rmcli: error: --report {answers} is the file given with --answers"
    assert answers.read_bytes() == EXAMPLE.read_bytes()


def test_save_and_report_cannot_be_one_file(run_cli: Any, answers: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.html"
    line = refused(
        run_cli,
        "wizard",
        *("--answers", str(answers), "--save", str(target), "--report", str(target)),
        "--force",
        code=2,
    )
    assert line == f"rmcli: error: --report {target} is the file given with --save"
    assert not target.exists()


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_link_to_the_profile_is_the_profile(
    run_cli: Any, answers: Path, tmp_path: Path, link: str
) -> None:
    other = tmp_path / "other.toml"
    if link == "symbolic":
        other.symlink_to(answers)
    else:
        os.link(answers, other)
    line = refused(
        run_cli, "wizard", "--answers", str(answers), "--save", str(other), "--force", code=2
    )
    assert "is the file given with --answers" in line
    assert answers.read_bytes() == EXAMPLE.read_bytes()


def non_regular(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"node-{kind}"
    if kind == "fifo":
        os.mkfifo(path)
    else:  # a character device like /dev/null, made where a mistake cannot hurt the system
        try:
            os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("only root can make a device node")
    return path


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("option", ["--save", "--report", "--svg"])
def test_a_device_or_fifo_is_never_replaced_even_with_force(
    run_cli: Any, tmp_path: Path, kind: str, option: str
) -> None:
    node = non_regular(tmp_path, kind)
    command = (
        ["evidence", "heparin"] if option == "--svg" else ["wizard", "--answers", str(EXAMPLE)]
    )
    line = refused(run_cli, *command, option, str(node), "--force", code=5)
    assert line == (
        f"rmcli: error: cannot write {node}: it is not a regular file (a device, FIFO or socket)"
    )
    mode = node.lstat().st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISCHR(mode)


def test_a_save_file_that_appears_during_the_interview_asks_again(tmp_path: Path) -> None:
    """Once, every answer was thrown away: "p.toml already exists", exit 5."""
    import pexpect

    child = spawn_wizard(tmp_path, "--save", "p.toml", "--format", "json")
    answer_history(child, losses="4")
    (tmp_path / "p.toml").write_text("someone else's file\n")  # appears meanwhile
    answer_findings_and_conditions(child)
    child.send("\r")  # assess
    child.expect("p.toml already exists")
    child.expect("your answers are kept: choose another file")
    child.expect("File name")
    child.send("mine.toml\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "p.toml").read_text() == "someone else's file\n"
    saved = tomllib.loads((tmp_path / "mine.toml").read_text(encoding="utf-8"))
    assert saved["losses"] == 4
    assert stat.S_IMODE((tmp_path / "mine.toml").stat().st_mode) == 0o600
