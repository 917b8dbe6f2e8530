"""`rmcli kb schema`: the JSON Schema of a therapy file."""

from __future__ import annotations

import json
import typing
from typing import Any

import msgspec
import pytest

from rmcli.kb.model import Therapy
from rmcli.kb.schema import therapy_schema
from rmcli.kb.values import Stance


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    document = json.loads(therapy_schema())
    assert isinstance(document, dict)
    return document


def _therapy_definition(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        definition: dict[str, Any] = schema["$defs"][name]
        return definition
    return schema


def test_schema_is_json_with_definitions(schema: dict[str, Any]) -> None:
    assert "$defs" in schema or "properties" in schema
    assert schema["title"] == "rmcli therapy file"
    assert schema["description"]


def test_schema_lists_every_therapy_field(schema: dict[str, Any]) -> None:
    definition = _therapy_definition(schema)
    fields = {f.name for f in msgspec.structs.fields(Therapy)}
    assert set(definition["properties"]) == fields


def test_schema_requires_the_required_fields(schema: dict[str, Any]) -> None:
    definition = _therapy_definition(schema)
    required = set(definition["required"])
    assert {"id", "name", "summary", "targets", "overall", "indications", "evidence"} <= required
    # a section the sources say nothing about may be left out
    assert not {"aliases", "guidelines", "cost", "monitoring", "changes"} & required
    assert "seed_rationale" not in required


def test_schema_forbids_unknown_keys(schema: dict[str, Any]) -> None:
    assert _therapy_definition(schema).get("additionalProperties") is False


def test_schema_enumerates_guideline_stances(schema: dict[str, Any]) -> None:
    text = json.dumps(schema)
    for stance in typing.get_args(Stance):
        assert f'"{stance}"' in text


def test_schema_is_pretty_printed() -> None:
    text = therapy_schema()
    assert text.startswith("{\n")
    assert "\n  " in text
