"""The documentation says what the code does: the profile format, the headline rule, and how
to add a format or a command."""

from __future__ import annotations

import re
from pathlib import Path

import contract

from rmcli.kb import KnowledgeBase
from rmcli.kb.headline import STRENGTH_ORDER, SUBGROUP_MARKERS
from rmcli.profile import ALLOWED_KEYS, FORMAT_HELP

DOCS = Path(__file__).resolve().parents[1] / "docs"
CORE_CONDITIONS = [  # ../shared/domain.md section 3
    *("diabetes", "hypertension", "latent-tb", "active-infection", "hepatitis-b", "hiv"),
    *("iga-deficiency", "hit-history", "bleeding-disorder", "thrombosis-history"),
    *("renal-impairment", "aspirin-allergy", "peptic-ulcer", "heart-failure"),
    *("demyelinating-disease", "osteoporosis", "egg-soy-allergy"),
]


def code_spans(text: str) -> set[str]:
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    return set(re.findall(r"`([^`\n]+)`", prose))


def test_profile_errors_point_to_a_page_that_exists() -> None:
    assert "docs/profile.md" in FORMAT_HELP
    assert (DOCS / "profile.md").is_file()


def test_the_profile_page_documents_every_key_finding_and_value(kb: KnowledgeBase) -> None:
    text = (DOCS / "profile.md").read_text(encoding="utf-8")
    spans = code_spans(text)
    assert set(ALLOWED_KEYS) <= spans
    for finding, term in kb.vocabulary.findings.items():
        assert finding in spans, finding
        row = next(line for line in text.splitlines() if line.startswith(f"| `{finding}`"))
        for value in term.values:
            assert f"`{value}`" in row, (finding, value)
    assert set(kb.vocabulary.autoimmune) <= spans
    assert set(CORE_CONDITIONS) <= spans
    assert set(contract.THERAPY_IDS) <= spans
    older = text.split("\n## Older schemas\n", 1)[1]
    assert "Schema 1 files" in older and "schema 2 files" in older


def test_the_headline_rule_is_documented_as_coded() -> None:
    text = (DOCS / "kb-format.md").read_text(encoding="utf-8")
    section = text.split("### Headline stance and key estimate", 1)[1].split("### ", 1)[0]
    flat = " ".join(section.split())
    for marker in SUBGROUP_MARKERS:
        assert marker in flat or marker.replace("does not", "do not") in flat, marker
    for strength in STRENGTH_ORDER:
        assert f"`{strength}`" in section


def test_the_adding_a_command_example_is_the_code() -> None:
    """The "Adding a command" example matches rmcli.cli.refs as it is: the same parameters, in
    order, the calls it makes, and the file and line where the command table is extended."""
    import inspect

    from rmcli.cli import refs

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Adding a format or a command", 1)[1].split("\n## ", 1)[0]
    example = section.split("```python", 1)[1].split("```", 1)[0]
    signature = example.split("def refs(", 1)[1].split(") -> None:", 1)[0]
    documented = re.findall(r"^\s+(\w+): ", signature, flags=re.MULTILINE)
    assert documented == list(inspect.signature(refs.refs).parameters)
    source = inspect.getsource(refs)
    body = example.split('"""', 2)[2]
    for call in re.findall(r"\b([\w.]+)\(", body):
        assert f"{call}(" in source, call
    table = re.search(r"Add one line to `COMMANDS` in `([^`]+)` \(`([^`]+)`\)", section)
    assert table is not None
    assert table.group(2) in (DOCS.parent / table.group(1)).read_text(encoding="utf-8")


def test_the_layer_table_names_every_module() -> None:
    """docs/architecture.md places every module of src/rmcli in its layer."""
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    source = DOCS.parent / "src"
    for path in sorted((source / "rmcli").rglob("*.py")):
        parts = path.relative_to(source).with_suffix("").parts
        name = ".".join(parts)
        if len(parts) <= 2 or (parts[-1] == "__init__" and len(parts) == 3):
            assert f"`{name.removesuffix('.__init__')}`" in text or f"`{name}`" in text, name
            continue
        package = ".".join(parts[:2])
        row = next(line for line in rows if f"`{package}`" in line)
        assert f"`{parts[-1] if parts[-1] != '__init__' else parts[-2]}`" in row, name
