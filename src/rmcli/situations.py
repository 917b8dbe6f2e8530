"""What assessment.toml says about a profile: its clinical situations (most specific first),
investigations worth doing, notes on testing and outlook figures, each matched by `when`."""

from __future__ import annotations

import msgspec

from rmcli.kb.model import Advice, Situation
from rmcli.kb.values import Checked
from rmcli.match import Describer, matched_answers
from rmcli.profile import Profile


class SituationResult(msgspec.Struct, kw_only=True):
    id: str
    name: str
    text: str  # the bottom line: what guidelines advise, with body, year and strength
    therapies: list[str]  # the therapies it brings up
    refs: list[str]
    checked: Checked


def situations(
    candidates: list[Situation], profile: Profile, describe: Describer
) -> list[SituationResult]:
    """Every situation whose `when` holds, unless an earlier one that excludes it holds too."""
    found: list[SituationResult] = []
    present: set[str] = set()
    for s in candidates:
        if matched_answers(s.when, profile, describe) is None:
            continue
        present.add(s.id)  # an excluded situation still holds, for situations listed after
        if present & set(s.unless):
            continue
        found.append(
            SituationResult(
                id=s.id,
                name=s.name,
                text=s.text,
                therapies=s.therapies,
                refs=s.refs,
                checked=s.checked,
            )
        )
    return found


class Finding(msgspec.Struct, kw_only=True):
    id: str
    matched: list[str]
    text: str
    before_pregnancy: bool = False
    refs: list[str]
    checked: Checked


def advice(items: list[Advice], profile: Profile, describe: Describer) -> list[Finding]:
    return [
        Finding(
            id=item.id,
            matched=answers,
            text=item.text,
            before_pregnancy=item.before_pregnancy,
            refs=item.refs,
            checked=item.checked,
        )
        for item in items
        if (answers := matched_answers(item.when, profile, describe)) is not None
    ]
