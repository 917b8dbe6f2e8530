"""The interactive interview: questionary prompts, then a review screen that lets the user
assess, change an answer, or start again. The only module that imports questionary, lazily."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmcli.errors import UsageError
from rmcli.profile import Profile, parse, save
from rmcli.wizard.questions import WRAP, Question, questions, settle

if TYPE_CHECKING:
    from rmcli.environment import Environment
    from rmcli.kb.model import KnowledgeBase

ASSESS, CHANGE, RESTART = "assess", "change", "restart"


def number_check(low: int, high: int, *, optional: bool = False) -> Any:
    """A validator for whole numbers from low to high (or nothing, when optional)."""

    def check(text: str) -> bool | str:
        text = text.strip()
        if optional and not text:
            return True
        if not text.isdigit() or not low <= int(text) <= high:
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
    if question.kind in ("age", "count"):
        low, high = question.limits(answers)
        default = "" if current is None else str(current)
        text = questionary.text(
            message,
            default=default,
            validate=number_check(low, high, optional=question.kind == "age"),
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


def review(asked: list[Question], answers: dict[str, Any], width: int) -> str:
    """The answers at a glance, then: assess, change an answer, or start again."""
    import questionary
    from questionary import Choice

    shown = [q for q in asked if q.applies(answers)]
    labels = max(len(q.label) for q in shown)
    room = max(20, min(width, WRAP) - labels - 6)
    rows = []
    for q in shown:
        lines = textwrap.wrap(q.shown(answers), room) or [""]
        rows.append(f"  {q.label:<{labels}}  {lines[0]}")
        rows += [f"  {'':<{labels}}  {line}" for line in lines[1:]]
    summary = "\n".join(rows)
    return str(
        questionary.select(
            f"Your answers:\n{summary}\nWhat next?",
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


def interview(kb: KnowledgeBase, env: Environment, *, offer_save: bool) -> Profile:
    """Ask, review, correct; Ctrl-C propagates and nothing is written."""
    if not env.interactive:
        raise UsageError(
            "the wizard needs an interactive terminal",
            hint="run it at a terminal, or pass a profile with `rmcli wizard --answers FILE`",
        )
    asked = questions(kb)
    answers: dict[str, Any] = {}
    _ask_all(asked, answers, env.width)
    while (action := review(asked, answers, env.width)) != ASSESS:
        if action == CHANGE:
            change(asked, answers, env.width)
        else:
            answers = {}
            _ask_all(asked, answers, env.width)
    if answers.get("age") is None:
        answers.pop("age", None)
    profile = parse(answers, kb.vocabulary, [t.id for t in kb.therapies], "answers")
    if offer_save and _confirm("Save this profile to a file?"):
        _save_interactively(profile, env)
    return profile


def _confirm(text: str) -> bool:
    import questionary

    return bool(questionary.confirm(text, default=False).unsafe_ask())


def _save_interactively(profile: Profile, env: Environment) -> None:
    import questionary

    from rmcli.errors import FileError

    while True:
        name = questionary.path("File to save to:", default="profile.toml").unsafe_ask()
        path = Path(name).expanduser()
        force = False
        if path.exists() and not path.is_dir():
            force = _confirm(f"{path} exists. Overwrite it?")
            if not force:
                continue
        try:
            save(profile, path, force=force)
        except FileError as problem:
            env.error(problem.message, problem.hint)
            continue
        env.message(f"profile saved to {path} (mode 0600)")
        return
