"""What a person can type at the interview's number prompts: only ASCII digits are a number.

`²`, `¹`, `①` or `٣` pass str.isdigit() but are no number to int() (or are a number in another
script); 5,000 digits pass too but int() refuses them. Each once escaped from the validator,
printed a traceback and "Press ENTER to continue...", and left a terminal where Enter and
Ctrl-C did nothing. Now each is refused with the one-line message and asked again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pty_helpers import spawn_wizard
from wizard_helpers import CLEAR_LINE, ENTER, interview_keys, interview_profile, plain

from rmcli.wizard.prompts import number_check

NOT_NUMBERS = [
    "²",
    "¹",
    "①",
    "3²",
    "٣",  # ARABIC-INDIC DIGIT THREE: int() reads it as 3, but nobody means that
    "\uff13",  # FULLWIDTH DIGIT THREE
    "5" * 5000,
    "9" * 4301,
    "+3",
    "-0",
    "3.0",
    "1_0",
    "3\x00",
    "0x1",
    "",
]


@pytest.mark.parametrize("text", NOT_NUMBERS, ids=[repr(t[:8]) for t in NOT_NUMBERS])
def test_only_ascii_digits_are_a_number(text: str) -> None:
    assert number_check(0, 30)(text) == "enter a whole number from 0 to 30"


@pytest.mark.parametrize(("text", "ok"), [("0", True), ("30", True), (" 7 ", True), ("007", True)])
def test_whole_numbers_in_range_pass(text: str, ok: bool) -> None:
    assert number_check(0, 30)(text) is ok


def test_an_optional_number_may_be_empty_but_not_foreign() -> None:
    check = number_check(14, 60, optional=True)
    assert check("") is True and check("  ") is True
    assert check("⁴²") == "enter a whole number from 14 to 60 (or nothing)"


def test_the_interview_asks_again_after_a_superscript_and_5000_digits() -> None:
    keys = interview_keys(losses=3, offer_save=False)
    keys[2] = "²" + ENTER + CLEAR_LINE + "5" * 5000 + ENTER + CLEAR_LINE + "3" + ENTER
    profile, screen = interview_profile(keys)
    assert profile.losses == 3
    assert "enter a whole number from 0 to 30" in screen
    assert "Traceback" not in screen and "Press ENTER" not in screen


# ---------------------------------------------------------------- a real pseudo-terminal


def interrupted(child: object) -> str:
    """Ctrl-C at the prompt: the wizard must end at once, 130, one line, no traceback."""
    import pexpect

    child.sendintr()  # type: ignore[attr-defined]
    child.expect(pexpect.EOF, timeout=10)  # type: ignore[attr-defined]
    child.close()  # type: ignore[attr-defined]
    assert child.exitstatus == 130  # type: ignore[attr-defined]
    return plain(child.before or "")  # type: ignore[attr-defined]


@pytest.mark.parametrize("typed", ["²", "¹", "①"])
def test_pty_a_superscript_is_refused_and_ctrl_c_still_works(tmp_path: Path, typed: str) -> None:
    child = spawn_wizard(tmp_path)
    child.expect("Age in years")
    child.send("\r")
    child.expect("Pregnancy losses")
    child.send(typed + "\r")
    child.expect("enter a whole number from 0 to 30", timeout=5)
    after = interrupted(child)
    assert "Traceback" not in after and "Press ENTER" not in after
    assert after.count("rmcli: error: interrupted") == 1


def test_pty_5000_digits_are_refused_then_the_interview_goes_on(tmp_path: Path) -> None:
    child = spawn_wizard(tmp_path)
    child.expect("Age in years")
    child.send("5" * 5000 + "\r")
    child.expect("enter a whole number from 14 to 60", timeout=10)
    child.send(CLEAR_LINE + "\r")
    child.expect("Pregnancy losses")
    child.send("5" * 5000 + "\r")
    child.expect("enter a whole number from 0 to 30", timeout=10)
    child.send(CLEAR_LINE + "3\r")
    child.expect("live births")
    after = interrupted(child)
    assert "Traceback" not in after and "Press ENTER" not in after
