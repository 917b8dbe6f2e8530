"""Helpers for the assessment, profile, file and wizard tests.

Kept out of conftest.py on purpose: these tests only need the real CLI run in-process, the
bundled knowledge base, and a way to drive the real questionary prompts with keystrokes.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from typer.testing import CliRunner

from rmcli.cli.run import run as rmcli_run
from rmcli.environment import Environment
from rmcli.kb import KnowledgeBase
from rmcli.kb.load import bundled, load
from rmcli.profile import SCHEMA, Profile, parse

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_PROFILE = REPO / "examples" / "profile.toml"

# Environment that makes rmcli and Rich behave the same on every machine.
ENV: dict[str, str | None] = {
    "RMCLI_KB": None,
    "NO_COLOR": None,
    "FORCE_COLOR": None,
    "TTY_COMPATIBLE": None,
    "TTY_INTERACTIVE": None,
    "COLUMNS": "100",
    "LINES": None,
    "TERM": "xterm-256color",
}

# Keystrokes understood by prompt_toolkit.
ENTER = "\r"
UP = "\x1b[A"
DOWN = "\x1b[B"
SPACE = " "
CLEAR_LINE = "\x15"  # Ctrl-U: discard the line typed so far
CTRL_C = "\x03"

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


@functools.cache
def bundled_kb() -> KnowledgeBase:
    """The real bundled knowledge base, loaded once per test session."""
    return load(bundled())


def make_profile(**data: Any) -> Profile:
    """A validated profile from keyword answers, e.g. make_profile(losses=3); the newest
    schema unless `schema` is given."""
    kb = bundled_kb()
    return parse({"schema": SCHEMA, **data}, kb.vocabulary, [t.id for t in kb.therapies])


class Result(NamedTuple):
    code: int
    stdout: str
    stderr: str
    screen: str = ""


def run_rmcli(*args: str, env: Mapping[str, str | None] | None = None) -> Result:
    """`rmcli ARGS` in-process, without a terminal; returns exit code, stdout and stderr."""
    with CliRunner().isolation(env={**ENV, **(env or {})}) as (out, err, _mixed):
        code = rmcli_run(list(args))
        return Result(int(code), out.getvalue().decode(), err.getvalue().decode())


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("rmcli: error:")]


def plain(text: str) -> str:
    """Terminal output without escape sequences and carriage returns."""
    return _ANSI.sub("", text).replace("\r", "")


def run_interview(keys: Iterable[str], *args: str, sentinel: bool = True) -> Result:
    """Drive the real questionary interview through `rmcli wizard ARGS` with keystrokes.

    The keystrokes are buffered up front; prompt_toolkit hands what one prompt leaves over
    to the next. With `sentinel`, a Ctrl-C is queued after them: if the wizard asks more
    questions than the keys answer, the run ends with 130 instead of hanging the test.
    The prompts are rendered to `screen` (a fake 40x120 terminal) so tests can read them.
    """
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=40, columns=120), term="xterm")
    text = "".join(keys) + (CTRL_C if sentinel else "")
    out, err = io.StringIO(), io.StringIO()
    env = Environment(out, err, {k: v for k, v in ENV.items() if v is not None}, interactive=True)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        pipe.send_text(text)
        code = rmcli_run(["wizard", *args], env=env)
    return Result(int(code), out.getvalue(), err.getvalue(), plain(screen.getvalue()))


def select_keys(finding: str, value: str) -> list[str]:
    """Keys to pick `value` in a finding's select prompt (the cursor starts on not-tested)."""
    choices = bundled_kb().vocabulary.findings[finding].values
    return [UP] * (choices.index("not-tested") - choices.index(value)) + [ENTER]


def checkbox_keys(choices: Sequence[str], chosen: Iterable[str]) -> list[str]:
    """Keys to tick `chosen` in a checkbox prompt whose cursor starts on the first choice."""
    keys: list[str] = []
    cursor = 0
    for index in sorted(choices.index(item) for item in chosen):
        keys += [DOWN] * (index - cursor) + [SPACE]
        cursor = index
    return [*keys, ENTER]


def interview_keys(
    *,
    age: int | str | None = None,
    losses: int | str = 3,
    live_births: int | str = 0,
    late_losses: int | str = 0,
    second_trimester_losses: int | str = 0,
    placental_preterm_births: int | str = 0,
    pregnant: bool = False,
    gestation_weeks: int | None = None,
    bleeding: bool = False,
    treatments_failed: Iterable[str] = (),
    treatments_current: Iterable[str] = (),
    findings: Mapping[str, str] | None = None,
    autoimmune: Iterable[str] = (),
    conditions: Iterable[str] = (),
    review: Sequence[str] = (ENTER,),
    offer_save: bool = True,
    save_to: str | None = None,
) -> list[str]:
    """Keystrokes answering every wizard question, in the order the wizard asks them.

    `review` is what is typed at the review screen; ENTER picks its first choice, "Assess".
    With `offer_save` (the prompt after the assessment), `save_to` is typed as the file name,
    or Enter skips saving.
    """
    kb = bundled_kb()
    vocabulary = kb.vocabulary
    therapies = sorted(t.id for t in kb.therapies)
    keys = ["" if age is None else str(age), ENTER]
    for count in (losses, live_births, late_losses, second_trimester_losses):
        keys.append(f"{count}\r")
    keys.append(f"{placental_preterm_births}\r")
    keys.append("y" if pregnant else "n")
    if pregnant:
        keys += ["" if gestation_weeks is None else str(gestation_weeks), ENTER]
        keys.append("y" if bleeding else "n")
    keys += checkbox_keys(therapies, treatments_failed)
    keys += checkbox_keys(therapies, treatments_current)
    for finding in vocabulary.findings:
        keys += select_keys(finding, (findings or {}).get(finding, "not-tested"))
    keys += checkbox_keys(list(vocabulary.autoimmune), autoimmune)
    keys += checkbox_keys(list(vocabulary.conditions), conditions)
    keys += review
    if offer_save:
        keys += [save_to + ENTER] if save_to else [ENTER]
    return keys


def interview_profile(keys: Iterable[str], *, offer_save: bool = False) -> tuple[Profile, str]:
    """Run the real interview on keystrokes (Ctrl-C queued after them), then, with
    `offer_save`, the save prompt that follows the assessment; the profile and screen."""
    from rmcli.wizard import interview
    from rmcli.wizard import offer_save as save_prompt

    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=40, columns=80), term="xterm")
    env = Environment(interactive=True)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        pipe.send_text("".join(keys) + CTRL_C)
        profile = interview(bundled_kb(), env)
        if offer_save:
            save_prompt(profile, env)
    return profile, plain(screen.getvalue())
