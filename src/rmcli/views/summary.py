"""A therapy at a glance: the rows `show` opens with and `compare` puts side by side."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import msgspec

from rmcli.estimates import natural
from rmcli.kb.model import Claim, KnowledgeBase, Therapy
from rmcli.text import clean
from rmcli.views.common import cite, first_sentence, review_overdue, reviewed_text, short_name
from rmcli.views.headline import Headline, headline, key_evidence, key_study


class Summary(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    short_name: str
    status: str
    certainty: str
    headline: Headline
    key_evidence: str
    key_population: str | None
    mechanism: str  # one line, written for the purpose
    risks: str  # the main maternal and fetal risks, short
    main_risk: str  # the first of them, for one line side by side
    burden: str | None
    last_reviewed: datetime.date
    review_overdue: bool
    review_after_months: int

    @property
    def reviewed(self) -> str:
        return reviewed_text(self.last_reviewed, self.review_overdue, self.review_after_months)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) in the order every format prints them."""
        evidence = self.key_evidence
        if self.key_population:
            evidence += f". Population: {self.key_population}"
        rows = [
            ("Status", f"{self.status}, certainty {self.certainty.replace('-', ' ')}"),
            ("Headline", self.headline.line),
            ("Key evidence", evidence),
            ("Mechanism", self.mechanism),
            ("Main risks", self.risks),
            ("Burden", self.burden),
            ("Last reviewed", self.reviewed),
        ]
        return [(label, value) for label, value in rows if value]


def _main(claims: Sequence[Claim]) -> str | None:
    """The first verified claim, first sentence only, with its references and mark."""
    claim = next((c for c in claims if c.checked != "unverified"), None)
    return cite(first_sentence(claim.text), claim.refs, claim.checked) if claim else None


def summarise(therapy: Therapy, kb: KnowledgeBase, today: datetime.date) -> Summary:
    therapy = natural(therapy)
    months = kb.manifest.review_after_months
    study = key_study(therapy)
    return Summary(
        id=therapy.id,
        name=clean(therapy.name),
        short_name=short_name(therapy),
        status=therapy.overall.status,
        certainty=therapy.overall.certainty,
        headline=headline(therapy),
        key_evidence=key_evidence(therapy),
        key_population=clean(study.population).rstrip(".") if study and study.population else None,
        mechanism=clean(therapy.mechanism_short or first_sentence(therapy.mechanism.text)),
        risks="; ".join(clean(r) for r in therapy.risks_short),
        main_risk=clean(therapy.risks_short[0]) if therapy.risks_short else "",
        burden=_main(therapy.cost),
        last_reviewed=therapy.last_reviewed,
        review_overdue=review_overdue(therapy.last_reviewed, today, months),
        review_after_months=months,
    )
