"""Reading each key of a profile document: counts, flags, findings and lists of names. Each
reader returns the value and the problems found, so that every problem is reported at once."""

from __future__ import annotations

from typing import Any

from rmcli.kb.lookup import NameIndex, normalize
from rmcli.kb.model import Vocabulary
from rmcli.text import printable

MAX_COUNT = 30


def shown(value: object) -> str:
    text = repr(value)
    return printable(text if len(text) <= 40 else text[:37] + "...")


def count(
    data: dict[str, Any], key: str, default: int | None, low: int = 0, high: int = MAX_COUNT
) -> tuple[int | None, list[str]]:
    if key not in data:
        if default is None:
            return None, [f"{key}: missing; a whole number from {low} to {high} is required"]
        return default, []
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None, [f"{key}: found {shown(value)}; allowed: a whole number from {low} to {high}"]
    return value, []


def optional(
    data: dict[str, Any], key: str, bounds: tuple[int, int]
) -> tuple[int | None, list[str]]:
    """An optional whole number (age, gestation): absent means unknown."""
    if key not in data:
        return None, []
    return count(data, key, None, *bounds)


def flag(data: dict[str, Any], key: str) -> tuple[bool, list[str]]:
    value = data.get(key, False)
    if not isinstance(value, bool):
        return False, [f"{key}: found {shown(value)}; allowed: true, false"]
    return value, []


def findings_table(value: object, vocabulary: Vocabulary) -> tuple[dict[str, str], list[str]]:
    known = vocabulary.findings
    findings = dict.fromkeys(known, "not-tested")
    if not isinstance(value, dict):
        return findings, [f"findings: found {shown(value)}; allowed: a table of findings"]
    problems = []
    for key, found in value.items():
        if key not in known:
            problems.append(
                f"findings.{printable(key)}: unknown finding; allowed: {', '.join(known)}"
            )
        elif found not in known[key].values:
            allowed = ", ".join(known[key].values)
            problems.append(f"findings.{key}: found {shown(found)}; allowed: {allowed}")
        else:
            findings[key] = found
    return findings, problems


def ids(data: dict[str, Any], key: str, names: NameIndex) -> tuple[list[str], list[str]]:
    """The ids a list names (by id, name or alias, as `rmcli show` resolves them); every
    unknown item is named once, with a did-you-mean, and the allowed ids listed once."""
    value = data.get(key, [])
    allowed = ", ".join(names.keys())
    if not isinstance(value, list):
        return [], [f"{key}: found {shown(value)}; allowed: a list of: {allowed}"]
    ids: list[str] = []
    unknown: list[str] = []
    problems: list[str] = []
    for item in value:
        found = names.find(item) if isinstance(item, str) else None
        if found is None:
            close = names.suggest(normalize(item)) if isinstance(item, str) else []
            mean = ", ".join(key for key, _ in close)
            unknown.append(shown(item) + (f" (did you mean {mean}?)" if close else ""))
        elif found in ids:
            again = (
                "is listed more than once" if item == found else f"names {found}, listed already"
            )
            problems.append(f"{key}: {printable(repr(item))} {again}")
        else:
            ids.append(found)
    if unknown:
        values = "value" if len(unknown) == 1 else "values"
        problems.insert(0, f"{key}: unknown {values} {', '.join(unknown)}; allowed: {allowed}")
    return ids, list(dict.fromkeys(problems))


LIST_KEYS = ("treatments_failed", "treatments_current", "autoimmune_disease", "conditions")


def lift_lists(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Accept the lists written after `[findings]`, as in the documented example.

    In TOML, keys that follow a table header belong to that table, so a profile laid out
    like the format's own example puts `conditions` inside `findings`. Read them as the
    top-level lists they are meant to be; giving both places is an error, never a merge.
    """
    findings = data.get("findings")
    if not isinstance(findings, dict) or not any(k in findings for k in LIST_KEYS):
        return data, []
    data, findings = dict(data), dict(findings)
    problems = []
    for key in LIST_KEYS:
        if key in findings:
            if key in data:
                problems.append(f"{key}: given both at the top level and under [findings]")
            data[key] = findings.pop(key)
    data["findings"] = findings
    return data, problems
