"""The interview through the real questionary prompts: answers, review, change, start again."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pty_helpers import answer_findings_and_conditions, answer_history, spawn_wizard
from wizard_helpers import (
    CLEAR_LINE,
    CTRL_C,
    DOWN,
    ENTER,
    bundled_kb,
    interview_keys,
    interview_profile,
    plain,
)

from rmcli.environment import Environment
from rmcli.errors import UsageError
from rmcli.wizard import interview
from rmcli.wizard.prompts import number_check

CHANGE = [DOWN, ENTER]  # the review screen's second choice
RESTART = [DOWN, DOWN, ENTER]


def test_number_check() -> None:
    check = number_check(0, 30)
    assert check("3") is True and check("0") is True and check("30") is True
    for bad in ("abc", "", "-1", "31", "3.5", "1e2"):
        assert check(bad) == "enter a whole number from 0 to 30"
    optional = number_check(14, 60, optional=True)
    assert optional("") is True and optional("14") is True
    assert optional("13") == "enter a whole number from 14 to 60 (or nothing)"


def test_every_answer_reaches_the_profile() -> None:
    findings = {key: term.values[0] for key, term in bundled_kb().vocabulary.findings.items()}
    profile, screen = interview_profile(
        interview_keys(
            age=42,
            losses=4,
            live_births=1,
            late_losses=2,
            second_trimester_losses=1,
            placental_preterm_births=1,
            pregnant=True,
            gestation_weeks=9,
            bleeding=True,
            treatments_failed=["heparin", "aspirin"],
            treatments_current=["hydroxychloroquine"],
            findings=findings,
            autoimmune=["sle", "other"],
            conditions=["latent-tb", "iga-deficiency"],
            offer_save=False,
        )
    )
    assert (profile.age, profile.losses, profile.live_births) == (42, 4, 1)
    assert (profile.late_losses, profile.placental_preterm_births) == (2, 1)
    assert (profile.second_trimester_losses, profile.gestation_weeks) == (1, 9)
    assert (profile.pregnant, profile.bleeding) == (True, True)
    assert profile.schema == 3
    assert sorted(profile.treatments_failed) == ["aspirin", "heparin"]
    assert profile.treatments_current == ["hydroxychloroquine"]
    assert profile.findings == findings
    assert profile.autoimmune_disease == ["sle", "other"]
    assert profile.conditions == ["latent-tb", "iga-deficiency"]
    assert "Vaginal bleeding in this pregnancy?" in screen
    assert "Your answers:" in screen


def test_skipped_age_is_unknown_and_pregnancy_questions_only_when_pregnant() -> None:
    profile, screen = interview_profile(interview_keys(losses=2, offer_save=False))
    assert profile.age is None and profile.gestation_weeks is None
    assert "Vaginal bleeding" not in screen and "weeks pregnant" not in screen
    assert "Age" in screen and "not given" in screen  # the review names the skipped answer


def test_invalid_numbers_are_asked_again() -> None:
    keys = interview_keys(losses=3, offer_save=False)
    keys[0] = "13" + ENTER + CLEAR_LINE  # age below 14: refused; then skipped
    keys[2] = "abc" + ENTER + CLEAR_LINE + "31" + ENTER + CLEAR_LINE + "3" + ENTER
    keys[4] = "4" + ENTER + CLEAR_LINE + "1" + ENTER  # more late losses than losses
    keys[5] = "5" + ENTER + CLEAR_LINE + "0" + ENTER  # more second-trimester losses too
    profile, _ = interview_profile(keys)
    assert (profile.age, profile.losses, profile.late_losses) == (None, 3, 1)


def test_change_an_answer_from_the_review_then_assess() -> None:
    # review -> change -> pick "Pregnancy losses" (second in the list) -> 5 -> review -> assess
    review = [*CHANGE, DOWN, ENTER, CLEAR_LINE + "5" + ENTER, ENTER]
    profile, screen = interview_profile(interview_keys(losses=2, review=review, offer_save=False))
    assert profile.losses == 5
    assert "Which answer?" in screen
    assert screen.index("Which answer?") < screen.rindex("Your answers:")  # back to the review


def test_changing_pregnant_to_yes_asks_about_gestation_and_bleeding() -> None:
    # "Pregnant now" is the seventh answer on the review list
    review = [*CHANGE, *[DOWN] * 6, ENTER, "y", "8" + ENTER, "y", ENTER]
    profile, screen = interview_profile(interview_keys(losses=2, review=review, offer_save=False))
    assert (profile.pregnant, profile.gestation_weeks, profile.bleeding) == (True, 8, True)
    assert "Vaginal bleeding in this pregnancy?" in screen


def test_lowering_losses_below_late_losses_asks_late_losses_again() -> None:
    review = [*CHANGE, DOWN, ENTER, CLEAR_LINE + "1" + ENTER, CLEAR_LINE + "1" + ENTER, ENTER]
    keys = interview_keys(losses=3, late_losses=2, review=review, offer_save=False)
    profile, _ = interview_profile(keys)
    assert (profile.losses, profile.late_losses) == (1, 1)


def test_start_again_discards_every_answer() -> None:
    first = interview_keys(losses=3, conditions=["diabetes"], review=RESTART, offer_save=False)
    second = interview_keys(losses=2, offer_save=False)
    profile, _ = interview_profile([*first, *second])
    assert (profile.losses, profile.conditions) == (2, [])


def test_a_changed_answer_keeps_the_others() -> None:
    review = [*CHANGE, DOWN, ENTER, CLEAR_LINE + "4" + ENTER, ENTER]
    keys = interview_keys(
        age=30,
        losses=2,
        findings={"antiphospholipid": "persistent"},
        review=review,
        offer_save=False,
    )
    profile, _ = interview_profile(keys)
    assert (profile.age, profile.losses) == (30, 4)
    assert profile.findings["antiphospholipid"] == "persistent"


def test_prompts_wrap_at_word_boundaries_at_80_columns() -> None:
    _, screen = interview_profile(interview_keys(losses=2, offer_save=False))
    words = {w for line in screen.splitlines() for w in line.split()}
    for line in screen.splitlines():
        # the fake terminal's redraws run prompts together on one line: measure each prompt
        for prompt in line.split("? "):
            assert len(prompt) <= 78, line
    # no hint word arrives cut in two at the end of a line
    for hint in (t.hint for t in bundled_kb().vocabulary.findings.values()):
        for word in hint.replace("(", " ").replace(")", " ").split():
            assert word.rstrip(";,") in words or word in screen


def test_ctrl_c_propagates_and_nothing_is_returned() -> None:
    with pytest.raises(KeyboardInterrupt):
        interview_profile([interview_keys(losses=2)[0], CTRL_C])


def test_without_a_terminal_it_refuses_and_points_to_answers() -> None:
    with pytest.raises(UsageError) as caught:
        interview(bundled_kb(), Environment(interactive=False))
    assert caught.value.hint is not None and "--answers" in caught.value.hint


def test_save_from_the_interview_is_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "answers.toml"
    interview_profile(interview_keys(losses=2, save_to=str(target)), offer_save=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert f"profile saved to {target} (mode 0600)" in capsys.readouterr().err


def test_existing_file_is_not_overwritten_unless_confirmed(tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    target.write_text("keep me")
    keys = [*interview_keys(losses=2, offer_save=False), str(target) + ENTER, "n"]
    with pytest.raises(KeyboardInterrupt):  # asked again for a name; the queued Ctrl-C ends it
        interview_profile(keys, offer_save=True)
    assert target.read_text() == "keep me"


def test_an_empty_name_at_the_save_prompt_skips_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    profile, screen = interview_profile(interview_keys(losses=2), offer_save=True)
    assert profile.losses == 2
    assert "File name (Enter to skip)" in screen
    assert not any(tmp_path.iterdir())


def test_the_review_fits_a_24_line_screen_and_names_every_answer() -> None:
    from rmcli.wizard.prompts import summary
    from rmcli.wizard.questions import questions

    answers: dict[str, object] = {"losses": 3, "conditions": ["diabetes"], "autoimmune_disease": []}
    lines = summary(questions(bundled_kb()), answers, 80)
    assert len(lines) + 1 + 4 <= 24  # "Your answers:", the lines, the three-choice prompt
    text = " ".join(lines)
    assert "Other conditions" in text and "Diabetes" in text and "Autoimmune disease" in text
    assert "Not tested" in text and all(len(line) <= 80 for line in lines)


# ---------------------------------------------------------------- a real pseudo-terminal


def test_pty_review_change_then_assess(tmp_path: Path) -> None:
    import pexpect

    child = spawn_wizard(tmp_path, "--format", "json")
    answer_history(child, losses="2")
    answer_findings_and_conditions(child, apl_ups=3)  # aPL persistent
    child.send("\x1b[B\r")  # change an answer
    child.expect("Which answer")
    child.send("\x1b[B\r")  # pregnancy losses
    child.expect("Pregnancy losses")
    child.send("\x15" + "3\r")
    child.expect("Your answers:")
    child.send("\r")  # assess
    child.expect('"losses": 3')  # the assessment is shown before the offer to save
    child.expect("Save this profile")
    child.send("\r")  # an empty name: nothing saved
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not any(tmp_path.iterdir())


def test_pty_ctrl_c_at_the_save_prompt_keeps_the_assessment_shown(tmp_path: Path) -> None:
    import pexpect

    child = spawn_wizard(tmp_path, "--format", "json")
    answer_history(child, losses="3")
    answer_findings_and_conditions(child)
    child.send("\r")  # assess
    child.expect('"assessments"')
    child.expect("Save this profile")
    child.sendintr()
    child.expect("interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert not any(tmp_path.iterdir())


def test_pty_ctrl_c_at_the_review_writes_nothing(tmp_path: Path) -> None:
    import pexpect

    child = spawn_wizard(tmp_path, "--save", "p.toml")
    answer_history(child, losses="3")
    answer_findings_and_conditions(child)
    child.sendintr()
    child.expect("interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in plain(child.before or "")
    assert not any(tmp_path.iterdir())
