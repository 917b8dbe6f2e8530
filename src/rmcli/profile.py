"""The patient profile: parse, validate, save (format: README, "The profile file")."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec

from rmcli import profile_fields as fields
from rmcli.errors import ProfileError
from rmcli.fileio import write_private
from rmcli.kb.lookup import NameIndex, term_index
from rmcli.kb.model import Vocabulary
from rmcli.kb.read import InvalidText, read_toml
from rmcli.text import printable

SCHEMAS = (1, 2, 3)  # older schemas lack the newer keys, which then take their defaults
SCHEMA = SCHEMAS[-1]  # what `--save` writes
AGE_RANGE = (14, 60)
GESTATION_RANGE = (4, 42)
# Before schema 3, `hit-history` did not say when HIT happened: it keeps the stricter reading
# (the label contraindication is HIT within 100 days or with antibodies present).
OLDER_CONDITIONS = {"hit-history": "hit-recent"}
MAX_PROFILE_BYTES = 1024 * 1024
PART_OF_LOSSES = ("late_losses", "second_trimester_losses")  # counted in `losses` too
MAY_BE_UNKNOWN = ("age", "gestation_weeks")  # unknown: an absent key (TOML has no null)
COUNT_DEFAULTS: dict[str, int | None] = {
    "losses": None,
    "live_births": 0,
    "late_losses": 0,
    "second_trimester_losses": 0,
    "placental_preterm_births": 0,
}
FORMAT_HELP = "the profile format is described in docs/profile.md and `rmcli wizard --help`"


class Profile(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A validated profile; every finding is present (missing ones are "not-tested")."""

    schema: int = SCHEMA
    age: int | None = None
    losses: int
    live_births: int = 0
    late_losses: int = 0
    second_trimester_losses: int = 0
    placental_preterm_births: int = 0
    pregnant: bool = False
    bleeding: bool = False
    gestation_weeks: int | None = None
    treatments_failed: list[str] = []
    treatments_current: list[str] = []
    autoimmune_disease: list[str] = []
    conditions: list[str] = []
    findings: dict[str, str]


ALLOWED_KEYS = Profile.__struct_fields__


class InvalidProfile(ProfileError):
    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(
            f"{source}: {'; '.join(problems)}",
            hint=FORMAT_HELP,
            details=problems,
        )
        self.problems = problems


def parse(
    data: dict[str, Any],
    vocabulary: Vocabulary,
    therapy_ids: Iterable[str],
    source: str = "profile",
    *,
    therapy_names: NameIndex | None = None,
) -> Profile:
    """Validate a decoded profile document; every problem is reported, nothing is dropped.

    Therapies and conditions resolve as every name a user types does (rmcli.kb.lookup):
    `therapy_names` (rmcli.kb.name_index) adds therapies' names and aliases to their ids.
    """
    data, problems = fields.lift_lists(data)
    problems += [
        f"{printable(str(key))}: unknown key; allowed: {', '.join(ALLOWED_KEYS)}"
        for key in data
        if key not in ALLOWED_KEYS
    ]
    schema = data.get("schema", 1)
    if type(schema) is not int or schema not in SCHEMAS:
        problems.append(
            f"schema: found {fields.shown(schema)}; allowed: {', '.join(map(str, SCHEMAS))}"
        )
        schema = SCHEMA
    age, found = fields.optional(data, "age", AGE_RANGE)
    problems += found
    gestation, found = fields.optional(data, "gestation_weeks", GESTATION_RANGE)
    problems += found
    counts: dict[str, int | None] = {}
    for key, default in COUNT_DEFAULTS.items():
        counts[key], found = fields.count(data, key, default)
        problems += found
    flags: dict[str, bool] = {}
    for key in ("pregnant", "bleeding"):
        flags[key], found = fields.flag(data, key)
        problems += found
    findings, found = fields.findings_table(data.get("findings", {}), vocabulary)
    problems += found
    lists: dict[str, list[str]] = {}
    therapies = therapy_names or NameIndex((i, i, ()) for i in therapy_ids)
    for key, names in (
        ("treatments_failed", therapies),
        ("treatments_current", therapies),
        ("autoimmune_disease", term_index(vocabulary.autoimmune, "autoimmune disease")),
        ("conditions", term_index(vocabulary.conditions, "condition")),
    ):
        lists[key], found = fields.ids(data, key, names)
        problems += found
    problems += _consistency(counts, flags)
    losses = counts["losses"]
    if problems or losses is None:
        raise InvalidProfile(source, problems)
    conditions = lists["conditions"]
    if schema < 3:
        conditions = list(dict.fromkeys(OLDER_CONDITIONS.get(c, c) for c in conditions))
    return Profile(
        age=age,
        losses=losses,
        live_births=counts["live_births"] or 0,
        late_losses=counts["late_losses"] or 0,
        second_trimester_losses=counts["second_trimester_losses"] or 0,
        placental_preterm_births=counts["placental_preterm_births"] or 0,
        pregnant=flags["pregnant"],
        bleeding=flags["bleeding"],
        gestation_weeks=gestation,
        findings=findings,
        treatments_failed=lists["treatments_failed"],
        treatments_current=lists["treatments_current"],
        autoimmune_disease=lists["autoimmune_disease"],
        conditions=conditions,
    )


def _consistency(counts: dict[str, int | None], flags: dict[str, bool]) -> list[str]:
    problems = []
    if flags["bleeding"] and not flags["pregnant"]:
        problems.append(
            "bleeding: true needs pregnant = true (bleeding refers to a current pregnancy)"
        )
    losses = counts["losses"]
    for key in PART_OF_LOSSES:
        part = counts[key]
        if losses is not None and part is not None and part > losses:
            problems.append(f"{key}: {part} is more than losses ({losses}), which counts them too")
    return problems


def load(
    path: Path,
    vocabulary: Vocabulary,
    therapy_ids: Iterable[str],
    *,
    therapy_names: NameIndex | None = None,
) -> Profile:
    """A profile file: FileError when it cannot be read (exit 5), InvalidProfile when what it
    holds is not a valid profile (exit 4)."""
    try:
        data = read_toml(path, limit=MAX_PROFILE_BYTES, what="profile")
    except InvalidText as error:
        raise InvalidProfile(str(path), [error.problem]) from None
    return parse(data, vocabulary, therapy_ids, str(path), therapy_names=therapy_names)


def dumps(profile: Profile) -> str:
    """The profile as TOML, every key explicit, so the file documents what was answered."""
    import tomli_w  # only when saving

    header = (
        f"# rmcli patient profile (schema {SCHEMA}, docs/profile.md). "
        "Patient data: keep it private.\n"
    )
    data = msgspec.to_builtins(profile)
    data["schema"] = SCHEMA
    for key in MAY_BE_UNKNOWN:
        if data.get(key) is None:
            data.pop(key, None)
    return header + tomli_w.dumps(data)


def save(profile: Profile, path: Path, *, force: bool) -> None:
    write_private(path, dumps(profile), force=force)
