"""`rmcli wizard`: from a profile file, through the real interactive prompts, and in a real pty."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from wizard_helpers import (
    CLEAR_LINE,
    EXAMPLE_PROFILE,
    bundled_kb,
    error_lines,
    plain,
    run_rmcli,
)

from rmcli.assess import TIER_ORDER
from rmcli.errors import ExitCode
from rmcli.kb.cite import citation
from rmcli.profile import dumps, load

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
    assert list(doc) == [
        "schema_version",
        "kb_version",
        "profile",
        "assessments",
        "investigations",
        "notes",
        "what_would_change",
        "outlook",
        "disclaimer",
    ]
    assert doc["schema_version"] == 1
    assert doc["kb_version"] == kb.manifest.version
    assert doc["disclaimer"] == kb.manifest.disclaimer
    assert doc["profile"] == {
        "schema": 2,
        "age": None,
        "losses": 3,
        "live_births": 0,
        "late_losses": 1,
        "placental_preterm_births": 0,
        "pregnant": False,
        "bleeding": False,
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
    for item in assessments:
        assert {"therapy", "name", "tier", "reasons", "cautions", "references"} <= set(item)
        assert item["name"] == names[item["therapy"]]
        assert item["tier"] in TIERS
        for reason in item["reasons"]:
            assert reason["matched"] is not None and reason["text"]
            assert set(reason["refs"]) <= set(kb.references)
        for reference in item["references"]:
            assert reference["id"] in kb.references
            assert reference["citation"] == citation(kb.references[reference["id"]])
    order = [(TIER_ORDER.index(a["tier"]), a["name"].casefold()) for a in assessments]
    assert order == sorted(order)
    found = tiers(doc)
    assert found["heparin"] == "recommended"
    assert found["aspirin"] == "recommended"
    assert found["intralipid"] == "research-only"
    assert found["levothyroxine"] == "not-recommended"
    ivig = next(a for a in assessments if a["therapy"] == "ivig")
    assert [c["condition"] for c in ivig["cautions"]] == ["diabetes"]
    assert [r["rule"] for r in ivig["reasons"]] == ["apl-persistent", "raised-nk"]
    assert [r["decisive"] for r in ivig["reasons"]] == [True, False]
    assert "3 pregnancy losses (rule: 3 or more)" in assessments[0]["reasons"][0]["matched"]
    assert {"ana-explanatory", "loss-karyotype"} <= {i["id"] for i in doc["investigations"]}
    assert {"nk-testing", "hla-testing"} <= {n["id"] for n in doc["notes"]}
    for finding in [*doc["investigations"], *doc["notes"]]:
        assert {"id", "matched", "text", "refs", "checked"} <= set(finding)
    untested = [k for k, v in doc["profile"]["findings"].items() if v == "not-tested"]
    assert [w["finding"] for w in doc["what_would_change"]] == untested
    for item in doc["what_would_change"]:
        for result in item["results"]:
            assert all(set(c) >= {"therapy", "from", "to"} for c in result["changes"])
    assert doc["outlook"] and all({"text", "refs", "checked"} <= set(o) for o in doc["outlook"])


def test_json_output_is_the_only_thing_on_stdout() -> None:
    result = run_rmcli("wizard", "--answers", str(EXAMPLE_PROFILE), "--format", "json")
    assert result.code == 0
    assert result.stderr == ""
    json.loads(result.stdout)  # nothing but the document


def test_markdown_has_tiers_mechanism_position_and_disclaimer() -> None:
    kb = bundled_kb()
    result = run_rmcli("wizard", "--answers", str(EXAMPLE_PROFILE), "--format", "markdown")
    assert result.code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Immune-profile assessment (rmcli)")
    assert "## recommended: Heparin" in out
    assert "## research-only: Hydroxychloroquine" in out
    assert "## research-only: Intravenous lipid emulsion (Intralipid)" in out
    assert "## not-recommended: Levothyroxine" in out
    assert "not-indicated" not in out
    assert (
        "- Matched: 3 pregnancy losses (rule: 3 or more); Antiphospholipid antibodies: persistent;"
        " no previous venous or arterial thrombosis." in out
    )
    intralipid = out.split("## research-only: Intravenous lipid emulsion")[1].split("\n## ")[0]
    assert "- Biological rationale:" in intralipid and "- Position:" in intralipid
    assert "Caution (diabetes)" in out
    assert "## Investigations worth doing" in out
    assert out.rstrip().endswith(f"*{kb.manifest.disclaimer}*")
    everything = run_rmcli(
        "wizard", "--answers", str(EXAMPLE_PROFILE), "--format", "markdown", "--all"
    ).stdout
    assert "## not-indicated: Tacrolimus" in everything


@pytest.mark.parametrize("columns", ["100", "160"])
def test_table_groups_by_tier_and_hides_not_indicated(columns: str) -> None:
    kb = bundled_kb()
    env = {"COLUMNS": columns}
    result = run_rmcli("wizard", "--answers", str(EXAMPLE_PROFILE), env=env)
    assert result.code == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    headings = [line for line in lines if line in {t.upper() for t in TIER_ORDER}]
    assert headings == ["RECOMMENDED", "RESEARCH-ONLY", "NOT-RECOMMENDED"]
    out = " ".join(result.stdout.split())
    for name in ("Heparin", "Hydroxychloroquine", "Intralipid", "Levothyroxine"):
        assert name in out, name
    assert "Tacrolimus" not in out  # not indicated for this profile
    assert "Investigations worth doing" in out
    assert " ".join(kb.manifest.disclaimer.split()) in out
    assert result.stdout.index("RECOMMENDED") < result.stdout.index("Heparin")
    assert result.stdout.index("Heparin") < result.stdout.index("RESEARCH-ONLY")
    everything = run_rmcli("wizard", "--answers", str(EXAMPLE_PROFILE), "--all", env=env)
    assert "NOT-INDICATED" in everything.stdout.split()
    assert "Tacrolimus" in everything.stdout


def test_table_shows_avoid_with_the_condition(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        'losses = 3\nconditions = ["hit-history"]\n[findings]\nantiphospholipid = "persistent"\n'
    )
    result = run_rmcli("wizard", "--answers", str(path))
    assert result.code == 0, result.stderr
    out = result.stdout
    assert "AVOID" in out.split()
    avoid = out[out.index("\nAVOID") :]
    assert "Heparin" in avoid
    assert "Previous heparin-induced thrombocytopenia" in " ".join(avoid.split())


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

RMCLI = Path(sys.executable).parent / "rmcli"


@pytest.fixture
def spawn(tmp_path: Path):  # type: ignore[no-untyped-def]
    pexpect = pytest.importorskip("pexpect")
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} not installed")
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "RMCLI_KB", "FORCE_COLOR"}}
    env.update(TERM="xterm", COLUMNS="120", LINES="40")
    # pexpect does not answer prompt_toolkit's cursor-position requests as a terminal would;
    # without this each prompt waits about a second for the answer before going on.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    children = []

    def start(*args: str):  # type: ignore[no-untyped-def]
        child = pexpect.spawn(
            str(RMCLI),
            ["wizard", *args],
            env=env,
            cwd=str(tmp_path),
            dimensions=(40, 120),
            encoding="utf-8",
            codec_errors="replace",
            timeout=10,
        )
        children.append(child)
        return child

    yield start
    for child in children:
        if child.isalive():
            child.terminate(force=True)


def answer_history(child: Any, *, losses: str, live_births: str = "0", pregnant: str = "n") -> None:
    """Answer the obstetric history; the treatment questions are left empty."""
    child.expect("Age in years")
    child.send("\r")
    child.expect("Pregnancy losses")
    child.send("abc\r")
    child.expect("enter a whole number from 0 to 30")  # the answer is refused, on screen
    child.send(CLEAR_LINE + losses + "\r")
    child.expect("live births")
    child.send(live_births + "\r")
    for question in ("10 weeks", "34 weeks"):
        child.expect(question)
        child.send("0\r")
    child.expect("pregnant")
    child.send(pregnant)
    if pregnant == "y":
        child.expect("bleeding")
        child.send("y")
    for question in ("earlier pregnancy", "Treatments taken now"):
        child.expect(question)
        child.send("\r")


def answer_the_rest(child: Any, *, apl_ups: int = 0) -> None:
    child.expect("Antiphospholipid")
    child.send("\x1b[A" * apl_ups + "\r")
    for _ in range(len(bundled_kb().vocabulary.findings) - 1):
        child.send("\r")
    child.expect("Autoimmune")
    child.send("\r")
    child.expect("Other conditions")
    child.send("\r")
    child.expect("What next")
    child.send("\r")  # assess


def test_pty_full_interview_shows_the_table(spawn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pexpect

    child = spawn()
    answer_history(child, losses="3")
    answer_the_rest(child, apl_ups=3)  # not tested -> negative -> transient -> persistent
    child.expect("Save this profile")
    child.send("\r")
    child.expect("Heparin")
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
    answer_the_rest(child)
    child.expect("Save this profile")
    child.send("y")
    child.expect("File to save to")
    child.send(CLEAR_LINE + "mine.toml\r")
    child.expect("profile saved to mine.toml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = tmp_path / "mine.toml"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    replay = wizard_json("--answers", str(saved))
    assert replay["profile"]["pregnant"] is True and replay["profile"]["bleeding"] is True
    assert tiers(replay)["progesterone"] == "recommended"
