"""Honest mistakes get the message they need: one line, one suggestion, the list once.

Every name a user types (therapy, target, status, section, format, a profile's therapies and
conditions) goes through the lookup `show` uses: ids, names, aliases, any case, Greek or Latin.
"""

from __future__ import annotations

import json
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest

from rmcli.kb import KnowledgeBase


def one_error(err: str) -> tuple[str, str]:
    """The error line and the hint line; nothing else on stderr."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith("rmcli: error: ") and lines[1].startswith("hint: "), err
    return lines[0], lines[1]


def refused(run_cli: Any, *args: str, code: int = 2) -> tuple[str, str]:
    result, out, err = run_cli(*args)
    assert (result, out) == (code, ""), err
    return one_error(err)


# -- --format -----------------------------------------------------------------------------------


def test_an_unknown_format_lists_only_what_the_command_writes(run_cli: Any) -> None:
    line, hint = refused(run_cli, "list", "--format", "yaml")
    assert line == "rmcli: error: list cannot write yaml"
    assert hint == "hint: --format is one of: table, json, markdown, csv"


def test_a_format_close_to_one_offered_gets_a_did_you_mean(run_cli: Any) -> None:
    assert refused(run_cli, "list", "-f", "jsn") == (
        "rmcli: error: list cannot write jsn",
        "hint: did you mean json?",
    )


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["list", "-f", "JSON"], "{"),
        (["targets", "--format", "Markdown"], "| therapy |"),
        (["refs", "heparin", "-f", "BibTeX"], "@"),
        (["refs", "heparin", "-f", "CSL-JSON"], "["),
    ],
)
def test_format_ignores_case(run_cli: Any, args: list[str], start: str) -> None:
    code, out, err = run_cli(*args)
    assert (code, err) == (0, "")
    assert out.startswith(start)


# -- names of things ----------------------------------------------------------------------------


def listed(run_cli: Any, *args: str) -> list[str]:
    code, out, err = run_cli("list", *args, "--format", "json")
    assert (code, err) == (0, ""), err
    return [t["id"] for t in json.loads(out)["therapies"]]


@pytest.mark.parametrize("name", ["TNF-α", "tnf-alpha", "TNF alpha", "IFN-γ", "TNF", "tnf-ifn"])
def test_a_target_resolves_as_targets_prints_it(run_cli: Any, name: str) -> None:
    code, out, _ = run_cli("targets")
    assert code == 0 and "TNF-α / IFN-γ" in out  # the name `rmcli targets` prints
    assert listed(run_cli, "--target", name) == listed(run_cli, "--target", "tnf-ifn") != []


@pytest.mark.parametrize("name", ["Not recommended", "NOT-RECOMMENDED", "not_recommended"])
def test_a_status_resolves_in_any_spelling(run_cli: Any, name: str) -> None:
    assert listed(run_cli, "--status", name) == listed(run_cli, "--status", "not-recommended")


@pytest.mark.parametrize(
    ("args", "line", "hint"),
    [
        (
            ["list", "--target", "TNF-β"],
            "no target named 'TNF-β'",
            "did you mean tnf-ifn (TNF-α / IFN-γ)?",
        ),
        (["list", "--status", "conditonal"], "no status named 'conditonal'", "did you mean"),
        (["show", "ivgi"], "no therapy named 'ivgi'", "did you mean ivig"),
    ],
)
def test_an_unknown_name_gets_one_did_you_mean(
    run_cli: Any, args: list[str], line: str, hint: str
) -> None:
    error, suggestion = refused(run_cli, *args)
    assert error == f"rmcli: error: {line}"
    assert suggestion.startswith(f"hint: {hint}")


def test_a_section_gets_the_sections_it_could_mean(run_cli: Any) -> None:
    line, hint = refused(run_cli, "show", "ivig", "--section", "risks")
    assert line == "rmcli: error: no section named 'risks'"
    assert hint.startswith("hint: did you mean ")
    assert "maternal-risks" in hint and "fetal-risks" in hint


def test_a_name_a_search_would_find_gets_the_search_to_run(run_cli: Any) -> None:
    line, hint = refused(run_cli, "show", "NK cells")
    assert line == "rmcli: error: no therapy named 'NK cells'"
    assert hint == 'hint: to find the therapies that mention it: rmcli list --search "NK cells"'
    command = shlex.split(hint.split(": ", 2)[2])
    assert command[:2] == ["rmcli", "list"]
    assert listed(run_cli, *command[2:]) != []  # the command offered really finds therapies


def test_a_did_you_mean_and_a_search_share_one_hint(run_cli: Any) -> None:
    _, hint = refused(run_cli, "show", "aps")
    assert hint.startswith("hint: did you mean aspirin")
    assert hint.endswith("rmcli list --search aps")


def test_no_close_name_and_no_search_points_to_the_list(run_cli: Any) -> None:
    assert refused(run_cli, "compare", "ivig", "qqqq") == (
        "rmcli: error: no therapy named 'qqqq'",
        "hint: run `rmcli list` to see every therapy",
    )


# -- a profile's lists --------------------------------------------------------------------------


def profile_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(f"losses = 3\n{body}\n", encoding="utf-8")
    return path


def test_treatments_resolve_by_name_and_the_saved_profile_holds_ids(
    run_cli: Any, tmp_path: Path
) -> None:
    path = profile_file(tmp_path, 'treatments_failed = ["Clexane", "LDA"]\nconditions = ["HIV"]')
    saved = tmp_path / "saved.toml"
    code, out, err = run_cli("wizard", "--answers", str(path), "--save", str(saved), "-f", "json")
    assert code == 0, err
    assert json.loads(out)["profile"]["treatments_failed"] == ["heparin", "aspirin"]
    data = tomllib.loads(saved.read_text(encoding="utf-8"))
    assert data["treatments_failed"] == ["heparin", "aspirin"] and data["conditions"] == ["hiv"]


def test_an_unknown_condition_gets_a_did_you_mean_and_the_list_once(
    run_cli: Any, tmp_path: Path, kb: KnowledgeBase
) -> None:
    path = profile_file(tmp_path, 'conditions = ["hypertensive"]')
    line, _ = refused(run_cli, "wizard", "--answers", str(path), code=4)
    assert "conditions: unknown value 'hypertensive' (did you mean hypertension" in line
    assert line.count("latent-tb") == 1  # the allowed ids, once
    assert set(kb.vocabulary.conditions) <= set(line.split("allowed: ")[1].split(", "))


def test_several_unknown_therapies_list_the_ids_once(
    run_cli: Any, tmp_path: Path, kb: KnowledgeBase
) -> None:
    path = profile_file(tmp_path, 'treatments_failed = ["Clexan", "warfarin", "heparin"]')
    line, _ = refused(run_cli, "wizard", "--answers", str(path), code=4)
    assert "treatments_failed: unknown values 'Clexan' (did you mean heparin?), 'warfarin'" in line
    assert line.count("hydroxychloroquine") == 1
    assert all(t.id in line for t in kb.therapies)


def test_two_names_of_one_therapy_are_one_too_many(run_cli: Any, tmp_path: Path) -> None:
    path = profile_file(tmp_path, 'treatments_current = ["heparin", "Clexane"]')
    line, _ = refused(run_cli, "wizard", "--answers", str(path), code=4)
    assert line.endswith("treatments_current: 'Clexane' names heparin, listed already")
