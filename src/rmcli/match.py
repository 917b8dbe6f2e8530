"""Whether a profile satisfies a rule's `when`, and the matching answers in the reader's words."""

from __future__ import annotations

from collections.abc import Iterator

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


LATE = ("loss at or after 10 weeks", "losses at or after 10 weeks")
PLACENTAL = (
    "birth before 34 weeks for placental disease",
    "births before 34 weeks for placental disease",
)


def matched_answers(when: Match, profile: Profile, describe: Describer) -> list[str] | None:
    """The profile answers that satisfy `when`, in words; None if any condition fails."""
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
        yield (
            p.bleeding == when.bleeding,
            "bleeding in this pregnancy" if p.bleeding else ("no bleeding in this pregnancy"),
        )
    for finding, values in when.findings.items():
        value = p.findings.get(finding, "not-tested")
        yield value in values, f"{d.findings.get(finding, finding)}: {value.replace('-', ' ')}"
    yield from _lists(when, p, d)


def _counts(when: Match, p: Profile) -> Iterator[tuple[bool, str]]:
    if when.age_min is not None or when.age_max is not None:
        rule = _bounds(when.age_min, when.age_max)
        if p.age is None:
            yield False, "age not given"
        else:
            young, old = when.age_min or 0, when.age_max or 200
            yield young <= p.age <= old, f"age {p.age} (rule: {rule})"
    counted = (
        (p.losses, when.losses_min, when.losses_max, "pregnancy loss", "pregnancy losses"),
        (p.late_losses, when.late_losses_min, None, *LATE),
        (p.placental_preterm_births, when.placental_preterm_births_min, None, *PLACENTAL),
    )
    for value, low, high, one, many in counted:
        if low is not None or high is not None:
            holds = (low is None or value >= low) and (high is None or value <= high)
            yield holds, f"{plural(value, one, many)} (rule: {_bounds(low, high)})"
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
        yield bool(present), d.names(d.autoimmune, present or when.autoimmune_any)
    if when.conditions_any:
        present = [i for i in p.conditions if i in when.conditions_any]
        yield bool(present), d.names(d.conditions, present or when.conditions_any)
    if when.conditions_none:
        present = [i for i in p.conditions if i in when.conditions_none]
        yield (
            not present,
            "no " + _join([d.conditions.get(i, i) for i in when.conditions_none], "or").lower()
            if not present
            else d.names(d.conditions, present),
        )
    if when.treatments_failed_all:
        missing = [i for i in when.treatments_failed_all if i not in p.treatments_failed]
        yield (
            not missing,
            (
                "an earlier pregnancy lost or complicated despite "
                + d.names(d.therapies, when.treatments_failed_all)
            ),
        )
    if when.treatments_current_any:
        present = [i for i in p.treatments_current if i in when.treatments_current_any]
        yield (
            bool(present),
            "taking " + d.names(d.therapies, present or when.treatments_current_any),
        )
