"""Finding, reading and loading a knowledge base."""

from __future__ import annotations

import os
from pathlib import Path

import contract
import pytest

from rmcli.cli.run import exit_code
from rmcli.environment import Environment
from rmcli.errors import ExitCode, RmcliError
from rmcli.kb import InvalidKnowledgeBase, KnowledgeBase
from rmcli.kb import load as loader
from rmcli.kb.check import target, validate
from rmcli.kb.files import locate
from rmcli.kb.load import bundled, label, load, parse_file, read_file

DOMAIN_IDS = contract.THERAPY_IDS


def test_bundled_knowledge_base_loads(kb: KnowledgeBase) -> None:
    assert kb.manifest.version
    assert kb.manifest.disclaimer
    assert {t.id for t in kb.therapies} >= DOMAIN_IDS


def test_bundled_label() -> None:
    assert label(bundled()) == "(bundled)"


def test_locate_prefers_option_then_environment(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    assert locate(*Environment(environ={}).kb_location(None)) == bundled()
    chosen = Environment(environ={"RMCLI_KB": str(other)})
    assert locate(*chosen.kb_location(None)) == other
    assert locate(*chosen.kb_location(str(tmp_path))) == tmp_path


@pytest.mark.parametrize(("option", "source"), [("missing", "--kb"), (None, "$RMCLI_KB")])
def test_locate_names_the_source_of_a_missing_directory(
    tmp_path: Path, option: str | None, source: str
) -> None:
    missing = str(tmp_path / "nope")
    env = Environment(environ={"RMCLI_KB": missing})
    with pytest.raises(RmcliError) as caught:
        locate(*env.kb_location(missing if option else None))
    assert exit_code(caught.value) == ExitCode.INVALID_KB
    assert caught.value.message.startswith(f"{source}: no such directory")


def test_copy_loads_like_the_original(kb: KnowledgeBase, kb_copy: Path) -> None:
    copy = load(kb_copy)
    assert copy == kb
    assert label(kb_copy) == str(kb_copy)


def test_a_file_is_not_a_knowledge_base(kb_copy: Path) -> None:
    with pytest.raises(RmcliError) as caught:
        load(kb_copy / "kb.toml")
    assert exit_code(caught.value) == ExitCode.INVALID_KB


def test_missing_section_file_is_reported(kb_copy: Path) -> None:
    (kb_copy / "vocabulary.toml").unlink()
    with pytest.raises(InvalidKnowledgeBase) as caught:
        load(kb_copy)
    assert any(
        p.file == "vocabulary.toml" and "does not exist" in p.message for p in caught.value.problems
    )


def test_malformed_toml_reports_file_and_line(kb_copy: Path) -> None:
    path = kb_copy / "therapies" / "ivig.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = "summary = = broken"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InvalidKnowledgeBase) as caught:
        load(kb_copy)
    (problem,) = caught.value.problems
    assert problem.file == "therapies/ivig.toml"
    assert "not valid TOML" in problem.message
    assert "line 5" in problem.message


def test_non_utf8_file_is_reported(kb_copy: Path) -> None:
    (kb_copy / "kb.toml").write_bytes(b'version = "1"\ntitle = "caf\xe9"\n')
    with pytest.raises(InvalidKnowledgeBase) as caught:
        load(kb_copy)
    (problem,) = caught.value.problems
    assert problem.file == "kb.toml"
    assert "not UTF-8" in problem.message


def test_oversized_file_is_refused(kb_copy: Path) -> None:
    big = kb_copy / "therapies" / "huge.toml"
    big.write_bytes(b"# padding\n" * (loader.MAX_FILE_BYTES // 10 + 1))
    with pytest.raises(InvalidKnowledgeBase) as caught:
        load(kb_copy)
    (problem,) = caught.value.problems
    assert problem.file == "therapies/huge.toml"
    assert "5 MB limit" in problem.message


def test_total_size_budget_is_enforced(kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_KB_BYTES", 100_000)
    with pytest.raises(InvalidKnowledgeBase) as caught:
        load(kb_copy)
    assert all("limit; refused" in p.message for p in caught.value.problems)
    assert caught.value.problems


def test_read_file_and_parse_file_report_problems_not_exceptions(tmp_path: Path) -> None:
    raw, problems = read_file(tmp_path / "absent.toml", "absent.toml", 1 << 20)
    assert raw is None
    assert problems[0].file == "absent.toml"
    data, problems = parse_file(b"a = 1\nb = = 2\n", "x.toml")
    assert data is None
    assert "line 2" in problems[0].message
    data, problems = parse_file(b"a = 1\n", "x.toml")
    assert data == {"a": 1}
    assert problems == []


def test_non_toml_files_in_therapies_are_ignored(kb_copy: Path, kb: KnowledgeBase) -> None:
    (kb_copy / "therapies" / "README.md").write_text("notes", encoding="utf-8")
    (kb_copy / "therapies" / "ivig.toml.bak").write_text("= broken", encoding="utf-8")
    assert len(load(kb_copy).therapies) == len(kb.therapies)


def test_extra_file_replaces_the_therapy_of_the_same_name(kb_copy: Path, tmp_path: Path) -> None:
    source = (kb_copy / "therapies" / "ivig.toml").read_text(encoding="utf-8")
    extra = tmp_path / "elsewhere" / "ivig.toml"
    extra.parent.mkdir()
    extra.write_text(source.replace('name = "Intravenous immunoglobulin"', 'name = "Renamed"'))
    kb = load(kb_copy, extra=extra)
    assert next(t for t in kb.therapies if t.id == "ivig").name == "Renamed"


def test_validate_accepts_a_directory_a_therapy_file_or_a_section_file(kb_copy: Path) -> None:
    _, root = validate(kb_copy, bundled(), None)
    assert root == kb_copy
    therapy_file = kb_copy / "therapies" / "heparin.toml"
    kb, root = validate(therapy_file, bundled(), None)
    assert root == therapy_file
    assert any(t.id == "heparin" for t in kb.therapies)
    _, root = validate(kb_copy / "references.toml", bundled(), None)
    assert root == kb_copy
    assert target(kb_copy / "references.toml", bundled()) == (kb_copy, None)


def test_validating_a_missing_path_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(RmcliError) as caught:
        validate(tmp_path / "missing.toml", bundled(), None)
    assert exit_code(caught.value) == ExitCode.FILE_ERROR
    assert caught.value.message == f"no such file or directory: {tmp_path / 'missing.toml'}"


def test_validating_a_device_or_a_fifo_says_what_it_is(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for path, kind in ((Path("/dev/zero"), "a character device"), (fifo, "a FIFO (named pipe)")):
        with pytest.raises(RmcliError) as caught:
            validate(path, bundled(), None)
        assert exit_code(caught.value) == ExitCode.FILE_ERROR
        assert caught.value.message == f"{path}: not a regular file ({kind})"


def test_single_file_is_checked_against_its_own_knowledge_base(kb_copy: Path) -> None:
    """A therapy file inside a KB copy resolves references against that copy, not the bundle."""
    references = kb_copy / "references.toml"
    references.write_text(
        references.read_text(encoding="utf-8")
        + '\n[only-in-copy]\ntitle = "A reference that exists only in the copy."\n',
        encoding="utf-8",
    )
    kb, _ = validate(kb_copy / "therapies" / "ivig.toml", bundled(), None)
    assert "only-in-copy" in kb.references


def test_invalid_knowledge_base_error_carries_every_problem(kb_copy: Path) -> None:
    (kb_copy / "kb.toml").write_text('version = 1\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(InvalidKnowledgeBase) as caught:
        load(kb_copy)
    error = caught.value
    assert exit_code(error) == ExitCode.INVALID_KB
    paths = {p.path for p in error.problems}
    assert paths == {"version", "colour", "date", "title", "disclaimer"}
    assert len(error.details) == len(error.problems) == 5
    assert "(5 problems)" in error.message
    assert error.hint is not None
    assert str(kb_copy) in error.hint
