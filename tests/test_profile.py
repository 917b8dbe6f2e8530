"""The patient profile format (domain.md §3): defaults, validation, loading, saving."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wizard_helpers import EXAMPLE_PROFILE, bundled_kb, error_lines, run_rmcli

from rmcli.cli.run import exit_code
from rmcli.errors import ExitCode, FileError
from rmcli.profile import (
    ALLOWED_KEYS,
    MAX_PROFILE_BYTES,
    InvalidProfile,
    Profile,
    dumps,
    load,
    parse,
    save,
)

VOCAB = bundled_kb().vocabulary
IDS = [t.id for t in bundled_kb().therapies]
FINDINGS = {key: term.values for key, term in VOCAB.findings.items()}


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidProfile) as caught:
        parse(data, VOCAB, IDS)
    assert exit_code(caught.value) == ExitCode.INVALID_PROFILE
    return caught.value.problems


def only_problem(data: dict[str, Any]) -> str:
    problems = problems_of(data)
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------- defaults


def test_only_losses_is_required_and_everything_else_defaults() -> None:
    profile = parse({"losses": 2}, VOCAB, IDS)
    assert profile == Profile(
        schema=3,
        age=None,
        losses=2,
        live_births=0,
        late_losses=0,
        second_trimester_losses=0,
        placental_preterm_births=0,
        pregnant=False,
        bleeding=False,
        gestation_weeks=None,
        treatments_failed=[],
        treatments_current=[],
        findings=dict.fromkeys(FINDINGS, "not-tested"),
        autoimmune_disease=[],
        conditions=[],
    )


def test_missing_findings_default_to_not_tested_and_given_ones_are_kept() -> None:
    profile = parse({"losses": 3, "findings": {"nk_cells": "elevated"}}, VOCAB, IDS)
    assert profile.findings["nk_cells"] == "elevated"
    assert {k: v for k, v in profile.findings.items() if k != "nk_cells"} == {
        k: "not-tested" for k in FINDINGS if k != "nk_cells"
    }
    assert list(profile.findings) == list(FINDINGS)


def test_a_full_profile_keeps_every_answer() -> None:
    data = {
        "schema": 3,
        "age": 60,
        "losses": 30,
        "placental_preterm_births": 30,
        "treatments_failed": IDS,
        "treatments_current": IDS,
        "live_births": 30,
        "late_losses": 30,
        "second_trimester_losses": 30,
        "pregnant": True,
        "bleeding": True,
        "gestation_weeks": 42,
        "findings": {k: v[0] for k, v in FINDINGS.items()},
        "autoimmune_disease": list(VOCAB.autoimmune),
        "conditions": list(VOCAB.conditions),
    }
    profile = parse(data, VOCAB, IDS)
    assert {key: getattr(profile, key) for key in data} == data


def test_example_profile_loads() -> None:
    profile = load(EXAMPLE_PROFILE, VOCAB, IDS)
    assert profile.losses == 3
    assert profile.late_losses == 1
    assert profile.findings["antiphospholipid"] == "persistent"
    assert profile.conditions == ["diabetes"]
    assert profile.autoimmune_disease == []


def test_documented_layout_with_lists_after_findings_parses_as_top_level(tmp_path: Path) -> None:
    """domain.md §3 writes the two lists after [findings]; TOML puts them inside that table."""
    path = tmp_path / "p.toml"
    path.write_text(
        "schema = 1\nlosses = 3\n\n[findings]\n"
        'antiphospholipid = "persistent"\nnk_cells = "elevated"\n\n'
        'autoimmune_disease = ["sle"]\nconditions = ["diabetes", "latent-tb"]\n',
        encoding="utf-8",
    )
    assert "conditions" in tomllib.loads(path.read_text())["findings"]  # the TOML trap itself
    profile = load(path, VOCAB, IDS)
    assert profile.autoimmune_disease == ["sle"]
    assert profile.conditions == ["diabetes", "latent-tb"]
    assert profile.findings["antiphospholipid"] == "persistent"
    assert set(profile.findings) == set(FINDINGS)


# The profile example of domain.md §3, verbatim.
DOMAIN_EXAMPLE = (Path(__file__).parent / "fixtures" / "domain_profile.toml").read_text("utf-8")


def test_domain_example_block_parses(tmp_path: Path) -> None:
    """The example of the profile format, verbatim, is a valid profile."""
    path = tmp_path / "example.toml"
    path.write_text(DOMAIN_EXAMPLE, encoding="utf-8")
    profile = load(path, VOCAB, IDS)
    assert (profile.schema, profile.age, profile.losses) == (3, 34, 3)
    assert (profile.second_trimester_losses, profile.gestation_weeks) == (0, 7)
    assert profile.treatments_failed == ["heparin", "aspirin"]
    assert profile.treatments_current == []
    assert profile.autoimmune_disease == ["sle"]
    assert profile.conditions == ["diabetes"]
    assert profile.findings == {
        "antiphospholipid": "persistent",
        "thyroid_function": "euthyroid",
        "thyroid_antibodies": "positive",
        "antinuclear_antibodies": "negative",
        "inherited_thrombophilia": "absent",
        "loss_karyotype": "euploid",
        "anti_ro": "positive",
        "nk_cells": "elevated",
        "tregs": "low",
        "th1_th17": "elevated",
        "tnf_alpha": "elevated",
    }


# ---------------------------------------------------------------- validation


def test_unknown_top_level_key_names_key_and_allowed_keys() -> None:
    problem = only_problem({"losses": 3, "miscarriages": 2})
    assert problem.startswith("miscarriages: unknown key")
    for key in ALLOWED_KEYS:
        assert key in problem


def test_unknown_finding_names_it_and_lists_the_findings() -> None:
    problem = only_problem({"losses": 3, "findings": {"nk_cell": "elevated"}})
    assert problem.startswith("findings.nk_cell: unknown finding")
    for finding in FINDINGS:
        assert finding in problem


@pytest.mark.parametrize(
    ("finding", "value"),
    [
        ("antiphospholipid", "positive"),
        ("nk_cells", "high"),
        ("tregs", "elevated"),
        ("inherited_thrombophilia", True),
        ("thyroid_antibodies", ["positive"]),
    ],
)
def test_bad_finding_value_names_key_value_and_allowed(finding: str, value: object) -> None:
    problem = only_problem({"losses": 3, "findings": {finding: value}})
    assert problem.startswith(f"findings.{finding}: found {value!r}")
    assert f"allowed: {', '.join(FINDINGS[finding])}" in problem


def test_findings_not_a_table() -> None:
    problem = only_problem({"losses": 3, "findings": "none"})
    assert problem == "findings: found 'none'; allowed: a table of findings"


@pytest.mark.parametrize("key", ["losses", "live_births", "late_losses"])
@pytest.mark.parametrize("value", [-1, 31, 1000, 3.0, "3", True, False, [3]])
def test_counts_out_of_range_or_wrong_type(key: str, value: object) -> None:
    data: dict[str, Any] = {"losses": 30, key: value}
    problems = problems_of(data)
    assert f"{key}: found {value!r}; allowed: a whole number from 0 to 30" in problems


@pytest.mark.parametrize("value", [0, 30])
def test_count_bounds_are_inclusive(value: int) -> None:
    assert parse({"losses": value}, VOCAB, IDS).losses == value
    assert parse({"losses": 30, "live_births": value}, VOCAB, IDS).live_births == value


def test_missing_losses() -> None:
    problem = only_problem({"live_births": 1})
    assert problem.startswith("losses: missing")
    assert "0 to 30" in problem


@pytest.mark.parametrize("key", ["pregnant", "bleeding"])
@pytest.mark.parametrize("value", ["yes", 1, 0, "true"])
def test_flags_must_be_booleans(key: str, value: object) -> None:
    data: dict[str, Any] = {"losses": 1, "pregnant": True, key: value}
    assert f"{key}: found {value!r}; allowed: true, false" in problems_of(data)


def test_bleeding_without_pregnancy() -> None:
    problem = only_problem({"losses": 2, "bleeding": True})
    assert problem.startswith("bleeding: true needs pregnant = true")


@pytest.mark.parametrize("key", ["late_losses", "second_trimester_losses"])
def test_a_kind_of_loss_more_than_losses(key: str) -> None:
    problem = only_problem({"losses": 2, key: 3})
    assert problem == f"{key}: 3 is more than losses (2), which counts them too"
    assert getattr(parse({"losses": 2, key: 2}, VOCAB, IDS), key) == 2


@pytest.mark.parametrize("weeks", [3, 43, 7.5, "7", True])
def test_gestation_out_of_range_or_wrong_type(weeks: object) -> None:
    problem = only_problem({"losses": 2, "pregnant": True, "gestation_weeks": weeks})
    assert problem == f"gestation_weeks: found {weeks!r}; allowed: a whole number from 4 to 42"


def test_gestation_is_kept_as_given_and_optional() -> None:
    """domain.md's own example gives gestation_weeks with pregnant = false: it is kept (nothing
    is dropped) and rules read it only for a current pregnancy (tests/test_match.py)."""
    assert parse({"losses": 2, "gestation_weeks": 8}, VOCAB, IDS).gestation_weeks == 8
    assert parse({"losses": 2, "pregnant": True}, VOCAB, IDS).gestation_weeks is None


@pytest.mark.parametrize(
    ("schema", "read_as"), [(1, "hit-recent"), (2, "hit-recent"), (3, "hit-history")]
)
def test_hit_history_keeps_the_stricter_reading_before_schema_3(schema: int, read_as: str) -> None:
    """Before schema 3 the profile could not say when HIT happened (domain.md §3)."""
    profile = parse({"schema": schema, "losses": 2, "conditions": ["hit-history"]}, VOCAB, IDS)
    assert profile.conditions == [read_as]


def test_unknown_condition_names_value_and_lists_conditions() -> None:
    problem = only_problem({"losses": 2, "conditions": ["diabetes", "tuberculosis"]})
    assert problem.startswith("conditions: unknown value 'tuberculosis'")
    for condition in ("diabetes", "latent-tb", "iga-deficiency", "hit-history", "egg-soy-allergy"):
        assert condition in problem


def test_unknown_autoimmune_value() -> None:
    problem = only_problem({"losses": 2, "autoimmune_disease": ["lupus"]})
    assert problem.startswith("autoimmune_disease: unknown value 'lupus'")
    assert "allowed: sle, sjogren, rheumatoid-arthritis, thyroid-autoimmune, other" in problem


@pytest.mark.parametrize("key", ["conditions", "autoimmune_disease"])
def test_list_keys_must_be_lists(key: str) -> None:
    problem = only_problem({"losses": 2, key: "diabetes"})
    assert problem.startswith(f"{key}: found 'diabetes'; allowed: a list of:")


def test_duplicate_condition() -> None:
    problem = only_problem({"losses": 2, "conditions": ["diabetes", "hiv", "diabetes"]})
    assert problem == "conditions: 'diabetes' is listed more than once"


@pytest.mark.parametrize(
    ("key", "item"),
    [("conditions", ["diabetes"]), ("autoimmune_disease", {"id": "sle"})],
    ids=["conditions-list-item", "autoimmune-table-item"],
)
def test_non_string_list_items_are_invalid_profile_not_a_crash(key: str, item: object) -> None:
    """An unhashable item (`conditions = [["diabetes"]]`) once raised TypeError in
    profile._ids (`item not in known`, known being a dict): an internal error, exit 1."""
    problem = only_problem({"losses": 2, key: [item]})
    assert problem.startswith(f"{key}: unknown value")


@pytest.mark.parametrize("schema", [0, 4, "1", True, 2.0])
def test_schema_other_than_1_2_or_3(schema: object) -> None:
    assert only_problem({"schema": schema, "losses": 2}) == (
        f"schema: found {schema!r}; allowed: 1, 2, 3"
    )


def test_schema_1_file_loads_with_new_keys_at_their_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, 'schema = 1\nlosses = 3\n[findings]\nnk_cells = "elevated"\n')
    profile = load(path, VOCAB, IDS)
    assert (profile.schema, profile.age, profile.placental_preterm_births) == (3, None, 0)
    assert (profile.second_trimester_losses, profile.gestation_weeks) == (0, None)
    assert profile.findings["anti_ro"] == "not-tested"
    assert (profile.treatments_failed, profile.treatments_current) == ([], [])
    assert profile.findings["thyroid_function"] == "not-tested"
    assert profile.findings["loss_karyotype"] == "not-tested"
    assert profile.findings["nk_cells"] == "elevated"


def test_schema_2_keys_are_read() -> None:
    profile = parse(
        {
            "schema": 2,
            "age": 34,
            "losses": 3,
            "placental_preterm_births": 1,
            "treatments_failed": ["heparin", "aspirin"],
            "treatments_current": ["hydroxychloroquine"],
            "findings": {"thyroid_function": "euthyroid", "loss_karyotype": "euploid"},
        },
        VOCAB,
        IDS,
    )
    assert (profile.age, profile.placental_preterm_births) == (34, 1)
    assert profile.treatments_failed == ["heparin", "aspirin"]
    assert profile.treatments_current == ["hydroxychloroquine"]
    assert profile.findings["thyroid_function"] == "euthyroid"


@pytest.mark.parametrize("age", [13, 61, -1, 34.5, "34", True])
def test_age_out_of_range_or_wrong_type(age: object) -> None:
    assert only_problem({"age": age, "losses": 2}) == (
        f"age: found {age!r}; allowed: a whole number from 14 to 60"
    )


@pytest.mark.parametrize("age", [14, 60])
def test_age_bounds_are_inclusive(age: int) -> None:
    assert parse({"age": age, "losses": 2}, VOCAB, IDS).age == age


@pytest.mark.parametrize("key", ["treatments_failed", "treatments_current"])
def test_unknown_therapy_id_in_treatments_lists_the_ids(key: str) -> None:
    problem = only_problem({"losses": 2, key: ["warfarin"]})
    assert problem == f"{key}: unknown value 'warfarin'; allowed: {', '.join(IDS)}"


def test_unknown_thyroid_function_value_lists_the_allowed() -> None:
    problem = only_problem({"losses": 2, "findings": {"thyroid_function": "low"}})
    assert problem == (
        "findings.thyroid_function: found 'low'; allowed: overt-hypothyroidism, "
        "subclinical-hypothyroidism, euthyroid, hyperthyroidism, not-tested"
    )


@pytest.mark.parametrize("key", ["conditions", "autoimmune_disease"])
def test_list_both_top_level_and_under_findings(key: str) -> None:
    value = ["diabetes"] if key == "conditions" else ["sle"]
    problem = only_problem({"losses": 2, key: value, "findings": {key: value}})
    assert problem == f"{key}: given both at the top level and under [findings]"


def test_several_problems_are_all_reported() -> None:
    with pytest.raises(InvalidProfile) as caught:
        parse(
            {
                "losses": 31,
                "colour": "blue",
                "findings": {"nk_cells": "high", "bogus": "x"},
                "conditions": ["nope"],
                "bleeding": True,
            },
            VOCAB,
            IDS,
            source="p.toml",
        )
    problems = caught.value.problems
    for start in (
        "colour: unknown key",
        "losses: found 31",
        "findings.nk_cells: found 'high'",
        "findings.bogus: unknown finding",
        "conditions: unknown value 'nope'",
        "bleeding: true needs pregnant",
    ):
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert len(problems) == 6
    assert caught.value.details == problems
    assert caught.value.message == "p.toml: " + "; ".join(problems)


def test_control_characters_in_keys_and_values_are_escaped() -> None:
    problems = problems_of(
        {"losses": 2, "\x1b[31mred": 1, "findings": {"nk_cells": "\x1b]0;x\x07"}}
    )
    assert all("\x1b" not in p and "\x07" not in p for p in problems)
    assert any(p.startswith("\\x1b[31mred: unknown key") for p in problems)


def test_long_values_are_cut_short() -> None:
    problem = only_problem({"losses": 2, "findings": {"nk_cells": "x" * 500}})
    assert len(problem) < 200
    assert "..." in problem


# ---------------------------------------------------------------- loading files


def write(tmp_path: Path, content: bytes | str, name: str = "profile.toml") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def test_load_non_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, b"losses = 3\n# caf\xe9\n")
    with pytest.raises(InvalidProfile) as caught:
        load(path, VOCAB, IDS)
    assert caught.value.problems == ["not UTF-8 text (byte 0xe9 at offset 16, line 2)"]
    assert str(path) in caught.value.message


def test_load_malformed_toml(tmp_path: Path) -> None:
    path = write(tmp_path, "losses = 3\nfindings = [\n")
    with pytest.raises(InvalidProfile) as caught:
        load(path, VOCAB, IDS)
    assert caught.value.problems[0].startswith("not valid TOML:")


def test_load_refuses_more_than_1_mb_before_parsing(tmp_path: Path) -> None:
    body = "losses = 3\n"
    filler = "#" * (MAX_PROFILE_BYTES + 1 - len(body) - 1) + "\n"
    path = write(tmp_path, body + filler)
    assert path.stat().st_size == MAX_PROFILE_BYTES + 1
    with pytest.raises(FileError) as caught:
        load(path, VOCAB, IDS)
    assert "larger than 1 MB" in caught.value.message


def test_load_accepts_exactly_1_mb(tmp_path: Path) -> None:
    body = "losses = 3\n"
    path = write(tmp_path, body + "#" * (MAX_PROFILE_BYTES - len(body) - 1) + "\n")
    assert path.stat().st_size == MAX_PROFILE_BYTES
    assert load(path, VOCAB, IDS).losses == 3


def test_load_over_1_mb_of_garbage_is_a_size_error_not_a_parse_error(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xff" * (MAX_PROFILE_BYTES + 10))
    with pytest.raises(FileError):
        load(path, VOCAB, IDS)


def test_load_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="does not exist"):
        load(tmp_path / "nope.toml", VOCAB, IDS)
    with pytest.raises(FileError, match="is a directory"):
        load(tmp_path, VOCAB, IDS)


BAD_FILES: list[tuple[str, bytes | None, int, str]] = [
    ("non-utf8", b"losses = 3\n# \xff\xfe\n", ExitCode.INVALID_PROFILE, "not UTF-8"),
    ("malformed-toml", b"losses = = 3\n", ExitCode.INVALID_PROFILE, "not valid TOML"),
    ("invalid-value", b'losses = 3\n[findings]\nnk_cells = "high"\n', 4, "nk_cells"),
    ("too-large", b"losses = 3\n#" + b"x" * MAX_PROFILE_BYTES, ExitCode.FILE_ERROR, "larger than"),
    ("missing", None, ExitCode.FILE_ERROR, "does not exist"),
    ("directory", b"", ExitCode.FILE_ERROR, "is a directory"),
    ("unhashable-condition", b'losses = 3\nconditions = [["x"]]\n', 4, "conditions"),
]


@pytest.mark.parametrize(
    ("content", "code", "fragment"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_profile_file_through_the_cli(
    tmp_path: Path, content: bytes | None, code: int, fragment: str
) -> None:
    path = tmp_path / "profile.toml"
    if fragment == "is a directory":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    result = run_rmcli("wizard", "--answers", str(path), "--format", "json")
    assert result.code == code, result.stderr
    assert result.stdout == ""
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_profile_through_the_cli(tmp_path: Path) -> None:
    path = write(tmp_path, "losses = 3\n")
    path.chmod(0)
    result = run_rmcli("wizard", "--answers", str(path))
    assert result.code == ExitCode.FILE_ERROR
    assert len(error_lines(result.stderr)) == 1


def test_cli_shows_every_problem_of_an_invalid_profile(tmp_path: Path) -> None:
    """Every problem reaches the user, with one `rmcli: error:` line. (This once printed
    only the first problem and "(and 2 more)", so the others were never seen.)"""
    path = write(tmp_path, 'losses = 40\nfoo = 1\n[findings]\nnk_cells = "high"\n')
    result = run_rmcli("wizard", "--answers", str(path))
    assert result.code == ExitCode.INVALID_PROFILE
    assert len(error_lines(result.stderr)) == 1
    assert "foo: unknown key" in result.stderr
    assert "losses: found 40" in result.stderr
    assert "findings.nk_cells: found 'high'" in result.stderr


# ---------------------------------------------------------------- dumps, save and round trips

ROUND_TRIP = [
    {"losses": 0},
    {"losses": 3, "late_losses": 1, "findings": {"antiphospholipid": "persistent"}},
    {
        "losses": 5,
        "live_births": 2,
        "late_losses": 5,
        "pregnant": True,
        "bleeding": True,
        "findings": {k: v[0] for k, v in FINDINGS.items()},
        "autoimmune_disease": ["sle", "other"],
        "conditions": ["latent-tb", "iga-deficiency", "egg-soy-allergy"],
    },
    {
        "schema": 2,
        "age": 42,
        "losses": 4,
        "placental_preterm_births": 1,
        "treatments_failed": ["heparin", "aspirin"],
        "treatments_current": ["hydroxychloroquine"],
    },
]


@pytest.mark.parametrize("data", ROUND_TRIP)
def test_dumps_then_load_gives_an_equal_profile(tmp_path: Path, data: dict[str, Any]) -> None:
    profile = parse(data, VOCAB, IDS)
    path = write(tmp_path, dumps(profile))
    assert load(path, VOCAB, IDS) == profile


def test_dumps_writes_every_key_explicitly() -> None:
    text = dumps(parse({"losses": 2}, VOCAB, IDS))
    assert text.startswith("# rmcli patient profile (schema 3, docs/profile.md).")
    data = tomllib.loads(text)
    assert set(data) == set(ALLOWED_KEYS) - {"age", "gestation_weeks"}  # unknown: absent
    assert data["schema"] == 3
    assert tomllib.loads(dumps(parse({"losses": 2, "age": 41}, VOCAB, IDS)))["age"] == 41
    assert data["findings"] == dict.fromkeys(FINDINGS, "not-tested")
    assert (data["pregnant"], data["bleeding"], data["conditions"]) == (False, False, [])


@settings(max_examples=60, deadline=None)
@given(
    losses=st.integers(0, 30),
    findings=st.fixed_dictionaries(
        {}, optional={k: st.sampled_from(v) for k, v in FINDINGS.items()}
    ),
    conditions=st.lists(st.sampled_from(sorted(VOCAB.conditions)), unique=True),
    autoimmune=st.lists(st.sampled_from(sorted(VOCAB.autoimmune)), unique=True),
    pregnant=st.booleans(),
)
def test_round_trip_any_profile(
    losses: int,
    findings: dict[str, str],
    conditions: list[str],
    autoimmune: list[str],
    pregnant: bool,
) -> None:
    profile = parse(
        {
            "losses": losses,
            "late_losses": losses // 2,
            "pregnant": pregnant,
            "findings": findings,
            "conditions": conditions,
            "autoimmune_disease": autoimmune,
        },
        VOCAB,
        IDS,
    )
    assert parse(tomllib.loads(dumps(profile)), VOCAB, IDS) == profile


def test_save_creates_a_private_file(tmp_path: Path) -> None:
    profile = parse({"losses": 3, "conditions": ["hiv"]}, VOCAB, IDS)
    path = tmp_path / "saved.toml"
    old = os.umask(0)
    try:
        save(profile, path, force=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == dumps(profile)
    assert load(path, VOCAB, IDS) == profile
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saved.toml"]


def test_save_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = write(tmp_path, b"precious \x00 bytes\n", "saved.toml")
    path.chmod(0o644)
    before = path.read_bytes()
    with pytest.raises(FileError) as caught:
        save(parse({"losses": 3}, VOCAB, IDS), path, force=False)
    assert "already exists" in caught.value.message
    assert exit_code(caught.value) == ExitCode.FILE_ERROR
    assert "--force" in (caught.value.hint or "")
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saved.toml"]


def test_save_with_force_overwrites_and_makes_it_private(tmp_path: Path) -> None:
    path = write(tmp_path, "old\n", "saved.toml")
    path.chmod(0o644)
    profile = parse({"losses": 4}, VOCAB, IDS)
    save(profile, path, force=True)
    assert load(path, VOCAB, IDS) == profile
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saved.toml"]
