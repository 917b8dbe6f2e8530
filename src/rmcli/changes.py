"""What would change: for each finding still untested, which therapies each result would move."""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from rmcli.kb.model import KnowledgeBase, Match, Therapy
from rmcli.profile import Profile
from rmcli.tiers import AssessedTier


class Change(msgspec.Struct, kw_only=True, rename={"from_": "from"}):
    therapy: str
    name: str
    from_: AssessedTier
    to: AssessedTier


class Result(msgspec.Struct, kw_only=True):
    value: str
    changes: list[Change]


class WhatWouldChange(msgspec.Struct, kw_only=True):
    finding: str
    name: str
    discouraged: bool = False  # guidelines advise against the test outside research
    results: list[Result]


TierOf = Callable[[Therapy, Profile], AssessedTier]


def what_would_change(
    profile: Profile, kb: KnowledgeBase, tiers: dict[str, AssessedTier], tier_of: TierOf
) -> list[WhatWouldChange]:
    """For each finding still untested, which therapies each possible result would move; tests
    guidelines recommend first, those they advise against last.

    A therapy's tier depends on a finding only through rules that test it, so only those
    therapies are assessed again.
    """
    out = []
    for key, term in kb.vocabulary.findings.items():
        if profile.findings[key] != "not-tested":
            continue
        testing = [t for t in kb.therapies if any(_tests(r.when, key) for r in t.rules)]
        results = []
        for value in term.values:
            if value == "not-tested":
                continue
            changed = msgspec.structs.replace(profile, findings={**profile.findings, key: value})
            changes = [
                Change(therapy=t.id, name=t.name, from_=tiers[t.id], to=new)
                for t in testing
                if (new := tier_of(t, changed)) != tiers[t.id]
            ]
            results.append(Result(value=value, changes=changes))
        out.append(
            WhatWouldChange(
                finding=key, name=term.name, discouraged=term.discouraged, results=results
            )
        )
    return sorted(out, key=lambda item: item.discouraged)  # stable: vocabulary order within


def _tests(when: Match, key: str) -> bool:
    """Whether a `when` table, or any of its alternatives, tests the finding `key`."""
    return key in when.findings or any(_tests(m, key) for m in when.any_of)
