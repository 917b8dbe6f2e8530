"""`rmcli refs`: every reference or a therapy's, in each format, read back by real parsers."""

from __future__ import annotations

import io
import json
import os
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import rispy  # type: ignore[import-untyped]
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

from rmcli.cli.run import run
from rmcli.environment import Environment
from rmcli.kb import KnowledgeBase

DATA = Path(__file__).resolve().parents[2] / "data"
REFERENCES = tomllib.loads((DATA / "references.toml").read_text(encoding="utf-8"))
PROMISE = REFERENCES["promise-2015"]
FAKE = "import sys; open(sys.argv[1], 'wb').write(sys.stdin.buffer.read())"


def ids(fmt: str, out: str) -> list[str]:
    """The reference ids of an export, in order, read by the format's own parser."""
    if fmt == "bibtex":
        return [entry.key for entry in parse_string(out).entries]
    if fmt == "ris":
        return [record["id"] for record in rispy.loads(out)]
    if fmt == "csl-json":
        return [item["id"] for item in json.loads(out)]
    raise AssertionError(fmt)


def export(run_cli: Any, *args: str) -> str:
    code, out, err = run_cli("refs", *args)
    assert (code, err) == (0, ""), err
    return out


# -- what is exported --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json"])
def test_without_a_therapy_every_reference_sorted_by_id(run_cli: Any, fmt: str) -> None:
    assert ids(fmt, export(run_cli, "--format", fmt)) == sorted(REFERENCES)


def test_text_is_the_default_one_line_per_reference(run_cli: Any) -> None:
    out = export(run_cli)
    assert out == export(run_cli, "--format", "text")
    lines = out.splitlines()
    assert len(lines) == len(REFERENCES)
    promise = next(line for line in lines if "progesterone in women with recurrent" in line)
    assert promise.startswith("Coomarasamy A, Williams H, Truchanowicz E, Seed PT")
    assert "N Engl J Med 2015;373:2141-8" in promise
    assert promise.endswith("doi:10.1056/NEJMoa1504927")


def test_a_therapys_references_in_first_use_order_each_once(run_cli: Any) -> None:
    prog = ids("ris", export(run_cli, "progesterone", "--format", "ris"))
    ivig = ids("ris", export(run_cli, "ivig", "--format", "ris"))
    assert len(prog) == len(set(prog)) and "promise-2015" in prog and "prism-2019" in prog
    assert prog[0] == "nice-ng126"  # the overall verdict's first reference comes first
    assert set(prog) < set(REFERENCES)
    both = ids("ris", export(run_cli, "progesterone", "ivig", "--format", "ris"))
    assert both == prog + [r for r in ivig if r not in prog]
    assert len(both) == len(set(both)) and set(prog) & set(ivig)  # shared ones appear once


def test_a_therapys_references_are_every_one_it_cites(run_cli: Any, kb: KnowledgeBase) -> None:
    text = (DATA / "therapies" / "progesterone.toml").read_text(encoding="utf-8")
    cited: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            cited.update(node.get("refs", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tomllib.loads(text))
    assert set(ids("csl-json", export(run_cli, "progesterone", "-f", "csl-json"))) == cited


def test_names_resolve_like_show_and_a_repeat_is_exported_once(run_cli: Any) -> None:
    by_id = export(run_cli, "ivig", "--format", "ris")
    assert export(run_cli, "IVIG", "intravenous immunoglobulin", "--format", "ris") == by_id


def test_an_unknown_therapy_is_a_usage_error_with_a_suggestion(run_cli: Any) -> None:
    code, out, err = run_cli("refs", "progestrone", "--format", "bibtex")
    assert (code, out) == (2, "")
    first, hint = err.splitlines()
    assert first == "rmcli: error: no therapy named 'progestrone'"
    assert hint.startswith("hint: did you mean progesterone")


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html", "svg"])
def test_other_formats_are_refused_with_the_allowed_list(run_cli: Any, fmt: str) -> None:
    code, out, err = run_cli("refs", "--format", fmt)
    assert (code, out) == (2, "")
    assert err == (
        f"rmcli: error: refs cannot write {fmt}\n"
        "hint: --format is one of: text, bibtex, ris, csl-json\n"
    )


def test_a_format_close_to_one_refs_writes_gets_a_did_you_mean(run_cli: Any) -> None:
    code, out, err = run_cli("refs", "--format", "json")
    assert (code, out) == (2, "")
    assert err == "rmcli: error: refs cannot write json\nhint: did you mean csl-json?\n"


# -- round trips through the real command line -------------------------------------------------


def test_bibtex_reads_back_with_bibtexparser(run_cli: Any) -> None:
    library = parse_string(
        export(run_cli, "progesterone", "--format", "bibtex"),
        append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()],
    )
    assert not library.failed_blocks
    entry = library.entries_dict["promise-2015"]
    assert entry.entry_type == "article"
    fields = {f.key: f.value for f in entry.fields}
    assert fields["title"].strip("{}") == PROMISE["title"]
    assert fields["journal"] == PROMISE["journal"]
    assert (fields["year"], fields["volume"]) == (str(PROMISE["year"]), PROMISE["volume"])
    assert (fields["pages"], fields["doi"]) == (PROMISE["pages"], PROMISE["doi"])
    names = [(" ".join(n.last), " ".join(n.first)) for n in fields["author"]]
    assert names[:2] == [("Coomarasamy", "A."), ("Williams", "H.")]
    assert names[len(PROMISE["authors"]) :] == ([("others", "")] if PROMISE.get("et_al") else [])


def test_ris_reads_back_with_rispy(run_cli: Any) -> None:
    records = {r["id"]: r for r in rispy.loads(export(run_cli, "--format", "ris"))}
    assert set(records) == set(REFERENCES)
    promise = records["promise-2015"]
    assert promise["type_of_reference"] == "JOUR"
    assert promise["title"] == PROMISE["title"]
    assert promise["secondary_title"] == PROMISE["journal"]
    assert promise["authors"][0] == "Coomarasamy, A."
    assert (promise["year"], promise["volume"]) == ("2015", "373")
    assert (promise["start_page"], promise["end_page"]) == ("2141", "2148")
    assert promise["doi"] == PROMISE["doi"]
    with_pmid = next(key for key, ref in REFERENCES.items() if ref.get("pmid"))
    assert records[with_pmid]["accession_number"] == REFERENCES[with_pmid]["pmid"]


def test_csl_json_reads_back_as_json(run_cli: Any) -> None:
    items = {i["id"]: i for i in json.loads(export(run_cli, "--format", "csl-json"))}
    assert set(items) == set(REFERENCES)
    promise = items["promise-2015"]
    assert promise["type"] == "article-journal"
    assert promise["title"] == PROMISE["title"]
    assert promise["container-title"] == PROMISE["journal"]
    assert promise["issued"] == {"date-parts": [[2015]]}
    assert promise["author"][0] == {"family": "Coomarasamy", "given": "A."}
    assert (promise["volume"], promise["page"], promise["DOI"]) == ("373", "2141-8", PROMISE["doi"])
    for key, ref in REFERENCES.items():
        if ref.get("pmid"):
            assert items[key]["PMID"] == ref["pmid"]


# -- output: no pager for files, lazy imports --------------------------------------------------


def at_a_terminal(tmp_path: Path, *args: str) -> tuple[str, str]:
    """(stdout, what the pager got) for `rmcli ARGS` at a 24-line terminal."""
    target = tmp_path / "paged.txt"
    pager = f"{shlex.quote(sys.executable)} -c {shlex.quote(FAKE)} {shlex.quote(str(target))}"
    environ = {**os.environ, "RMCLI_PAGER": pager}
    out = io.StringIO()
    env = Environment(stdout=out, stderr=io.StringIO(), environ=environ, stdout_isatty=True)
    env.size = (80, 24)
    assert run(list(args), env=env) == 0
    return out.getvalue(), target.read_text(encoding="utf-8") if target.exists() else ""


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json"])
def test_files_for_reference_managers_are_never_paged(tmp_path: Path, fmt: str) -> None:
    out, paged = at_a_terminal(tmp_path, "refs", "--format", fmt)
    assert paged == ""
    assert len(ids(fmt, out)) == len(REFERENCES)


def test_the_text_list_is_paged_at_a_terminal_like_any_reading(tmp_path: Path) -> None:
    out, paged = at_a_terminal(tmp_path, "refs")
    assert out == ""
    assert len(paged.splitlines()) == len(REFERENCES)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["refs"], set()),
        (["refs", "ivig", "--format", "csl-json"], set()),
        (["show", "ivig"], set()),
        (["list"], set()),
        (["refs", "--format", "ris"], {"rispy"}),
        (["refs", "--format", "bibtex"], {"pylatexenc"}),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_the_export_libraries_are_imported_only_for_their_format(
    args: list[str], expected: set[str]
) -> None:
    code = (
        "import sys\nfrom rmcli.cli.run import run\n"
        f"assert run({args!r}) == 0\n"
        "loaded = {'bibtexparser', 'rispy', 'pylatexenc'} & set(sys.modules)\n"
        f"assert loaded == {expected!r}, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
