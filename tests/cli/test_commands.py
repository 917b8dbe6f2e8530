"""The command line end to end, run in-process: commands, formats, options and exit codes."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import time
from pathlib import Path
from typing import Any

import contract
import pytest

from rmcli import __version__
from rmcli.kb import KnowledgeBase, Therapy
from rmcli.search import STATUSES
from rmcli.views.cite import citation
from rmcli.views.common import cited_refs, short_name
from rmcli.views.monograph import SECTIONS, monograph

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def squash(text: str) -> str:
    return "".join(text.split())


def therapy(kb: KnowledgeBase, therapy_id: str) -> Therapy:
    return next(t for t in kb.therapies if t.id == therapy_id)


def one_error(err: str) -> tuple[str, str | None]:
    """stderr as the README promises: one error line, optionally one hint line."""
    lines = err.splitlines()
    assert 1 <= len(lines) <= 2, err
    assert lines[0].startswith("rmcli: error: "), err
    assert lines[0] != "rmcli: error: ", "empty error message"
    hint = lines[1] if len(lines) == 2 else None
    if hint is not None:
        assert hint.startswith("hint: ")
    assert "Traceback" not in err
    return lines[0], hint


# -- version, help, usage errors -----------------------------------------------------------


def version_line(kb: KnowledgeBase, version: str | None = None) -> str:
    date = kb.manifest.date.isoformat()
    return f"rmcli {__version__}, knowledge base {version or kb.manifest.version} ({date})\n"


def test_version_prints_tool_and_kb_versions_and_date(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, err = run_cli("--version")
    assert code == 0
    assert err == ""
    assert out == version_line(kb)


def bump_version(kb_copy: Path, version: str = "9999.1.0") -> str:
    manifest = kb_copy / "kb.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', text))
    return version


def test_version_reports_the_kb_from_the_environment(
    run_cli: Any, kb: KnowledgeBase, kb_copy: Path
) -> None:
    version = bump_version(kb_copy)
    code, out, _ = run_cli("--version", env={"RMCLI_KB": str(kb_copy)})
    assert code == 0
    assert out == version_line(kb, version)


@pytest.mark.parametrize("order", ["kb-first", "version-first"])
def test_version_reports_the_kb_given_with_kb_option(
    run_cli: Any, kb: KnowledgeBase, kb_copy: Path, order: str
) -> None:
    version = bump_version(kb_copy)
    args = ["--kb", str(kb_copy), "--version"]
    if order == "version-first":
        args = ["--version", "--kb", str(kb_copy)]
    code, out, _ = run_cli(*args)
    assert code == 0
    assert out == version_line(kb, version)


def test_version_with_a_missing_rmcli_kb_names_the_variable(run_cli: Any, tmp_path: Path) -> None:
    code, out, err = run_cli("--version", env={"RMCLI_KB": str(tmp_path / "nope")})
    assert code == 3
    assert out == ""
    first, _ = one_error(err)
    assert "RMCLI_KB" in first


def test_help_lists_the_commands(run_cli: Any) -> None:
    code, out, err = run_cli("--help")
    assert code == 0
    assert err == ""
    for command in ("list", "show", "compare", "wizard", "kb"):
        assert command in out


def test_no_arguments_shows_help_without_an_empty_error(run_cli: Any) -> None:
    code, out, err = run_cli()
    assert "Usage" in out
    assert code in (0, 2)
    assert "rmcli: error: \n" not in err
    assert all(line.strip() != "rmcli: error:" for line in err.splitlines())


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["list", "--bogus"],
        ["list", "--format", "xml"],
        ["show", "ivig", "--format", "csv"],
        ["show"],
        ["show", "ivig", "--section", "gossip"],
        ["compare"],
        ["compare", "ivig"],
        ["compare", "ivig", "heparin", "--format", "svg"],
        ["evidence", "heparin", "--svg", "-", "--format", "json"],
    ],
)
def test_usage_errors_exit_2_with_one_line(run_cli: Any, args: list[str]) -> None:
    code, out, err = run_cli(*args)
    assert code == 2
    assert out == ""
    one_error(err)


# -- list ----------------------------------------------------------------------------------


def test_list_table(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, err = run_cli("list")
    assert code == 0
    assert err == ""
    for t in kb.therapies:
        assert t.id in out
    date = kb.manifest.date.isoformat()
    footer = f"{len(kb.therapies)} therapies · knowledge base {kb.manifest.version} ({date})"
    assert out.splitlines()[-1] == footer
    assert out.splitlines()[0].split() == ["id", "name", "status", "certainty", "targets"]


def test_list_json(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("list", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["schema_version", "kb_version", "kb_date", "therapies", "disclaimer"]
    assert document["schema_version"] == 1
    assert document["kb_version"] == kb.manifest.version
    assert document["kb_date"] == kb.manifest.date.isoformat()
    assert document["disclaimer"] == kb.manifest.disclaimer
    assert {t["id"] for t in document["therapies"]} == {t.id for t in kb.therapies}
    assert all({"id", "name"} <= set(t) for t in document["therapies"])


def test_list_markdown(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("list", "-f", "markdown")
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert rows[0] == "| id | name | status | certainty | targets |"
    assert {row.split(" | ")[0][2:] for row in rows[1:]} == {t.id for t in kb.therapies}


def test_list_csv(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("list", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["id"] for r in rows} == {t.id for t in kb.therapies}
    for row in rows:
        t = therapy(kb, row["id"])
        assert row["name"] == t.name
        assert row["status"] == t.overall.status


def test_list_filters(run_cli: Any, kb: KnowledgeBase) -> None:
    def listed(*args: str) -> set[str]:
        code, out, _ = run_cli("list", "-f", "json", *args)
        assert code == 0
        return {t["id"] for t in json.loads(out)["therapies"]}

    nk = listed("--target", "nk-cells")
    assert nk == {t.id for t in kb.therapies if "nk-cells" in t.targets}
    assert "ivig" in nk
    assert "aspirin" not in nk
    experimental = listed("--status", "experimental")
    assert experimental == {t.id for t in kb.therapies if t.overall.status == "experimental"}
    assert "tnf-inhibitors" in listed("--search", "etanercept")
    assert listed("--search", "qqxqqxqq") == set()


def test_list_filters_apply_to_the_table(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("list", "--status", "experimental", env={"COLUMNS": "100"})
    assert code == 0
    all_ids = {t.id for t in kb.therapies}
    shown = {line.split()[0] for line in out.splitlines() if line.split()} & all_ids
    assert shown == {t.id for t in kb.therapies if t.overall.status == "experimental"}


@pytest.mark.parametrize(
    ("option", "value", "allowed"),
    [
        ("--target", "gremlins", ["nk-cells", "tregs", "complement"]),
        ("--status", "miracle", list(STATUSES)),
    ],
)
def test_list_unknown_filter_value_lists_allowed(
    run_cli: Any, option: str, value: str, allowed: list[str]
) -> None:
    code, out, err = run_cli("list", option, value)
    assert code == 2
    assert out == ""
    first, hint = one_error(err)
    assert value in first
    assert hint is not None
    for item in allowed:
        assert item in hint


# -- show ----------------------------------------------------------------------------------


def heading_positions(lines: list[str], titles: list[str]) -> list[int]:
    return [next(i for i, line in enumerate(lines) if line.strip() == title) for title in titles]


def titles(kb: KnowledgeBase, therapy_id: str) -> list[str]:
    view = monograph(therapy(kb, therapy_id), kb, datetime.date.today())
    return [s.title for s in view.sections]


@pytest.mark.parametrize(("name", "therapy_id"), [("ivig", "ivig"), ("TNF-α", "tnf-inhibitors")])
def test_show_table_summary_then_sections_in_order(
    run_cli: Any, kb: KnowledgeBase, name: str, therapy_id: str
) -> None:
    code, out, err = run_cli("show", name, env={"COLUMNS": "120"})
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == f"{therapy(kb, therapy_id).name} ({therapy_id})"
    assert lines[1].startswith("Status ")
    positions = heading_positions(lines, titles(kb, therapy_id))
    assert positions == sorted(positions)
    assert squash(out).endswith(squash(kb.manifest.disclaimer))
    assert "doi:10." in squash(out)
    assert "PMID" in out


@pytest.mark.parametrize(("name", "therapy_id"), [("ivig", "ivig"), ("TNF-α", "tnf-inhibitors")])
def test_show_markdown_sections_in_order(
    run_cli: Any, kb: KnowledgeBase, name: str, therapy_id: str
) -> None:
    code, out, _ = run_cli("show", name, "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert headings == ["At a glance", *titles(kb, therapy_id)]
    assert lines[-1] == f"*{kb.manifest.disclaimer}*"
    assert "doi:10." in out
    assert "PMID " in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--section", "evidence"], ["Evidence"]),
        (
            ["-s", "Guideline positions", "-s", "maternal risks"],
            ["Guideline positions", "Maternal risks"],
        ),
        (["-s", "summary"], []),
        (["--brief"], []),
    ],
)  # fmt: skip
def test_show_section_and_brief(run_cli: Any, args: list[str], expected: list[str]) -> None:
    code, out, err = run_cli("show", "ivig", *args, "-f", "markdown")
    assert code == 0, err
    headings = [line[3:] for line in out.splitlines() if line.startswith("## ")]
    summary = ["At a glance"] if not expected else []
    assert headings == summary + expected


def test_show_unknown_section_lists_the_names(run_cli: Any) -> None:
    code, out, err = run_cli("show", "ivig", "--section", "gossip")
    assert code == 2
    assert out == ""
    first, hint = one_error(err)
    assert "no section named 'gossip'" in first
    assert hint is not None and all(key in hint for key in SECTIONS)


def unverified_count(t: Therapy) -> int:
    items: list[Any] = [t.overall, t.mechanism, t.seed_rationale]
    for name in (
        "indications",
        "regimens",
        "evidence",
        "guidelines",
        "caveats",
        "maternal_risks",
        "fetal_risks",
        "contraindications",
        "monitoring",
        "cost",
    ):
        items += getattr(t, name)
    return sum(1 for item in items if item is not None and item.checked == "unverified")


@pytest.mark.parametrize("therapy_id", ["ivig", "heparin", "tacrolimus"])
def test_unverified_claims_show_only_with_all_positions_and_marked(
    run_cli: Any, kb: KnowledgeBase, therapy_id: str
) -> None:
    """By default no unverified claim is shown; with --all-positions each carries its label
    (positions as a row of the guideline table, claims as '(unverified)')."""
    t = therapy(kb, therapy_id)
    expected = unverified_count(t) - sum(g.checked == "unverified" for g in t.guidelines)
    body = [arg for key in SECTIONS if key != "summary" for arg in ("-s", key)]
    _, default, _ = run_cli("show", therapy_id, *body, "-f", "markdown")
    assert "(unverified)" not in default
    _, markdown, _ = run_cli("show", therapy_id, "--all-positions", *body, "-f", "markdown")
    assert markdown.count("(unverified)") >= expected
    _, table, _ = run_cli("show", therapy_id, "--all-positions", *body, env={"COLUMNS": "200"})
    assert squash(table).count("(unverified)") >= expected


SELF_TALK = (
    "this knowledge base",
    "no data in",
    "not reported in",
    "presumed",
    "(UNVERIFIED)",
    "log-OR",
    "…",  # a cut word
)


def self_talk(out: str) -> list[str]:
    """The phrases of SELF_TALK in `out`, in any case, across line breaks."""
    text = " ".join(out.split()).casefold()
    return [phrase for phrase in SELF_TALK if phrase.casefold() in text]


def test_self_talk_is_found_in_any_case_across_a_line_break() -> None:
    assert self_talk("No data in this\nKnowledge Base (unverified)") == [
        "this knowledge base",
        "no data in",
        "(UNVERIFIED)",
    ]


@pytest.mark.parametrize("therapy_id", sorted(contract.THERAPY_IDS))
def test_a_monograph_speaks_only_about_the_evidence(run_cli: Any, therapy_id: str) -> None:
    for fmt, columns in (("table", "80"), ("table", "120"), ("markdown", "80")):
        code, out, err = run_cli("show", therapy_id, "-f", fmt, env={"COLUMNS": columns})
        assert code == 0, err
        assert not self_talk(out), (therapy_id, fmt, columns)


def test_unverified_positions_are_one_line_by_default(run_cli: Any, kb: KnowledgeBase) -> None:
    t = therapy(kb, "ivig")
    bodies = {
        f"{g.body} {g.year}" if g.year else g.body
        for g in t.guidelines
        if g.checked == "unverified"
    }
    code, out, _ = run_cli("show", "ivig", "-s", "guidelines", env={"COLUMNS": "100"})
    assert code == 0
    (line,) = [line for line in out.splitlines() if line.startswith("Positions unverified: ")] or [
        " ".join(out.split()).split("Positions unverified: ")[1]
    ]
    for body in bodies:
        assert body in " ".join(out.split())
    assert out.count("position not verified") == 0
    assert "(shown with --all-positions)" in " ".join(out.split())
    del line


def test_show_json_contract(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("show", "TNF-α", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["schema_version", "kb_version", "kb_date", "therapy", "disclaimer"]
    assert isinstance(document["schema_version"], int)
    record = document["therapy"]
    t = therapy(kb, "tnf-inhibitors")
    assert record["id"] == t.id
    assert record["name"] == t.name
    assert len(record["evidence"]) == len(t.evidence)
    assert len(record["guidelines"]) == len(t.guidelines)
    refs = {r["id"]: r for r in record["references"]}
    assert list(refs) == cited_refs(t)
    for ref_id, ref in refs.items():
        assert ref["citation"] == citation(kb.references[ref_id])
    assert record["review_overdue"] is False


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_show_every_format_names_the_therapy(run_cli: Any, fmt: str) -> None:
    code, out, err = run_cli("show", "Intravenous Immunoglobulin", "--format", fmt)
    assert code == 0
    assert err == ""
    assert "Intravenous immunoglobulin" in out


# -- name resolution -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("TNF-α", "tnf-inhibitors"),
        ("tnf-alpha", "tnf-inhibitors"),
        ("TNF alpha", "tnf-inhibitors"),
        ("lmwh", "heparin"),
        ("enoxaparin", "heparin"),
        ("hcq", "hydroxychloroquine"),
        ("lit", "lymphocyte-immunotherapy"),
        ("il-2", "low-dose-il2"),
        ("etanercept", "tnf-inhibitors"),
        ("IVIG", "ivig"),
        ("Intravenous Immunoglobulin", "ivig"),
    ],
)
def test_names_resolve(run_cli: Any, name: str, expected: str) -> None:
    code, out, err = run_cli("show", name, "-f", "json")
    assert code == 0, err
    assert json.loads(out)["therapy"]["id"] == expected


def suggestions(hint: str | None) -> list[str]:
    assert hint is not None
    assert hint.startswith("hint: did you mean ")
    return re.findall(r"(?:^|, )([a-z0-9-]+) \(", hint.removeprefix("hint: did you mean "))


@pytest.mark.parametrize(("typo", "wanted"), [("ivgi", "ivig"), ("heparine", "heparin")])
def test_unknown_name_fails_and_suggests(
    run_cli: Any, kb: KnowledgeBase, typo: str, wanted: str
) -> None:
    code, out, err = run_cli("show", typo)
    assert code == 2
    assert out == ""
    first, hint = one_error(err)
    assert first == f"rmcli: error: no therapy named '{typo}'"
    assert wanted in suggestions(hint)
    assert hint is not None
    assert f"{wanted} ({therapy(kb, wanted).name})" in hint


def test_suggestions_are_at_most_three_with_full_names(run_cli: Any, kb: KnowledgeBase) -> None:
    code, _, err = run_cli("show", "low-dose")
    assert code == 2
    _, hint = one_error(err)
    ids = suggestions(hint)
    assert 1 <= len(ids) <= 3
    assert hint is not None
    for therapy_id in ids:
        assert f"{therapy_id} ({therapy(kb, therapy_id).name})" in hint


def test_control_characters_in_a_name_are_escaped(run_cli: Any) -> None:
    code, _, err = run_cli("show", "zz\x1b[2Jzz\x07\x00\nx")
    assert code == 2
    assert not CONTROL.search(err.replace("\n", ""))
    first, _ = one_error(err)
    assert "x1b" in first


def test_a_huge_name_fails_fast_and_cleanly(run_cli: Any) -> None:
    started = time.perf_counter()
    code, out, err = run_cli("show", "q" * 10_000)
    assert time.perf_counter() - started < 2
    assert code == 2
    assert out == ""
    first, _ = one_error(err)
    assert len(first) < 150


# -- compare -------------------------------------------------------------------------------

THREE = ["prednisolone", "ivig", "heparin"]


def test_compare_table(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, err = run_cli("compare", *THREE, env={"COLUMNS": "100"})
    assert code == 0
    assert err == ""
    for t in (therapy(kb, i) for i in THREE):
        assert short_name(t) in out  # the header names each therapy (its id where that differs)
    assert squash(out).endswith(squash(kb.manifest.disclaimer))
    assert "Headline" in out and "add --full" in out


def test_compare_json_contract(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("compare", *THREE, "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["schema_version", "kb_version", "kb_date", "therapies", "disclaimer"]
    assert [t["id"] for t in document["therapies"]] == THREE
    for record in document["therapies"]:
        assert [r["id"] for r in record["references"]] == cited_refs(therapy(kb, record["id"]))


def test_compare_markdown(run_cli: Any, kb: KnowledgeBase) -> None:
    code, out, _ = run_cli("compare", *THREE, "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert [line[3:] for line in lines if line.startswith("## ")] == ["At a glance"]
    assert lines[-1] == f"*{kb.manifest.disclaimer}*"
    code, full, _ = run_cli("compare", *THREE, "--full", "--format", "markdown")
    every = list(dict.fromkeys(t for i in THREE for t in titles(kb, i)))
    assert [line[3:] for line in full.splitlines() if line.startswith("## ")] == [
        "At a glance",
        *every,
    ]


@pytest.mark.parametrize(
    ("names", "needle"),
    [
        (["ivig", "IVIG"], "already in the comparison"),
        (["heparin", "lmwh", "aspirin"], "already in the comparison"),
        (["ivig", "ivgi"], "no therapy named 'ivgi'"),
        (["ivig"], "at least two"),
    ],
)
def test_compare_refuses_bad_name_lists(run_cli: Any, names: list[str], needle: str) -> None:
    code, out, err = run_cli("compare", *names)
    assert code == 2
    assert out == ""
    first, _ = one_error(err)
    assert needle in first


# -- kb schema, --kb and RMCLI_KB ----------------------------------------------------------


def test_kb_schema_is_json_schema(run_cli: Any) -> None:
    code, out, err = run_cli("kb", "schema")
    assert code == 0
    assert err == ""
    schema = json.loads(out)
    assert "$defs" in schema or "properties" in schema


def rename(kb_copy: Path, new_name: str) -> None:
    path = kb_copy / "therapies" / "ivig.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('name = "Intravenous immunoglobulin"', f'name = "{new_name}"'))


def shown_name(run_cli: Any, *args: str, env: dict[str, str] | None = None) -> str:
    code, out, err = run_cli(*args, "show", "ivig", "-f", "json", env=env)
    assert code == 0, err
    return str(json.loads(out)["therapy"]["name"])


def test_kb_option_and_environment_load_another_kb(run_cli: Any, kb_copy: Path) -> None:
    rename(kb_copy, "Copy IVIG")
    assert shown_name(run_cli) == "Intravenous immunoglobulin"
    assert shown_name(run_cli, "--kb", str(kb_copy)) == "Copy IVIG"
    assert shown_name(run_cli, env={"RMCLI_KB": str(kb_copy)}) == "Copy IVIG"


def test_kb_option_wins_over_the_environment(run_cli: Any, kb_copy: Path, tmp_path: Path) -> None:
    rename(kb_copy, "Copy IVIG")
    env = {"RMCLI_KB": str(tmp_path / "does-not-exist")}
    assert shown_name(run_cli, "--kb", str(kb_copy), env=env) == "Copy IVIG"


def test_kb_validate_uses_the_kb_option(run_cli: Any, kb_copy: Path) -> None:
    code, out, err = run_cli("--kb", str(kb_copy), "kb", "validate")
    assert code == 0
    assert out == ""
    assert err.startswith(f"{kb_copy}: valid — ")


@pytest.mark.parametrize("command", [["list"], ["show", "ivig"], ["kb", "validate"]])
def test_missing_kb_directory_exits_3(run_cli: Any, tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "nope"
    code, out, err = run_cli("--kb", str(missing), *command)
    assert code == 3
    assert out == ""
    first, _ = one_error(err)
    assert first == f"rmcli: error: --kb: no such directory: {missing}"


def test_missing_rmcli_kb_directory_exits_3(run_cli: Any, tmp_path: Path) -> None:
    code, _, err = run_cli("list", env={"RMCLI_KB": str(tmp_path / "nope")})
    assert code == 3
    first, _ = one_error(err)
    assert first.startswith("rmcli: error: $RMCLI_KB: no such directory")


def test_kb_that_is_a_file_exits_3(run_cli: Any, kb_copy: Path) -> None:
    code, _, err = run_cli("--kb", str(kb_copy / "kb.toml"), "list")
    assert code == 3
    one_error(err)


# -- terminal safety: hostile text in a knowledge base -------------------------------------

HOSTILE = (
    "[bold]x[/bold] [/x] [sic] \x1b[2J \x1b]8;;http://e\x07link\x1b]8;;\x07 "
    "\x00\x08\x0c\x7f\x1b[31m end"
)
LITERALS = ("[bold]x[/bold]", "[/x]", "[sic]")


@pytest.fixture
def hostile_kb(kb_copy: Path, edit_therapy: Any) -> Path:
    def poison(t: dict[str, Any]) -> None:
        t["summary"] = f"SUMMARY {HOSTILE}"
        t["mechanism"]["text"] = f"MECHANISM {HOSTILE}"
        t["drug_class"] = f"CLASS {HOSTILE}"

    path = edit_therapy("ivig", poison)
    assert "\\u001b" in path.read_text(encoding="utf-8")  # written as TOML escapes
    return kb_copy


def no_terminal_controls(text: str) -> bool:
    return "\x1b" not in text and "\x07" not in text and not CONTROL.search(text)


@pytest.mark.parametrize(
    "command",
    [
        ["show", "ivig"],
        ["show", "ivig", "-f", "markdown"],
        ["compare", "ivig", "heparin", "--full"],
        ["compare", "ivig", "heparin", "--full", "-f", "markdown"],
        ["list", "--long"],
        ["list", "--long", "-f", "markdown"],
        ["list", "-f", "csv"],
    ],
)
@pytest.mark.parametrize("columns", ["80", "200"])
def test_hostile_kb_text_is_shown_literally_without_controls(
    run_cli: Any, hostile_kb: Path, command: list[str], columns: str
) -> None:
    code, out, err = run_cli("--kb", str(hostile_kb), *command, env={"COLUMNS": columns})
    assert code == 0, err
    assert no_terminal_controls(out)
    flat = squash(out)
    for literal in LITERALS:
        assert squash(literal) in flat


def test_hostile_kb_text_is_shown_literally_with_force_color(
    run_cli: Any, hostile_kb: Path
) -> None:
    code, out, _ = run_cli(
        "--kb", str(hostile_kb), "show", "ivig", env={"FORCE_COLOR": "1", "COLUMNS": "200"}
    )
    assert code == 0
    for literal in LITERALS:
        assert literal in out
    assert "\x1b[2J" not in out
    assert "\x07" not in out
    assert "\x1b]8" not in out


@pytest.mark.parametrize("command", [["show", "ivig"], ["compare", "ivig", "aspirin"], ["list"]])
def test_hostile_kb_text_stays_data_in_json(
    run_cli: Any, hostile_kb: Path, command: list[str]
) -> None:
    code, out, _ = run_cli("--kb", str(hostile_kb), *command, "--format", "json")
    assert code == 0
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\\u001b" in out
    document = json.loads(out)
    records = document.get("therapies") or [document["therapy"]]
    ivig = next(r for r in records if r["id"] == "ivig")
    assert ivig["drug_class"] == f"CLASS {HOSTILE}"


def test_suggestion_hint_does_not_echo_controls_from_the_kb(
    run_cli: Any, kb_copy: Path, edit_therapy: Any
) -> None:
    edit_therapy("ivig", lambda t: t.update(name=f"Intravenous immunoglobulin {HOSTILE}"))
    code, _, err = run_cli("--kb", str(kb_copy), "show", "ivgi")
    assert code == 2
    assert "ivig" in err
    assert no_terminal_controls(err.replace("\n", " "))
    one_error(err)


# -- streams -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["list"], ["list", "-f", "json"], ["show", "ivig", "-f", "markdown"], ["kb", "schema"]],
)
def test_data_goes_to_stdout_and_nothing_to_stderr(run_cli: Any, command: list[str]) -> None:
    code, out, err = run_cli(*command)
    assert code == 0
    assert out.strip()
    assert err == ""
    assert out.endswith("\n")


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("evidnce", "hint: did you mean `rmcli evidence`?"),
        ("frobnicate", "hint: see `rmcli --help`"),
    ],
)
def test_an_unknown_command_is_one_line_with_a_suggestion(
    run_cli: Any, typed: str, hint: str
) -> None:
    code, out, err = run_cli(typed, "ivig")
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"rmcli: error: no command named '{typed}'", hint]
