"""Shell completion of therapy names: ids and one-word aliases, fast, never validating."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

from rmcli.environment import Environment
from rmcli.kb import KnowledgeBase
from rmcli.kb.cache import CACHE_FORMAT, Entry
from rmcli.kb.cache import load_cached as load_cached_in
from rmcli.kb.load import InvalidKnowledgeBase, bundled, load
from rmcli.kb.names import completion_names as completion_names_in

RMCLI = Path(sys.executable).parent / "rmcli"


def completion_names(root: Path | Any) -> list[str]:
    return completion_names_in(root, Environment().cache_folder())


def load_cached(root: Path | Any) -> KnowledgeBase:
    return load_cached_in(root, Environment().cache_folder())


Edit = Callable[[str, Callable[[dict[str, Any]], object]], Path]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty cache folder for this test only."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("RMCLI_CACHE_DIR", str(folder))
    monkeypatch.delenv("RMCLI_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def no_full_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything parses and validates the whole knowledge base."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("completion loaded and validated the knowledge base")

    monkeypatch.setattr("rmcli.kb.load.load", refuse)
    monkeypatch.setattr("rmcli.kb.cache.load_cached", refuse)


def cache_entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("kb-*")) if folder.exists() else []


def expected_names(kb: KnowledgeBase) -> set[str]:
    return {
        name
        for t in kb.therapies
        for name in (t.id, *t.aliases)
        if not any(ch.isspace() for ch in name)
    }


def check_names(names: list[str], kb: KnowledgeBase) -> None:
    assert len(names) == len(set(names))
    assert set(names) == expected_names(kb)
    assert {t.id for t in kb.therapies} <= set(names)
    folded = {n.casefold() for n in names}
    assert {"lmwh", "hcq", "ivig", "lda", "g-csf", "fk506"} <= folded
    assert not [n for n in names if any(ch.isspace() for ch in n)]
    assert "low-molecular-weight heparin" not in names  # has spaces: not one shell word


# -- completion_names --------------------------------------------------------------------------


def test_cold_cache_offers_ids_and_one_word_aliases_without_loading(
    kb: KnowledgeBase, cache: Path, no_full_load: None
) -> None:
    names = completion_names(bundled())
    check_names(names, kb)
    assert cache_entries(cache) == []  # nothing was loaded, so nothing was cached


def test_warm_cache_is_used_and_no_toml_is_parsed(
    kb: KnowledgeBase, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm_entry(cache)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm cache must not parse TOML")

    monkeypatch.setattr("rtoml.loads", refuse)
    monkeypatch.setattr("rmcli.kb.load.load", refuse)
    check_names(completion_names(bundled()), kb)


def warm_entry(cache: Path) -> Path:
    """Warm the cache with the bundled knowledge base; the one entry written."""
    load_cached(bundled())
    (entry,) = cache.glob("kb-*")
    return entry


def test_warm_cache_entry_is_what_completion_reads(
    kb: KnowledgeBase, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plant a recognisable alias in the cache entry for these exact files: it is offered."""
    entry = warm_entry(cache)
    heparin = next(t for t in kb.therapies if t.id == "heparin")
    marked = msgspec.structs.replace(heparin, aliases=[*heparin.aliases, "from-the-cache"])
    planted = msgspec.structs.replace(
        kb, therapies=[marked if t.id == "heparin" else t for t in kb.therapies]
    )
    header = len(CACHE_FORMAT)
    stored = msgspec.msgpack.decode(entry.read_bytes()[header + 4 :], type=Entry)
    body = msgspec.msgpack.encode(msgspec.structs.replace(stored, kb=planted))
    entry.write_bytes(CACHE_FORMAT + zlib.crc32(body).to_bytes(4, "big") + body)
    monkeypatch.setattr("rmcli.kb.load.load", _refuse)
    assert "from-the-cache" in completion_names(bundled())


def test_a_corrupt_cache_entry_falls_back_to_reading_the_files(
    kb: KnowledgeBase, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm_entry(cache).write_bytes(b"\x00 not msgpack")
    monkeypatch.setattr("rmcli.kb.load.load", _refuse)
    check_names(completion_names(bundled()), kb)


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("completion loaded and validated the knowledge base")


def test_completion_works_with_the_cache_disabled(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, no_full_load: None
) -> None:
    monkeypatch.setenv("RMCLI_NO_CACHE", "1")
    check_names(completion_names(bundled()), kb)


def test_completion_does_not_validate(
    kb_copy: Path, edit_therapy: Edit, cache: Path, no_full_load: None
) -> None:
    """A semantic error (a dangling reference) makes the KB invalid, yet names are offered."""
    edit_therapy("heparin", lambda d: d["overall"]["refs"].append("no-such-reference"))
    names = completion_names(kb_copy)
    assert {"heparin", "LMWH", "ivig", "HCQ"} <= set(names)
    assert cache_entries(cache) == []


def test_the_crafted_copy_really_is_invalid(kb_copy: Path, edit_therapy: Edit) -> None:
    edit_therapy("heparin", lambda d: d["overall"]["refs"].append("no-such-reference"))
    with pytest.raises(InvalidKnowledgeBase):
        load(kb_copy)


def test_unparsable_and_odd_files_never_break_completion(
    kb_copy: Path, edit_therapy: Edit, cache: Path
) -> None:
    (kb_copy / "therapies" / "ivig.toml").write_text("id = 'ivig\n[[broken", encoding="utf-8")
    (kb_copy / "therapies" / "bad-bytes.toml").write_bytes(b"\xff\xfe\x00id = 1")
    edit_therapy("heparin", lambda d: d.update(aliases=["LMWH", 7, ["x"], "two words", ""]))
    edit_therapy("tacrolimus", lambda d: d.pop("id"))
    edit_therapy("aspirin", lambda d: d.update(aliases="not a list"))
    names = completion_names(kb_copy)
    assert "ivig" not in names and "IVIG" not in names  # its file does not parse: skipped
    assert {"heparin", "LMWH", "tacrolimus", "aspirin", "prednisolone"} <= set(names)
    assert "two words" not in names and "" not in names and "7" not in names


def test_a_missing_therapies_folder_gives_no_names(tmp_path: Path, cache: Path) -> None:
    assert completion_names(tmp_path) == []


# -- through Typer's completion protocol, in a real process ------------------------------------


def complete(words: str, tmp_path: Path, shell: str = "bash", **env: str) -> list[str]:
    """Ask the installed console script for completions, as the shell's hook would."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    environ = {
        **{k: v for k, v in os.environ.items() if k not in ("RMCLI_KB", "COMP_WORDS")},
        "_RMCLI_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
        "_TYPER_COMPLETE_ARGS": words,
        "RMCLI_CACHE_DIR": str(tmp_path / "cache"),
        **env,
    }
    result = subprocess.run(
        [str(RMCLI)], env=environ, capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]


def test_console_script_exists() -> None:
    assert RMCLI.exists(), RMCLI


def test_bash_completes_show(tmp_path: Path) -> None:
    assert "ivig" in complete("rmcli show iv", tmp_path)
    assert cache_entries(tmp_path / "cache") == []  # completing did not load the KB


def test_bash_completes_evidence(tmp_path: Path) -> None:
    assert complete("rmcli evidence hep", tmp_path) == ["heparin"]
    assert set(complete("rmcli evidence LM", tmp_path)) == {"LMWH"}


def test_bash_completes_every_name_for_an_empty_word(kb: KnowledgeBase, tmp_path: Path) -> None:
    """Every id and one-word alias, each offered once whatever its case ("IVIG" = "ivig")."""
    offered = complete("rmcli show ", tmp_path)
    assert {name.casefold() for name in offered} == {n.casefold() for n in expected_names(kb)}
    assert len(offered) == len({name.casefold() for name in offered})


def test_bash_completes_compare(tmp_path: Path) -> None:
    """The issue asks for completion on show, compare and evidence."""
    assert "heparin" in complete("rmcli compare ivig hep", tmp_path)
    assert "ivig" in complete("rmcli compare iv", tmp_path)


def test_completion_ignores_case(tmp_path: Path) -> None:
    """Matches are case-insensitive; Typer keeps only values that start with what was typed,
    so each match comes back spelled with the typed prefix (names resolve in any case)."""
    assert "lmWH" in complete("rmcli show lm", tmp_path)
    assert "hcQ" in complete("rmcli evidence hc", tmp_path)
    offered = complete("rmcli show IV", tmp_path)
    assert offered and all(name.startswith("IV") for name in offered)
    assert len({name.casefold() for name in offered}) == len(offered)


def test_zsh_completes_show(tmp_path: Path) -> None:
    out = "\n".join(complete("rmcli show iv", tmp_path, shell="zsh"))
    assert out.startswith("_arguments")
    assert '"ivig"' in out


def test_completion_honours_kb_and_does_not_validate_it(
    kb_copy: Path, edit_therapy: Edit, tmp_path: Path
) -> None:
    edit_therapy("heparin", lambda d: d.update(aliases=["LMWH", "crafted-alias"]))
    edit_therapy("ivig", lambda d: d["overall"]["refs"].append("no-such-reference"))
    offered = complete(f"rmcli --kb {kb_copy} show cr", tmp_path)
    assert offered == ["crafted-alias"]
    assert "ivig" in complete(f"rmcli --kb {kb_copy} evidence iv", tmp_path)
    assert cache_entries(tmp_path / "cache") == []


def test_completion_with_a_missing_kb_offers_nothing_quietly(tmp_path: Path) -> None:
    assert complete(f"rmcli --kb {tmp_path / 'missing'} show iv", tmp_path) == []


def test_completing_never_imports_the_validator_or_the_renderer(tmp_path: Path) -> None:
    """The shipped console script, completing, leaves the modules that parse, validate and
    render a knowledge base unimported (a sitecustomize hook lists the modules at exit)."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import atexit, sys\n"
        "atexit.register(lambda: print('MODULES', *sorted(sys.modules), file=sys.stderr))\n",
        encoding="utf-8",
    )
    environ = {
        **os.environ,
        "_RMCLI_COMPLETE": "complete_bash",
        "COMP_WORDS": "rmcli evidence iv",
        "COMP_CWORD": "2",
        "RMCLI_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": str(hook),
    }
    result = subprocess.run(
        [str(RMCLI)], env=environ, capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ivig"]
    modules = set(result.stderr.split("MODULES", 1)[1].split())
    assert "rmcli.kb.cache" in modules
    loaded = modules & {
        "rmcli.kb.validate",
        "rmcli.kb.structure",
        "rmcli.kb.load",
        "rmcli.formats.terminal",
        "rmcli.cli.show",  # only the command being completed is imported
        "rmcli.cli.wizard",
        "rich",
    }
    assert loaded == set()
    assert "rmcli.cli.evidence" in modules


def test_show_completes_section_names(tmp_path: Path) -> None:
    assert complete("rmcli show ivig --section ev", tmp_path) == ["evidence"]
    assert set(complete("rmcli show ivig -s m", tmp_path)) == {
        "mechanism",
        "maternal-risks",
        "monitoring",
    }


def test_list_completes_targets_and_statuses(tmp_path: Path) -> None:
    assert set(complete("rmcli list --target T", tmp_path)) >= {"Treg", "TNF", "Th1/17", "Thyr"}
    assert "tregs" in complete("rmcli list --target tr", tmp_path)
    assert complete("rmcli list --status con", tmp_path) == ["conditional"]


def test_format_completes_only_the_commands_formats(tmp_path: Path) -> None:
    assert set(complete("rmcli show ivig --format ", tmp_path)) == {"table", "json", "markdown"}
    assert "csv" in complete("rmcli list --format c", tmp_path)
