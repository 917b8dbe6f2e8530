"""The profile as entered, in words: what the assessment was made from."""

from __future__ import annotations

from collections.abc import Iterable

from rmcli.kb.model import KnowledgeBase
from rmcli.match import LATE, LOSSES, PLACENTAL, SECOND_TRIMESTER, Describer, plural
from rmcli.profile import Profile
from rmcli.text import clean
from rmcli.views.common import short_name


def _history(p: Profile) -> str:
    kind = "secondary RPL" if p.live_births else "primary RPL"
    parts = [
        plural(p.losses, *LOSSES),
        f"{plural(p.live_births, 'live birth', 'live births')} ({kind})",
        plural(p.late_losses, *LATE),
        plural(p.second_trimester_losses, *SECOND_TRIMESTER),
        plural(p.placental_preterm_births, *PLACENTAL),
    ]
    return "History: " + "; ".join(parts) + "."


def _now(p: Profile) -> str:
    if p.pregnant:
        weeks = f"{p.gestation_weeks} weeks" if p.gestation_weeks is not None else "weeks not given"
        bleeding = "bleeding in this pregnancy" if p.bleeding else "no bleeding"
        now = [f"pregnant now ({weeks})", bleeding]
    else:
        now = ["not pregnant now"]
    now.append(f"age {p.age}" if p.age is not None else "age not given")
    return "Now: " + "; ".join(now) + "."


def profile_lines(p: Profile, kb: KnowledgeBase) -> list[str]:
    describe = Describer(kb)
    findings = describe.findings
    tested = [
        describe.finding(k, v) for k, v in p.findings.items() if v != "not-tested" and k in findings
    ]
    untested = [findings[k] for k, v in p.findings.items() if v == "not-tested"]

    def names(ids: Iterable[str], terms: dict[str, str]) -> str:
        return ", ".join(terms.get(i, i) for i in ids) or "none"

    therapies = {t.id: short_name(t) for t in kb.therapies}
    lines = [
        _history(p),
        _now(p),
        "Findings: " + ("; ".join(tested) or "none tested") + ".",
        "Not tested: " + (", ".join(untested) or "none") + ".",
        f"Autoimmune disease: {names(p.autoimmune_disease, describe.autoimmune)}. "
        f"Other conditions: {names(p.conditions, describe.conditions)}.",
        f"Treatments that failed before: {names(p.treatments_failed, therapies)}. "
        f"Taking now: {names(p.treatments_current, therapies)}.",
    ]
    return [clean(line) for line in lines]
