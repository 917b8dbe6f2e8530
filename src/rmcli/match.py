"""Whether a profile satisfies a rule's `when`, and the matching answers in the reader's words."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rmcli.kb.model import KnowledgeBase, Match
from rmcli.profile import Profile


class Describer:
    """Names for ids (findings, conditions, therapies), so reasons never print raw keys."""

    def __init__(self, kb: KnowledgeBase) -> None:
        vocab = kb.vocabulary
        self.findings = {key: term.name for key, term in vocab.findings.items()}
        self.conditions = {key: term.name for key, term in vocab.conditions.items()}
        self.autoimmune = {key: term.name for key, term in vocab.autoimmune.items()}
        self.therapies = {t.id: t.short_name or t.name for t in kb.therapies}

    def names(self, kind: dict[str, str], ids: list[str]) -> str:
        return _join([kind.get(i, i) for i in ids])


def _join(items: list[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _bounds(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"exactly {low}" if low == high else f"{low} to {high}"
    return f"{low} or more" if low is not None else f"at most {high}"


LOSSES = ("pregnancy loss", "pregnancy losses")
LATE = ("loss at or after 10 weeks", "losses at or after 10 weeks")
PLACENTAL = (
    "birth before 34 weeks for placental disease",
    "births before 34 weeks for placental disease",
)


def matched_answers(when: Match, profile: Profile, describe: Describer) -> list[str] | None:
    """The profile answers that satisfy `when`, in words; None if any condition fails (so the
    words of a condition that fails are never shown)."""
    answers: list[str] = []
    for holds, text in _conditions(when, profile, describe):
        if not holds:
            return None
        answers.append(text)
    return answers


def _conditions(when: Match, p: Profile, d: Describer) -> Iterator[tuple[bool, str]]:
    yield from _counts(when, p)
    if when.pregnant is not None:
        yield p.pregnant == when.pregnant, "pregnant now" if p.pregnant else "not pregnant now"
    if when.bleeding is not None:
        words = "bleeding in this pregnancy" if p.bleeding else "no bleeding in this pregnancy"
        yield p.bleeding == when.bleeding, words
    for finding, values in when.findings.items():
        value = p.findings.get(finding, "not-tested")
        yield value in values, f"{d.findings.get(finding, finding)}: {value.replace('-', ' ')}"
    yield from _lists(when, p, d)


def _counts(when: Match, p: Profile) -> Iterator[tuple[bool, str]]:
    counted: tuple[tuple[int | None, int | None, int | None, Callable[[int], str]], ...] = (
        (p.age, when.age_min, when.age_max, lambda n: f"age {n}"),
        (p.losses, when.losses_min, when.losses_max, lambda n: plural(n, *LOSSES)),
        (p.late_losses, when.late_losses_min, None, lambda n: plural(n, *LATE)),
        (
            p.placental_preterm_births,
            when.placental_preterm_births_min,
            None,
            lambda n: plural(n, *PLACENTAL),
        ),
    )
    for value, low, high, words in counted:
        if low is None and high is None:
            continue
        if value is None:  # an unknown age meets no age bound
            yield False, ""
            continue
        holds = (low is None or value >= low) and (high is None or value <= high)
        yield holds, f"{words(value)} (rule: {_bounds(low, high)})"
    yield from _births(when, p)


def _births(when: Match, p: Profile) -> Iterator[tuple[bool, str]]:
    low, high = when.live_births_min, when.live_births_max
    if low is None and high is None:
        return
    holds = (low or 0) <= p.live_births <= (high if high is not None else 1000)
    kind = "secondary RPL" if p.live_births else "primary RPL"
    births = (
        "no earlier live birth"
        if not p.live_births
        else plural(p.live_births, "earlier live birth", "earlier live births")
    )
    yield holds, f"{births} ({kind})"


def _lists(when: Match, p: Profile, d: Describer) -> Iterator[tuple[bool, str]]:
    if when.autoimmune_any:
        present = [i for i in p.autoimmune_disease if i in when.autoimmune_any]
        yield bool(present), d.names(d.autoimmune, present)
    if when.conditions_any:
        present = [i for i in p.conditions if i in when.conditions_any]
        yield bool(present), d.names(d.conditions, present)
    if when.conditions_none:
        absent = not set(p.conditions) & set(when.conditions_none)
        names = [d.conditions.get(i, i) for i in when.conditions_none]
        yield absent, "no " + _join(names, "or").lower()
    if when.treatments_failed_all:
        failed = set(when.treatments_failed_all) <= set(p.treatments_failed)
        therapies = d.names(d.therapies, when.treatments_failed_all)
        yield failed, "an earlier pregnancy lost or complicated despite " + therapies
    if when.treatments_current_any:
        present = [i for i in p.treatments_current if i in when.treatments_current_any]
        yield bool(present), "taking " + d.names(d.therapies, present)
