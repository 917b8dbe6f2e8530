"""Documented exit codes, each reached by a real failure, and quiet ends (Ctrl-C at a
prompt, a reader that goes away)."""

from __future__ import annotations

import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hardening_helpers import (
    EXAMPLE,
    README,
    RMCLI,
    SGR,
    child_env,
    error_lines,
    needs_console_script,
    tree,
)

from rmcli.errors import ExitCode


def readme_exit_codes() -> dict[int, str]:
    text = README.read_text(encoding="utf-8")
    assert "\n## Exit codes\n" in text
    section = text.split("\n## Exit codes\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$", section, flags=re.MULTILINE)
    codes = [int(code) for code, _ in rows]
    assert len(codes) == len(set(codes)), f"a code is documented twice: {codes}"
    return {int(code): meaning for code, meaning in rows}


def test_readme_documents_exactly_the_exit_codes() -> None:
    documented = readme_exit_codes()
    assert set(documented) == {code.value for code in ExitCode}
    assert documented[0] == "success"
    assert "interrupted" in documented[ExitCode.INTERRUPTED]
    assert "closed early" in documented[ExitCode.BROKEN_PIPE]


def test_exit_0_success(run_cli: Any) -> None:
    code, out, err = run_cli("list")
    assert code == ExitCode.OK == 0
    assert out and err == ""


def test_exit_1_a_bug_is_one_line_without_traceback(
    run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rmcli.formats.terminal.listing

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("render exploded")

    monkeypatch.setattr(rmcli.formats.terminal.listing, "listing", broken)
    code, out, err = run_cli("list")
    assert code == ExitCode.INTERNAL == 1
    assert out == ""
    (line,) = error_lines(err)
    assert line.startswith("rmcli: error: internal error")
    assert "RuntimeError: render exploded" in line
    assert all(x.startswith(("rmcli: error:", "hint:")) for x in err.splitlines())


def test_exit_2_unknown_therapy(run_cli: Any) -> None:
    code, out, err = run_cli("show", "no-such-therapy")
    assert code == ExitCode.USAGE == 2
    assert out == ""
    (line,) = error_lines(err)
    assert "no therapy named" in line


def test_exit_3_broken_knowledge_base(run_cli: Any, kb_copy: Path) -> None:
    (kb_copy / "therapies" / "ivig.toml").write_text("id = [unclosed\n", encoding="utf-8")
    code, out, err = run_cli("--kb", str(kb_copy), "list")
    assert code == ExitCode.INVALID_KB == 3
    assert out == ""
    (line,) = error_lines(err)
    assert "ivig.toml" in line


def test_exit_4_bad_profile(run_cli: Any, tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text('losses = "many"\n', encoding="utf-8")
    code, out, err = run_cli("wizard", "--answers", str(profile))
    assert code == ExitCode.INVALID_PROFILE == 4
    assert out == ""
    (line,) = error_lines(err)
    assert "losses" in line


def test_exit_5_save_onto_an_existing_file(run_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    target.write_bytes(b"keep me\n")
    code, out, err = run_cli("wizard", "--answers", str(EXAMPLE), "--save", str(target))
    assert code == ExitCode.FILE_ERROR == 5
    assert out == ""
    (line,) = error_lines(err)
    assert "already exists" in line
    assert target.read_bytes() == b"keep me\n"


@pytest.mark.parametrize("how", ["signal", "ctrl-c key"])
def test_exit_130_sigint_at_the_wizard_prompt(tmp_path: Path, how: str) -> None:
    pexpect = pytest.importorskip("pexpect")
    needs_console_script()
    env = child_env(TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    child = pexpect.spawn(
        str(RMCLI),
        ["wizard", "--save", "p.toml"],
        env=env,
        cwd=str(tmp_path),
        dimensions=(40, 120),
        encoding="utf-8",
        codec_errors="replace",
        timeout=20,
    )
    try:
        child.expect("Age in years")
        if how == "signal":
            child.kill(signal.SIGINT)
        else:
            child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == ExitCode.INTERRUPTED == 130
    transcript = SGR.sub("", child.before or "")
    assert transcript.count("rmcli: error: interrupted") == 1
    assert "Traceback" not in transcript
    assert tree(tmp_path) == []


def test_answers_from_a_pipe_that_never_delivers_is_refused_at_once() -> None:
    """`--answers /dev/stdin` from a pipe: a FIFO is refused before it can block the run."""
    needs_console_script()
    process = subprocess.Popen(
        [str(RMCLI), "wizard", "--answers", "/dev/stdin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )
    try:
        process.wait(timeout=20)  # stdin stays open and empty: a reader would block forever
    finally:
        if process.poll() is None:
            process.kill()
    assert process.stdout is not None and process.stderr is not None and process.stdin
    out, err = process.stdout.read(), process.stderr.read()
    process.stdin.close()
    assert process.returncode == ExitCode.FILE_ERROR
    assert err.decode() == (
        "rmcli: error: profile /dev/stdin is a FIFO (named pipe), not a regular file\n"
    )
    assert out == b""


def test_exit_141_when_the_reader_goes_away(big_kb: Path, tmp_path: Path) -> None:
    """Output far larger than a pipe buffer, so `head -1` always leaves before rmcli is done."""
    needs_console_script()
    script = (
        '"$RMCLI" --kb "$KB" list --long 2>"$ERR" | head -1 >"$OUT"; '
        'echo "${PIPESTATUS[0]} ${PIPESTATUS[1]}"'
    )
    env = child_env(
        RMCLI=str(RMCLI), KB=str(big_kb), ERR=str(tmp_path / "err"), OUT=str(tmp_path / "out")
    )
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout.split() == ["141", "0"], result
    assert (tmp_path / "err").read_text() == ""
    assert len((tmp_path / "out").read_text().splitlines()) == 1


def test_rmcli_list_into_head_ends_quietly(tmp_path: Path) -> None:
    """The README's own example. Its output fits a pipe buffer, so whether rmcli notices that
    head has gone is a race: either code is fine, a message or any other code is not."""
    needs_console_script()
    script = '"$RMCLI" list 2>"$ERR" | head -1 >/dev/null; echo "${PIPESTATUS[0]}"'
    env = child_env(RMCLI=str(RMCLI), ERR=str(tmp_path / "err"))
    codes = set()
    for _ in range(3):
        result = subprocess.run(
            ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60
        )
        codes.add(int(result.stdout))
        assert (tmp_path / "err").read_text() == ""
    assert codes <= {0, 141}
