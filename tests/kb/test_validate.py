"""Knowledge-base validation: the bundled KB is sound, and broken copies are reported well."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import contract
import msgspec
import pytest

from rmcli.kb import KnowledgeBase, Therapy, normalize
from rmcli.kb.load import load
from rmcli.kb.model import Match, Situation, Study
from rmcli.kb.validate import semantic_problems
from rmcli.kb.values import RATIO_MEASURES, REQUIRED_LISTS

SEED_WITH_RATIONALE = [
    "prednisolone",
    "ivig",
    "heparin",
    "aspirin",
    "tnf-inhibitors",
    "treg-transfer",
    "low-dose-il2",
]
DOMAIN_IDS = sorted(contract.THERAPY_IDS)


def cited_items(therapy: Therapy) -> Iterator[tuple[str, Any]]:
    """Every item of a therapy that carries refs, with a readable location."""
    yield "overall", therapy.overall
    yield "mechanism", therapy.mechanism
    if therapy.seed_rationale is not None:
        yield "seed_rationale", therapy.seed_rationale
    for section in (*REQUIRED_LISTS, "contraindications", "rules"):
        for index, item in enumerate(getattr(therapy, section)):
            yield f"{section}[{index}]", item


def by_id(kb: KnowledgeBase, therapy_id: str) -> Therapy:
    return next(t for t in kb.therapies if t.id == therapy_id)


# -- the bundled knowledge base ------------------------------------------------------------


def test_bundled_knowledge_base_validates_clean(kb: KnowledgeBase, run_cli: Any) -> None:
    assert semantic_problems(kb, {}) == []
    code, out, err = run_cli("kb", "validate")
    assert code == 0, out + err
    assert out == ""
    assert err.startswith("(bundled): valid")
    assert f"{len(kb.therapies)} therapies" in err


@pytest.mark.parametrize("therapy_id", DOMAIN_IDS)
def test_domain_therapy_exists_and_is_complete(kb: KnowledgeBase, therapy_id: str) -> None:
    therapy = by_id(kb, therapy_id)
    for section in REQUIRED_LISTS:
        assert getattr(therapy, section), f"{therapy_id}.{section} is empty"
    assert isinstance(therapy.last_reviewed, datetime.date)
    assert therapy.last_reviewed.year >= 2024
    assert therapy.summary.strip()
    assert therapy.targets


def test_every_reference_resolves(kb: KnowledgeBase) -> None:
    dangling = [
        (t.id, where, ref)
        for t in kb.therapies
        for where, item in cited_items(t)
        for ref in item.refs
        if ref not in kb.references
    ]
    for advice in [*kb.assessment.investigations, *kb.assessment.notes]:
        dangling += [("assessment", advice.id, r) for r in advice.refs if r not in kb.references]
    assert dangling == []


def test_only_unverified_claims_lack_references(kb: KnowledgeBase) -> None:
    uncited = [
        (t.id, where)
        for t in kb.therapies
        for where, item in cited_items(t)
        if not item.refs and item.checked != "unverified"
    ]
    assert uncited == []


def test_names_and_aliases_are_unique_across_therapies(kb: KnowledgeBase) -> None:
    owner: dict[str, str] = {}
    clashes = []
    for t in kb.therapies:
        for name in {normalize(n) for n in (t.id, t.name, *t.aliases)}:
            if owner.setdefault(name, t.id) != t.id:
                clashes.append((name, owner[name], t.id))
    assert clashes == []


@pytest.mark.parametrize("therapy_id", SEED_WITH_RATIONALE)
def test_seed_therapies_carry_the_seed_rationale(kb: KnowledgeBase, therapy_id: str) -> None:
    rationale = by_id(kb, therapy_id).seed_rationale
    assert rationale is not None
    assert "jaro-2025" in rationale.refs
    assert rationale.text.strip()


def test_unverified_guideline_rows_have_unknown_stance(kb: KnowledgeBase) -> None:
    rows = [(t.id, g) for t in kb.therapies for g in t.guidelines if g.checked == "unverified"]
    assert rows, "the bundled knowledge base has unverified guideline rows"
    assert [(tid, g.body, g.year) for tid, g in rows if g.stance != "unknown"] == []


def test_every_estimate_lies_within_its_confidence_interval(kb: KnowledgeBase) -> None:
    estimates = [(t.id, s) for t in kb.therapies for s in t.evidence if s.estimate is not None]
    assert estimates
    for therapy_id, s in estimates:
        where = f"{therapy_id}: {s.label}"
        assert s.ci_low is not None and s.ci_high is not None, where
        assert s.ci_low <= s.estimate <= s.ci_high, where
        assert s.measure is not None and s.direction is not None, where
        if s.measure in RATIO_MEASURES:
            assert s.ci_low > 0, where


def test_targets_and_conditions_come_from_the_vocabulary(kb: KnowledgeBase) -> None:
    for t in kb.therapies:
        assert set(t.targets) <= set(kb.vocabulary.targets), t.id
        for contra in t.contraindications:
            assert contra.condition in kb.vocabulary.conditions, (t.id, contra.condition)


# -- semantic checks on in-memory variants (fast, no files) --------------------------------


def variant(kb: KnowledgeBase, therapy_id: str, **changes: Any) -> KnowledgeBase:
    therapies = [
        msgspec.structs.replace(t, **changes) if t.id == therapy_id else t for t in kb.therapies
    ]
    return msgspec.structs.replace(kb, therapies=therapies)


def messages(kb: KnowledgeBase) -> list[str]:
    return [str(p) for p in semantic_problems(kb, {})]


def first_estimate(therapy: Therapy) -> tuple[int, Study]:
    return next((i, s) for i, s in enumerate(therapy.evidence) if s.estimate is not None)


def with_study(kb: KnowledgeBase, therapy_id: str, **changes: Any) -> KnowledgeBase:
    therapy = by_id(kb, therapy_id)
    index, study = first_estimate(therapy)
    evidence = list(therapy.evidence)
    evidence[index] = msgspec.structs.replace(study, **changes)
    return variant(kb, therapy_id, evidence=evidence)


def test_estimate_outside_ci_is_a_problem(kb: KnowledgeBase) -> None:
    _, study = first_estimate(by_id(kb, "ivig"))
    assert study.ci_high is not None
    found = messages(with_study(kb, "ivig", estimate=study.ci_high + 1))
    assert len(found) == 1
    assert f"ivig.evidence[{study.label}]" in found[0]
    assert "outside its CI" in found[0]


def test_ratio_measure_needs_a_positive_ci(kb: KnowledgeBase) -> None:
    found = messages(with_study(kb, "ivig", measure="RR", ci_low=-0.5))
    assert any("is a ratio; its CI must be above 0" in m for m in found)
    assert messages(with_study(kb, "ivig", measure="MD", ci_low=-0.5, estimate=0.0)) == []


def test_partial_estimate_is_a_problem(kb: KnowledgeBase) -> None:
    found = messages(with_study(kb, "ivig", direction=None))
    assert len(found) == 1
    assert "together" in found[0]


def test_empty_required_list_is_a_problem_and_other_lists_may_be_empty(kb: KnowledgeBase) -> None:
    assert messages(variant(kb, "ivig", monitoring=[], cost=[], guidelines=[])) == []
    found = messages(variant(kb, "ivig", evidence=[]))
    assert found == ["therapies/ivig.toml: ivig.evidence: empty; at least one entry is required"]


def test_uncited_claim_must_be_unverified(kb: KnowledgeBase) -> None:
    mechanism = by_id(kb, "ivig").mechanism
    found = messages(variant(kb, "ivig", mechanism=msgspec.structs.replace(mechanism, refs=[])))
    assert found == [
        "therapies/ivig.toml: ivig.mechanism.refs: no reference; "
        "only a claim with checked = 'unverified' may have none"
    ]
    unverified = msgspec.structs.replace(mechanism, refs=[], checked="unverified")
    assert messages(variant(kb, "ivig", mechanism=unverified)) == []


def test_duplicate_study_labels_are_a_problem(kb: KnowledgeBase) -> None:
    evidence = by_id(kb, "ivig").evidence
    found = messages(variant(kb, "ivig", evidence=[*evidence, evidence[0]]))
    assert any("duplicate study label" in m for m in found)


def test_non_positive_participant_count_is_a_problem(kb: KnowledgeBase) -> None:
    found = messages(with_study(kb, "ivig", n=0))
    assert any(".n: found 0" in m for m in found)


def test_badly_formed_id_is_a_problem(kb: KnowledgeBase) -> None:
    found = messages(variant(kb, "ivig", id="IVIG_2"))
    assert any("ids are lower-case words joined by hyphens" in m for m in found)


def test_unknown_finding_in_a_rule_is_a_problem(kb: KnowledgeBase) -> None:
    therapy = by_id(kb, "ivig")
    assert therapy.rules, "ivig has decision rules"
    rule = therapy.rules[0]
    bad = msgspec.structs.replace(
        rule, when=msgspec.structs.replace(rule.when, findings={"aura": ["glowing"]})
    )
    found = messages(variant(kb, "ivig", rules=[bad, *therapy.rules[1:]]))
    assert any(f"ivig.rules[{rule.id}].when.findings.aura" in m for m in found)


def test_duplicate_alias_within_a_therapy(kb: KnowledgeBase) -> None:
    aliases = by_id(kb, "ivig").aliases
    found = messages(variant(kb, "ivig", aliases=[*aliases, aliases[0]]))
    assert any("is listed more than once" in m for m in found)


# -- broken copies through `rmcli --kb PATH kb validate` -----------------------------------


def problem_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.strip()]


def assert_clean_failure(code: int, out: str, err: str, count: int) -> list[str]:
    assert code == 3
    assert "Traceback" not in out + err
    lines = problem_lines(out)
    assert len(lines) == count, out
    assert err == f"rmcli: error: {count} problem{'s' if count > 1 else ''} found\n"
    return lines


def validate(run_cli: Any, kb_copy: Path) -> tuple[int, str, str]:
    code, out, err = run_cli("--kb", str(kb_copy), "kb", "validate")
    return int(code), str(out), str(err)


def test_malformed_toml_names_file_and_line(run_cli: Any, kb_copy: Path) -> None:
    path = kb_copy / "therapies" / "ivig.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[6] = "drug_class = [unclosed"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert line.startswith("therapies/ivig.toml: not valid TOML")
    assert "line 7" in line


def test_unknown_key_names_file_path_and_allowed_keys(
    run_cli: Any, kb_copy: Path, edit_therapy: Any
) -> None:
    edit_therapy("heparin", lambda t: t["evidence"][0].update(colour="red"))
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert line.startswith("therapies/heparin.toml: heparin.evidence[")
    assert "].colour: unknown key; allowed: label, kind, design" in line


def test_unknown_top_level_key(run_cli: Any, kb_copy: Path, edit_therapy: Any) -> None:
    edit_therapy("ivig", lambda t: t.update(colour="red"))
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert line.startswith("therapies/ivig.toml: ivig.colour: unknown key; allowed: id, name")


def test_wrong_type(run_cli: Any, kb_copy: Path, edit_therapy: Any) -> None:
    edit_therapy("ivig", lambda t: t.update(targets="nk-cells"))
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert line == "therapies/ivig.toml: ivig.targets: expected a list, found 'nk-cells'"


def test_unknown_enum_value_lists_allowed(run_cli: Any, kb_copy: Path, edit_therapy: Any) -> None:
    edit_therapy("ivig", lambda t: t["overall"].update(status="miracle"))
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert "ivig.overall.status: found 'miracle'; allowed: established, conditional" in line


def test_dangling_reference(run_cli: Any, kb_copy: Path, edit_therapy: Any) -> None:
    edit_therapy("ivig", lambda t: t["mechanism"].update(refs=["no-such-ref-2099"]))
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert line.startswith("therapies/ivig.toml: ivig.mechanism.refs: ")
    assert "unknown reference 'no-such-ref-2099'" in line


def test_unknown_target(run_cli: Any, kb_copy: Path, edit_therapy: Any) -> None:
    edit_therapy("ivig", lambda t: t["targets"].append("gremlins"))
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert "ivig.targets: unknown target 'gremlins'; allowed: nk-cells" in line


def test_unknown_condition(run_cli: Any, kb_copy: Path, edit_therapy: Any) -> None:
    edit_therapy("ivig", lambda t: t["contraindications"][0].update(condition="vampirism"))
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert "ivig.contraindications[vampirism].condition: unknown condition 'vampirism'" in line
    assert "iga-deficiency" in line


def test_duplicate_alias_across_two_therapies(
    run_cli: Any, kb_copy: Path, edit_therapy: Any
) -> None:
    edit_therapy("heparin", lambda t: t["aliases"].append("Privigen"))  # an IVIG brand
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert "'Privigen' already names therapy" in line
    assert "heparin" in line
    assert "ivig" in line


def test_normalized_alias_clash_across_therapies(
    run_cli: Any, kb_copy: Path, edit_therapy: Any
) -> None:
    edit_therapy("aspirin", lambda t: t["aliases"].append("H.C.Q."))
    code, out, err = validate(run_cli, kb_copy)
    lines = assert_clean_failure(code, out, err, count=len(problem_lines(out)))
    assert lines
    assert all("names must be unique" in line for line in lines)
    assert any("aspirin" in line and "hydroxychloroquine" in line for line in lines)


def test_therapy_id_must_match_file_name(run_cli: Any, kb_copy: Path) -> None:
    (kb_copy / "therapies" / "ivig.toml").rename(kb_copy / "therapies" / "ivig-2.toml")
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert line == "therapies/ivig-2.toml: ivig.id: must match the file name 'ivig-2'"


def test_unverified_guideline_with_a_stance(run_cli: Any, kb_copy: Path, edit_therapy: Any) -> None:
    def claim_a_stance(therapy: dict[str, Any]) -> None:
        row = next(g for g in therapy["guidelines"] if g["checked"] == "unverified")
        row["stance"] = "recommend"

    edit_therapy("ivig", claim_a_stance)
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert line.startswith("therapies/ivig.toml: ivig.guidelines[")
    assert "].stance: an unverified position must have stance = 'unknown'" in line


def test_estimate_outside_ci(run_cli: Any, kb_copy: Path, edit_therapy: Any) -> None:
    def move_estimate(therapy: dict[str, Any]) -> None:
        study = next(s for s in therapy["evidence"] if "estimate" in s)
        study["estimate"] = study["ci_low"] - 0.5

    edit_therapy("heparin", move_estimate)
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert "heparin.evidence[" in line
    assert "lies outside its CI" in line


def test_several_structural_problems_in_one_file_are_all_reported(
    run_cli: Any, kb_copy: Path, edit_therapy: Any
) -> None:
    def break_three_ways(therapy: dict[str, Any]) -> None:
        therapy["colour"] = "red"
        therapy["overall"]["status"] = "miracle"
        therapy["evidence"][0]["n"] = "many"

    edit_therapy("ivig", break_three_ways)
    lines = assert_clean_failure(*validate(run_cli, kb_copy), count=3)
    assert all(line.startswith("therapies/ivig.toml: ivig.") for line in lines)
    joined = "\n".join(lines)
    for path in ("ivig.colour", "ivig.overall.status", "].n: expected an integer"):
        assert path in joined


def test_several_semantic_problems_are_all_reported(
    run_cli: Any, kb_copy: Path, edit_therapy: Any
) -> None:
    def break_references(therapy: dict[str, Any]) -> None:
        therapy["targets"].append("gremlins")
        therapy["mechanism"]["refs"] = ["nope-1"]
        therapy["caveats"][0]["refs"] = ["nope-2"]

    edit_therapy("ivig", break_references)
    lines = assert_clean_failure(*validate(run_cli, kb_copy), count=3)
    joined = "\n".join(lines)
    for needle in ("'gremlins'", "'nope-1'", "'nope-2'"):
        assert needle in joined


def test_problems_in_several_files_are_all_reported(
    run_cli: Any, kb_copy: Path, edit_therapy: Any
) -> None:
    edit_therapy("ivig", lambda t: t.update(colour="red"))
    edit_therapy("aspirin", lambda t: t["overall"].update(certainty="total"))
    (kb_copy / "kb.toml").write_text(
        'version = "x"\ndate = 2026-12-01\ntitle = "t"\n', encoding="utf-8"
    )
    lines = assert_clean_failure(*validate(run_cli, kb_copy), count=3)
    assert {line.split(":")[0] for line in lines} == {
        "kb.toml",
        "therapies/ivig.toml",
        "therapies/aspirin.toml",
    }


def test_validate_a_single_therapy_file(run_cli: Any, kb_copy: Path) -> None:
    path = kb_copy / "therapies" / "ivig.toml"
    code, out, err = run_cli("kb", "validate", str(path))
    assert code == 0
    assert out == ""
    assert err.startswith(f"{path}: valid")


def test_validate_a_single_broken_therapy_file(
    run_cli: Any, kb_copy: Path, edit_therapy: Any
) -> None:
    path = edit_therapy("ivig", lambda t: t["mechanism"].update(refs=["nope"]))
    (line,) = assert_clean_failure(*run_cli("kb", "validate", str(path)), count=1)
    assert line.startswith(f"{path}: ivig.mechanism.refs: unknown reference 'nope'")


def test_validate_a_new_therapy_file_outside_a_knowledge_base(
    run_cli: Any, kb_copy: Path, tmp_path: Path
) -> None:
    """A draft file elsewhere is checked against the knowledge base in use."""
    draft = tmp_path / "drafts" / "ivig.toml"
    draft.parent.mkdir()
    draft.write_text((kb_copy / "therapies" / "ivig.toml").read_text(encoding="utf-8"))
    code, _, err = run_cli("kb", "validate", str(draft))
    assert code == 0, err
    draft.write_text('colour = "red"\n' + draft.read_text(encoding="utf-8"))
    (line,) = assert_clean_failure(*run_cli("kb", "validate", str(draft)), count=1)
    assert line.startswith(f"{draft}: ivig.colour: unknown key")


def test_validate_a_missing_path(run_cli: Any, tmp_path: Path) -> None:
    code, out, err = run_cli("kb", "validate", str(tmp_path / "nope.toml"))
    assert code == 5
    assert out == ""
    assert err.startswith("rmcli: error: no such file or directory")


@pytest.mark.parametrize(
    "command", [["list"], ["show", "ivig"], ["compare", "ivig", "heparin"], ["list", "-f", "json"]]
)
def test_other_commands_with_a_broken_kb_give_one_error_line_and_a_hint(
    run_cli: Any, kb_copy: Path, edit_therapy: Any, command: list[str]
) -> None:
    def break_twice(therapy: dict[str, Any]) -> None:
        therapy["colour"] = "red"
        therapy["targets"] = "nk-cells"

    edit_therapy("ivig", break_twice)
    code, out, err = run_cli("--kb", str(kb_copy), *command)
    assert code == 3
    assert out == ""
    first, hint = err.splitlines()
    assert first.startswith(f"rmcli: error: knowledge base {kb_copy} is invalid (2 problems)")
    assert "therapies/ivig.toml" in first
    assert hint == f"hint: run `rmcli kb validate {kb_copy}` to list every problem"


def test_problem_messages_cannot_steer_the_terminal(
    run_cli: Any, kb_copy: Path, edit_therapy: Any
) -> None:
    """A key name from a file is echoed in the problem: escapes and newlines must not pass."""
    edit_therapy("ivig", lambda t: t.update({"bad\x1b[2J\nkey": 1}))
    code, out, err = run_cli("--kb", str(kb_copy), "list")
    assert code == 3
    assert "\x1b" not in err
    assert len(err.splitlines()) == 2  # one error line plus the hint
    code, out, err = run_cli("--kb", str(kb_copy), "kb", "validate")
    assert code == 3
    assert "\x1b" not in out
    assert len(problem_lines(out)) == 1


def test_round_trip_of_a_copy_is_still_valid(kb_copy: Path, edit_therapy: Any) -> None:
    """The mutation helper itself does not break files (guards the tests above)."""
    for therapy_id in ("ivig", "heparin", "aspirin"):
        edit_therapy(therapy_id, lambda t: None)
    load(kb_copy)


def test_at_most_one_key_study_per_therapy(run_cli: Any, kb_copy: Path, edit_therapy: Any) -> None:
    def two_keys(t: dict[str, Any]) -> None:
        for study in t["evidence"][:2]:
            study["key"] = True

    edit_therapy("ivig", two_keys)
    (line,) = assert_clean_failure(*validate(run_cli, kb_copy), count=1)
    assert "ivig.evidence" in line and "at most one" in line


# -- release 2026.12.1: situations, headlines, what a view needs of a study ---------------


def with_situations(kb: KnowledgeBase, *situations: Situation) -> KnowledgeBase:
    assessment = msgspec.structs.replace(kb.assessment, situations=list(situations))
    return msgspec.structs.replace(kb, assessment=assessment)


def situation(**changes: Any) -> Situation:
    base: dict[str, Any] = {
        "id": "s",
        "name": "S",
        "when": Match(),
        "text": "RCOG 2023 advises it.",
        "refs": ["rcog-2023"],
        "checked": "primary",
    }
    return Situation(**{**base, **changes})


def test_a_situation_may_exclude_only_one_listed_before_it(kb: KnowledgeBase) -> None:
    first, later = situation(id="a", unless=["b"]), situation(id="b")
    assert messages(with_situations(kb, first, later)) == [
        "assessment.toml: situations[a].unless: 'b' is not a situation listed before this one"
    ]
    assert messages(with_situations(kb, later, situation(id="a", unless=["b"]))) == []


def test_a_situation_names_known_therapies_and_cites(kb: KnowledgeBase) -> None:
    found = messages(with_situations(kb, situation(therapies=["warfarin"], refs=["nope"])))
    assert found == [
        "assessment.toml: situations[s].refs: unknown reference 'nope'; add it to references.toml",
        "assessment.toml: situations[s].therapies: unknown therapy id 'warfarin'",
    ]


def test_alternatives_in_any_of_are_checked_like_the_rest(kb: KnowledgeBase) -> None:
    when = msgspec.convert({"any_of": [{"findings": {"nk_cells": ["high"]}}]}, Match)
    (problem,) = messages(with_situations(kb, situation(when=when)))
    assert "situations[s].when.any_of[#1].when.findings.nk_cells" in problem


def test_the_headline_must_agree_with_the_status(kb: KnowledgeBase) -> None:
    heparin = by_id(kb, "heparin")
    against = msgspec.structs.replace(heparin.overall, status="not-recommended")
    (problem,) = messages(variant(kb, "heparin", overall=against))
    assert problem.startswith("therapies/heparin.toml: heparin.overall.status: the headline")
    assert "contradicts status 'not-recommended'" in problem


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"outcome": None}, "a study with an estimate or arm counts must name its outcome"),
        ({"computed": True}, "set by the program for ratios from counts; remove it"),
        ({"control_risk": 1.5}, "found 1.5; a proportion between 0 and 1"),
        (
            {"key": True, "rpl": False},
            "key evidence must come from a recurrent-miscarriage population",
        ),
    ],
)
def test_what_a_view_needs_of_a_study(
    kb: KnowledgeBase, changes: dict[str, Any], message: str
) -> None:
    found = messages(with_study(kb, "ivig", **changes))
    assert any(line.endswith(message) for line in found), found


def test_a_normal_result_must_be_one_of_the_findings_values(kb: KnowledgeBase) -> None:
    term = kb.vocabulary.findings["nk_cells"]
    findings = {**kb.vocabulary.findings, "nk_cells": msgspec.structs.replace(term, normal=["low"])}
    vocabulary = msgspec.structs.replace(kb.vocabulary, findings=findings)
    assert messages(msgspec.structs.replace(kb, vocabulary=vocabulary)) == [
        "vocabulary.toml: findings.nk_cells.normal: 'low' is not one of its values"
    ]
