"""Structural checking that reports every problem in a document, not just the first.

msgspec stops at the first error, so when a fast `msgspec.convert` fails we walk the
document against the struct definitions ourselves and collect everything that is wrong.
"""

from __future__ import annotations

import datetime
import types
import typing
from typing import Any

import msgspec

from rmcli.kb.model import Record

Path = str


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is str:
        return "a string"
    if tp is int:
        return "an integer"
    if tp is float:
        return "a number"
    if tp is bool:
        return "true or false"
    if tp is datetime.date:
        return "a date (YYYY-MM-DD)"
    if origin is list:
        return "a list"
    if origin is dict:
        return "a table"
    if origin is typing.Literal:
        return "one of: " + ", ".join(str(a) for a in typing.get_args(tp))
    return getattr(tp, "__name__", str(tp))


def _item_name(item: object, index: int) -> str:
    """Name a list item by what identifies it, so messages point at content, not positions."""
    if isinstance(item, dict):
        for key in ("id", "label", "source", "condition"):
            if isinstance(item.get(key), str):
                return str(item[key])
        if isinstance(item.get("body"), str):
            return f"{item['body']} {item.get('year', '')}".strip()
    return f"#{index + 1}"


def check(value: object, tp: Any, path: Path) -> list[tuple[Path, str]]:
    """Every problem found in `value` against type `tp`, as (key path, message) pairs."""
    if isinstance(tp, type) and issubclass(tp, Record):
        return _check_record(value, tp, path)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        inner = next(a for a in args if a is not type(None))
        return check(value, inner, path)
    if origin is list and isinstance(value, list):
        return [
            problem
            for index, item in enumerate(value)
            for problem in check(item, args[0], f"{path}[{_item_name(item, index)}]")
        ]
    if origin is dict and isinstance(value, dict):
        return [
            problem
            for key, item in value.items()
            for problem in check(item, args[1], f"{path}.{key}")
        ]
    if origin is typing.Literal:
        if value in args:
            return []
        return [(path, f"found {_describe(value)}; allowed: {', '.join(map(str, args))}")]
    try:
        msgspec.convert(value, tp)
    except msgspec.ValidationError:
        return [(path, f"expected {_type_name(tp)}, found {_describe(value)}")]
    return []


def _check_record(value: object, tp: type[Record], path: Path) -> list[tuple[Path, str]]:
    if not isinstance(value, dict):
        return [(path, f"expected a table, found {_describe(value)}")]
    fields = {f.name: f for f in msgspec.structs.fields(tp)}
    problems: list[tuple[Path, str]] = []
    for key in value:
        if key not in fields:
            problems.append((f"{path}.{key}", f"unknown key; allowed: {', '.join(fields)}"))
    for name, field in fields.items():
        required = field.default is msgspec.NODEFAULT and field.default_factory is msgspec.NODEFAULT
        if name not in value:
            if required:
                problems.append((f"{path}.{name}", f"missing; expected {_type_name(field.type)}"))
            continue
        problems.extend(check(value[name], field.type, f"{path}.{name}"))
    return problems
