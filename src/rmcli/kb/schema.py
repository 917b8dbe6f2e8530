"""JSON Schema of a therapy file, for editors that validate TOML against a schema."""

from __future__ import annotations

import msgspec

from rmcli.kb.model import Therapy


def therapy_schema() -> str:
    schema = msgspec.json.schema(Therapy)
    schema["title"] = "rmcli therapy file"
    schema["description"] = "One therapy of an rmcli knowledge base (docs/kb-format.md)."
    return msgspec.json.format(msgspec.json.encode(schema).decode(), indent=2)
