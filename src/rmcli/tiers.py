"""The wizard's tiers, in the order the assessment lists them (../shared/domain.md section 4)."""

from __future__ import annotations

from typing import Literal, get_args

AssessedTier = Literal[
    "recommended", "consider", "research-only", "not-recommended", "avoid", "not-indicated"
]
TIER_ORDER: tuple[AssessedTier, ...] = get_args(AssessedTier)
