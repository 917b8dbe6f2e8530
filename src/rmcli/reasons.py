"""Why a therapy got its tier: reasons from rules, and a therapy's label rows that apply to the
patient (cautions, and contraindications as reasons with what the sources support instead)."""

from __future__ import annotations

import msgspec

from rmcli.kb.model import Therapy
from rmcli.kb.values import Checked
from rmcli.match import Describer
from rmcli.profile import Profile


class Reason(msgspec.Struct, kw_only=True):
    rule: str
    matched: list[str]  # the answers that matched, in words
    text: str  # what the guideline or trial says
    source: str | None = None  # the rule's source in a few words
    mechanism: str | None = None  # the biological rationale, where it differs
    purpose: str | None = None  # an indication other than miscarriage prevention
    applicability: str | None = None  # where the patient is outside the study's population
    decisive: bool = False  # this rule set the tier
    refs: list[str]
    checked: Checked


class Claimed(msgspec.Struct, kw_only=True):
    text: str
    refs: list[str]
    checked: Checked


class Caution(msgspec.Struct, kw_only=True):
    condition: str
    condition_name: str
    severity: str
    tag: str | None = None  # the consequence in a few words
    source: str | None = None
    text: str
    refs: list[str]
    checked: Checked


def label_rows(
    therapy: Therapy, profile: Profile, describe: Describer
) -> tuple[list[Caution], list[tuple[Reason, list[Claimed]]]]:
    """The label cautions that apply to this patient, and the contraindications as reasons
    with what the sources support instead."""
    cautions: list[Caution] = []
    contraindicated: list[tuple[Reason, list[Claimed]]] = []
    for contra in therapy.contraindications:
        if contra.condition not in profile.conditions:
            continue
        name = describe.conditions[contra.condition]
        if contra.severity == "contraindication":
            reason = Reason(
                rule=f"contraindication:{contra.condition}",
                matched=[name],
                text=f"Contraindicated ({name}): {contra.text}",
                source=contra.source,
                decisive=True,
                refs=contra.refs,
                checked=contra.checked,
            )
            instead = [Claimed(text=c.text, refs=c.refs, checked=c.checked) for c in contra.instead]
            contraindicated.append((reason, instead))
            continue
        cautions.append(
            Caution(
                condition=contra.condition,
                condition_name=name,
                severity=contra.severity,
                tag=contra.tag,
                source=contra.source,
                text=contra.text,
                refs=contra.refs,
                checked=contra.checked,
            )
        )
    return cautions, contraindicated
