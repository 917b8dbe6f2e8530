"""`rmcli kb diff`: what changed between two knowledge bases, on crafted pairs."""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
import tomli_w

from rmcli.kb.diff import Difference, diff
from rmcli.kb.load import load

NEW_STUDY = {
    "label": "NEW trial 2027",
    "kind": "rct",
    "design": "Crafted RCT for the diff tests",
    "n": 200,
    "population": "Crafted",
    "outcome": "Live birth",
    "result": "Crafted result",
    "refs": ["alife-2010"],
    "checked": "primary",
}
Row = tuple[str, str, str, str]


def edit_toml(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def rows(differences: list[Difference]) -> list[Row]:
    return [(d.scope, d.item, d.path, d.change) for d in differences]


@pytest.fixture
def old(bundled_path: Path) -> Path:
    return bundled_path


@pytest.fixture
def new(kb_copy: Path) -> Path:
    return kb_copy


def bump_version(root: Path) -> None:
    edit_toml(root / "kb.toml", lambda d: d.update(version="2027.01.0"))


def add_therapy(root: Path) -> None:
    source = root / "therapies" / "tacrolimus.toml"
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    data.update(id="sirolimus", name="Sirolimus (crafted)", aliases=["rapamycin"])
    data.pop("short_name", None)
    data["rules"] = [r for r in data.get("rules", []) if "treatments_current_any" not in r["when"]]
    (root / "therapies" / "sirolimus.toml").write_text(tomli_w.dumps(data), encoding="utf-8")


def remove_therapy(root: Path) -> None:
    (root / "therapies" / "tacrolimus.toml").unlink()


def change_status(root: Path) -> None:
    edit_toml(
        root / "therapies" / "heparin.toml", lambda d: d["overall"].update(status="established")
    )


def add_study(root: Path) -> None:
    edit_toml(root / "therapies" / "heparin.toml", lambda d: d["evidence"].append(NEW_STUDY))


def remove_study(root: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["evidence"] = [s for s in data["evidence"] if s["label"] != "Greer 2005"]

    edit_toml(root / "therapies" / "heparin.toml", change)


def add_reference(root: Path) -> None:
    edit_toml(
        root / "references.toml",
        lambda d: d.update(
            {"new-ref-2027": {"title": "Crafted J. A new trial. 2027.", "year": 2027}}
        ),
    )


# -- the diff itself ---------------------------------------------------------------------------


def test_identical_knowledge_bases_have_no_differences(old: Path, new: Path) -> None:
    assert diff(load(old), load(new)) == []


def test_a_therapy_added(old: Path, new: Path) -> None:
    add_therapy(new)
    assert rows(diff(load(old), load(new))) == [("therapy", "sirolimus", "", "added")]


def test_a_therapy_removed(old: Path, new: Path) -> None:
    remove_therapy(new)
    assert rows(diff(load(old), load(new))) == [("therapy", "tacrolimus", "", "removed")]


def test_a_field_changed(old: Path, new: Path) -> None:
    change_status(new)
    (found,) = diff(load(old), load(new))
    assert (found.scope, found.item, found.path, found.change) == (
        "therapy",
        "heparin",
        "overall.status",
        "changed",
    )
    assert (found.old, found.new) == ("conditional", "established")


def test_a_nested_field_of_a_list_item_changed(old: Path, new: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        study = next(s for s in data["evidence"] if s["label"] == "Rai 1997")
        study["n"] = 999

    edit_toml(new / "therapies" / "heparin.toml", change)
    (found,) = diff(load(old), load(new))
    assert (found.path, found.change, found.old, found.new) == (
        "evidence[Rai 1997].n",
        "changed",
        90,
        999,
    )


def test_a_list_item_added_by_label(old: Path, new: Path) -> None:
    add_study(new)
    (found,) = diff(load(old), load(new))
    assert (found.scope, found.item, found.path, found.change) == (
        "therapy",
        "heparin",
        "evidence[NEW trial 2027]",
        "added",
    )
    assert found.old is None
    assert found.new == NEW_STUDY


def test_a_list_item_removed_by_label(old: Path, new: Path) -> None:
    remove_study(new)
    (found,) = diff(load(old), load(new))
    assert rows([found]) == [("therapy", "heparin", "evidence[Greer 2005]", "removed")]
    assert found.old["label"] == "Greer 2005" and found.new is None


def test_reordering_list_items_is_not_a_change(old: Path, new: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        for key in ("evidence", "regimens", "guidelines", "caveats", "rules"):
            data[key].reverse()

    edit_toml(new / "therapies" / "heparin.toml", change)
    assert diff(load(old), load(new)) == []


def test_a_reference_added(old: Path, new: Path) -> None:
    add_reference(new)
    assert rows(diff(load(old), load(new))) == [("reference", "new-ref-2027", "", "added")]


def test_a_version_bump(old: Path, new: Path) -> None:
    bump_version(new)
    (found,) = diff(load(old), load(new))
    assert rows([found]) == [("manifest", "kb", "version", "changed")]
    assert found.new == "2027.01.0"


def test_vocabulary_and_assessment_changes(old: Path, new: Path) -> None:
    edit_toml(
        new / "vocabulary.toml",
        lambda d: d["targets"]["complement"].update(name="Complement system"),
    )
    edit_toml(new / "assessment.toml", lambda d: d["investigations"][0].update(text="Changed."))
    assert rows(diff(load(old), load(new))) == [
        ("vocabulary", "targets", "complement.name", "changed"),
        ("assessment", "investigations", "[graded-care-1].text", "changed"),
    ]


def test_swapping_old_and_new_swaps_added_and_removed(old: Path, new: Path) -> None:
    add_therapy(new)
    add_study(new)
    forward = diff(load(old), load(new))
    backward = diff(load(new), load(old))
    flip = {"added": "removed", "removed": "added", "changed": "changed"}
    assert sorted((d.scope, d.item, d.path, flip[d.change]) for d in forward) == sorted(
        rows(backward)
    )


EVERYTHING: list[Row] = [
    ("manifest", "kb", "version", "changed"),
    ("therapy", "heparin", "overall.status", "changed"),
    ("therapy", "heparin", "evidence[Greer 2005]", "removed"),
    ("therapy", "heparin", "evidence[NEW trial 2027]", "added"),
    ("therapy", "tacrolimus", "", "removed"),
    ("therapy", "sirolimus", "", "added"),
    ("reference", "new-ref-2027", "", "added"),
]


@pytest.fixture
def everything(new: Path) -> Path:
    for edit in (
        bump_version,
        add_therapy,
        remove_therapy,
        change_status,
        add_study,
        remove_study,
        add_reference,
    ):
        edit(new)
    return new


def test_all_the_changes_at_once_in_a_stable_order(old: Path, everything: Path) -> None:
    assert rows(diff(load(old), load(everything))) == EVERYTHING


@pytest.mark.parametrize("kind", ["caveats", "regimens"])
def test_list_items_sharing_a_key_are_not_merged(
    tmp_path: Path, bundled_path: Path, kind: str
) -> None:
    """Two caveats may begin with the same 60 characters, and two regimens may come from the
    same source (neither is forbidden); removing one of them is still a difference."""
    prefix = "No data in this knowledge base on this particular question yet, see " * 2
    if kind == "caveats":
        first = {"text": prefix + "first.", "refs": ["eshre-2018"], "checked": "primary"}
        second = {"text": prefix + "second.", "refs": ["eshre-2018"], "checked": "primary"}
    else:
        base = {"source": "Crafted guideline", "route": "oral", "timing": "daily"}
        extra = {"refs": ["eshre-2018"], "checked": "primary"}
        first = {**base, "dose": "10 mg", **extra}
        second = {**base, "dose": "20 mg", **extra}
    before, after = tmp_path / "before", tmp_path / "after"
    shutil.copytree(bundled_path, before)
    shutil.copytree(bundled_path, after)
    edit_toml(before / "therapies" / "heparin.toml", lambda d: d[kind].extend([first, second]))
    edit_toml(after / "therapies" / "heparin.toml", lambda d: d[kind].append(second))
    found = diff(load(before), load(after))
    assert found, f"removing one of two {kind} with the same key went unreported"
    assert {d.change for d in found} == {"removed"}


# -- the command -------------------------------------------------------------------------------


def test_command_on_identical_knowledge_bases(run_cli: Any, old: Path, new: Path) -> None:
    version = read_version(old)
    code, out, err = run_cli("kb", "diff", str(old), str(new))
    assert code == 0, err
    assert out.splitlines() == [
        f"Knowledge base {version} → {version}",
        "No differences.",
    ]
    code, out, _ = run_cli("kb", "diff", str(old), str(new), "-f", "markdown")
    assert code == 0
    assert out == f"# Knowledge base {version} → {version}\n\nNo differences.\n"
    code, out, _ = run_cli("kb", "diff", str(old), str(new), "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "schema_version": 1,
        "old": str(old),
        "new": str(new),
        "differences": [],
    }


def read_version(root: Path) -> str:
    manifest = tomllib.loads((root / "kb.toml").read_text(encoding="utf-8"))
    return f"{manifest['version']} ({manifest['date']})"


def test_command_json_lists_exactly_the_differences(
    run_cli: Any, old: Path, everything: Path
) -> None:
    code, out, err = run_cli("kb", "diff", str(old), str(everything), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["old"], data["new"]) == (str(old), str(everything))
    found = data["differences"]
    assert [(d["scope"], d["item"], d["path"], d["change"]) for d in found] == EVERYTHING
    by_path = {d["path"]: d for d in found}
    assert by_path["version"]["new"] == "2027.01.0"
    assert by_path["evidence[NEW trial 2027]"]["new"] == NEW_STUDY
    assert by_path["evidence[Greer 2005]"]["old"]["label"] == "Greer 2005"
    expected = msgspec.to_builtins(diff(load(old), load(everything)))
    assert found == expected


RELEASE_NOTE = [
    "Status: conditional → established",
    "Removed from evidence: Greer 2005",
    "Therapy removed",
    "Therapy added",
]


def test_command_table_reads_as_a_release_note(run_cli: Any, old: Path, everything: Path) -> None:
    code, out, err = run_cli("kb", "diff", str(old), str(everything))
    assert code == 0, err
    lines = out.splitlines()
    date = read_version(old).split(" ")[1]
    assert lines[0] == f"Knowledge base {read_version(old)} → 2027.01.0 {date}"
    assert lines[1].startswith("3 therapies changed; 1 references added or removed;")
    for item in RELEASE_NOTE:
        assert f"• {item}" in lines, item
    assert any(line.startswith("• Added to evidence: NEW trial 2027") for line in lines)
    assert any(line.startswith("• Added: new-ref-2027 — ") for line in lines)
    groups = [line for line in lines[2:] if line and not line.startswith(("•", " "))]
    assert [g.rsplit(" ", 1)[-1] for g in groups] == [
        "(heparin)",
        "(tacrolimus)",
        "(sirolimus)",
        "References",
    ]


def test_command_markdown_is_the_same_release_note(
    run_cli: Any, old: Path, everything: Path
) -> None:
    code, out, err = run_cli("kb", "diff", str(old), str(everything), "-f", "markdown")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"# Knowledge base {read_version(old)} → 2027.01.0")
    for item in RELEASE_NOTE:
        assert f"- {item}" in lines, item
    assert "## References" in lines


def test_a_changed_list_of_names_shows_what_changed(run_cli: Any, old: Path, new: Path) -> None:
    """Appending an alias to heparin's long alias list: the readable formats must show it,
    not two identical shortened lists."""
    edit_toml(new / "therapies" / "heparin.toml", lambda d: d["aliases"].append("NEWALIAS"))
    for fmt in ("table", "markdown"):
        code, out, err = run_cli("kb", "diff", str(old), str(new), "-f", fmt)
        assert code == 0, err
        assert "aliases" in out.casefold()
        assert "NEWALIAS" in out, fmt


def test_command_refuses_an_invalid_knowledge_base(run_cli: Any, old: Path, new: Path) -> None:
    edit_toml(
        new / "therapies" / "heparin.toml", lambda d: d["overall"]["refs"].append("no-such-ref")
    )
    code, out, err = run_cli("kb", "diff", str(old), str(new))
    assert code == 3
    assert out == ""
    assert "is invalid" in err and "no-such-ref" in err


def test_command_refuses_a_missing_directory(run_cli: Any, old: Path, tmp_path: Path) -> None:
    code, out, err = run_cli("kb", "diff", str(old), str(tmp_path / "missing"))
    assert code == 3
    assert out == ""
    assert "missing" in err
