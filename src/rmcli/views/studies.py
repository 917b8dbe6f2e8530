"""A study in words: one paragraph for the monograph's evidence and ongoing-trial lists."""

from __future__ import annotations

from rmcli.kb.model import Study
from rmcli.text import clean
from rmcli.views.common import cite, estimate


def _sentence(label: str, text: str | None) -> str:
    return f" {label}: {clean(text).strip().rstrip('.')}." if text else ""


def study_line(study: Study) -> str:
    """One study in one paragraph; a part the source does not give is left out."""
    size = f", n={study.n}" if study.n is not None else ""
    result = clean(study.result or "").strip().rstrip(".")
    found = "; ".join(part for part in (estimate(study), result) if part)
    certainty = f" GRADE certainty {study.certainty.replace('-', ' ')}." if study.certainty else ""
    scope = "" if study.rpl else " Not a recurrent-miscarriage population."
    text = (
        f"{study.label} — {clean(study.design).rstrip('.')}{size}."
        f"{_sentence('Population', study.population)}{scope}"
        f"{_sentence('Outcome', study.outcome)}{_sentence('Result', found)}{certainty}"
    )
    return cite(text, study.refs, study.checked)


def ongoing_line(study: Study) -> str:
    size = f"; {study.n} participants" if study.n is not None else ""
    text = f"{study.label} — {clean(study.design).rstrip('.')}{size}."
    text += _sentence("Population", study.population) + _sentence("Status", study.result)
    return cite(text, study.refs, study.checked)
