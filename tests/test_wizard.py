"""`rmcli wizard`: from a profile file, through the real interactive prompts, and in a real pty."""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import contract
import pytest
from pty_helpers import answer_findings_and_conditions, answer_history, spawn_wizard
from wizard_helpers import (
    CTRL_C,
    EXAMPLE_PROFILE,
    bundled_kb,
    error_lines,
    interview_keys,
    plain,
    run_interview,
    run_rmcli,
)

from rmcli.assess import TIER_ORDER
from rmcli.errors import ExitCode
from rmcli.profile import dumps, load
from rmcli.views.cite import citation

TIERS = set(TIER_ORDER)


def wizard_json(*args: str) -> dict[str, Any]:
    result = run_rmcli("wizard", *args, "--format", "json")
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def tiers(document: dict[str, Any]) -> dict[str, str]:
    return {a["therapy"]: a["tier"] for a in document["assessments"]}


# ---------------------------------------------------------------- a. --answers through the CLI


def test_json_matches_the_documented_contract() -> None:
    kb = bundled_kb()
    doc = wizard_json("--answers", str(EXAMPLE_PROFILE))
    assert list(doc) == contract.ASSESSMENT_JSON_KEYS
    assert doc["schema_version"] == 1
    assert doc["kb_version"] == kb.manifest.version
    assert doc["disclaimer"] == kb.manifest.disclaimer
    assert doc["profile"] == {
        "schema": 3,
        "age": None,
        "losses": 3,
        "live_births": 0,
        "late_losses": 1,
        "second_trimester_losses": 0,
        "placental_preterm_births": 0,
        "pregnant": False,
        "bleeding": False,
        "gestation_weeks": None,
        "treatments_failed": [],
        "treatments_current": [],
        "findings": {
            **dict.fromkeys(bundled_kb().vocabulary.findings, "not-tested"),
            "antiphospholipid": "persistent",
            "nk_cells": "elevated",
            "thyroid_antibodies": "positive",
            "inherited_thrombophilia": "absent",
        },
        "autoimmune_disease": [],
        "conditions": ["diabetes"],
    }
    assessments = doc["assessments"]
    assert len(assessments) == 14
    assert {a["therapy"] for a in assessments} == {t.id for t in kb.therapies}
    names = {t.id: t.name for t in kb.therapies}
    schema_3 = {"relevant", "source", "regimen", "mechanism_short", "risks_short"}
    for item in assessments:
        assert {"therapy", "name", "tier", "reasons", "cautions", "references"} <= set(item)
        assert schema_3 <= set(item)
        assert item["name"] == names[item["therapy"]]
        assert item["tier"] in TIERS
        if item["tier"] in ("not-indicated", "recommended", "avoid"):
            assert item["relevant"] is (item["tier"] != "not-indicated")
        assert ("otherwise_tier" in item) or item["tier"] != "avoid"
        for reason in item["reasons"]:
            assert reason["matched"] is not None and reason["text"]
            assert set(reason["refs"]) <= set(kb.references)
        for reference in item["references"]:
            assert reference["id"] in kb.references
            assert reference["citation"] == citation(kb.references[reference["id"]])
    order = [TIER_ORDER.index(a["tier"]) for a in assessments]
    assert order == sorted(order)  # by tier; within one, the strength of what decides, then name
    found = tiers(doc)
    assert found["heparin"] == "recommended"
    assert found["aspirin"] == "recommended"
    assert found["intralipid"] == "research-only"
    assert found["levothyroxine"] == "not-recommended"
    ivig = next(a for a in assessments if a["therapy"] == "ivig")
    assert [c["condition"] for c in ivig["cautions"]] == ["diabetes"]
    assert [r["rule"] for r in ivig["reasons"]] == ["apl-persistent", "raised-nk"]
    assert [r["decisive"] for r in ivig["reasons"]] == [True, False]
    heparin = next(a for a in assessments if a["therapy"] == "heparin")
    assert "Antiphospholipid antibodies: persistent" in heparin["reasons"][0]["matched"]
    assert heparin["source"] and heparin["mechanism_short"] and heparin["risks_short"]
    assert doc["situations"][0]["id"] == "obstetric-aps"
    for situation in doc["situations"]:
        assert {"id", "name", "text", "refs", "checked"} <= set(situation)
    assert {"ana-explanatory", "loss-karyotype"} <= {i["id"] for i in doc["investigations"]}
    assert {"nk-testing", "hla-testing"} <= {n["id"] for n in doc["notes"]}
    for finding in [*doc["investigations"], *doc["notes"]]:
        assert {"id", "matched", "text", "refs", "checked"} <= set(finding)
    untested = [k for k, v in doc["profile"]["findings"].items() if v == "not-tested"]
    findings = bundled_kb().vocabulary.findings
    untested.sort(key=lambda key: findings[key].discouraged)  # tests advised against come last
    assert [w["finding"] for w in doc["what_would_change"]] == untested
    for item in doc["what_would_change"]:
        assert item["discouraged"] is bundled_kb().vocabulary.findings[item["finding"]].discouraged
        for result in item["results"]:
            assert all(set(c) >= {"therapy", "from", "to"} for c in result["changes"])
    assert doc["outlook"] and all({"text", "refs", "checked"} <= set(o) for o in doc["outlook"])


def test_json_output_is_the_only_thing_on_stdout() -> None:
    result = run_rmcli("wizard", "--answers", str(EXAMPLE_PROFILE), "--format", "json")
    assert result.code == 0
    assert result.stderr == ""
    json.loads(result.stdout)  # nothing but the document


def test_markdown_has_the_situation_then_the_table_then_reasons_with_both_kinds_of_reason() -> None:
    kb = bundled_kb()
    result = run_rmcli("wizard", "--answers", str(EXAMPLE_PROFILE), "--format", "markdown")
    assert result.code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Immune-profile assessment (rmcli)\n\n## Clinical situation\n")
    assert "**Obstetric antiphospholipid syndrome** ACR 2020 strongly recommends" in out
    table = out.split("## Therapies that matter for her", 1)[1].split("\n## ", 1)[0]
    assert "| **RECOMMENDED** Heparin | ACR 2020, strong" in table
    assert "| **RESEARCH-ONLY** Hydroxychloroquine |" in table
    assert "| **NOT-RECOMMENDED** Levothyroxine |" in table
    assert "NOT-INDICATED" not in table
    assert (
        "Not indicated by this profile: Treg transfer, G-CSF, low-dose IL-2, tacrolimus." in table
    )
    ivig = next(line for line in table.splitlines() if "**NOT-RECOMMENDED** IVIG" in line)
    assert ivig.endswith("| diabetes: kidney injury risk factor |")
    assert "### Heparin (LMWH or UFH), alone or with low-dose aspirin — recommended" in out
    assert "- Why this tier (matches her: Antiphospholipid antibodies: persistent;" in out
    intralipid = out.split("### Intravenous lipid emulsion (Intralipid)")[1].split("\n### ")[0]
    assert "Biological rationale:" in intralipid and "What the sources say:" in intralipid
    for heading in (
        "Investigations worth doing",
        "What untested results would change",
        "Outlook without treatment",
    ):
        assert f"\n## {heading}\n" in out
    assert out.rstrip().endswith(f"*{kb.manifest.disclaimer}*")
    everything = run_rmcli(
        "wizard", "--answers", str(EXAMPLE_PROFILE), "--format", "markdown", "--all"
    ).stdout
    assert "| **NOT-INDICATED** Tacrolimus |" in everything


def tier_cells(stdout: str) -> list[str]:
    """The tier that opens each therapy's row (the grid) or block (stacked), in order."""
    tiers = {t.upper() for t in TIER_ORDER}
    words = [line.strip("|│ ").split(maxsplit=1)[:1] for line in stdout.splitlines()]
    return [word[0] for word in words if word and word[0] in tiers]


@pytest.mark.parametrize("columns", ["80", "120"])
def test_table_is_one_row_per_therapy_in_tier_order(columns: str) -> None:
    kb = bundled_kb()
    env = {"COLUMNS": columns}
    result = run_rmcli("wizard", "--answers", str(EXAMPLE_PROFILE), env=env)
    assert result.code == 0, result.stderr
    assert all(len(line) <= int(columns) for line in result.stdout.splitlines())
    table = result.stdout.split("Therapies that matter for her", 1)[1].split("Profile as", 1)[0]
    order = tier_cells(table)
    assert order[:2] == ["RECOMMENDED", "RECOMMENDED"]
    assert order == sorted(order, key=lambda t: TIER_ORDER.index(t.lower()))
    assert "NOT-INDICATED" not in order
    flat = " ".join(table.split())
    for name in ("Heparin", "Hydroxychloroquine", "Intralipid", "Levothyroxine"):
        assert name in flat, name
    assert "Not indicated by this profile: Treg transfer, G-CSF, low-dose IL-2, tacrolimus" in flat
    assert " ".join(kb.manifest.disclaimer.split()) in " ".join(result.stdout.split())
    everything = run_rmcli("wizard", "--answers", str(EXAMPLE_PROFILE), "--all", env=env)
    assert "NOT-INDICATED" in tier_cells(everything.stdout)
    assert "Tacrolimus" in everything.stdout


def test_table_shows_avoid_first_with_the_condition(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        'losses = 3\nconditions = ["hit-history"]\n[findings]\nantiphospholipid = "persistent"\n'
    )
    result = run_rmcli("wizard", "--answers", str(path), env={"COLUMNS": "120"})
    assert result.code == 0, result.stderr
    assert tier_cells(result.stdout)[0] == "AVOID"
    rows = [r for r in re.split(r"\n[+├╞╟][-─═+┼╪╫]+[+┤╡╢]\n", result.stdout) if "AVOID" in r]
    assert "Heparin" in rows[0] and "thrombocytopenia" in rows[0]


def test_save_writes_0600_and_replaying_it_gives_identical_json(tmp_path: Path) -> None:
    saved = tmp_path / "saved.toml"
    first = run_rmcli(
        "wizard", "--answers", str(EXAMPLE_PROFILE), "--save", str(saved), "--format", "json"
    )
    assert first.code == 0, first.stderr
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert f"profile saved to {saved}" in first.stderr
    assert saved.read_text() == dumps(
        load(EXAMPLE_PROFILE, bundled_kb().vocabulary, [t.id for t in bundled_kb().therapies])
    )
    replay = run_rmcli("wizard", "--answers", str(saved), "--format", "json")
    assert replay.code == 0
    assert replay.stdout == first.stdout


def test_save_onto_existing_file_needs_force(tmp_path: Path) -> None:
    saved = tmp_path / "saved.toml"
    saved.write_bytes(b"do not touch\n")
    refused = run_rmcli("wizard", "--answers", str(EXAMPLE_PROFILE), "--save", str(saved))
    assert refused.code == ExitCode.FILE_ERROR
    assert refused.stdout == ""
    (line,) = error_lines(refused.stderr)
    assert "already exists" in line
    assert "--force" in refused.stderr
    assert saved.read_bytes() == b"do not touch\n"
    forced = run_rmcli("wizard", "--answers", str(EXAMPLE_PROFILE), "--save", str(saved), "--force")
    assert forced.code == 0, forced.stderr
    assert load(saved, bundled_kb().vocabulary, [t.id for t in bundled_kb().therapies]) == load(
        EXAMPLE_PROFILE, bundled_kb().vocabulary, [t.id for t in bundled_kb().therapies]
    )
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_save_into_a_missing_directory_is_a_file_error(tmp_path: Path) -> None:
    result = run_rmcli(
        "wizard", "--answers", str(EXAMPLE_PROFILE), "--save", str(tmp_path / "no" / "p.toml")
    )
    assert result.code == ExitCode.FILE_ERROR
    assert len(error_lines(result.stderr)) == 1
    assert not (tmp_path / "no").exists()


# ---------------------------------------------------------------- b. no terminal


def test_without_a_terminal_and_without_answers_is_a_usage_error(tmp_path: Path) -> None:
    result = run_rmcli("wizard", "--save", str(tmp_path / "p.toml"))
    assert result.code == ExitCode.USAGE == 2
    assert result.stdout == ""
    (line,) = error_lines(result.stderr)
    assert "interactive terminal" in line
    assert "--answers" in result.stderr
    assert not (tmp_path / "p.toml").exists()
    plain_run = run_rmcli("wizard")
    assert plain_run.code == 2
    assert "--answers" in plain_run.stderr


# ---------------------------------------------------------------- e. a real pseudo-terminal


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Any]:
    children: list[Any] = []

    def start(*args: str) -> Any:
        children.append(spawn_wizard(tmp_path, *args, columns=120))
        return children[-1]

    yield start
    for child in children:
        if child.isalive():
            child.terminate(force=True)


def test_pty_full_interview_shows_the_table(spawn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pexpect

    child = spawn()
    answer_history(child, losses="3", refuse_first=True)
    answer_findings_and_conditions(child, apl_ups=3)  # not tested -> ... -> persistent
    child.send("\r")  # assess
    child.expect("Heparin")  # the assessment first, then the offer to save
    child.expect("Save this profile")
    child.send("\r")  # Enter skips
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not any(tmp_path.iterdir())


def test_pty_ctrl_c_mid_interview(spawn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pexpect

    child = spawn("--save", "p.toml")
    child.expect("Age in years")
    child.send("\r")
    child.expect("Pregnancy losses")
    child.send("3\r")
    child.expect("live births")
    child.sendintr()
    child.expect("interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in plain(child.before or "")
    assert not any(tmp_path.iterdir())


def test_pty_interview_saved_file_replays(spawn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pexpect

    child = spawn("--format", "json")
    answer_history(child, losses="2", live_births="1", pregnant="y")
    answer_findings_and_conditions(child)
    child.send("\r")  # assess
    child.expect('"assessments"')  # the JSON document first, then the offer to save
    child.expect("Save this profile")
    child.send("mine.toml\r")
    child.expect("profile saved to mine.toml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = tmp_path / "mine.toml"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    replay = wizard_json("--answers", str(saved))
    assert replay["profile"]["pregnant"] is True and replay["profile"]["bleeding"] is True
    assert tiers(replay)["progesterone"] == "recommended"


# ---------------------------------------------------------------- the interview through the CLI


def test_interview_through_the_cli_gives_the_assessment() -> None:
    keys = interview_keys(losses=3, findings={"antiphospholipid": "persistent"})
    result = run_interview(keys, "--format", "json")
    assert result.code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["profile"]["findings"]["antiphospholipid"] == "persistent"
    assert tiers(doc)["heparin"] == "recommended"
    assert "Save this profile? File name (Enter to skip):" in result.screen


def test_with_save_option_the_interview_saves_without_asking(tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    keys = interview_keys(losses=2, offer_save=False)
    result = run_interview(keys, "--save", str(target), "--format", "json")
    assert result.code == 0, result.stderr
    assert "Save this profile to a file?" not in result.screen
    assert f"profile saved to {target} (mode 0600)" in result.stderr
    assert load(target, bundled_kb().vocabulary, [t.id for t in bundled_kb().therapies]).losses == 2


@pytest.mark.parametrize("answered", [0, 2, 9, 12, 20], ids=lambda n: f"after-{n}-keys")
def test_ctrl_c_in_the_interview_exits_130_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answered: int
) -> None:
    monkeypatch.chdir(tmp_path)
    keys = [*interview_keys(losses=3)[:answered], CTRL_C]
    result = run_interview(keys, "--save", str(tmp_path / "p.toml"), sentinel=False)
    assert result.code == ExitCode.INTERRUPTED == 130
    assert result.stdout == ""
    assert result.stderr == "rmcli: error: interrupted\n"
    assert not any(tmp_path.iterdir())
