"""`rmcli kb diff`: what changed between two knowledge bases, as a release note people can read.

Every difference is reported, grouped by what it is about: each therapy's status, what its
monograph says changed, its evidence, guideline positions, wizard rules and other fields; then
references, vocabulary and the assessment file. Entries are named by what readers know them by
(a study's label, a guideline's body and year, a reference's citation), short values are shown
as "old → new", and long texts are said to be revised. JSON keeps the raw differences.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any, ClassVar

import msgspec

from rmcli.kb.diff import Difference
from rmcli.kb.model import KnowledgeBase, Therapy
from rmcli.text import clean
from rmcli.views import ViewKind
from rmcli.views.common import estimate, reference_line

SHORT = 60  # values up to this long are shown as "old → new"; longer ones are "revised"
LISTS = {
    "evidence": "evidence",
    "guidelines": "guideline positions",
    "rules": "wizard rules",
    "contraindications": "contraindications and cautions",
    "regimens": "regimens",
    "indications": "indications",
    "caveats": "caveats",
    "maternal_risks": "maternal risks",
    "fetal_risks": "fetal risks",
    "monitoring": "monitoring",
    "cost": "cost and burden",
}
_ENTRY = re.compile(r"^(?P<field>[a-z_]+)(?:\[(?P<key>[^\]]*)\])?(?:\.(?P<rest>.*))?$")


class NoteGroup(msgspec.Struct, frozen=True, kw_only=True):
    title: str  # "IVIG (ivig)", "References"
    items: list[str]


class DiffView(msgspec.Struct, frozen=True, kw_only=True):
    kind: ClassVar[ViewKind] = ViewKind.diff
    old: str
    new: str
    title: str
    summary: str  # "14 therapies revised; 3 references added; ..."
    groups: list[NoteGroup]
    differences: list[Difference]  # the raw field-level differences, for JSON


def shorten(value: Any) -> str:
    """A short value as it reads; None when it is too long to read inline."""
    text = clean(value if isinstance(value, str) else msgspec.json.encode(value).decode())
    return text.replace("\n", " ")


def _change(path: str, d: Difference) -> str:
    old, new = shorten(d.old), shorten(d.new)
    field = path.replace("_", " ").replace(".", " ") or "entry"
    if d.change == "added":
        return f"{field} added" + (f": {new}" if len(new) <= SHORT else "")
    if d.change == "removed":
        return f"{field} removed" + (f": {old}" if len(old) <= SHORT else "")
    if max(len(old), len(new)) <= SHORT:
        return f"{field}: {old} → {new}"
    return f"{field} revised"


def _entry_name(field: str, key: str, therapy: Therapy | None) -> str:
    if field == "evidence" and therapy is not None:
        study = next((s for s in therapy.evidence if s.label == key), None)
        effect = estimate(study) if study is not None else ""
        return f"{key}" + (f" ({effect})" if effect else "")
    return key.split(" | ")[0] if field == "guidelines" else key


def _therapy(item: str, ds: list[Difference], old: KnowledgeBase, new: KnowledgeBase) -> NoteGroup:
    before = next((t for t in old.therapies if t.id == item), None)
    after = next((t for t in new.therapies if t.id == item), None)
    known = after or before
    title = f"{clean(known.name)} ({item})" if known else item
    if ds[0].path == "":
        return NoteGroup(title=title, items=[f"therapy {ds[0].change}"])
    items: list[str] = []
    entries: dict[tuple[str, str], list[Difference]] = defaultdict(list)
    for d in ds:
        found = _ENTRY.match(d.path)
        field, key = (found["field"], found["key"]) if found else (d.path, None)
        if field == "changes" and d.change == "added" and isinstance(d.new, dict):
            items.insert(0, f"What changed: {clean(str(d.new.get('text', '')))}")
        elif field in LISTS and key is not None:
            entries[(field, key)].append(d)
        else:
            items.append(_change(d.path, d))
    for (field, key), parts in entries.items():
        words = LISTS[field]
        shown = _entry_name(field, key, after if parts[0].change != "removed" else before)
        if len(parts) == 1 and parts[0].path == f"{field}[{key}]":
            verb = "Added to" if parts[0].change == "added" else "Removed from"
            items.append(f"{verb} {words}: {shown}")
        else:
            fields = ", ".join(
                dict.fromkeys(
                    (p.path.removeprefix(f"{field}[{key}]").lstrip(".") or "entry").replace(
                        "_", " "
                    )
                    for p in parts
                )
            )
            items.append(f"Revised in {words}: {shown} ({fields})")
    return NoteGroup(title=title, items=items)


def _named(scope: str, ds: list[Difference], new: KnowledgeBase) -> list[NoteGroup]:
    """References, vocabulary and assessment: one line per entry added, removed or revised."""
    by_item: dict[str, list[Difference]] = defaultdict(list)
    for d in ds:
        head = d.path.split(".")[0].split("[")[0] if scope != "reference" else ""
        by_item[f"{d.item}.{head}" if head else d.item].append(d)
    items = []
    for item, parts in by_item.items():
        whole = [p for p in parts if p.path in ("", item.split(".", 1)[-1])]
        if scope == "reference" and whole and whole[0].change == "added" and item in new.references:
            items.append(f"Added: {reference_line(new, item)}")
        elif whole and len(parts) == 1:
            items.append(f"{whole[0].change.capitalize()}: {item}")
        else:
            items.append(f"Revised: {item} ({', '.join(_change(p.path, p) for p in parts)})")
    titles = {"reference": "References", "vocabulary": "Vocabulary", "assessment": "Assessment"}
    return [NoteGroup(title=titles[scope], items=items)] if items else []


def diff_view(
    old: Path,
    new: Path,
    differences: list[Difference],
    before: KnowledgeBase,
    after: KnowledgeBase,
) -> DiffView:
    by_therapy: dict[str, list[Difference]] = defaultdict(list)
    for d in differences:
        if d.scope == "therapy":
            by_therapy[d.item].append(d)
    groups = [_therapy(item, ds, before, after) for item, ds in by_therapy.items()]
    for scope in ("reference", "vocabulary", "assessment"):
        groups += _named(scope, [d for d in differences if d.scope == scope], after)
    versions = f"{before.manifest.version} ({before.manifest.date}) → "
    versions += f"{after.manifest.version} ({after.manifest.date})"
    summary = (
        f"{len(by_therapy)} therapies changed; "
        f"{sum(1 for d in differences if d.scope == 'reference' and not d.path)} references "
        "added or removed; "
        f"{len(differences)} field-level differences in all."
    )
    return DiffView(
        old=str(old),
        new=str(new),
        title=f"Knowledge base {versions}",
        summary=summary,
        groups=groups,
        differences=differences,
    )
