"""Cross-file checks on a structurally valid knowledge base."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rmcli.kb.headline import consistent, headline_position
from rmcli.kb.lookup import normalize
from rmcli.kb.model import (
    Advice,
    Claim,
    GuidelinePosition,
    KnowledgeBase,
    Match,
    Regimen,
    Rule,
    Situation,
    Study,
    Therapy,
)
from rmcli.kb.numbers import number_problems
from rmcli.kb.problems import Problem
from rmcli.kb.values import RATIO_MEASURES, REQUIRED_LISTS

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

Cited = Claim | Regimen | Study | GuidelinePosition | Rule | Advice | Situation


def semantic_problems(kb: KnowledgeBase, files: dict[str, str]) -> list[Problem]:
    """Every cross-reference and consistency problem; `files` maps therapy id to file name."""
    problems: list[Problem] = []
    problems += _alias_problems(kb, files)
    for therapy in kb.therapies:
        file = files.get(therapy.id, f"therapies/{therapy.id}.toml")
        problems += [Problem(file, path, msg) for path, msg in _therapy_problems(kb, therapy)]
    for section in ("investigations", "notes", "outlook"):
        for advice in getattr(kb.assessment, section):
            path = f"{section}[{advice.id}]"
            problems += [
                Problem("assessment.toml", p, m)
                for p, m in [*_cited(kb, advice, path), *_match_problems(kb, advice.when, path)]
            ]
    problems += [Problem("assessment.toml", p, m) for p, m in _situation_problems(kb)]
    problems += [
        Problem("vocabulary.toml", f"findings.{key}.normal", f"{value!r} is not one of its values")
        for key, term in kb.vocabulary.findings.items()
        for value in term.normal
        if value not in term.values or value == "not-tested"
    ]
    return problems + number_problems(kb, files)


def _situation_problems(kb: KnowledgeBase) -> Iterator[tuple[str, str]]:
    """Situations: unique ids, cited, known therapies, and `unless` naming earlier ones."""
    therapy_ids = {t.id for t in kb.therapies}
    earlier: set[str] = set()
    for situation in kb.assessment.situations:
        path = f"situations[{situation.id}]"
        if situation.id in earlier:
            yield path, f"duplicate situation id {situation.id!r}"
        yield from _cited(kb, situation, path)
        yield from _match_problems(kb, situation.when, path)
        for other in situation.unless:
            if other not in earlier:
                yield f"{path}.unless", f"{other!r} is not a situation listed before this one"
        for therapy in situation.therapies:
            if therapy not in therapy_ids:
                yield f"{path}.therapies", f"unknown therapy id {therapy!r}"
        earlier.add(situation.id)


def _alias_problems(kb: KnowledgeBase, files: dict[str, str]) -> Iterator[Problem]:
    """Ids, names and aliases must each name one therapy; ids and names claim first."""
    owner: dict[str, str] = {}
    seen_ids: set[str] = set()
    for therapy in kb.therapies:
        file = files.get(therapy.id, f"therapies/{therapy.id}.toml")
        if therapy.id in seen_ids:
            yield Problem(file, f"{therapy.id}.id", f"duplicate therapy id {therapy.id!r}")
        seen_ids.add(therapy.id)
        repeated = {a for a in therapy.aliases if therapy.aliases.count(a) > 1}
        for alias in sorted(repeated):
            yield Problem(file, f"{therapy.id}.aliases", f"{alias!r} is listed more than once")
    claims = [
        (t, kind, name) for t in kb.therapies for kind, name in (("id", t.id), ("name", t.name))
    ]
    claims += [(t, "aliases", alias) for t in kb.therapies for alias in t.aliases]
    for therapy, kind, name in claims:
        file = files.get(therapy.id, f"therapies/{therapy.id}.toml")
        key = normalize(name)
        if not key:
            yield Problem(file, f"{therapy.id}.{kind}", f"{name!r} has no letters or digits")
        elif owner.setdefault(key, therapy.id) != therapy.id:
            yield Problem(
                file,
                f"{therapy.id}.{kind}",
                f"{name!r} already names therapy {owner[key]!r}; names must be unique",
            )


def _therapy_problems(kb: KnowledgeBase, t: Therapy) -> Iterator[tuple[str, str]]:
    root = t.id
    if not ID_PATTERN.match(t.id):
        yield f"{root}.id", "ids are lower-case words joined by hyphens, e.g. 'low-dose-il2'"
    for name in REQUIRED_LISTS:
        if not getattr(t, name):
            yield f"{root}.{name}", "empty; at least one entry is required"
    for target in t.targets:
        if target not in kb.vocabulary.targets:
            allowed = ", ".join(kb.vocabulary.targets)
            yield f"{root}.targets", f"unknown target {target!r}; allowed: {allowed}"
    yield from _cited(kb, t.overall, f"{root}.overall")
    yield from _cited(kb, t.mechanism, f"{root}.mechanism")
    if t.seed_rationale:
        yield from _cited(kb, t.seed_rationale, f"{root}.seed_rationale")
    for section in (
        "indications",
        "caveats",
        "maternal_risks",
        "fetal_risks",
        "monitoring",
        "cost",
        "changes",
    ):
        for i, claim in enumerate(getattr(t, section)):
            yield from _cited(kb, claim, f"{root}.{section}[#{i + 1}]")
    for regimen in t.regimens:
        yield from _cited(kb, regimen, f"{root}.regimens[{regimen.source}]")
    yield from _evidence_problems(kb, t)
    for position in t.guidelines:
        path = f"{root}.guidelines[{position.body} {position.year}]"
        yield from _cited(kb, position, path)
        if position.checked == "unverified" and position.stance != "unknown":
            yield f"{path}.stance", "an unverified position must have stance = 'unknown'"
    for contra in t.contraindications:
        path = f"{root}.contraindications[{contra.condition}]"
        yield from _cited(kb, contra, path)
        for i, claim in enumerate(contra.instead):
            yield from _cited(kb, claim, f"{path}.instead[#{i + 1}]")
        if contra.instead and contra.severity != "contraindication":
            yield f"{path}.instead", "only a contraindication says what is supported instead"
        if contra.condition not in kb.vocabulary.conditions:
            allowed = ", ".join(kb.vocabulary.conditions)
            yield f"{path}.condition", f"unknown condition {contra.condition!r}; allowed: {allowed}"
    yield from _rule_problems(kb, t)
    yield from _headline_problems(t)


def _headline_problems(t: Therapy) -> Iterator[tuple[str, str]]:
    """The headline position must not contradict the therapy's status."""
    position = headline_position(t)
    if position is not None and not consistent(position.stance, t.overall.status):
        yield (
            f"{t.id}.overall.status",
            f"the headline position ({position.body} {position.year or ''}: {position.stance}) "
            f"contradicts status {t.overall.status!r}",
        )


def _duplicates(names: list[str], path: str, what: str) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            yield f"{path}[{name}]", f"duplicate {what} {name!r}"
        seen.add(name)


def _evidence_problems(kb: KnowledgeBase, t: Therapy) -> Iterator[tuple[str, str]]:
    yield from _duplicates([s.label for s in t.evidence], f"{t.id}.evidence", "study label")
    keys = [s.label for s in t.evidence if s.key]
    if len(keys) > 1:
        yield (
            f"{t.id}.evidence",
            f"key = true on {len(keys)} studies ({', '.join(keys)}); at most one",
        )
    for study in t.evidence:
        path = f"{t.id}.evidence[{study.label}]"
        yield from _cited(kb, study, path)
        if study.n == 0:  # a negative count is kb.numbers' to report
            yield f"{path}.n", "found 0; expected a positive number of participants"
        yield from _estimate_problems(study, path)
        yield from _study_problems(study, path)


def _study_problems(study: Study, path: str) -> Iterator[tuple[str, str]]:
    """What a view needs of a study: an outcome for any effect, no program-only fields, a
    control risk that is a proportion."""
    counted = study.treated_events is not None or study.control_events is not None
    if (study.estimate is not None or counted) and not study.outcome:
        yield f"{path}.outcome", "a study with an estimate or arm counts must name its outcome"
    if study.computed:
        yield f"{path}.computed", "set by the program for ratios from counts; remove it"
    if study.control_risk is not None and not 0 < study.control_risk < 1:
        yield f"{path}.control_risk", f"found {study.control_risk}; a proportion between 0 and 1"
    if study.key and not study.rpl:
        yield f"{path}.key", "key evidence must come from a recurrent-miscarriage population"


def _estimate_problems(study: Study, path: str) -> Iterator[tuple[str, str]]:
    parts = (study.estimate, study.ci_low, study.ci_high, study.measure, study.direction)
    if all(part is None for part in parts):
        return
    if any(part is None for part in parts):
        yield path, "an estimate needs measure, estimate, ci_low, ci_high and direction together"
        return
    assert study.estimate is not None and study.ci_low is not None and study.ci_high is not None
    if not study.ci_low <= study.estimate <= study.ci_high:
        yield path, f"estimate {study.estimate} lies outside its CI {study.ci_low}-{study.ci_high}"
    if study.measure in RATIO_MEASURES and study.ci_low <= 0:
        yield path, f"{study.measure} is a ratio; its CI must be above 0"


def _rule_problems(kb: KnowledgeBase, t: Therapy) -> Iterator[tuple[str, str]]:
    yield from _duplicates([r.id for r in t.rules], f"{t.id}.rules", "rule id")
    discouraged = {k for k, f in kb.vocabulary.findings.items() if f.discouraged}
    for rule in t.rules:
        path = f"{t.id}.rules[{rule.id}]"
        yield from _cited(kb, rule, path)
        yield from _match_problems(kb, rule.when, path)
        tested = discouraged & rule.when.findings.keys()
        if tested and rule.tier in ("recommended", "consider"):
            yield (
                f"{path}.tier",
                f"rests on {', '.join(sorted(tested))}, a test guidelines advise against; "
                "such a rule may only be research-only or not-recommended",
            )


def _match_problems(kb: KnowledgeBase, match: Match, path: str) -> Iterator[tuple[str, str]]:
    findings = kb.vocabulary.findings
    for finding, values in match.findings.items():
        term = findings.get(finding)
        if term is None:
            known = ", ".join(findings)
            yield f"{path}.when.findings.{finding}", f"unknown finding; allowed: {known}"
            continue
        for value in values:
            if value not in term.values:
                yield (
                    f"{path}.when.findings.{finding}",
                    f"unknown value {value!r}; allowed: {', '.join(term.values)}",
                )
    vocab = kb.vocabulary
    therapy_ids = _therapy_ids(kb)
    for key, known_ids in (
        ("autoimmune_any", vocab.autoimmune),
        ("autoimmune_none", vocab.autoimmune),
        ("conditions_any", vocab.conditions),
        ("conditions_none", vocab.conditions),
        ("treatments_failed_all", therapy_ids),
        ("treatments_current_any", therapy_ids),
    ):
        for value in getattr(match, key):
            if value not in known_ids:
                yield f"{path}.when.{key}", f"unknown id {value!r}; allowed: {', '.join(known_ids)}"
    for index, alternative in enumerate(match.any_of):
        yield from _match_problems(kb, alternative, f"{path}.when.any_of[#{index + 1}]")


_ids_memo: list[tuple[KnowledgeBase, dict[str, None]]] = []


def _therapy_ids(kb: KnowledgeBase) -> dict[str, None]:
    """The therapy ids in order, built once per knowledge base (not once per rule: with
    thousands of therapies that made validation quadratic); the memo keeps the last one."""
    if not _ids_memo or _ids_memo[0][0] is not kb:
        _ids_memo[:] = [(kb, dict.fromkeys(t.id for t in kb.therapies))]
    return _ids_memo[0][1]


def _cited(kb: KnowledgeBase, item: Cited, path: str) -> Iterator[tuple[str, str]]:
    refs, checked = item.refs, item.checked
    if not refs and checked != "unverified":
        yield f"{path}.refs", "no reference; only a claim with checked = 'unverified' may have none"
    for ref in refs:
        if ref not in kb.references:
            yield f"{path}.refs", f"unknown reference {ref!r}; add it to references.toml"
