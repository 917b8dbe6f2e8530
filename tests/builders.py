"""Small knowledge-base records for tests, each field overridable."""

from __future__ import annotations

from typing import Any

from rmcli.kb.model import GuidelinePosition, Study


def position(**changes: Any) -> GuidelinePosition:
    base: dict[str, Any] = {
        "body": "ESHRE",
        "year": 2022,
        "indication": "recurrent-miscarriage",
        "stance": "suggest",
        "strength": "conditional",
        "certainty": "low",
        "population": "Women with RPL",
        "text": "Says something.",
        "refs": ["eshre-2022"],
        "checked": "primary",
    }
    return GuidelinePosition(**{**base, **changes})


def study(**changes: Any) -> Study:
    """A study with only the required fields set; every test names what it relies on."""
    base: dict[str, Any] = {
        "label": "X 2020",
        "kind": "rct",
        "design": "RCT",
        "population": "RPL",
        "outcome": "Live birth",
        "result": "No clear difference.",
        "refs": ["eshre-2018"],
        "checked": "primary",
    }
    return Study(**{**base, **changes})
