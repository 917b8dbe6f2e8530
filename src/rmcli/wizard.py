"""The interactive interview (the only module that imports questionary, and only when run)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmcli.errors import UsageError
from rmcli.profile import MAX_COUNT, Profile, parse, save

if TYPE_CHECKING:
    from rmcli.kb.model import KnowledgeBase


def has_terminal() -> bool:
    """True at a real terminal, or when a prompt_toolkit session supplies its own input (tests)."""
    from prompt_toolkit.application.current import get_app_session

    if getattr(get_app_session(), "_input", None) is not None:
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def _count(low: int, high: int) -> Any:
    def check(text: str) -> bool | str:
        if not text.strip().isdigit() or not low <= int(text) <= high:
            return f"enter a whole number from {low} to {high}"
        return True

    return check


def interview(kb: KnowledgeBase, *, offer_save: bool) -> Profile:
    """Ask the profile questions in clinical order; Ctrl-C propagates and nothing is written."""
    if not has_terminal():
        raise UsageError(
            "the wizard needs an interactive terminal",
            hint="run it at a terminal, or pass a profile with `rmcli wizard --answers FILE`",
        )
    import questionary
    from questionary import Choice

    ask: dict[str, Any] = {}
    ask["losses"] = int(
        questionary.text(
            "Pregnancy losses so far?",
            instruction="(0-30; RPL is 2 or more for ESHRE/ASRM, 3 for RCOG) ",
            validate=_count(0, MAX_COUNT),
        ).unsafe_ask()
    )
    ask["live_births"] = int(
        questionary.text(
            "Previous live births?",
            instruction="(more than 0 means secondary RPL) ",
            validate=_count(0, MAX_COUNT),
        ).unsafe_ask()
    )
    ask["late_losses"] = int(
        questionary.text(
            "How many losses were at or after 10 weeks?",
            instruction=f"(0-{ask['losses']}) ",
            validate=_count(0, ask["losses"]),
        ).unsafe_ask()
    )
    ask["pregnant"] = questionary.confirm("Currently pregnant?", default=False).unsafe_ask()
    if ask["pregnant"]:
        ask["bleeding"] = questionary.confirm(
            "Vaginal bleeding in this pregnancy?", default=False
        ).unsafe_ask()
    findings = {}
    for key, term in kb.vocabulary.findings.items():
        findings[key] = questionary.select(
            term.question,
            choices=[Choice(value.replace("-", " "), value=value) for value in term.values],
            default="not-tested",
            instruction=f"({term.hint})",
        ).unsafe_ask()
    ask["findings"] = findings
    vocab = kb.vocabulary
    ask["autoimmune_disease"] = questionary.checkbox(
        "Autoimmune disease?",
        choices=[Choice(term.name, value=key) for key, term in vocab.autoimmune.items()],
        instruction="(space to select, enter when done; none is fine)",
    ).unsafe_ask()
    ask["conditions"] = questionary.checkbox(
        "Other conditions that may matter for treatment?",
        choices=[Choice(term.name, value=key) for key, term in vocab.conditions.items()],
        instruction="(space to select, enter when done; none is fine)",
    ).unsafe_ask()
    profile = parse(ask, vocab, [t.id for t in kb.therapies], "answers")
    if (
        offer_save
        and questionary.confirm("Save this profile to a file?", default=False).unsafe_ask()
    ):
        _save_interactively(profile)
    return profile


def _save_interactively(profile: Profile) -> None:
    import questionary

    from rmcli.errors import FileError
    from rmcli.output import error, message

    while True:
        name = questionary.path("File to save to:", default="profile.toml").unsafe_ask()
        path = Path(name).expanduser()
        force = False
        if path.exists() and not path.is_dir():
            force = questionary.confirm(f"{path} exists. Overwrite it?", default=False).unsafe_ask()
            if not force:
                continue
        try:
            save(profile, path, force=force)
        except FileError as problem:
            error(problem.message, problem.hint)
            continue
        message(f"profile saved to {path} (mode 0600)")
        return
