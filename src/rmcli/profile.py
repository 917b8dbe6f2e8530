"""The patient profile: parse, validate, save (format: README, "The profile file")."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec

from rmcli.errors import ExitCode, RmcliError
from rmcli.fileio import read_limited, write_private
from rmcli.kb.model import Vocabulary
from rmcli.text import printable

FINDINGS: dict[str, tuple[str, ...]] = {
    "antiphospholipid": ("persistent", "transient", "negative", "not-tested"),
    "nk_cells": ("elevated", "normal", "not-tested"),
    "tregs": ("low", "normal", "not-tested"),
    "th1_th17": ("elevated", "normal", "not-tested"),
    "tnf_alpha": ("elevated", "normal", "not-tested"),
    "thyroid_antibodies": ("positive", "negative", "not-tested"),
    "antinuclear_antibodies": ("positive", "negative", "not-tested"),
    "inherited_thrombophilia": ("present", "absent", "not-tested"),
}
ALLOWED_KEYS = (
    "schema",
    "losses",
    "live_births",
    "late_losses",
    "pregnant",
    "bleeding",
    "findings",
    "autoimmune_disease",
    "conditions",
)
MAX_COUNT = 30
MAX_PROFILE_BYTES = 1024 * 1024


class Profile(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A validated profile; every finding is present (missing ones are "not-tested")."""

    schema: int = 1
    losses: int
    live_births: int = 0
    late_losses: int = 0
    pregnant: bool = False
    bleeding: bool = False
    findings: dict[str, str]
    autoimmune_disease: list[str] = []
    conditions: list[str] = []


class InvalidProfile(RmcliError):
    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(
            f"{source}: {'; '.join(problems)}",
            ExitCode.INVALID_PROFILE,
            hint="see the profile format in the README (`rmcli wizard --help`)",
            details=problems,
        )
        self.problems = problems


def _show(value: object) -> str:
    text = repr(value)
    return printable(text if len(text) <= 40 else text[:37] + "...")


def _count(data: dict[str, Any], key: str, default: int | None) -> tuple[int | None, list[str]]:
    if key not in data:
        if default is None:
            return None, [f"{key}: missing; a whole number from 0 to {MAX_COUNT} is required"]
        return default, []
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        return None, [f"{key}: found {_show(value)}; allowed: a whole number from 0 to {MAX_COUNT}"]
    return value, []


def _flag(data: dict[str, Any], key: str) -> tuple[bool, list[str]]:
    value = data.get(key, False)
    if not isinstance(value, bool):
        return False, [f"{key}: found {_show(value)}; allowed: true, false"]
    return value, []


def _findings(value: object) -> tuple[dict[str, str], list[str]]:
    findings = dict.fromkeys(FINDINGS, "not-tested")
    if not isinstance(value, dict):
        return findings, [f"findings: found {_show(value)}; allowed: a table of findings"]
    problems = []
    for key, found in value.items():
        if key not in FINDINGS:
            problems.append(
                f"findings.{printable(key)}: unknown finding; allowed: {', '.join(FINDINGS)}"
            )
        elif found not in FINDINGS[key]:
            allowed = ", ".join(FINDINGS[key])
            problems.append(f"findings.{key}: found {_show(found)}; allowed: {allowed}")
        else:
            findings[key] = found
    return findings, problems


def _ids(data: dict[str, Any], key: str, known: Iterable[str]) -> tuple[list[str], list[str]]:
    value = data.get(key, [])
    allowed = ", ".join(known)
    if not isinstance(value, list):
        return [], [f"{key}: found {_show(value)}; allowed: a list of: {allowed}"]
    problems = []
    for item in value:
        if not isinstance(item, str) or item not in known:
            problems.append(f"{key}: unknown value {_show(item)}; allowed: {allowed}")
        elif value.count(item) > 1:
            problems.append(f"{key}: {item!r} is listed more than once")
    return [item for item in value if isinstance(item, str)], list(dict.fromkeys(problems))


LIST_KEYS = ("autoimmune_disease", "conditions")


def _lift_lists(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
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


def parse(data: dict[str, Any], vocabulary: Vocabulary, source: str = "profile") -> Profile:
    """Validate a decoded profile document; every problem is reported, nothing is dropped."""
    data, problems = _lift_lists(data)
    problems += [
        f"{printable(str(key))}: unknown key; allowed: {', '.join(ALLOWED_KEYS)}"
        for key in data
        if key not in ALLOWED_KEYS
    ]
    schema = data.get("schema", 1)
    if type(schema) is not int or schema != 1:
        problems.append(f"schema: found {_show(schema)}; allowed: 1")
    losses, found = _count(data, "losses", None)
    problems += found
    live_births, found = _count(data, "live_births", 0)
    problems += found
    late_losses, found = _count(data, "late_losses", 0)
    problems += found
    pregnant, found = _flag(data, "pregnant")
    problems += found
    bleeding, found = _flag(data, "bleeding")
    problems += found
    findings, found = _findings(data.get("findings", {}))
    problems += found
    autoimmune, found = _ids(data, "autoimmune_disease", vocabulary.autoimmune)
    problems += found
    conditions, found = _ids(data, "conditions", vocabulary.conditions)
    problems += found
    if bleeding and not pregnant:
        problems.append(
            "bleeding: true needs pregnant = true (bleeding refers to a current pregnancy)"
        )
    if losses is not None and late_losses is not None and late_losses > losses:
        problems.append(f"late_losses: {late_losses} is more than losses ({losses})")
    if problems or losses is None or live_births is None or late_losses is None:
        raise InvalidProfile(source, problems)
    return Profile(
        losses=losses,
        live_births=live_births,
        late_losses=late_losses,
        pregnant=pregnant,
        bleeding=bleeding,
        findings=findings,
        autoimmune_disease=autoimmune,
        conditions=conditions,
    )


def load(path: Path, vocabulary: Vocabulary) -> Profile:
    raw = read_limited(path, MAX_PROFILE_BYTES, "profile")
    source = str(path)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InvalidProfile(source, [f"not UTF-8 text (byte {error.start})"]) from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidProfile(source, [f"not valid TOML: {error}"]) from None
    return parse(data, vocabulary, source)


def dumps(profile: Profile) -> str:
    """The profile as TOML, every key explicit, so the file documents what was answered."""
    import tomli_w  # only when saving

    header = "# rmcli patient profile (schema 1). Patient data: keep it private.\n"
    return header + tomli_w.dumps(msgspec.to_builtins(profile))


def save(profile: Profile, path: Path, *, force: bool) -> None:
    write_private(path, dumps(profile), force=force)
