"""The editorial lint: shown text speaks about the therapy, and each fact is said once."""

from __future__ import annotations

import tomllib
from pathlib import Path

import msgspec
import pytest
import tomli_w
from builders import study

from rmcli.kb import lint
from rmcli.kb.check import validate
from rmcli.kb.load import bundled, load
from rmcli.kb.model import Reference
from rmcli.kb.problems import InvalidKnowledgeBase

KB = load(bundled())


def test_the_bundled_knowledge_base_passes_the_lint() -> None:
    problems = [p for t in KB.therapies for p in lint.therapy_findings(t)]
    problems += [p for r_id, r in KB.references.items() for p in lint.reference_findings(r_id, r)]
    assert problems == []


@pytest.mark.parametrize(
    "text",
    [
        "Only the abstract was read.",
        "Position not retrievable from the excerpts available.",
        "The seed review proposes it.",
        "Live birth (as labelled on the fact sheet).",
        "Honest bottom line: unproven.",
        "It was read in a partly garbled copy.",
    ],
)
def test_process_phrases_are_found_in_any_shown_field(text: str) -> None:
    therapy = msgspec.structs.replace(KB.therapies[0], summary=text)
    found = list(lint.therapy_findings(therapy))
    assert [path for path, _ in found] == [f"{therapy.id}.summary"]
    assert "move that to `note`" in found[0][1]


def test_notes_are_for_that_story_and_are_not_checked() -> None:
    claim = msgspec.structs.replace(KB.therapies[0].mechanism, note="Only the abstract was read.")
    therapy = msgspec.structs.replace(KB.therapies[0], mechanism=claim)
    assert list(lint.therapy_findings(therapy)) == []


@pytest.mark.parametrize(
    ("result", "repeated"),
    [
        ("Peto OR 0.98 (95% CI 0.61-1.58); no benefit over placebo.", True),
        ("RR 1.25 (95% CI 1.00 to 1.56).", True),
        ("RR 1.25 (1-1.56)", True),
        ("Subgroup RR 0.77 (0.58-1.02).", False),
        ("23/42 (54.8%) vs 20/40 (50.0%).", False),
        ("No clear difference.", False),
    ],
)
def test_a_result_repeating_its_structured_estimate(result: str, repeated: bool) -> None:
    fields = {"measure": "RR", "direction": "higher-better", "result": result}
    numbers = {"estimate": 0.98, "ci_low": 0.61, "ci_high": 1.58}
    if "1.25" in result:
        numbers = {"estimate": 1.25, "ci_low": 1.0, "ci_high": 1.56}
    assert lint.repeated_estimate(study(**fields, **numbers)) is repeated


def test_a_study_without_an_estimate_never_repeats_one() -> None:
    assert not lint.repeated_estimate(study(result="RR 0.98 (0.61-1.58)"))


def test_identifiers_written_into_the_citation_text() -> None:
    ref = Reference(title="A trial. doi:10.1/abc PMID 12345", doi="10.1/abc", pmid="12345")
    messages = [message for _, message in lint.reference_findings("r", ref)]
    assert len(messages) == 2
    assert any("DOI" in m for m in messages) and any("PMID" in m for m in messages)
    clean = Reference(title="A trial", doi="10.1/abc", pmid="12345")
    assert list(lint.reference_findings("r", clean)) == []


def test_kb_validate_reports_lint_problems_with_file_and_path(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(Path(str(bundled())), root)
    path = root / "therapies" / "ivig.toml"
    data = tomllib.loads(path.read_text("utf-8"))
    data["summary"] = "Only the abstract was read."
    path.write_text(tomli_w.dumps(data), "utf-8")
    assert load(root).therapies  # the wording is not checked on every load ...
    with pytest.raises(InvalidKnowledgeBase) as caught:
        validate(root, bundled(), None)  # ... but by `kb validate`
    (problem,) = caught.value.problems
    assert (problem.file, problem.path) == ("therapies/ivig.toml", "ivig.summary")


@pytest.mark.parametrize(
    "text",
    [
        "No data in this knowledge base on the cost.",
        "Aspirin dose not reported in this knowledge base.",
        "Live birth (presumed; outcome not named).",
        "A claim (UNVERIFIED).",
        "No guideline position on it is verified.",
        "Editorial judgement: unproven.",
    ],
)
def test_text_about_the_knowledge_base_itself_fails_kb_validate(tmp_path: Path, text: str) -> None:
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(Path(str(bundled())), root)
    path = root / "therapies" / "ivig.toml"
    data = tomllib.loads(path.read_text("utf-8"))
    data["caveats"][0]["text"] = text
    path.write_text(tomli_w.dumps(data), "utf-8")
    with pytest.raises(InvalidKnowledgeBase) as caught:
        validate(root, bundled(), None)
    (problem,) = caught.value.problems
    assert problem.path.startswith("ivig.caveats")
    assert "speaks about the knowledge base" in problem.message


def test_kb_validate_lists_wording_and_cross_reference_problems_together(
    tmp_path: Path,
) -> None:
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(Path(str(bundled())), root)
    path = root / "therapies" / "ivig.toml"
    data = tomllib.loads(path.read_text("utf-8"))
    data["summary"] = "Only the abstract was read."
    data["overall"]["refs"] = ["no-such-reference"]
    path.write_text(tomli_w.dumps(data), "utf-8")
    with pytest.raises(InvalidKnowledgeBase) as caught:
        validate(root, bundled(), None)
    paths = {problem.path for problem in caught.value.problems}
    assert paths == {"ivig.summary", "ivig.overall.refs"}
