"""One escaping rule for every text that came from a file, in every command and format.

A knowledge base whose version, disclaimer, therapy texts, vocabulary and references carry
terminal escapes, controls, bidi overrides, HTML, Markdown links and images, and cells that a
spreadsheet would run, goes through every command in every format. On the terminal (and in any
text format) each steering character is shown as a visible escape; Markdown renders to no
link, image or script (checked with a real Markdown parser); CSV has no formula; BibTeX and RIS
parse and nothing is written to stderr; JSON carries the text unchanged as data.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from rmcli.text import clean, csv_cell, inert_markdown, markdown

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "profile.toml"
# Every character that may not reach a stream raw: C0 but newline and tab, DEL, C1, the bidi
# marks, embeddings, overrides and isolates, line and paragraph separators, the BOM.
STEERING = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
SGR = re.compile(r"\x1b\[[0-9;]*m")
ESCAPES = "\x1b]0;pwned\x07 \x1b[2J\x9b31m \u202eevil\u202c \u2066iso\u2069 a\u2028b\rc"
ACTIVE = (
    "<script>alert(1)</script> [click](javascript:alert(1)) ![i](http://evil.example/i.png) "
    "[d]: http://evil.example/d http://evil.example/bare"
)
HOSTILE = f"{ESCAPES} {ACTIVE}"
CJK = "漢字 😀 Ωμέγα"


def rewrite(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def poison_manifest(m: dict[str, Any]) -> None:
    m["version"] = f"2026.12.0{ESCAPES}<script>v</script>"
    m["disclaimer"] = f"DISCLAIMER {HOSTILE}"


def poison_heparin(t: dict[str, Any]) -> None:
    t["name"] = f"=HYPERLINK(1) {HOSTILE}"
    t["drug_class"] = f"\tCLASS {HOSTILE}"
    t["summary"] = f"SUMMARY {HOSTILE}"
    t["mechanism"]["text"] = f"MECHANISM {HOSTILE}"
    for g in t["guidelines"]:
        g["text"] = f"GUIDELINE {HOSTILE}"
    t["evidence"][0]["label"] = f"@LABEL {ESCAPES}"
    for rule in t["rules"]:
        rule["reason"] = f"REASON {HOSTILE}"


def poison_references(r: dict[str, Any]) -> None:
    r["acr-2020"]["title"] = f"CITE {CJK} {HOSTILE}"
    r["acr-2020"]["journal"] = f"-JOURNAL {ESCAPES}"


def poison_vocabulary(v: dict[str, Any]) -> None:
    for target in v["targets"].values():
        target["name"] = f"+TERM {ESCAPES}"


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory: pytest.TempPathFactory, bundled_path: Path) -> Path:
    root = tmp_path_factory.mktemp("escaping") / "kb"
    shutil.copytree(bundled_path, root, symlinks=False)
    rewrite(root / "kb.toml", poison_manifest)
    rewrite(root / "therapies" / "heparin.toml", poison_heparin)
    rewrite(root / "references.toml", poison_references)
    rewrite(root / "vocabulary.toml", poison_vocabulary)
    return root


COMMANDS: dict[str, list[str]] = {
    "list": ["list", "--long"],
    "show": ["show", "heparin", "--all-positions"],
    "compare": ["compare", "heparin", "aspirin", "--full"],
    "evidence": ["evidence", "heparin", "--absolute"],
    "targets": ["targets"],
    "refs": ["refs", "heparin"],
    "wizard": ["wizard", "--answers", str(EXAMPLE), "--details"],
}
FORMATS = {
    "list": ["table", "json", "markdown", "csv"],
    "show": ["table", "json", "markdown"],
    "compare": ["table", "json", "markdown"],
    "evidence": ["table", "json", "markdown", "svg"],
    "targets": ["table", "json", "markdown", "csv"],
    "refs": ["text", "bibtex", "ris", "csl-json"],
    "wizard": ["table", "json", "markdown", "html"],
}
CASES = [(name, fmt) for name, formats in FORMATS.items() for fmt in formats]


def run_hostile(run_cli: Any, kb: Path, *args: str, colour: bool = False) -> tuple[str, str]:
    env = {"FORCE_COLOR": "1"} if colour else None
    code, out, err = run_cli("--kb", str(kb), *args, env=env)
    assert code == 0, err
    return out, err


def assert_nothing_raw(text: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in STEERING.findall(text)})
    assert not found, f"raw steering characters reached the stream: {found}"


def strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return []


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_no_command_writes_a_steering_character_raw(
    run_cli: Any, hostile_kb: Path, name: str, fmt: str
) -> None:
    out, err = run_hostile(run_cli, hostile_kb, *COMMANDS[name], "--format", fmt)
    assert err == ""  # no library warning (pylatexenc) and no message
    assert_nothing_raw(out)
    if fmt in ("json", "csl-json"):  # data: the text itself, in JSON escapes
        assert any("\x1b]0;pwned\x07" in s for s in strings(json.loads(out)))
    elif (name, fmt) != ("targets", "csv"):  # (ids only) shown as an escape, never dropped
        assert "x1b]0;pwned" in out  # (its backslash doubled in Markdown and LaTeX)


@pytest.mark.parametrize("name", ["list", "show", "evidence", "wizard"])
def test_the_terminal_in_colour_shows_only_rmclis_own_styles(
    run_cli: Any, hostile_kb: Path, name: str
) -> None:
    out, _ = run_hostile(run_cli, hostile_kb, *COMMANDS[name], colour=True)
    assert SGR.search(out), "forced colour is on: the check is not void"
    assert_nothing_raw(SGR.sub("", out))
    assert "\\x1b]0;pwned\\x07" in SGR.sub("", out)


def test_version_list_and_wizard_show_the_version_escaped(run_cli: Any, hostile_kb: Path) -> None:
    version, _ = run_hostile(run_cli, hostile_kb, "--version")
    date = tomllib.loads((hostile_kb / "kb.toml").read_text("utf-8"))["date"]  # not poisoned
    assert version == (
        "rmcli 0.1.0, knowledge base 2026.12.0\\x1b]0;pwned\\x07 \\x1b[2J\\x9b31m \\u202eevil"
        f"\\u202c \\u2066iso\\u2069 a\\u2028b\\x0dc<script>v</script> ({date.isoformat()})\n"
    )
    for command in (["list"], ["wizard", "--answers", str(EXAMPLE)]):
        out, _ = run_hostile(run_cli, hostile_kb, *command)
        assert_nothing_raw(out)
        assert "2026.12.0\\x1b]0;pwned\\x07" in out


def rendered_markdown(source: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(source)


@pytest.mark.parametrize("name", ["list", "show", "compare", "evidence", "targets", "wizard"])
def test_markdown_renders_no_link_image_or_script(
    run_cli: Any, hostile_kb: Path, name: str
) -> None:
    out, _ = run_hostile(run_cli, hostile_kb, *COMMANDS[name], "--format", "markdown")
    html = rendered_markdown(out)
    assert "<script" not in html and "<a " not in html and "<img" not in html
    assert "http://evil.example/bare" not in out  # a bare address that no reference holds
    if name in ("list", "show", "wizard"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the text is shown, as text


def test_report_md_and_html_hold_nothing_active(
    run_cli: Any, hostile_kb: Path, tmp_path: Path
) -> None:
    for suffix in ("md", "html"):
        report = tmp_path / f"report.{suffix}"
        run_hostile(run_cli, hostile_kb, *COMMANDS["wizard"], "--report", str(report))
        text = report.read_text(encoding="utf-8")
        assert_nothing_raw(text)
        html = rendered_markdown(text) if suffix == "md" else text
        assert "<script" not in html and "<img" not in html
        assert 'href="javascript' not in html and "<a " not in html
        assert "REASON" in text  # the poisoned field is in the report: the check is not void


def test_a_reference_url_stays_a_link_in_markdown(run_cli: Any, hostile_kb: Path) -> None:
    """Links only for http(s) URLs the references hold: those stay as they are written."""
    out, _ = run_hostile(run_cli, hostile_kb, *COMMANDS["wizard"], "--format", "markdown")
    assert "https://richtlijnendatabase.nl" in out
    assert "http\\://evil.example/bare" in out


def test_csv_has_no_formula_and_keeps_the_text(run_cli: Any, hostile_kb: Path) -> None:
    for name in ("list", "targets"):
        out, _ = run_hostile(run_cli, hostile_kb, *COMMANDS[name], "--format", "csv")
        cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    out, _ = run_hostile(run_cli, hostile_kb, "list", "--format", "csv")
    row = next(r for r in csv.reader(io.StringIO(out)) if r[0] == "heparin")
    assert row[1].startswith("'=HYPERLINK(1) \\x1b]0;pwned\\x07")
    assert row[2].startswith("'\tCLASS")


def test_bibtex_and_ris_parse_and_say_nothing_on_stderr(run_cli: Any, hostile_kb: Path) -> None:
    import bibtexparser
    import rispy

    out, err = run_hostile(run_cli, hostile_kb, "refs", "--format", "bibtex")
    assert err == ""  # once, pylatexenc warned for each CJK or emoji character, with raw ESC
    library = bibtexparser.parse_string(out)
    assert not library.failed_blocks
    entry = next(e for e in library.entries if e.key == "acr-2020")
    assert "漢字" in entry["title"] and "textbackslash" in entry["title"]
    out, err = run_hostile(run_cli, hostile_kb, "refs", "--format", "ris")
    assert err == ""
    records = {r["id"]: r for r in rispy.loads(out)}
    assert records["acr-2020"]["title"].startswith("CITE 漢字 😀 Ωμέγα \\x1b]0;pwned\\x07")


def test_json_carries_the_text_as_data(run_cli: Any, hostile_kb: Path) -> None:
    out, _ = run_hostile(run_cli, hostile_kb, "show", "heparin", "--format", "json")
    assert json.loads(out)["therapy"]["summary"] == f"SUMMARY {HOSTILE}"
    assert "\\u202e" in out and "\\u009b" in out  # escaped in the document, not raw


def test_the_interview_shows_vocabulary_text_escaped(hostile_kb: Path) -> None:
    from wizard_helpers import CTRL_C, ENTER, run_interview

    result = run_interview([ENTER, "3" + ENTER, CTRL_C], "--kb", str(hostile_kb), sentinel=False)
    assert result.code == 130
    assert "\x1b]0;pwned" not in result.screen


# -- the rule itself, per medium ---------------------------------------------------------------


@pytest.mark.parametrize("text", [HOSTILE, CJK, "plain", "a\\|b", "[bold]x[/] [link=http://e]y"])
def test_each_medium_is_idempotent_and_leaves_nothing_raw(text: str) -> None:
    for escape in (clean, inert_markdown):
        assert escape(escape(text)) == escape(text)
    for escape in (clean, markdown, csv_cell):
        assert_nothing_raw(escape(text))


def test_markdown_escapes_only_what_would_act() -> None:
    assert markdown("TNF-α < 30 & p<0.05 [sic] (n = 3)") == "TNF-α < 30 & p<0.05 [sic] (n = 3)"
    assert markdown("[bold red]x[/]") == "[bold red]x[/]"  # not a link: left as written
    assert markdown("<b>") == "&lt;b>"
    assert markdown("[x](javascript:y)") == "[x]\\(javascript:y)"
    assert markdown("![i](http://e/i.png)") == "!\\[i]\\(http://e/i.png)"
    assert markdown("[d]: http://e") == "[d]\\: http://e"
    assert inert_markdown("see http://e.example/x.", ["http://e.example/x"]) == (
        "see http://e.example/x."
    )
    assert inert_markdown("see http://e.example/y and www.e.example") == (
        "see http\\://e.example/y and www\\.e.example"
    )
    assert inert_markdown("(https://e.example/a_(b))", ["https://e.example/a_(b)"]) == (
        "(https://e.example/a_(b))"
    )


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_a_csv_cell_never_starts_a_formula(lead: str) -> None:
    cell = csv_cell(f"{lead}SUM(A1)")
    assert cell == ("\\x0dSUM(A1)" if lead == "\r" else f"'{lead}SUM(A1)")  # CR: shown, inert
