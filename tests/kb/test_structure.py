"""The structural walk that reports every problem in a document, not only the first."""

from __future__ import annotations

import datetime
from typing import Any

import msgspec

from rmcli.kb.model import Claim, GuidelinePosition, Reference, Study, Therapy, Vocabulary
from rmcli.kb.structure import check


def claim(**extra: Any) -> dict[str, Any]:
    return {"text": "A claim.", "refs": ["r1"], "checked": "primary", **extra}


def study(**extra: Any) -> dict[str, Any]:
    base = {
        "label": "Smith 2020",
        "kind": "rct",
        "design": "RCT",
        "population": "RPL",
        "outcome": "Live birth",
        "result": "No difference",
        "refs": ["r1"],
        "checked": "primary",
    }
    return {**base, **extra}


def therapy(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "demo",
        "name": "Demo",
        "drug_class": "Class",
        "summary": "Summary.",
        "targets": ["nk-cells"],
        "last_reviewed": datetime.date(2026, 1, 1),
        "overall": claim(status="unproven", certainty="low"),
        "mechanism": claim(),
        "indications": [claim()],
        "regimens": [],
        "evidence": [study()],
        "guidelines": [],
        "caveats": [claim()],
        "maternal_risks": [claim()],
        "fetal_risks": [claim()],
        "monitoring": [claim()],
        "cost": [claim()],
    }
    return {**base, **extra}


def test_valid_documents_have_no_problems() -> None:
    assert check(claim(), Claim, "x") == []
    assert check(therapy(), Therapy, "demo") == []
    msgspec.convert(therapy(), Therapy)  # the same document also converts


def test_unknown_key_names_the_path_and_the_allowed_keys() -> None:
    problems = check(claim(colour="red"), Claim, "demo.mechanism")
    assert len(problems) == 1
    path, message = problems[0]
    assert path == "demo.mechanism.colour"
    assert message.startswith("unknown key; allowed:")
    for key in ("text", "refs", "checked"):
        assert key in message


def test_missing_required_key_is_reported_with_its_type() -> None:
    document = claim()
    del document["checked"]
    ((path, message),) = check(document, Claim, "c")
    assert path == "c.checked"
    assert "missing" in message
    assert "primary" in message  # the allowed values of the Literal


def test_optional_keys_may_be_missing() -> None:
    assert check({"title": "Someone 2020."}, Reference, "r") == []


def test_wrong_types_are_described() -> None:
    problems = dict(check(study(n="many", estimate="big"), Study, "s"))
    assert problems["s.n"] == "expected an integer, found 'many'"
    assert problems["s.estimate"].startswith("expected a number")


def test_a_scalar_where_a_list_belongs() -> None:
    problems = dict(check(therapy(targets="nk-cells"), Therapy, "demo"))
    assert problems == {"demo.targets": "expected a list, found 'nk-cells'"}


def test_a_scalar_where_a_table_belongs() -> None:
    problems = dict(check(therapy(overall="fine"), Therapy, "demo"))
    assert problems == {"demo.overall": "expected a table, found 'fine'"}


def test_date_type_is_named() -> None:
    problems = dict(check(therapy(last_reviewed=2026), Therapy, "demo"))
    assert "YYYY-MM-DD" in problems["demo.last_reviewed"]


def test_enum_values_list_what_is_allowed() -> None:
    ((path, message),) = check(claim(checked="maybe"), Claim, "c")
    assert path == "c.checked"
    assert message == "found 'maybe'; allowed: primary, secondary, unverified, inference"


def test_list_items_are_named_by_what_identifies_them() -> None:
    document = therapy(
        evidence=[study(), study(label="Jones 2021", kind="anecdote")],
        regimens=[{"source": "Trial X", "route": 1}],
    )
    paths = [path for path, _ in check(document, Therapy, "demo")]
    assert "demo.evidence[Jones 2021].kind" in paths
    assert "demo.regimens[Trial X].route" in paths


def test_guideline_rows_are_named_by_body_and_year() -> None:
    row = {"body": "ESHRE", "year": 2022, "stance": "adore"}
    problems = check(therapy(guidelines=[row]), Therapy, "demo")
    assert ("demo.guidelines[ESHRE 2022].stance") in [p for p, _ in problems]


def test_unnamed_list_items_are_numbered_from_one() -> None:
    problems = check(therapy(caveats=[claim(), claim(checked=3)]), Therapy, "demo")
    assert [p for p, _ in problems] == ["demo.caveats[#2].checked"]


def test_every_problem_in_a_document_is_reported() -> None:
    document = therapy(colour="red", targets="x", evidence=[study(n="many")])
    document["overall"]["status"] = "miracle"
    del document["summary"]
    paths = {path for path, _ in check(document, Therapy, "demo")}
    assert paths == {
        "demo.colour",
        "demo.targets",
        "demo.evidence[Smith 2020].n",
        "demo.overall.status",
        "demo.summary",
    }


def test_tables_of_records_are_walked_by_key() -> None:
    vocabulary = {
        "targets": {"nk": {"name": "NK"}, "bad": {"nme": "typo"}},
        "conditions": {},
        "autoimmune": {},
        "findings": {},
    }
    paths = {path for path, _ in check(vocabulary, Vocabulary, "")}
    assert paths == {".targets.bad.nme", ".targets.bad.name"}


def test_long_values_are_shortened_in_messages() -> None:
    ((_, message),) = check(claim(checked="y" * 500), Claim, "c")
    assert len(message) < 200
    assert "..." in message


def test_optional_enum_accepts_none_and_checks_values() -> None:
    assert check(study(measure="RR"), Study, "s") == []
    ((path, message),) = check(study(measure="ratio"), Study, "s")
    assert path == "s.measure"
    assert "Peto OR" in message


def test_guideline_position_year_is_optional() -> None:
    row = {
        "body": "Clinic page",
        "stance": "unknown",
        "strength": "not-stated",
        "certainty": "not-stated",
        "population": "RPL",
        "text": "Not retrievable.",
        "refs": [],
        "checked": "unverified",
    }
    assert check(row, GuidelinePosition, "g") == []
