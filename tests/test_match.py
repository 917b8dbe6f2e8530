"""Rule matching and the words a reader sees for each matching answer."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from wizard_helpers import bundled_kb, make_profile

from rmcli.kb.model import Match
from rmcli.match import Describer, matched_answers


def answers(when: dict[str, Any], **profile: Any) -> list[str] | None:
    rule = msgspec.convert(when, Match)
    return matched_answers(rule, make_profile(**profile), Describer(bundled_kb()))


@pytest.mark.parametrize(
    ("when", "profile", "expected"),
    [
        ({}, {"losses": 0}, []),
        ({"losses_min": 3}, {"losses": 3}, ["3 pregnancy losses"]),
        ({"losses_min": 3}, {"losses": 2}, None),
        ({"losses_max": 2}, {"losses": 1}, ["1 pregnancy loss"]),
        ({"losses_max": 2}, {"losses": 3}, None),
        (
            {"losses_min": 2, "losses_max": 2},
            {"losses": 2},
            ["2 pregnancy losses"],
        ),
        ({"losses_min": 2, "losses_max": 4}, {"losses": 4}, ["4 pregnancy losses"]),
        ({"age_min": 40}, {"losses": 2, "age": 42}, ["age 42"]),
        ({"age_max": 39}, {"losses": 2, "age": 42}, None),
        ({"age_min": 40}, {"losses": 2}, None),  # an unknown age matches no age bound
        (
            {"live_births_min": 1},
            {"losses": 2, "live_births": 1},
            ["1 earlier live birth (secondary RPL)"],
        ),
        ({"live_births_max": 0}, {"losses": 2}, ["no earlier live birth (primary RPL)"]),
        ({"live_births_max": 0}, {"losses": 2, "live_births": 2}, None),
        (
            {"late_losses_min": 1},
            {"losses": 2, "late_losses": 1},
            ["1 loss at or after 10 weeks"],
        ),
        (
            {"placental_preterm_births_min": 1},
            {"losses": 0, "placental_preterm_births": 2},
            ["2 births before 34 weeks for placental disease"],
        ),
        (
            {"second_trimester_losses_min": 1, "second_trimester_losses_max": 1},
            {"losses": 2, "second_trimester_losses": 1},
            ["1 second-trimester loss"],
        ),
        ({"second_trimester_losses_max": 0}, {"losses": 2, "second_trimester_losses": 1}, None),
        (
            {"gestation_weeks_max": 11},
            {"losses": 3, "pregnant": True, "gestation_weeks": 9},
            ["9 weeks pregnant"],
        ),
        ({"gestation_weeks_max": 11}, {"losses": 3, "pregnant": True, "gestation_weeks": 12}, None),
        ({"gestation_weeks_max": 11}, {"losses": 3, "pregnant": True}, None),  # unknown
        ({"gestation_weeks_max": 11}, {"losses": 3, "gestation_weeks": 9}, None),  # not pregnant
        (
            {"autoimmune_none": ["sle", "sjogren"]},
            {"losses": 2, "autoimmune_disease": ["rheumatoid-arthritis"]},
            ["no Systemic lupus erythematosus or Sjögren's syndrome"],
        ),
        (
            {"autoimmune_none": ["sle", "sjogren"]},
            {"losses": 2, "autoimmune_disease": ["sjogren"]},
            None,
        ),
        (
            {"any_of": [{"losses_min": 3}, {"late_losses_min": 1}]},
            {"losses": 2, "late_losses": 1},
            ["1 loss at or after 10 weeks"],
        ),
        ({"any_of": [{"losses_min": 3}, {"late_losses_min": 1}]}, {"losses": 2}, None),
        ({"pregnant": True}, {"losses": 1, "pregnant": True}, ["pregnant now"]),
        ({"pregnant": False}, {"losses": 1}, ["not pregnant now"]),
        (
            {"bleeding": True},
            {"losses": 1, "pregnant": True, "bleeding": True},
            ["bleeding in this pregnancy"],
        ),
        (
            {"findings": {"antiphospholipid": ["not-tested"]}},
            {"losses": 2},
            ["Antiphospholipid antibodies: not tested"],
        ),
        (
            {"findings": {"thyroid_function": ["subclinical-hypothyroidism"]}},
            {"losses": 2, "findings": {"thyroid_function": "subclinical-hypothyroidism"}},
            ["Thyroid function: subclinical hypothyroidism"],
        ),
        (
            {"autoimmune_any": ["sle", "other"]},
            {"losses": 1, "autoimmune_disease": ["rheumatoid-arthritis", "sle"]},
            ["Systemic lupus erythematosus"],
        ),
        (
            {"conditions_any": ["diabetes", "hypertension"]},
            {"losses": 1, "conditions": ["hypertension", "diabetes"]},
            ["Hypertension and Diabetes"],
        ),
        (
            {"conditions_none": ["thrombosis-history"]},
            {"losses": 1},
            ["no previous venous or arterial thrombosis"],
        ),
        (
            {"conditions_none": ["thrombosis-history"]},
            {"losses": 1, "conditions": ["thrombosis-history"]},
            None,
        ),
        (
            {"treatments_failed_all": ["heparin", "aspirin"]},
            {"losses": 3, "treatments_failed": ["aspirin", "heparin"]},
            ["an earlier pregnancy lost or complicated despite heparin and low-dose aspirin"],
        ),
        (
            {"treatments_failed_all": ["heparin", "aspirin"]},
            {"losses": 3, "treatments_failed": ["heparin"]},
            None,
        ),
        (
            {"treatments_current_any": ["hydroxychloroquine"]},
            {"losses": 1, "treatments_current": ["hydroxychloroquine"]},
            ["taking hydroxychloroquine"],
        ),
    ],
)
def test_matched_answers_in_words(
    when: dict[str, Any], profile: dict[str, Any], expected: list[str] | None
) -> None:
    assert answers(when, **profile) == expected


def test_every_key_must_hold_and_answers_keep_a_fixed_order() -> None:
    when = {
        "conditions_any": ["diabetes"],
        "findings": {"tregs": ["low"]},
        "pregnant": False,
        "losses_min": 2,
    }
    assert answers(when, losses=2, findings={"tregs": "low"}, conditions=["diabetes"]) == [
        "2 pregnancy losses",
        "not pregnant now",
        "Regulatory T cells: low",
        "Diabetes",
    ]
    assert answers(when, losses=2, findings={"tregs": "normal"}, conditions=["diabetes"]) is None


def test_no_answer_prints_a_raw_field_name() -> None:
    when = {"losses_min": 1, "late_losses_min": 0, "findings": {"nk_cells": ["elevated"]}}
    words = " ".join(answers(when, losses=2, findings={"nk_cells": "elevated"}) or [])
    for raw in ("losses =", "late_losses", "nk_cells", "_"):
        assert raw not in words
