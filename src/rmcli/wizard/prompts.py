"""The interactive interview: questionary prompts, then a review screen that lets the user
assess, change an answer, or start again. The only module that imports questionary, lazily."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmcli.errors import FileError, UsageError
from rmcli.profile import MAY_BE_UNKNOWN, SCHEMA, Profile, parse, save
from rmcli.wizard.questions import OPTIONAL_NUMBERS, WRAP, Question, questions, settle

if TYPE_CHECKING:
    from rmcli.environment import Environment
    from rmcli.kb.model import KnowledgeBase

ASSESS, CHANGE, RESTART = "assess", "change", "restart"
MAX_DIGITS = 6  # more than any answer needs (leading zeros allowed), far below int()'s limit


def number_check(low: int, high: int, *, optional: bool = False) -> Any:
    """A validator for whole numbers from low to high (or nothing, when optional).

    Only a few ASCII digits are a number: `²`, `①` or `٣` pass str.isdigit(), and 5,000 digits
    pass int()'s type but not its size limit; raised inside prompt_toolkit, either would print
    a traceback and leave the terminal deaf to Enter and Ctrl-C. Never raises."""

    def check(text: str) -> bool | str:
        text = text.strip()
        if optional and not text:
            return True
        number = text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS
        if not number or not low <= int(text) <= high:
            skip = " (or nothing)" if optional else ""
            return f"enter a whole number from {low} to {high}{skip}"
        return True

    return check


def ask(question: Question, answers: dict[str, Any], width: int) -> Any:
    """Ask one question, offering the current answer (if any) as the default."""
    import questionary
    from questionary import Choice

    message = question.message(width)
    current = question.get(answers)
    if question.kind in ("count", *OPTIONAL_NUMBERS):
        low, high = question.limits(answers)
        default = "" if current is None else str(current)
        text = questionary.text(
            message,
            default=default,
            validate=number_check(low, high, optional=question.kind in OPTIONAL_NUMBERS),
        ).unsafe_ask()
        return int(text) if text.strip() else None
    if question.kind == "confirm":
        return questionary.confirm(message, default=bool(current)).unsafe_ask()
    choices = [Choice(title, value=value) for value, title in question.choices]
    if question.kind == "select":
        return questionary.select(
            message, choices=choices, default=current or "not-tested"
        ).unsafe_ask()
    for choice in choices:
        choice.checked = choice.value in (current or [])
    return questionary.checkbox(message, choices=choices).unsafe_ask()


def _ask_all(asked: list[Question], answers: dict[str, Any], width: int) -> None:
    for question in asked:
        if question.applies(answers):
            question.put(answers, ask(question, answers, width))
    settle(answers)


NOT_TESTED = "Not tested"


def summary(asked: list[Question], answers: dict[str, Any], width: int) -> list[str]:
    """The answers at a glance, short enough for a 24-line screen: findings still not tested
    are named on one wrapped line instead of one line each."""
    shown = [q for q in asked if q.applies(answers)]
    untested = [
        q.label for q in shown if q.key.startswith("findings.") and q.shown(answers) == "not tested"
    ]
    rows = [(q.label, q.shown(answers)) for q in shown if q.label not in untested]
    if untested:
        rows.append((NOT_TESTED, ", ".join(untested)))
    label_width = max(len(label) for label, _ in rows)
    room = max(20, min(width, WRAP) - label_width - 4)
    lines = []
    for label, value in rows:
        wrapped = textwrap.wrap(value, room, break_on_hyphens=False) or [""]
        lines.append(f"  {label:<{label_width}}  {wrapped[0]}")
        lines += [f"  {'':<{label_width}}  {line}" for line in wrapped[1:]]
    return lines


def review(asked: list[Question], answers: dict[str, Any], env: Environment) -> str:
    """The answers at a glance, printed so that the terminal scrolls rather than hides any,
    then: assess, change an answer, or start again."""
    import questionary
    from questionary import Choice

    # printed on the terminal above the prompt, so that a long list scrolls rather than hides
    questionary.print("\n".join(["Your answers:", *summary(asked, answers, env.width)]))
    return str(
        questionary.select(
            "What next?",
            choices=[
                Choice("Assess this profile", value=ASSESS),
                Choice("Change an answer", value=CHANGE),
                Choice("Start again", value=RESTART),
            ],
        ).unsafe_ask()
    )


def change(asked: list[Question], answers: dict[str, Any], width: int) -> None:
    """Jump to one question, ask it again, then any answer the change made inconsistent."""
    import questionary
    from questionary import Choice

    shown = [q for q in asked if q.applies(answers)]
    picked = questionary.select(
        "Which answer?",
        choices=[Choice(f"{q.label}: {q.shown(answers)}", value=q.key) for q in shown],
    ).unsafe_ask()
    by_key = {q.key: q for q in asked}
    by_key[picked].put(answers, ask(by_key[picked], answers, width))
    for key in settle(answers):
        by_key[key].put(answers, ask(by_key[key], answers, width))
        settle(answers)


def interview(kb: KnowledgeBase, env: Environment) -> Profile:
    """Ask, review, correct; Ctrl-C propagates and nothing is written."""
    if not env.interactive:
        raise UsageError(
            "the wizard needs an interactive terminal",
            hint="run it at a terminal, or pass a profile with `rmcli wizard --answers FILE`",
        )
    asked = questions(kb)
    answers: dict[str, Any] = {}
    _ask_all(asked, answers, env.width)
    while (action := review(asked, answers, env)) != ASSESS:
        if action == CHANGE:
            change(asked, answers, env.width)
        else:
            answers = {}
            _ask_all(asked, answers, env.width)
    for key in MAY_BE_UNKNOWN:
        if answers.get(key) is None:
            answers.pop(key, None)
    answers["schema"] = SCHEMA
    return parse(answers, kb.vocabulary, [t.id for t in kb.therapies], "answers")


SAVE_PROMPT = "Save this profile? File name (Enter to skip):"


def offer_save(profile: Profile, env: Environment) -> None:
    """After the assessment is shown: save the profile under a name, or skip with Enter.
    Ctrl-C here ends the run, and the assessment already shown stays on the screen."""
    import questionary

    while name := questionary.text(SAVE_PROMPT).unsafe_ask().strip():
        path = Path(name).expanduser()
        force = False
        if path.exists() and not path.is_dir():
            force = bool(
                questionary.confirm(f"{path} exists. Overwrite it?", default=False).unsafe_ask()
            )
            if not force:
                continue
        try:
            save(profile, path, force=force)
        except FileError as problem:
            env.error(problem.message, problem.hint)
            continue
        env.message(f"profile saved to {path} (mode 0600)")
        return


def save_elsewhere(profile: Profile, env: Environment, problem: FileError) -> None:
    """The --save file appeared while the questions were answered: say so, and ask where to
    save instead of throwing the answers away."""
    env.error(problem.message, "your answers are kept: choose another file")
    offer_save(profile, env)
