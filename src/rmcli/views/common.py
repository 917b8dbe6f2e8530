"""Wording every view shares: citations and labels, stances, estimates, review dates.

Each fact is said once and the same way in every format: a claim is its text, its reference
ids and its verification label; a stance is its words with strength and certainty never
repeated; an estimate is printed from its fields at the precision the source gives.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

import msgspec

from rmcli.arms import arms, orientation
from rmcli.kb.model import GuidelinePosition, KnowledgeBase, Record, Study, Therapy
from rmcli.kb.values import CITED_LISTS, Checked
from rmcli.text import clean

LABELS: dict[str, str] = {
    "primary": "",
    "secondary": "secondary source",
    "unverified": "unverified",
    "inference": "inference",
}
# Each claim carries its verification label as a short mark; one legend per document says what
# the marks mean. Unverified claims are shown only on request, and then in words.
MARKS: dict[str, str] = {"primary": "", "secondary": "†", "inference": "‡", "unverified": ""}
LEGEND = {"†": "† secondary source", "‡": "‡ inference from the sources"}
STANCE_WORDS = {
    "recommend": "recommends",
    "suggest": "suggests",
    "may-consider": "may be considered",
    "research-only": "research only",
    "suggest-against": "suggests against",
    "recommend-against": "recommends against",
    "no-statement": "no statement",
    "unknown": "position not verified",
}
KIND_WORDS = {
    "rct": "RCT",
    "meta-analysis": "meta-analysis",
    "systematic-review": "systematic review",
    "cohort": "cohort",
    "non-randomised": "non-randomised study",
    "case-series": "case series",
    "preclinical": "preclinical study",
    "protocol": "protocol",
}
STRENGTH_WORDS = {
    "strong": "strong",
    "conditional": "conditional",
    "gpp": "good practice point",
    "consensus": "consensus",
}


WEB_SCHEMES = ("https://", "http://")


class Meta(msgspec.Struct, frozen=True):
    """The knowledge base a view was made from, as every output names it."""

    kb_version: str
    kb_date: datetime.date
    disclaimer: str
    review_after_months: int
    links: frozenset[str] = frozenset()  # the references' http(s) URLs: the only links written

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Meta:
        m = kb.manifest
        links = frozenset(
            r.url for r in kb.references.values() if r.url and r.url.startswith(WEB_SCHEMES)
        )
        return cls(m.version, m.date, m.disclaimer, m.review_after_months, links)

    @property
    def version_line(self) -> str:
        return clean(f"knowledge base {self.kb_version} ({self.kb_date.isoformat()})")


def mark(checked: Checked) -> str:
    """The verification label as a mark after a claim (' †'), or in words when unverified."""
    if checked == "unverified":
        return f" ({LABELS[checked]})"
    return f" {MARKS[checked]}" if MARKS[checked] else ""


def cite(text: str, refs: list[str], checked: Checked) -> str:
    """A claim as printed everywhere: text, [refs], and its label's mark unless primary."""
    marks = f" [{'; '.join(refs)}]" if refs else ""
    return clean(f"{text.rstrip()}{marks}{mark(checked)}")


def legend(texts: Iterable[str]) -> str | None:
    """What the marks used in `texts` mean, on one line; None when none is used."""
    used = {m for text in texts for m in LEGEND if m in text}
    return " · ".join(LEGEND[m] for m in LEGEND if m in used) or None


def labels_line(view: object) -> str | None:
    """'Labels: † secondary source.' for the marks a view's text uses (its knowledge-base
    records, which carry no marks, are not read); None when it uses none."""
    used = legend(_view_texts(view, []))
    return f"Labels: {used}." if used else None


def _view_texts(item: object, found: list[str]) -> list[str]:
    if isinstance(item, str):
        found.append(item)
    elif isinstance(item, list | tuple):
        for value in item:
            _view_texts(value, found)
    elif isinstance(item, dict):
        for value in item.values():
            _view_texts(value, found)
    elif isinstance(item, msgspec.Struct) and not isinstance(item, Record):
        for name in item.__struct_fields__:
            _view_texts(getattr(item, name), found)
    return found


_SENTENCE_END = re.compile(
    r"(?<!\be\.g)(?<!\bi\.e)(?<!\bal)(?<!\bvs)(?<!\bapprox)\.\s+(?=[A-Z0-9(\[])"
)


def first_sentence(text: str) -> str:
    """The first sentence (a full stop before a capital; not after e.g., i.e., et al., vs.)."""
    text = clean(text).strip()
    found = _SENTENCE_END.search(text)
    return text[: found.start() + 1] if found else text


def body_year(position: GuidelinePosition) -> str:
    return clean(f"{position.body} {position.year}" if position.year else position.body)


def stance_details(position: GuidelinePosition) -> str:
    """Strength, the body's own grade and certainty, each said once."""
    strength = STRENGTH_WORDS.get(position.strength, "")
    certainty = position.certainty.replace("-", " ") if position.certainty != "not-stated" else ""
    details = [strength] if strength else []
    for part in _parts(position.grade or ""):
        folded = part.casefold()
        residue = folded.replace(strength.casefold(), "") if strength else folded
        for filler in ("recommendation", "expert"):
            residue = residue.replace(filler, "")
        residue = residue.strip(" ()")
        if not residue or folded in (d.casefold() for d in details):
            continue
        details.append(part)
        if certainty and (certainty in folded or "⊕" in part):
            certainty = ""  # the grade already says it ("very low quality evidence", ⊕○○○)
    if certainty:
        details.append(f"certainty {certainty}")
    return clean("; ".join(details))


def _parts(grade: str) -> list[str]:
    """A grade split at top-level commas and semicolons (not inside parentheses)."""
    parts, depth, current = [], 0, ""
    for ch in grade:
        depth += (ch == "(") - (ch == ")")
        if ch in ",;" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    return [p for p in [*parts, current.strip()] if p]


def stance_line(position: GuidelinePosition) -> str:
    """'suggests (conditional; very low quality evidence)'."""
    details = stance_details(position)
    words = STANCE_WORDS[position.stance]
    return f"{words} ({details})" if details else words


def _decimals(value: float) -> int:
    text = f"{value:.10f}".rstrip("0")
    return len(text.split(".", 1)[1]) if "." in text else 0


def number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def kind_word(label: str, kind: str) -> str | None:
    """A study's design in a word or two, unless its label already says it ("RPTH 2021
    systematic review", "Song 2015 meta-analysis")."""
    word = KIND_WORDS.get(kind, kind)
    return None if word.casefold() in label.casefold() else word


def estimate_numbers(study: Study) -> tuple[str, str, str] | None:
    """Estimate and CI limits at one precision: the study's `decimals`, else as written."""
    if study.estimate is None or study.ci_low is None or study.ci_high is None:
        return None
    values = (study.estimate, study.ci_low, study.ci_high)
    places = study.decimals if study.decimals is not None else max(map(_decimals, values))
    estimate, low, high = (number(v, places) for v in values)
    return estimate, low, high


def figure(study: Study) -> str:
    """'RR 1.25 (95% CI 1.00 to 1.56)'; a risk difference in percentage points."""
    numbers = estimate_numbers(study)
    if numbers is None:
        return ""
    value, low, high = numbers
    unit = " percentage points" if study.measure == "RD" else ""
    computed = ", computed from counts" if study.computed else ""
    return f"{study.measure} {value}{unit} (95% CI {low} to {high}){computed}"


def estimate(study: Study) -> str:
    """The figure, with the comparison when the source names one."""
    text = figure(study)
    return f"{text}, {clean(study.comparison)}" if text and study.comparison else text


def comparison_arms(study: Study, therapy_name: str) -> tuple[str, str, bool]:
    """(numerator arm, denominator arm, whether the numerator is the therapy).

    Without `comparison` the ratio is therapy vs its control. With it, the first arm is the
    numerator, and the therapy unless `rmcli.arms` reads it as the control.
    """
    named = arms(study)
    if named is None:
        return therapy_name, "control", True
    return clean(named[0]), clean(named[1]), orientation(study) != "control/therapy"


def review_overdue(last_reviewed: datetime.date, today: datetime.date, months: int) -> bool:
    """Whether a monograph reviewed on `last_reviewed` is older than `months` on `today`."""
    elapsed = (today.year - last_reviewed.year) * 12 + today.month - last_reviewed.month
    if today.day < last_reviewed.day:
        elapsed -= 1
    return elapsed >= months and today > last_reviewed


def reviewed_text(last_reviewed: datetime.date, overdue: bool, months: int) -> str:
    text = last_reviewed.isoformat()
    return f"{text} (review overdue: older than {months} months)" if overdue else text


def short_name(therapy: Therapy) -> str:
    """For one-line rows: the knowledge base's short name, capitalised ('Low-dose aspirin'),
    else the name without its parenthetical or trailing clause."""
    if therapy.short_name:
        text = clean(therapy.short_name)
    else:
        text = re.split(r" \(|, ", clean(therapy.name), maxsplit=1)[0].strip() or clean(
            therapy.name
        )
    return text[:1].upper() + text[1:]


def cited_refs(therapy: Therapy) -> list[str]:
    """Every reference id the therapy cites, in first-use order."""
    items: list[object] = [therapy.overall, therapy.mechanism, therapy.seed_rationale]
    for name in CITED_LISTS:
        items.extend(getattr(therapy, name))
    refs = [ref for item in items if item is not None for ref in getattr(item, "refs", [])]
    return list(dict.fromkeys(refs))


def reference_line(kb: KnowledgeBase, ref_id: str) -> str:
    from rmcli.views.cite import citation, identifiers

    ref = kb.references[ref_id]
    return clean(f"{ref_id} — {citation(ref)} {identifiers(ref)}".strip())
