"""The interview's questions, in clinical order, and how each answer reads on the review screen.

Pure data and text: no prompts here. Finding questions come from the vocabulary, so a new
finding is a change to data/vocabulary.toml alone.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any, Literal

from rmcli.kb.model import KnowledgeBase
from rmcli.profile import AGE_RANGE, GESTATION_RANGE, PART_OF_LOSSES
from rmcli.profile_fields import MAX_COUNT
from rmcli.text import clean

Kind = Literal["age", "weeks", "count", "confirm", "select", "checkbox"]
OPTIONAL_NUMBERS = ("age", "weeks")  # Enter skips them: unknown
PREGNANCY_KEYS = ("gestation_weeks", "bleeding")  # asked only when she is pregnant now
WRAP = 80  # prompts and hints wrap at word boundaries within this many columns


@dataclass(frozen=True)
class Question:
    key: str  # a profile key, or "findings.<id>"
    label: str  # how the review screen names it
    kind: Kind
    text: str
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, title) for select and checkbox

    def get(self, answers: dict[str, Any]) -> Any:
        if self.key.startswith("findings."):
            return answers.get("findings", {}).get(self.key.removeprefix("findings."))
        return answers.get(self.key)

    def put(self, answers: dict[str, Any], value: Any) -> None:
        if self.key.startswith("findings."):
            answers.setdefault("findings", {})[self.key.removeprefix("findings.")] = value
        else:
            answers[self.key] = value

    def applies(self, answers: dict[str, Any]) -> bool:
        return self.key not in PREGNANCY_KEYS or bool(answers.get("pregnant"))

    def limits(self, answers: dict[str, Any]) -> tuple[int, int]:
        if self.kind == "age":
            return AGE_RANGE
        if self.kind == "weeks":
            return GESTATION_RANGE
        if self.key in PART_OF_LOSSES:
            return 0, int(answers.get("losses") or 0)
        return 0, MAX_COUNT

    def shown(self, answers: dict[str, Any]) -> str:
        """The answer in words, for the review screen."""
        value = self.get(answers)
        if self.kind in OPTIONAL_NUMBERS:
            return "not given" if value is None else str(value)
        if self.kind == "confirm":
            return "yes" if value else "no"
        if self.kind == "checkbox":
            titles = dict(self.choices)
            return ", ".join(titles.get(v, v) for v in value or []) or "none"
        if self.kind == "select":
            return dict(self.choices).get(value or "not-tested", str(value))
        return str(value)

    def message(self, width: int) -> str:
        """The question, and its hint on lines of its own, wrapped at word boundaries."""
        limit = max(20, min(width, WRAP) - 6)  # "? " before, a short answer after
        lines = textwrap.wrap(self.text, limit, break_on_hyphens=False)
        if self.hint:
            lines += textwrap.wrap(
                f"({self.hint})",
                limit,
                initial_indent="  ",
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
        # the answer is echoed after the message: give it a line of its own, never a split word
        return "\n".join(lines) + ("\n " if len(lines) > 1 else "")


def _named(items: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((key, clean(term.name)) for key, term in items.items())


def questions(kb: KnowledgeBase) -> list[Question]:
    """Every question, in the order a clinician takes a history."""
    therapies = tuple(
        (t.id, clean(t.short_name or t.name)) for t in sorted(kb.therapies, key=lambda t: t.id)
    )
    vocab = kb.vocabulary
    history = [
        Question(
            "age",
            "Age",
            "age",
            "Age in years?",
            "Enter to skip; trial age ranges are checked against it",
        ),
        Question(
            "losses",
            "Pregnancy losses",
            "count",
            "Pregnancy losses so far?",
            "RPL is 2 or more for ESHRE and ASRM, 3 for RCOG",
        ),
        Question(
            "live_births",
            "Live births",
            "count",
            "Previous live births?",
            "more than 0 means secondary RPL",
        ),
        Question(
            "late_losses",
            "Losses at or after 10 weeks",
            "count",
            "How many losses were at or after 10 weeks (morphologically normal fetus)?",
        ),
        Question(
            "second_trimester_losses",
            "Second-trimester losses",
            "count",
            "How many losses were in the second trimester (14+0 to 23+6 weeks)?",
            "counted in the losses above; RCOG 2023 offers more tests after one",
        ),
        Question(
            "placental_preterm_births",
            "Births before 34 weeks (placental)",
            "count",
            "Births before 34 weeks for severe pre-eclampsia, eclampsia or placental"
            " insufficiency?",
        ),
        Question("pregnant", "Pregnant now", "confirm", "Currently pregnant?"),
        Question(
            "gestation_weeks",
            "Weeks pregnant",
            "weeks",
            "How many completed weeks pregnant?",
            "Enter to skip; some advice applies only before a given week",
        ),
        Question(
            "bleeding",
            "Bleeding in this pregnancy",
            "confirm",
            "Vaginal bleeding in this pregnancy?",
        ),
        Question(
            "treatments_failed",
            "Failed in an earlier pregnancy",
            "checkbox",
            "Treatments used in an earlier pregnancy that still ended in loss or a placental"
            " complication?",
            "space to select, enter when done; heparin and aspirin together = refractory APS",
            therapies,
        ),
        Question(
            "treatments_current",
            "Taken now",
            "checkbox",
            "Treatments taken now?",
            "space to select, enter when done; none is fine",
            therapies,
        ),
    ]
    findings = [
        Question(
            f"findings.{key}",
            clean(term.name),
            "select",
            clean(term.question),
            clean(term.hint),
            tuple((value, clean(value.replace("-", " "))) for value in term.values),
        )
        for key, term in vocab.findings.items()
    ]
    conditions = [
        Question(
            "autoimmune_disease",
            "Autoimmune disease",
            "checkbox",
            "Autoimmune disease?",
            "space to select, enter when done; none is fine",
            _named(vocab.autoimmune),
        ),
        Question(
            "conditions",
            "Other conditions",
            "checkbox",
            "Other conditions that may matter for treatment?",
            "space to select, enter when done; none is fine",
            _named(vocab.conditions),
        ),
    ]
    return history + findings + conditions


def settle(answers: dict[str, Any]) -> list[str]:
    """Keep answers consistent after a change; the keys that must be asked again."""
    again = []
    for key in PREGNANCY_KEYS:
        if not answers.get("pregnant"):
            answers.pop(key, None)  # not asked, so not answered: the profile's default
        elif key not in answers:
            again.append(key)
    losses = int(answers.get("losses") or 0)
    again += [key for key in PART_OF_LOSSES if int(answers.get(key) or 0) > losses]
    return again
