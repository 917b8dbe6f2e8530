"""Numbers a view can show: what validates always renders (issue 17).

TOML and msgspec accept `inf`, `nan`, negative precisions and integers of any size that fit in
64 bits; the views would fail on them (a forest plot of an infinite CI, `decimals = -1` in a
format string). Every number of a knowledge base is checked here against the range in which it
means something; the messages name the key and the range.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from rmcli.kb.model import KnowledgeBase, Match, Study
from rmcli.kb.problems import Problem
from rmcli.kb.values import RATIO_MEASURES

MAX_MAGNITUDE = 1e6  # no ratio or difference a study reports comes near this
MIN_RATIO = 1e-6
MAX_DECIMALS = 6
MAX_COUNT = 10**9  # participants or events in one study
YEARS = (1000, 9999)
MAX_REVIEW_MONTHS = 1200
MATCH_BOUNDS = (0, 1000)  # ages, losses, births, weeks: small non-negative counts

Found = Iterator[tuple[str, str]]


def number_problems(kb: KnowledgeBase, files: dict[str, str]) -> list[Problem]:
    """Every number outside the range a view can show; `files` maps therapy id to file name."""
    problems: list[Problem] = []
    for t in kb.therapies:
        found = list(_therapy(t.id, t.evidence, [p.year for p in t.guidelines]))
        found += [p for rule in t.rules for p in _match(rule.when, f"{t.id}.rules[{rule.id}]")]
        file = files.get(t.id, f"therapies/{t.id}.toml")
        problems += [Problem(file, path, message) for path, message in found]
    for ref_id, ref in kb.references.items():
        problems += [Problem("references.toml", p, m) for p, m in _year(ref.year, f"{ref_id}.year")]
    months = kb.manifest.review_after_months
    if not 1 <= months <= MAX_REVIEW_MONTHS:
        message = f"found {months}; expected 1 to {MAX_REVIEW_MONTHS} months"
        problems.append(Problem("kb.toml", "review_after_months", message))
    sections = ("situations", "investigations", "notes", "outlook")
    for section in sections:
        for item in getattr(kb.assessment, section):
            found = list(_match(item.when, f"{section}[{item.id}]"))
            problems += [Problem("assessment.toml", path, message) for path, message in found]
    return problems


def _therapy(therapy_id: str, evidence: list[Study], years: list[int | None]) -> Found:
    for study in evidence:
        yield from study_problems(study, f"{therapy_id}.evidence[{study.label}]")
    for year in years:
        yield from _year(year, f"{therapy_id}.guidelines.year")


def study_problems(study: Study, path: str) -> Found:
    """A study's estimate, CI, precision, counts and control risk, each within its range."""
    ratio = study.measure in RATIO_MEASURES
    for name in ("estimate", "ci_low", "ci_high"):
        value = getattr(study, name)
        if value is None:
            continue
        if not math.isfinite(value):
            yield f"{path}.{name}", f"found {value}; expected a finite number"
        elif ratio and not MIN_RATIO <= value <= MAX_MAGNITUDE:
            yield (
                f"{path}.{name}",
                f"found {value}; a ratio lies from {MIN_RATIO} to {MAX_MAGNITUDE:g}",
            )
        elif abs(value) > MAX_MAGNITUDE:
            yield f"{path}.{name}", f"found {value}; expected at most {MAX_MAGNITUDE:g} either way"
    if study.decimals is not None and not 0 <= study.decimals <= MAX_DECIMALS:
        yield f"{path}.decimals", f"found {study.decimals}; expected 0 to {MAX_DECIMALS} digits"
    for name in ("n", "control_events", "control_total", "treated_events", "treated_total"):
        value = getattr(study, name)
        if value is not None and not 0 <= value <= MAX_COUNT:
            yield f"{path}.{name}", f"found {value}; expected a count from 0 to {MAX_COUNT:,}"
    for arm in ("control", "treated"):
        events, total = getattr(study, f"{arm}_events"), getattr(study, f"{arm}_total")
        if events is not None and total is not None and events > total:
            yield f"{path}.{arm}_events", f"{events} events among {total}; at most {total}"


def _year(year: int | None, path: str) -> Found:
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        yield path, f"found {year}; expected a year from {YEARS[0]} to {YEARS[1]}"


def _match(match: Match, path: str) -> Found:
    for name in match.__struct_fields__:
        value = getattr(match, name)
        bounded = name.endswith(("_min", "_max")) and value is not None
        if bounded and not MATCH_BOUNDS[0] <= value <= MATCH_BOUNDS[1]:
            low, high = MATCH_BOUNDS
            yield f"{path}.when.{name}", f"found {value}; expected {low} to {high}"
    for index, alternative in enumerate(match.any_of):
        yield from _match(alternative, f"{path}.when.any_of[#{index + 1}]")
