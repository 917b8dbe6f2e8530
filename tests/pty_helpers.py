"""Driving the installed `rmcli wizard` in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from wizard_helpers import CLEAR_LINE, bundled_kb

RMCLI = Path(sys.executable).parent / "rmcli"


def spawn_wizard(tmp_path: Path, *args: str, columns: int = 80) -> Any:
    """`rmcli wizard ARGS` in a real PTY of `columns` x 40, in `tmp_path`, never paged."""
    pexpect = pytest.importorskip("pexpect")
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} not installed")
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "RMCLI_KB", "FORCE_COLOR"}}
    env["RMCLI_PAGER"] = ""  # the result is read here, not paged
    env.update(TERM="xterm", COLUMNS=str(columns), LINES="40")
    # pexpect does not answer prompt_toolkit's cursor-position requests as a terminal would;
    # without this each prompt waits about a second for the answer before going on.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    return pexpect.spawn(
        str(RMCLI),
        ["wizard", *args],
        env=env,
        cwd=str(tmp_path),
        dimensions=(40, columns),
        encoding="utf-8",
        codec_errors="replace",
        timeout=15,
    )


def answer_history(
    child: Any,
    *,
    losses: str,
    live_births: str = "0",
    pregnant: str = "n",
    refuse_first: bool = False,
) -> None:
    """Answer the obstetric history (age skipped); the treatment questions are left empty."""
    child.expect("Age in years")
    child.send("\r")
    child.expect("Pregnancy losses")
    if refuse_first:
        child.send("abc\r")
        child.expect("enter a whole number from 0 to 30")  # the answer is refused, on screen
        child.send(CLEAR_LINE)
    child.send(losses + "\r")
    child.expect("live births")
    child.send(live_births + "\r")
    for question in ("10 weeks", "second trimester", "34 weeks"):
        child.expect(question)
        child.send("0\r")
    child.expect("pregnant")
    child.send(pregnant)
    if pregnant == "y":
        child.expect("weeks pregnant")
        child.send("\r")
        child.expect("bleeding")
        child.send("y")
    for question in ("earlier pregnancy", "Treatments taken now"):
        child.expect(question)
        child.send("\r")


def answer_findings_and_conditions(child: Any, *, apl_ups: int = 0) -> None:
    """Every finding not tested (aPL moved up `apl_ups` places), no disease or condition."""
    child.expect("Antiphospholipid")
    child.send("\x1b[A" * apl_ups + "\r")
    for _ in range(len(bundled_kb().vocabulary.findings) - 1):
        child.send("\r")
    child.expect("Autoimmune")
    child.send("\r")
    child.expect("Other conditions")
    child.send("\r")
    child.expect("What next")
