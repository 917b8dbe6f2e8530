"""What changed between two knowledge bases, therapy by therapy and field by field."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from rmcli.kb.model import KnowledgeBase

Change = Literal["added", "removed", "changed"]


class Difference(msgspec.Struct, kw_only=True):
    scope: str  # "therapy", "reference", "vocabulary", "assessment", "manifest"
    item: str  # therapy id, reference id, ...
    path: str  # field path inside the item ("" for the whole item)
    change: Change
    old: Any = None
    new: Any = None


def _key(item: object, index: int) -> str:
    """Identify list entries by content, so reordering is not reported as change."""
    if isinstance(item, dict):
        for field in ("id", "label", "condition", "source"):
            if isinstance(item.get(field), str):
                return str(item[field])
        if "body" in item:
            return f"{item['body']} {item.get('year', '')} | {item.get('population', '')}".strip()
        if "text" in item:
            return str(item["text"])
    return f"#{index + 1}"


def _walk_tables(old: list[Any], new: list[Any], path: str) -> list[tuple[str, Change, Any, Any]]:
    """Pair list entries by key; among entries sharing a key, identical ones pair first."""
    groups: dict[str, tuple[list[Any], list[Any]]] = {}
    for side, items in ((0, old), (1, new)):
        for index, item in enumerate(items):
            groups.setdefault(_key(item, index), ([], []))[side].append(item)
    found: list[tuple[str, Change, Any, Any]] = []
    for key, (olds, news) in groups.items():
        olds, news = list(olds), list(news)
        for item in list(olds):
            if item in news:
                olds.remove(item)
                news.remove(item)
        where = f"{path}[{key}]"
        for a, b in zip(olds, news, strict=False):
            found += _walk(a, b, where)
        found += [(where, "removed", a, None) for a in olds[len(news) :]]
        found += [(where, "added", None, b) for b in news[len(olds) :]]
    return found


def _walk(old: Any, new: Any, path: str) -> list[tuple[str, Change, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[tuple[str, Change, Any, Any]] = []
        for key in [*old, *(k for k in new if k not in old)]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in new:
                found.append((sub, "removed", old[key], None))
            elif key not in old:
                found.append((sub, "added", None, new[key]))
            else:
                found += _walk(old[key], new[key], sub)
        return found
    if isinstance(old, list) and isinstance(new, list):
        if any(isinstance(x, dict) for x in old + new):
            return _walk_tables(old, new, path)
        changes: list[tuple[str, Change, Any, Any]] = [
            (path, "removed", x, None) for x in old if x not in new
        ]
        changes += [(path, "added", None, x) for x in new if x not in old]
        if changes:
            return changes
    if old != new:
        return [(path, "changed", old, new)]
    return []


def _section(scope: str, old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    differences = []
    for item in [*old, *(k for k in new if k not in old)]:
        if item not in new:
            differences.append(Difference(scope=scope, item=item, path="", change="removed"))
        elif item not in old:
            differences.append(Difference(scope=scope, item=item, path="", change="added"))
        else:
            differences += [
                Difference(scope=scope, item=item, path=path, change=change, old=a, new=b)
                for path, change, a, b in _walk(old[item], new[item], "")
            ]
    return differences


def diff(old: KnowledgeBase, new: KnowledgeBase) -> list[Difference]:
    """Every difference, therapies first, in a stable order."""
    as_data = msgspec.to_builtins
    therapies_old = {t.id: as_data(t) for t in old.therapies}
    therapies_new = {t.id: as_data(t) for t in new.therapies}
    return [
        *_section("manifest", {"kb": as_data(old.manifest)}, {"kb": as_data(new.manifest)}),
        *_section("therapy", therapies_old, therapies_new),
        *_section("reference", as_data(old.references), as_data(new.references)),
        *_section("vocabulary", as_data(old.vocabulary), as_data(new.vocabulary)),
        *_section("assessment", as_data(old.assessment), as_data(new.assessment)),
    ]
