"""Editorial checks: what readers see speaks about the therapy, and says each fact once.

Checks run by `kb validate` (whose verdict the cache keeps with the knowledge base) and the
test suite, not on every load:
- no user-visible field tells the story of how a fact was found (PROCESS_PHRASES; extend the
  list when you meet a new one — `note` fields are for that story and are never checked);
- no user-visible field speaks about the knowledge base or its gaps (SELF_TALK);
- a rule for another indication does not name miscarriage in its purpose;
- a study's result text does not repeat its structured estimate;
- a citation's text does not carry a DOI or PMID that its structured field already holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec

from rmcli.kb.model import KnowledgeBase, Reference, Study, Therapy
from rmcli.kb.problems import Problem

# Lower-case phrases that describe the gathering of facts, not the facts.
PROCESS_PHRASES = (
    "fact sheet",
    "fact-sheet",
    "the sheet",
    "seed review",
    "the seed",
    "not seen",
    "was read",
    "were read",
    "we read",
    "only the abstract",
    "abstract read",
    "excerpt",
    "retrievable",
    "copy read",
    "copy seen",
    "garbled",
    "as labelled on",
    "honest bottom line",
    "snippet",
    "search tool",
    "cut off in",
    "not visible",
    "could not be read",
    "could not be verified",
    "mirror copy",
    "web page",
    "first half of the",
    "truncated",
    "spelled",
    "[authors",
    "not stated in the",
    "quoting",
)
# Lower-case phrases that speak about the knowledge base or its gaps instead of the evidence: a
# fact the sources do not give is an absent field, never a sentence.
SELF_TALK = (
    "knowledge base",
    "this kb",
    "no data in",
    "no data on",
    "not reported in",
    "not reported here",
    "not given here",
    "presumed;",
    "outcome not named",
    "(unverified)",
    "not verified in",
    "verified guideline",
    "is verified",
    "editorial judgement",
)
SKIPPED_FIELDS = frozenset({"note", "id", "refs", "checked", "doi", "pmid", "pmcid", "url"})

Finding = tuple[str, str]  # (path, message)


def user_texts(item: object, path: str) -> Iterator[tuple[str, str]]:
    """Every string a reader may see in a record, with its path; `note` fields excluded."""
    if isinstance(item, str):
        yield path, item
    elif isinstance(item, list):
        for index, value in enumerate(item):
            yield from user_texts(value, f"{path}[#{index + 1}]")
    elif isinstance(item, dict):
        for key, value in item.items():
            yield from user_texts(value, f"{path}.{key}")
    elif isinstance(item, msgspec.Struct):
        for name in item.__struct_fields__:
            if name not in SKIPPED_FIELDS:
                yield from user_texts(getattr(item, name), f"{path}.{name}")


def _texts(item: object, found: list[str]) -> list[str]:
    """Every string a reader may see in a record, without paths (the fast first look)."""
    if isinstance(item, str):
        found.append(item)
    elif isinstance(item, list):
        for value in item:
            _texts(value, found)
    elif isinstance(item, dict):
        for value in item.values():
            _texts(value, found)
    elif isinstance(item, msgspec.Struct):
        for name in item.__struct_fields__:
            if name not in SKIPPED_FIELDS:
                _texts(getattr(item, name), found)
    return found


def process_phrases(item: object, path: str) -> Iterator[Finding]:
    everything = "\n".join(_texts(item, [])).casefold()
    if not any(phrase in everything for phrase in (*PROCESS_PHRASES, *SELF_TALK)):
        return  # the usual case: one look over all the record's text, no paths built
    for where, text in user_texts(item, path):
        folded = text.casefold()
        found = ", ".join(repr(phrase) for phrase in PROCESS_PHRASES if phrase in folded)
        if found:
            yield where, f"speaks about how facts were gathered ({found}); move that to `note`"
        talk = ", ".join(repr(phrase) for phrase in SELF_TALK if phrase in folded)
        if talk:
            yield (
                where,
                (
                    f"speaks about the knowledge base or its gaps ({talk}); "
                    "leave a fact the sources do not give out of the field"
                ),
            )


def _written(value: float) -> set[str]:
    """The ways a number may be written: 1.0 as '1.0' and '1.00', 0.5 as '0.5' and '0.50'."""
    shown = repr(value)
    forms = {shown, f"{value:.2f}", f"{value:.3f}".rstrip("0").rstrip(".")}
    return {form for form in forms if re.search(r"\d", form)}


def repeated_estimate(study: Study) -> bool:
    """True when the result text writes the structured estimate and both CI limits again."""
    if study.estimate is None or study.ci_low is None or study.ci_high is None:
        return False
    text = study.result or ""

    def has(value: float) -> bool:
        return any(
            re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text) for form in _written(value)
        )

    return has(study.estimate) and has(study.ci_low) and has(study.ci_high)


def therapy_findings(therapy: Therapy) -> Iterator[Finding]:
    yield from process_phrases(therapy, therapy.id)
    for rule in therapy.rules:
        if rule.purpose and "miscarriage" in rule.purpose.casefold():
            yield (
                f"{therapy.id}.rules[{rule.id}].purpose",
                "names the other indication only; the output adds 'not miscarriage prevention'",
            )
    for study in therapy.evidence:
        if repeated_estimate(study):
            yield (
                f"{therapy.id}.evidence[{study.label}].result",
                "repeats the structured estimate and its CI, which are printed from the fields",
            )


def reference_findings(ref_id: str, ref: Reference) -> Iterator[Finding]:
    yield from process_phrases(ref, ref_id)
    text = " ".join(text for _, text in user_texts(ref, ref_id)).casefold()
    if ref.doi and ref.doi.casefold() in text:
        yield f"{ref_id}.title", "the DOI is written into the citation text; keep it in `doi` only"
    if ref.pmid and re.search(rf"pmid:?\s*{re.escape(ref.pmid)}", text):
        yield (
            f"{ref_id}.title",
            "the PMID is written into the citation text; keep it in `pmid` only",
        )


def wording_problems(kb: KnowledgeBase, files: dict[str, str]) -> list[Problem]:
    """What readers see speaks about the therapy and says each fact once (this module).

    Run by `kb validate` and the tests, not on every load: a reader's run needs a knowledge
    base that is correct, and the wording is the maintainer's concern."""
    problems = [
        Problem(files.get(t.id, f"therapies/{t.id}.toml"), path, message)
        for t in kb.therapies
        for path, message in therapy_findings(t)
    ]
    problems += [
        Problem("references.toml", path, message)
        for ref_id, ref in kb.references.items()
        for path, message in reference_findings(ref_id, ref)
    ]
    for section in ("situations", "investigations", "notes", "outlook"):
        for advice in getattr(kb.assessment, section):
            found = process_phrases(advice, f"{section}[{advice.id}]")
            problems += [Problem("assessment.toml", path, message) for path, message in found]
    found = process_phrases(kb.vocabulary, "vocabulary")
    problems += [Problem("vocabulary.toml", path, message) for path, message in found]
    return problems
