"""Which therapies `rmcli list --target/--status/--search` keeps: forgiving, never guessing.

`--target` and `--status` take an id, a name or the abbreviation `list` shows, in any case
(`NK`, `treg`, `TNF-α`, `Conditional`), through the same lookup as therapy names
(rmcli.kb.lookup); an unknown one gets a did-you-mean. `--search` looks, case-insensitively,
through names, aliases, class, summary, mechanism, indications, target names, abbreviations and
descriptions, and guideline populations; the common abbreviations of the field (APS, aPL, NK,
LMWH ...) also find what they stand for, and the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rmcli.kb.lookup import NameIndex, normalize, target_index
from rmcli.kb.model import KnowledgeBase, Therapy
from rmcli.kb.values import STATUSES

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "aps": ("antiphospholipid syndrome",),
    "apl": ("antiphospholipid antibod", "antiphospholipid"),
    "nk": ("natural killer", "nk cell"),
    "lmwh": ("low-molecular-weight heparin", "low molecular weight heparin"),
    "ufh": ("unfractionated heparin",),
    "lda": ("low-dose aspirin", "low dose aspirin"),
    "ivig": ("intravenous immunoglobulin", "intravenous immune globulin"),
    "hcq": ("hydroxychloroquine",),
    "tnf": ("tumour necrosis factor", "tumor necrosis factor", "tnf-α", "tnf-alpha"),
    "treg": ("regulatory t cell", "regulatory t-cell"),
    "tregs": ("regulatory t cell", "regulatory t-cell"),
    "rpl": ("recurrent pregnancy loss", "recurrent miscarriage"),
    "rm": ("recurrent miscarriage",),
    "il2": ("interleukin-2", "interleukin 2", "il-2"),
    "gcsf": ("granulocyte colony-stimulating factor", "g-csf"),
    "tpo": ("thyroid peroxidase",),
    "sle": ("systemic lupus erythematosus", "lupus"),
    "vte": ("venous thromboembolism",),
    "lit": ("lymphocyte immunotherapy", "lymphocyte immunisation", "leukocyte immunisation"),
}


def _resolve_status(status: str) -> str:
    statuses = NameIndex(
        ((s, s, ()) for s in STATUSES),
        what="status",
        fallback=f"choose one of: {', '.join(STATUSES)}",
    )
    return statuses.resolve(status)


def _texts(kb: KnowledgeBase, therapy: Therapy) -> Iterable[str]:
    yield from (therapy.id, therapy.name, *therapy.aliases, therapy.drug_class, therapy.summary)
    yield therapy.mechanism.text
    yield from (claim.text for claim in therapy.indications)
    for key in therapy.targets:
        term = kb.vocabulary.targets[key]
        yield from (key, term.name, term.abbrev or "", term.description or "")
    yield from (position.population for position in therapy.guidelines)


def _patterns(search: str) -> list[re.Pattern[str]]:
    """What to look for: the text itself, and what an abbreviation in it stands for."""
    folded = " ".join(search.casefold().split())
    key = normalize(search)
    phrases = {folded}
    phrases.update(ABBREVIATIONS.get(key, ()))
    for abbreviation, meanings in ABBREVIATIONS.items():
        if any(meaning in folded for meaning in meanings):
            phrases.add(abbreviation)
    patterns = []
    for phrase in sorted(phrases):
        body = re.escape(phrase).replace(r"\ ", r"[\s-]*").replace(r"\-", r"[\s-]*")
        short = len(normalize(phrase)) <= 4  # "aps", "nk": whole words only, not "perhaps"
        patterns.append(re.compile(rf"\b{body}\b" if short else body, re.IGNORECASE))
    return patterns


def _mentions(kb: KnowledgeBase, therapy: Therapy, patterns: list[re.Pattern[str]]) -> bool:
    return any(p.search(text) for text in _texts(kb, therapy) for p in patterns)


def filter_therapies(
    kb: KnowledgeBase,
    *,
    target: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> list[Therapy]:
    """Therapies matching every filter given, sorted by id."""
    target_id = target_index(kb).resolve(target) if target is not None else None
    status_id = _resolve_status(status) if status is not None else None
    patterns = _patterns(search) if search and search.strip() else None
    found = [
        t
        for t in kb.therapies
        if (target_id is None or target_id in t.targets)
        and (status_id is None or t.overall.status == status_id)
        and (patterns is None or _mentions(kb, t, patterns))
    ]
    return sorted(found, key=lambda t: t.id)
