"""The interview's questions as data: order, vocabulary, review wording, wrapping, settling."""

from __future__ import annotations

from typing import Any

import pytest
from wizard_helpers import bundled_kb

from rmcli.wizard.questions import Question, questions, settle


def by_key() -> dict[str, Question]:
    return {q.key: q for q in questions(bundled_kb())}


def test_clinical_order_history_then_findings_then_conditions() -> None:
    keys = [q.key for q in questions(bundled_kb())]
    findings = [f"findings.{k}" for k in bundled_kb().vocabulary.findings]
    assert keys == [
        "age",
        "losses",
        "live_births",
        "late_losses",
        "second_trimester_losses",
        "placental_preterm_births",
        "pregnant",
        "gestation_weeks",
        "bleeding",
        "treatments_failed",
        "treatments_current",
        *findings,
        "autoimmune_disease",
        "conditions",
    ]


def test_finding_questions_come_from_the_vocabulary() -> None:
    for key, term in bundled_kb().vocabulary.findings.items():
        question = by_key()[f"findings.{key}"]
        assert (question.text, question.hint, question.label) == (
            term.question,
            term.hint,
            term.name,
        )
        assert [value for value, _ in question.choices] == term.values


@pytest.mark.parametrize(
    ("key", "answers", "shown"),
    [
        ("age", {}, "not given"),
        ("age", {"age": 34}, "34"),
        ("pregnant", {"pregnant": True}, "yes"),
        ("findings.thyroid_function", {}, "not tested"),
        (
            "findings.thyroid_function",
            {"findings": {"thyroid_function": "subclinical-hypothyroidism"}},
            "subclinical hypothyroidism",
        ),
        ("conditions", {"conditions": []}, "none"),
        ("conditions", {"conditions": ["heart-failure", "asthma"]}, "Heart failure, Asthma"),
    ],
)
def test_review_shows_answers_in_words(key: str, answers: dict[str, Any], shown: str) -> None:
    assert by_key()[key].shown(answers) == shown


@pytest.mark.parametrize("width", [40, 80, 200])
def test_messages_wrap_at_word_boundaries(width: int) -> None:
    for question in questions(bundled_kb()):
        message = question.message(width)
        lines = message.splitlines()
        assert all(len(line) <= min(width, 80) for line in lines), message
        assert " ".join(message.split()).startswith(" ".join(question.text.split()))
        if question.hint:
            assert " ".join(question.hint.split()) in " ".join(message.split())


def test_kinds_of_loss_are_bounded_by_losses() -> None:
    assert by_key()["late_losses"].limits({"losses": 3}) == (0, 3)
    assert by_key()["second_trimester_losses"].limits({"losses": 2}) == (0, 2)
    assert by_key()["losses"].limits({}) == (0, 30)
    assert by_key()["age"].limits({}) == (14, 60)
    assert by_key()["gestation_weeks"].limits({}) == (4, 42)


def test_settle_clears_pregnancy_answers_when_not_pregnant_and_reasks_what_broke() -> None:
    answers: dict[str, Any] = {
        "pregnant": False,
        "gestation_weeks": 9,
        "bleeding": True,
        "losses": 1,
        "late_losses": 2,
        "second_trimester_losses": 2,
    }
    assert settle(answers) == ["late_losses", "second_trimester_losses"]
    assert "bleeding" not in answers and "gestation_weeks" not in answers
    assert settle({"pregnant": True, "losses": 2, "late_losses": 0}) == [
        "gestation_weeks",
        "bleeding",
    ]
    done = {"pregnant": True, "gestation_weeks": None, "bleeding": False, "losses": 2}
    assert settle({**done, "late_losses": 2}) == []
