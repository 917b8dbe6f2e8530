"""Whether a profile satisfies a rule's `when`, and the matching answers in the reader's words."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rmcli.kb.model import KnowledgeBase, Match, Population
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

    def finding(self, key: str, value: str) -> str:
        """'Antiphospholipid antibodies: persistent'."""
        return f"{self.findings.get(key, key)}: {value.replace('-', ' ')}"


def _join(items: list[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


LOSSES = ("pregnancy loss", "pregnancy losses")
LATE = ("loss at or after 10 weeks", "losses at or after 10 weeks")
SECOND_TRIMESTER = ("second-trimester loss", "second-trimester losses")
EARLY = ("early loss", "early losses")


def early_losses(p: Profile) -> int:
    """Losses before 10 weeks, as far as the profile can tell: all losses less the late ones
    and the second-trimester ones. Where a second-trimester loss is also a late loss this
    subtracts it twice, but then the late loss alone meets the Sydney criterion, so the early
    count decides only for women without a late loss, where it is exact (a loss at 10-13 weeks
    with an abnormal fetus, which the profile does not record apart, counts as early)."""
    return max(p.losses - p.late_losses - p.second_trimester_losses, 0)


PLACENTAL = (
    "birth before 34 weeks for placental disease",
    "births before 34 weeks for placental disease",
)


def matched_answers(when: Match, profile: Profile, describe: Describer) -> list[str] | None:
    """The profile answers that satisfy `when`, in words; None if any condition fails (so the
    words of a condition that fails are never shown). Of `any_of`, the first alternative that
    holds gives its words."""
    answers: list[str] = []
    for holds, text in _conditions(when, profile, describe):
        if not holds:
            return None
        answers.append(text)
    if when.any_of:
        chosen = (matched_answers(m, profile, describe) for m in when.any_of)
        found = next((words for words in chosen if words is not None), None)
        if found is None:
            return None
        answers += found
    return list(dict.fromkeys(answers))


def _conditions(when: Match, p: Profile, d: Describer) -> Iterator[tuple[bool, str]]:
    yield from _counts(when, p)
    if when.pregnant is not None:
        yield p.pregnant == when.pregnant, "pregnant now" if p.pregnant else "not pregnant now"
    if when.bleeding is not None:
        words = "bleeding in this pregnancy" if p.bleeding else "no bleeding in this pregnancy"
        yield p.bleeding == when.bleeding, words
    yield from _bounded(
        p.gestation_weeks if p.pregnant else None,  # read only for a current pregnancy
        when.gestation_weeks_min,
        when.gestation_weeks_max,
        lambda n: f"{n} weeks pregnant",
    )
    for finding, values in when.findings.items():
        value = p.findings.get(finding, "not-tested")
        yield value in values, d.finding(finding, value)
    yield from _lists(when, p, d)


def _counts(when: Match, p: Profile) -> Iterator[tuple[bool, str]]:
    counted: tuple[tuple[int | None, int | None, int | None, Callable[[int], str]], ...] = (
        (p.age, when.age_min, when.age_max, lambda n: f"age {n}"),
        (p.losses, when.losses_min, when.losses_max, lambda n: plural(n, *LOSSES)),
        (p.late_losses, when.late_losses_min, when.late_losses_max, lambda n: plural(n, *LATE)),
        (
            early_losses(p),
            when.early_losses_min,
            when.early_losses_max,
            lambda n: plural(n, *EARLY),
        ),
        (
            p.second_trimester_losses,
            when.second_trimester_losses_min,
            when.second_trimester_losses_max,
            lambda n: plural(n, *SECOND_TRIMESTER),
        ),
        (
            p.placental_preterm_births,
            when.placental_preterm_births_min,
            when.placental_preterm_births_max,
            lambda n: plural(n, *PLACENTAL),
        ),
    )
    for value, low, high, words in counted:
        yield from _bounded(value, low, high, words)
    yield from _births(when, p)


def _bounded(
    value: int | None, low: int | None, high: int | None, words: Callable[[int], str]
) -> Iterator[tuple[bool, str]]:
    if low is None and high is None:
        return
    if value is None:  # an unknown age or gestation meets no bound
        yield False, ""
        return
    yield (low is None or value >= low) and (high is None or value <= high), words(value)


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
    if when.autoimmune_none:
        absent = not set(p.autoimmune_disease) & set(when.autoimmune_none)
        names = [d.autoimmune.get(i, i) for i in when.autoimmune_none]
        yield absent, "no " + _join(names, "or")
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


def outside_population(population: Population, p: Profile) -> str | None:
    """Where the patient falls outside a study's population, in words; None if inside."""
    gaps = []
    if p.age is not None:
        if population.age_min is not None and p.age < population.age_min:
            gaps.append(f"she is {p.age}; it enrolled women aged {population.age_min} or over")
        if population.age_max is not None and p.age > population.age_max:
            gaps.append(f"she is {p.age}; it enrolled women up to {population.age_max}")
    if population.losses_min is not None and p.losses < population.losses_min:
        gaps.append(f"she has had {p.losses} losses; it enrolled {population.losses_min} or more")
    if population.losses_max is not None and p.losses > population.losses_max:
        gaps.append(f"she has had {p.losses} losses; it enrolled at most {population.losses_max}")
    if population.live_births_max == 0 and p.live_births > 0:
        gaps.append("her losses are secondary (after a birth); it enrolled primary RPL only")
    if population.live_births_min and p.live_births < population.live_births_min:
        gaps.append("her losses are primary (no earlier birth); it enrolled secondary RPL only")
    if not gaps:
        return None
    return f"Outside the population of {population.label}: " + "; ".join(gaps) + "."
