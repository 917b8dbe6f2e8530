"""Fuzz profile files given to `rmcli wizard --answers FILE` (property-based, hypothesis).

Valid profiles (../shared/domain.md §3) must assess every therapy and echo the profile back;
mutated ones must end in exit 0 or exit 4 with one `rmcli: error:` line — never a traceback,
never exit 1. An independent oracle written from the format's rules says which of the two.
"""

from __future__ import annotations

import itertools
import json
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from fuzz_helpers import (
    ANY_CHAR,
    FILE_NAMES,
    RunCli,
    assert_no_raw_controls,
    assert_one_error,
    at,
    fuzz_settings,
    key_paths,
    toml_values,
)
from hypothesis import event, example, given
from hypothesis import strategies as st

from rmcli.kb.load import bundled, load

KB = load(bundled())
FINDINGS = {key: term.values for key, term in KB.vocabulary.findings.items()}
CONDITIONS = list(KB.vocabulary.conditions)
AUTOIMMUNE = list(KB.vocabulary.autoimmune)
THERAPY_IDS = sorted(t.id for t in KB.therapies)
TOP_KEYS = (
    "schema",
    "age",
    "losses",
    "live_births",
    "late_losses",
    "second_trimester_losses",
    "placental_preterm_births",
    "pregnant",
    "bleeding",
    "gestation_weeks",
    "findings",
    "treatments_failed",
    "treatments_current",
    "autoimmune_disease",
    "conditions",
)
GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "λ": "lambda"}


def fold(name: str) -> str:
    """A name as every lookup compares it (README: any case, spaces, hyphens, Greek or Latin)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    text = "".join(GREEK.get(ch, ch) for ch in text)
    return "".join(ch for ch in text if ch.isalnum() and unicodedata.category(ch) != "Mn")


def _names(entries: list[tuple[str, list[str]]]) -> dict[str, str]:
    """Folded name -> id; the first item to claim a name keeps it."""
    names: dict[str, str] = {}
    for key, spellings in entries:
        for spelling in (key, *spellings):
            names.setdefault(fold(spelling), key)
    return names


THERAPY_NAMES = _names([(t.id, [t.name, *t.aliases]) for t in KB.therapies])
LIST_KEYS = {  # docs/profile.md: therapies and conditions by id, name or alias
    "treatments_failed": THERAPY_NAMES,
    "treatments_current": THERAPY_NAMES,
    "autoimmune_disease": _names([(k, [t.name]) for k, t in KB.vocabulary.autoimmune.items()]),
    "conditions": _names([(k, [t.name]) for k, t in KB.vocabulary.conditions.items()]),
}
MAX_COUNT = 30
_counter = itertools.count()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-profiles")


def fresh_file(folder: Path, content: bytes) -> Path:
    path = folder / f"profile-{next(_counter)}.toml"
    path.write_bytes(content)
    return path


# -- the oracle: domain.md §3, written independently of rmcli.profile -------------------------


def _is_count(value: object) -> bool:
    return type(value) is int and 0 <= value <= MAX_COUNT


def expected_profile(data: dict[str, Any]) -> dict[str, Any] | None:
    """The profile rmcli must echo for this document, or None when it must be refused."""
    data = dict(data)
    findings = data.get("findings", {})
    if isinstance(findings, dict) and any(key in findings for key in LIST_KEYS):
        # Lists written after [findings] (as in the format's own example) are top-level lists.
        findings = dict(findings)
        for key in LIST_KEYS:
            if key in findings:
                if key in data:
                    return None
                data[key] = findings.pop(key)
        data["findings"] = findings
    if set(data) - set(TOP_KEYS):
        return None
    schema = data.get("schema", 1)
    if type(schema) is not int or schema not in (1, 2, 3):
        return None
    if "losses" not in data:
        return None
    count_keys = (
        "losses",
        "live_births",
        "late_losses",
        "second_trimester_losses",
        "placental_preterm_births",
    )
    counts = {key: data.get(key, 0) for key in count_keys}
    if not all(_is_count(value) for value in counts.values()):
        return None
    age = data.get("age")
    if age is not None and (type(age) is not int or not 14 <= age <= 60):
        return None
    gestation = data.get("gestation_weeks")
    if gestation is not None and (type(gestation) is not int or not 4 <= gestation <= 42):
        return None
    flags = {key: data.get(key, False) for key in ("pregnant", "bleeding")}
    if not all(type(value) is bool for value in flags.values()):
        return None
    if flags["bleeding"] and not flags["pregnant"]:
        return None
    if max(counts["late_losses"], counts["second_trimester_losses"]) > counts["losses"]:
        return None
    findings = data.get("findings", {})
    if not isinstance(findings, dict):
        return None
    for key, value in findings.items():
        if key not in FINDINGS or not isinstance(value, str) or value not in FINDINGS[key]:
            return None
    lists: dict[str, list[str]] = {}
    for key, known in LIST_KEYS.items():
        value = data.get(key, [])
        if not isinstance(value, list):
            return None
        if not all(isinstance(item, str) and fold(item) in known for item in value):
            return None
        ids = [known[fold(item)] for item in value]
        if len(set(ids)) != len(ids):
            return None
        lists[key] = ids
    if schema < 3:  # before schema 3, HIT without a date is read as recent (the label's case)
        lists["conditions"] = list(
            dict.fromkeys("hit-recent" if c == "hit-history" else c for c in lists["conditions"])
        )
    return {
        "schema": 3,
        "age": age,
        **counts,
        **flags,
        "gestation_weeks": gestation,
        "findings": {key: findings.get(key, "not-tested") for key in FINDINGS},
        **lists,
    }


# -- valid profiles ----------------------------------------------------------------------------


# Each therapy's spellings that name it: its id, name and aliases, in any case.
SPELLINGS = {
    t.id: [s for s in (t.id, t.name, *t.aliases) if THERAPY_NAMES[fold(s)] == t.id]
    for t in KB.therapies
}


def therapy_names() -> st.SearchStrategy[list[str]]:
    """Distinct therapies, each written as its id or one of its names, in any case."""
    spelled = st.sampled_from(THERAPY_IDS).flatmap(
        lambda i: st.sampled_from(SPELLINGS[i]).flatmap(
            lambda s: st.sampled_from([s, s.upper(), s.lower()])
        )
    )
    return st.lists(spelled, unique_by=lambda s: THERAPY_NAMES[fold(s)])


@st.composite
def valid_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A profile that follows every rule of domain.md §3; optional keys may be left out."""
    losses = draw(st.integers(0, MAX_COUNT))
    pregnant = draw(st.booleans())
    values: dict[str, Any] = {
        "schema": draw(st.sampled_from([1, 2, 3])),
        "age": draw(st.integers(14, 60)),
        "losses": losses,
        "live_births": draw(st.integers(0, MAX_COUNT)),
        "late_losses": draw(st.integers(0, losses)),
        "second_trimester_losses": draw(st.integers(0, losses)),
        "gestation_weeks": draw(st.integers(4, 42)),
        "placental_preterm_births": draw(st.integers(0, MAX_COUNT)),
        "treatments_failed": draw(therapy_names()),
        "treatments_current": draw(therapy_names()),
        "pregnant": pregnant,
        "bleeding": draw(st.booleans()) if pregnant else False,
        "findings": {},
        "autoimmune_disease": draw(st.lists(st.sampled_from(AUTOIMMUNE), unique=True)),
        "conditions": draw(st.lists(st.sampled_from(CONDITIONS), unique=True, max_size=8)),
    }
    for key in draw(st.lists(st.sampled_from(list(FINDINGS)), unique=True)):
        values["findings"][key] = draw(st.sampled_from(FINDINGS[key]))
    kept = draw(st.sets(st.sampled_from([k for k in TOP_KEYS if k != "losses"])))
    if values["bleeding"]:
        kept.add("pregnant")  # bleeding = true needs pregnant = true, not its default
    return {key: value for key, value in values.items() if key == "losses" or key in kept}


@st.composite
def profile_documents(draw: st.DrawFn) -> tuple[dict[str, Any], bytes]:
    """A valid profile and its TOML: tomli-w's layout, or the lists after `[findings]`."""
    data = draw(valid_profiles())
    lists = {key: data[key] for key in LIST_KEYS if key in data}
    if "findings" in data and lists and draw(st.booleans()):
        top = {key: value for key, value in data.items() if key not in LIST_KEYS}
        text = tomli_w.dumps(top) + tomli_w.dumps(lists)  # the lists land inside [findings]
        assert text.index("[findings]") < text.index(next(iter(lists)))
    else:
        text = tomli_w.dumps(data)
    return data, text.encode()


def run_wizard(run_cli: RunCli, path: Path) -> tuple[int, str, str]:
    code, out, err = run_cli("wizard", "--answers", str(path), "--format", "json")
    assert "Traceback" not in out + err
    assert_no_raw_controls(out, err)
    return code, out, err


def check_profile_file(run_cli: RunCli, path: Path) -> int:
    """Run the wizard on `path` and hold it to the oracle; returns the exit code."""
    raw = path.read_bytes()
    try:
        expected = expected_profile(tomllib.loads(raw.decode("utf-8")))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        expected = None
    code, out, err = run_wizard(run_cli, path)
    event(f"exit {code}")
    if expected is None:
        assert code == 4, f"exit {code}, expected 4 (invalid profile) for {raw[:300]!r}: {err}"
        line = assert_one_error(err)
        assert str(path) in line, line
        assert out == ""
        return code
    assert code == 0, f"exit {code}, expected 0 for {raw[:300]!r}: {err}"
    assert err == ""
    document = json.loads(out)
    assert document["profile"] == expected
    assessments = document["assessments"]
    assert len(assessments) == 14
    assert sorted(a["therapy"] for a in assessments) == THERAPY_IDS
    return code


@fuzz_settings(30)
@given(document=profile_documents())
def test_valid_profile_assesses_every_therapy(
    run_cli: RunCli, folder: Path, document: tuple[dict[str, Any], bytes]
) -> None:
    data, raw = document
    expected = expected_profile(data)
    assert expected is not None, "the generator made an invalid profile"
    path = fresh_file(folder, raw)
    code, out, err = run_wizard(run_cli, path)
    assert (code, err) == (0, ""), err
    result = json.loads(out)
    assert result["profile"] == expected
    assert result["schema_version"] == 1 and result["kb_version"] == KB.manifest.version
    assert len(result["assessments"]) == 14
    assert sorted(a["therapy"] for a in result["assessments"]) == THERAPY_IDS


# -- mutations of valid profiles ---------------------------------------------------------------


def _other_types(value: Any) -> st.SearchStrategy[Any]:
    """The same value in another shape: int→str, bool→int, list→str, anything→a table, ..."""
    choices: list[st.SearchStrategy[Any]] = [
        st.just({"value": value}),
        st.just([value]),
        st.just(str(value)),
        st.dates(),
    ]
    if isinstance(value, bool):
        choices += [st.just(int(value)), st.just("true" if value else "false")]
    elif isinstance(value, int):
        choices += [st.just(float(value)), st.just(value != 0)]
    elif isinstance(value, list):
        choices += [st.just(", ".join(map(str, value))), st.just({})]
    elif isinstance(value, dict):
        choices += [st.just(list(value.values())), st.just(list(value))]
    return st.one_of(choices)


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid profile with one to three changes to its data."""
    data = draw(valid_profiles())
    for _ in range(draw(st.integers(1, 3))):
        paths = list(key_paths(data))
        kind = draw(
            st.sampled_from(["delete", "retype", "unknown-value", "unknown-key", "out-of-range"])
        )
        if kind in ("delete", "retype", "unknown-value") and paths:
            where = draw(st.sampled_from(paths))
            parent, key = at(data, where[:-1]), where[-1]
            if kind == "delete":
                del parent[key]
            elif kind == "retype":
                parent[key] = draw(_other_types(parent[key]))
            else:
                parent[key] = draw(st.text(ANY_CHAR, max_size=20) | toml_values)
        elif kind == "unknown-key":
            tables = [()] + [w for w in key_paths(data) if isinstance(at(data, w), dict)]
            table = at(data, draw(st.sampled_from(tables)))
            table[draw(st.text(ANY_CHAR, max_size=15))] = draw(toml_values)
        else:
            keys = ["losses", "live_births", "late_losses", "second_trimester_losses", "schema"]
            key = draw(st.sampled_from([*keys, "gestation_weeks"]))
            data[key] = draw(
                st.integers(max_value=-1)
                | st.integers(min_value=MAX_COUNT + 1)
                | st.integers(-(2**70), 2**70)
                | st.sampled_from([float("nan"), float("inf"), 3.0, -0.0, 1e300])
            )
    return data


def _dump(data: dict[str, Any]) -> bytes | None:
    try:
        return tomli_w.dumps(data).encode()
    except (TypeError, ValueError):  # not representable in TOML (e.g. a time with a zone)
        return None


@fuzz_settings(60)
@given(data=mutated_documents())
def test_mutated_profile_is_accepted_or_refused_in_one_line(
    run_cli: RunCli, folder: Path, data: dict[str, Any]
) -> None:
    raw = _dump(data)
    if raw is None:
        return
    check_profile_file(run_cli, fresh_file(folder, raw))


NOT_UTF8 = [b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80"]


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    """A valid profile's bytes, damaged: garbage appended or inserted, non-UTF-8, truncated."""
    _, raw = draw(profile_documents())
    kind = draw(st.sampled_from(["append", "insert", "not-utf8", "truncate", "random"]))
    where = draw(st.integers(0, len(raw)))
    if kind == "append":
        return raw + draw(st.binary(min_size=1, max_size=40))
    if kind == "insert":
        junk = draw(
            st.binary(min_size=1, max_size=20)
            | st.text(ANY_CHAR, min_size=1).map(lambda s: s.encode("utf-8"))
        )
        return raw[:where] + junk + raw[where:]
    if kind == "not-utf8":
        return raw[:where] + draw(st.sampled_from(NOT_UTF8)) + raw[where:]
    if kind == "truncate":
        return raw[:where]
    return draw(st.binary(max_size=200))


@fuzz_settings(50)
@given(raw=damaged_bytes())
def test_damaged_profile_file_is_accepted_or_refused_in_one_line(
    run_cli: RunCli, folder: Path, raw: bytes
) -> None:
    check_profile_file(run_cli, fresh_file(folder, raw))


@fuzz_settings(20)
@given(name=FILE_NAMES)
@example(name="x\x1b[31m")  # an escape sequence in the path
@example(name="a\x00b")  # a NUL byte, which no file name can hold
@example(name="x" * 300)  # longer than a file name may be (ENAMETOOLONG)
def test_profile_paths_fail_in_one_safe_line(run_cli: RunCli, folder: Path, name: str) -> None:
    """--answers and --save with any file name: saved (exit 0) or a file error (exit 5).

    A name no file can have (a NUL byte) may also be refused as a bad argument (exit 2).
    Never an internal error, and the path is never echoed with raw control characters, on
    success ("profile saved to ...") or failure.
    """
    refused = (2, 5) if "\x00" in name else (5,)
    empty = folder / "nothing-here"
    empty.mkdir(exist_ok=True)
    code, out, err = run_cli("wizard", "--answers", str(empty / name), "--format", "json")
    assert "Traceback" not in out + err
    assert_no_raw_controls(out, err)
    assert code in refused, (code, err)
    assert_one_error(err)
    assert out == ""

    answers = fresh_file(folder, b"losses = 3\nconditions = ['diabetes']\n")
    target_dir = folder / f"saves-{next(_counter)}"
    target_dir.mkdir()
    target = target_dir / name
    code, out, err = run_cli(
        "wizard", "--answers", str(answers), "--save", str(target), "--format", "json"
    )
    assert "Traceback" not in out + err
    assert_no_raw_controls(out, err)
    assert code in (0, *refused), (code, err)
    if code != 0:
        assert_one_error(err)
        assert out == ""
        return
    assert err.startswith("profile saved to ") and err.count("\n") == 1, err
    assert target.is_file()
    assert check_profile_file(run_cli, target) == 0
    again = json.loads(run_wizard(run_cli, target)[1])["profile"]
    assert again == json.loads(out)["profile"]


def test_oracle_agrees_on_documented_examples() -> None:
    """The oracle itself, on cases the format spells out."""
    assert expected_profile({"losses": 3}) is not None
    assert expected_profile({}) is None
    assert expected_profile({"losses": 3, "bleeding": True}) is None
    assert expected_profile({"losses": 1, "late_losses": 2}) is None
    assert expected_profile({"losses": 3, "findings": {"conditions": ["diabetes"]}}) is not None
    assert expected_profile({"losses": 3, "extra": 1}) is None
    assert expected_profile({"losses": True}) is None
    assert expected_profile({"losses": 3, "schema": 3}) is not None
    assert expected_profile({"losses": 3, "schema": 4}) is None
    assert expected_profile({"losses": 1, "second_trimester_losses": 2}) is None
    assert expected_profile({"losses": 3, "gestation_weeks": 43}) is None
    old = expected_profile({"losses": 3, "schema": 2, "conditions": ["hit-history"]})
    assert old is not None and old["conditions"] == ["hit-recent"]
    assert expected_profile({"losses": 3, "age": 61}) is None
    assert expected_profile({"losses": 3, "conditions": ["hiv", "hiv"]}) is None
    assert expected_profile({"losses": 3, "conditions": ["HIV", "hiv"]}) is None
    clexane = expected_profile({"losses": 3, "treatments_failed": ["Clexane", "LDA"]})
    assert clexane is not None and clexane["treatments_failed"] == ["heparin", "aspirin"]
