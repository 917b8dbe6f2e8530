"""A therapy at a glance: the rows `show` opens with and `compare` puts side by side."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import msgspec

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
    maternal_risk: str
    fetal_risk: str
    burden: str
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
        return [
            ("Status", f"{self.status}, certainty {self.certainty.replace('-', ' ')}"),
            ("Headline", self.headline.line),
            ("Key evidence", evidence),
            ("Maternal risk", self.maternal_risk),
            ("Fetal risk", self.fetal_risk),
            ("Burden", self.burden),
            ("Last reviewed", self.reviewed),
        ]


def _main(claims: Sequence[Claim]) -> str:
    """The first listed claim, first sentence only, with its references and label."""
    if not claims:
        return "none recorded"
    claim = claims[0]
    return cite(first_sentence(claim.text), claim.refs, claim.checked)


def summarise(therapy: Therapy, kb: KnowledgeBase, today: datetime.date) -> Summary:
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
        key_population=clean(study.population).rstrip(".") if study else None,
        maternal_risk=_main(therapy.maternal_risks),
        fetal_risk=_main(therapy.fetal_risks),
        burden=_main(therapy.cost),
        last_reviewed=therapy.last_reviewed,
        review_overdue=review_overdue(therapy.last_reviewed, today, months),
        review_after_months=months,
    )
