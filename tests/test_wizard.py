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
    CTRL_C,
    ENTER,
    EXAMPLE_PROFILE,
    bundled_kb,
    error_lines,
    interview_keys,
    make_profile,
    plain,
    run_interview,
    run_rmcli,
)

from rmcli.assess import TIER_ORDER
from rmcli.errors import ExitCode
from rmcli.profile import dumps, load
from rmcli.wizard import _count

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
        "disclaimer",
    ]
    assert doc["schema_version"] == 1
    assert doc["kb_version"] == kb.manifest.version
    assert doc["disclaimer"] == kb.manifest.disclaimer
    assert doc["profile"] == {
        "schema": 1,
        "losses": 3,
        "live_births": 0,
        "late_losses": 1,
        "pregnant": False,
        "bleeding": False,
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
            assert reference["citation"] == kb.references[reference["id"]].citation
    order = [(TIER_ORDER.index(a["tier"]), a["name"].casefold()) for a in assessments]
    assert order == sorted(order)
    found = tiers(doc)
    assert found["heparin"] == "recommended"
    assert found["aspirin"] == "recommended"
    assert found["intralipid"] == "research-only"
    assert found["levothyroxine"] == "not-recommended"
    ivig = next(a for a in assessments if a["therapy"] == "ivig")
    assert [c["condition"] for c in ivig["cautions"]] == ["diabetes"]
    assert [r["rule"] for r in ivig["reasons"]] == ["apl", "raised-nk"]
    assert "losses = 3 (at least 3)" in assessments[0]["reasons"][0]["matched"]
    assert {i["id"] for i in doc["investigations"]} == {"ana-explanatory"}
    assert {"nk-testing", "hla-testing", "prognosis"} <= {n["id"] for n in doc["notes"]}
    for finding in [*doc["investigations"], *doc["notes"]]:
        assert {"id", "matched", "text", "refs", "checked"} <= set(finding)


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
    assert "## consider: Hydroxychloroquine" in out
    assert "## research-only: Intravenous lipid emulsion (Intralipid)" in out
    assert "## not-recommended: Levothyroxine" in out
    assert "not-indicated" not in out
    assert "- Matched: losses = 3 (at least 3); antiphospholipid = persistent." in out
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
    assert headings == ["RECOMMENDED", "CONSIDER", "RESEARCH-ONLY", "NOT-RECOMMENDED"]
    out = " ".join(result.stdout.split())
    for name in ("Heparin", "Hydroxychloroquine", "Intralipid", "Levothyroxine"):
        assert name in out, name
    assert "Tacrolimus" not in out  # not indicated for this profile
    assert "Investigations worth doing" in out
    assert " ".join(kb.manifest.disclaimer.split()) in out
    assert result.stdout.index("RECOMMENDED") < result.stdout.index("Heparin")
    assert result.stdout.index("Heparin") < result.stdout.index("CONSIDER")
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
    assert "hit-history" in avoid


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


# ---------------------------------------------------------------- c. the real prompts, piped


def test_count_validator() -> None:
    check = _count(0, 30)
    assert check("3") is True
    assert check("0") is True and check("30") is True
    for bad in ("abc", "", "-1", "31", "3.5", "1e2"):
        assert check(bad) == "enter a whole number from 0 to 30"


def test_interview_with_arrow_keys_gives_aps_and_heparin_recommended() -> None:
    keys = interview_keys(losses=3, findings={"antiphospholipid": "persistent"})
    result = run_interview(keys, "--format", "json")
    assert result.code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["profile"]["losses"] == 3
    assert doc["profile"]["findings"]["antiphospholipid"] == "persistent"
    assert {k: v for k, v in doc["profile"]["findings"].items() if k != "antiphospholipid"} == {
        k: "not-tested" for k in bundled_kb().vocabulary.findings if k != "antiphospholipid"
    }
    assert tiers(doc)["heparin"] == "recommended"
    assert tiers(doc)["aspirin"] == "recommended"
    for fragment in (
        "Pregnancy losses so far?",
        "Previous live births?",
        "at or after 10 weeks?",
        "Currently pregnant?",
        "Antiphospholipid antibodies",
        "Autoimmune disease?",
        "Other conditions",
        "Save this profile to a file?",
    ):
        assert fragment in result.screen, fragment
    assert "Vaginal bleeding" not in result.screen  # only asked when pregnant


def test_interview_every_answer_reaches_the_profile() -> None:
    findings = {
        "antiphospholipid": "negative",
        "nk_cells": "elevated",
        "tregs": "low",
        "th1_th17": "normal",
        "tnf_alpha": "elevated",
        "thyroid_antibodies": "positive",
        "antinuclear_antibodies": "negative",
        "inherited_thrombophilia": "present",
    }
    keys = interview_keys(
        losses=4,
        live_births=1,
        late_losses=2,
        pregnant=True,
        bleeding=True,
        findings=findings,
        autoimmune=["sle", "other"],
        conditions=["latent-tb", "iga-deficiency"],
    )
    result = run_interview(keys, "--format", "json")
    assert result.code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["profile"] == {
        "schema": 1,
        "losses": 4,
        "live_births": 1,
        "late_losses": 2,
        "pregnant": True,
        "bleeding": True,
        "findings": findings,
        "autoimmune_disease": ["sle", "other"],
        "conditions": ["latent-tb", "iga-deficiency"],
    }
    assert "Vaginal bleeding in this pregnancy?" in result.screen
    found = tiers(doc)
    assert found["progesterone"] == "recommended"
    assert found["tnf-inhibitors"] == "avoid"  # latent TB
    assert found["ivig"] == "avoid"  # IgA deficiency
    assert found["treg-transfer"] == "research-only"


def test_invalid_count_is_asked_again_not_accepted() -> None:
    keys = interview_keys(losses=3)
    keys[0] = "abc" + ENTER + CLEAR_LINE + "31" + ENTER + CLEAR_LINE + "3" + ENTER
    keys[2] = "4" + ENTER + CLEAR_LINE + "1" + ENTER  # more late losses than losses
    result = run_interview(keys, "--format", "json")
    assert result.code == 0, result.stderr
    profile = json.loads(result.stdout)["profile"]
    assert (profile["losses"], profile["late_losses"]) == (3, 1)


def test_invalid_count_alone_keeps_the_question_open() -> None:
    """ "abc" is not accepted: the prompt still waits, and the queued Ctrl-C ends it."""
    result = run_interview(["abc" + ENTER])
    assert result.code == ExitCode.INTERRUPTED
    assert "internal error" not in result.stderr
    assert result.stdout == ""


def test_interview_then_save_interactively(tmp_path: Path) -> None:
    target = tmp_path / "answers.toml"
    keys = interview_keys(losses=2, conditions=["diabetes"], save_to=str(target))
    result = run_interview(keys, "--format", "json")
    assert result.code == 0, result.stderr
    assert f"profile saved to {target} (mode 0600)" in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    doc = json.loads(result.stdout)
    assert load(
        target, bundled_kb().vocabulary, [t.id for t in bundled_kb().therapies]
    ) == make_profile(**doc["profile"])
    assert "File to save to:" in result.screen


def test_interactive_save_does_not_overwrite_unless_confirmed(tmp_path: Path) -> None:
    existing = tmp_path / "existing.toml"
    existing.write_text("precious\n")
    other = tmp_path / "other.toml"
    keys = interview_keys(losses=2, offer_save=False)
    keys += ["y", CLEAR_LINE + str(existing) + ENTER, "n", CLEAR_LINE + str(other) + ENTER]
    result = run_interview(keys, "--format", "json")
    assert result.code == 0, result.stderr
    assert existing.read_text() == "precious\n"
    assert "Overwrite it?" in result.screen
    assert load(other, bundled_kb().vocabulary, [t.id for t in bundled_kb().therapies]).losses == 2


def test_interactive_save_overwrites_when_confirmed(tmp_path: Path) -> None:
    existing = tmp_path / "existing.toml"
    existing.write_text("old\n")
    existing.chmod(0o644)
    keys = interview_keys(losses=2, offer_save=False)
    keys += ["y", CLEAR_LINE + str(existing) + ENTER, "y"]
    result = run_interview(keys, "--format", "json")
    assert result.code == 0, result.stderr
    assert (
        load(existing, bundled_kb().vocabulary, [t.id for t in bundled_kb().therapies]).losses == 2
    )
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600


def test_interactive_save_error_is_reported_and_asked_again(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    keys = interview_keys(losses=2, offer_save=False)
    keys += [
        "y",
        CLEAR_LINE + str(tmp_path / "missing" / "p.toml") + ENTER,
        CLEAR_LINE + str(good) + ENTER,
    ]
    result = run_interview(keys, "--format", "json")
    assert result.code == 0, result.stderr
    assert "does not exist" in result.stderr
    assert good.exists()


def test_with_save_option_the_save_question_is_not_asked(tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    keys = interview_keys(losses=3, offer_save=False)
    result = run_interview(keys, "--save", str(target), "--format", "json")
    assert result.code == 0, result.stderr  # a further question would have met the Ctrl-C
    assert "Save this profile" not in result.screen
    assert load(target, bundled_kb().vocabulary, [t.id for t in bundled_kb().therapies]).losses == 3
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_declining_to_save_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_interview(interview_keys(losses=2), "--format", "json")
    assert result.code == 0, result.stderr
    assert not any(tmp_path.iterdir())


def test_interview_table_output() -> None:
    keys = interview_keys(losses=3, findings={"antiphospholipid": "persistent"})
    result = run_interview(keys)
    assert result.code == 0, result.stderr
    assert "RECOMMENDED" in result.stdout.split()
    assert "Heparin" in result.stdout


# ---------------------------------------------------------------- d. Ctrl-C


@pytest.mark.parametrize(
    "answered",
    [0, 1, 4, 6, 12, 14],
    ids=["losses", "live-births", "first-finding", "third-finding", "checkbox", "save-question"],
)
def test_ctrl_c_interrupts_cleanly_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answered: int
) -> None:
    monkeypatch.chdir(tmp_path)
    keys = [*interview_keys(losses=3)[:answered], CTRL_C]
    result = run_interview(keys, "--format", "json", sentinel=False)
    assert result.code == ExitCode.INTERRUPTED == 130
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "interrupted" in lines[0]
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir())


def test_ctrl_c_with_save_option_writes_no_file(tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    keys = [*interview_keys(losses=3, offer_save=False)[:-1], CTRL_C]  # stop at the last question
    result = run_interview(keys, "--save", str(target), sentinel=False)
    assert result.code == 130
    assert not target.exists()
    assert not any(tmp_path.iterdir())


def test_ctrl_c_at_the_file_name_prompt_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    keys = [*interview_keys(losses=2, offer_save=False), "y", CTRL_C]
    result = run_interview(keys, sentinel=False)
    assert result.code == 130
    assert "interrupted" in result.stderr
    assert not any(tmp_path.iterdir())


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


def test_pty_full_interview_shows_the_table(spawn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pexpect

    up = "\x1b[A"
    child = spawn()
    child.expect("Pregnancy losses")
    child.send("abc\r")
    child.expect("enter a whole number from 0 to 30")  # the answer is refused, on screen
    child.send(CLEAR_LINE + "3\r")
    child.expect("live births")
    child.send("0\r")
    child.expect("10 weeks")
    child.send("0\r")
    child.expect("pregnant")
    child.send("n")
    child.expect("Antiphospholipid")
    child.send(up * 3 + "\r")  # not tested -> negative -> transient -> persistent
    for question in (
        "NK cells",
        "Regulatory T cells",
        "Th1/Th2",
        "TNF",
        "Thyroid peroxidase",
        "Antinuclear",
        "Inherited thrombophilia",
    ):
        child.expect(question)
        child.send("\r")
    child.expect("Autoimmune")
    child.send("\r")
    child.expect("Other conditions")
    child.send("\r")
    child.expect("Save this profile")
    child.send("\r")
    child.expect("RECOMMENDED")
    child.expect("Heparin")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not any(tmp_path.iterdir())


def test_pty_ctrl_c_mid_interview(spawn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pexpect

    child = spawn("--save", "p.toml")
    child.expect("Pregnancy losses")
    child.send("3\r")
    child.expect("live births")
    child.send("0\r")
    child.expect("10 weeks")
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
    child.expect("Pregnancy losses")
    child.send("2\r")
    child.expect("live births")
    child.send("1\r")
    child.expect("10 weeks")
    child.send("0\r")
    child.expect("pregnant")
    child.send("y")
    child.expect("bleeding")
    child.send("y")
    child.expect("Antiphospholipid")
    for question in ("NK", "Regulatory", "Th1", "TNF", "Thyroid", "Antinuclear", "Inherited"):
        child.send("\r")
        child.expect(question)
    child.send("\r")
    child.expect("Autoimmune")
    child.send("\r")
    child.expect("Other conditions")
    child.send("\r")
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
