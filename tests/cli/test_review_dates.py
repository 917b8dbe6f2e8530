"""Review dates that warn, and the knowledge base's own date in every document (issue 11)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from rmcli.kb import KnowledgeBase

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "profile.toml")
OVERDUE = "2020-01-01 (review overdue: older than 24 months)"


@pytest.fixture
def old_kb(kb_copy: Path, edit_therapy: Any) -> Path:
    edit_therapy("ivig", lambda data: data.update(last_reviewed="2020-01-01"))
    path = kb_copy / "therapies" / "ivig.toml"
    text = path.read_text(encoding="utf-8")  # a TOML date, not a string
    path.write_text(re.sub(r'last_reviewed = "2020-01-01"', "last_reviewed = 2020-01-01", text))
    return kb_copy


def flat(text: str) -> str:
    return " ".join(text.split())


def test_show_flags_an_old_review_in_its_summary(run_cli: Any, old_kb: Path) -> None:
    code, out, err = run_cli("--kb", str(old_kb), "show", "ivig", "--brief")
    assert code == 0, err
    assert f"Last reviewed {OVERDUE}" in flat(out)
    code, out, _ = run_cli("--kb", str(old_kb), "show", "heparin", "--brief")
    assert "review overdue" not in out


def test_list_long_and_compare_flag_it(run_cli: Any, old_kb: Path) -> None:
    _, out, _ = run_cli("list", "--long", "--kb", str(old_kb), env={"COLUMNS": "120"})
    assert f"last reviewed: {OVERDUE}" in flat(out)
    assert flat(out).count("review overdue") == 1
    _, out, _ = run_cli("compare", "ivig", "heparin", "--kb", str(old_kb), "-f", "markdown")
    assert OVERDUE in out


def test_json_says_review_overdue(run_cli: Any, old_kb: Path) -> None:
    _, out, _ = run_cli("--kb", str(old_kb), "list", "-f", "json")
    overdue = {t["id"]: t["review_overdue"] for t in json.loads(out)["therapies"]}
    assert overdue["ivig"] is True
    assert not any(value for key, value in overdue.items() if key != "ivig")
    _, out, _ = run_cli("--kb", str(old_kb), "show", "ivig", "-f", "json")
    assert json.loads(out)["therapy"]["review_overdue"] is True


def test_the_limit_is_set_in_kb_toml(run_cli: Any, old_kb: Path) -> None:
    manifest = old_kb / "kb.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "review_after_months = 1200\n")
    _, out, _ = run_cli("--kb", str(old_kb), "show", "ivig", "--brief")
    assert "review overdue" not in out
    assert "2020-01-01" in out


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["show", "ivig"],
        ["compare", "ivig", "heparin"],
        ["targets"],
        ["evidence", "heparin"],
        ["wizard", "--answers", EXAMPLE],
    ],
    ids=lambda args: args[0],
)
def test_every_json_document_carries_the_kb_date(
    run_cli: Any, kb: KnowledgeBase, args: list[str]
) -> None:
    code, out, _ = run_cli(*args, "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["kb_date"] == kb.manifest.date.isoformat()
    assert document["kb_version"] == kb.manifest.version
    assert list(document)[:3] == ["schema_version", "kb_version", "kb_date"]
    assert list(document)[-1] == "disclaimer"


def test_version_carries_the_kb_date(run_cli: Any, kb: KnowledgeBase) -> None:
    _, out, _ = run_cli("--version")
    assert out.endswith(f"knowledge base {kb.manifest.version} ({kb.manifest.date})\n")
