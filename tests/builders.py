"""Small knowledge-base records for tests, each field overridable."""

from __future__ import annotations

from typing import Any

from rmcli.kb.model import GuidelinePosition


def position(**changes: Any) -> GuidelinePosition:
    base: dict[str, Any] = {
        "body": "ESHRE",
        "year": 2022,
        "stance": "suggest",
        "strength": "conditional",
        "certainty": "low",
        "population": "Women with RPL",
        "text": "Says something.",
        "refs": ["eshre-2022"],
        "checked": "primary",
    }
    return GuidelinePosition(**{**base, **changes})
