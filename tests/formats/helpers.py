"""Views of the bundled knowledge base, built once, for the format tests."""

from __future__ import annotations

import datetime

from rmcli.kb import KnowledgeBase, Therapy

TODAY = datetime.date(2026, 12, 1)


def pick(kb: KnowledgeBase, *ids: str) -> list[Therapy]:
    by_id = {t.id: t for t in kb.therapies}
    return [by_id[i] for i in ids]
