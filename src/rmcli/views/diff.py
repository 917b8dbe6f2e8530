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
FIELD_WORDS = {
    "summary": "summary",
    "overall.status": "status",
    "overall.certainty": "certainty",
    "overall.text": "bottom line",
    "overall.refs": "bottom line's references",
    "mechanism.text": "mechanism",
    "mechanism_short": "one-line mechanism",
    "risks_short": "main risks in short",
    "last_reviewed": "last reviewed",
    "short_name": "short name",
    "drug_class": "class",
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


def _maintainers_only(path: str) -> bool:
    """A difference in a `note`, which readers never see, is left out of the release note."""
    return path == "note" or path.endswith(".note") or ".note." in path


def _change(path: str, d: Difference) -> str:
    old, new = shorten(d.old), shorten(d.new)
    words = FIELD_WORDS.get(path, path.replace("_", " ").replace(".", " ") or "entry")
    field = words[:1].upper() + words[1:]
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


def _subfield(path: str, prefix: str) -> str:
    """The first field below an entry: 'when' for 'rules[x].when.findings'."""
    rest = path.removeprefix(prefix).lstrip(".")
    return re.split(r"[.\[]", rest, maxsplit=1)[0].replace("_", " ") or "entry"


def _entries(
    grouped: dict[tuple[str, str], list[Difference]],
    before: Therapy | None,
    after: Therapy | None,
) -> list[str]:
    """One line per list entry added, removed or revised; entries that only gained new fields
    are counted together ('guideline positions: indication added to 12 entries')."""
    lines: list[str] = []
    gained: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    for (field, key), parts in grouped.items():
        words = LISTS[field]
        prefix = f"{field}[{key}]"
        whole = len(parts) == 1 and parts[0].path == prefix
        shown = _entry_name(field, key, before if whole and parts[0].change == "removed" else after)
        if whole:
            verb = "Added to" if parts[0].change == "added" else "Removed from"
            lines.append(f"{verb} {words}: {shown}")
            continue
        fields = tuple(dict.fromkeys(_subfield(p.path, prefix) for p in parts))
        if all(p.change == "added" for p in parts):
            gained[(words, fields)] += 1
        else:
            lines.append(f"Revised in {words}: {shown} ({', '.join(fields)})")
    for (words, fields), count in gained.items():
        entries = "1 entry" if count == 1 else f"{count} entries"
        lines.append(f"{words.capitalize()}: {', '.join(fields)} added to {entries}")
    return lines


def _therapy(item: str, ds: list[Difference], old: KnowledgeBase, new: KnowledgeBase) -> NoteGroup:
    before = next((t for t in old.therapies if t.id == item), None)
    after = next((t for t in new.therapies if t.id == item), None)
    known = after or before
    title = f"{clean(known.name)} ({item})" if known else item
    if ds[0].path == "":
        return NoteGroup(title=title, items=[f"Therapy {ds[0].change}"])
    said: list[str] = []  # what the monograph says changed leads the group
    items: list[str] = []
    grouped: dict[tuple[str, str], list[Difference]] = defaultdict(list)
    for d in ds:
        if _maintainers_only(d.path):
            continue
        found = _ENTRY.match(d.path)
        field, key = (found["field"], found["key"]) if found else (d.path, None)
        if field == "changes":
            claims = d.new if isinstance(d.new, list) else [d.new]
            said += [
                f"What changed: {clean(str(c.get('text', '')))}"
                for c in claims
                if isinstance(c, dict) and d.change != "removed"
            ]
        elif field in LISTS and key is not None:
            grouped[(field, key)].append(d)
        else:
            items.append(_change(d.path, d))
    return NoteGroup(title=title, items=[*said, *items, *_entries(grouped, before, after)])


def _named(scope: str, ds: list[Difference], new: KnowledgeBase) -> list[NoteGroup]:
    """References, vocabulary and assessment: one line per entry added, removed or revised,
    naming the fields that changed."""
    by_item: dict[str, list[Difference]] = defaultdict(list)
    for d in ds:
        if _maintainers_only(d.path):
            continue
        found = _ENTRY.match(d.path) if scope == "assessment" else None
        entry = f"{found['field']}[{found['key']}]" if found and found["key"] else ""
        name = f"{d.item}.{entry}" if entry else d.item
        by_item[name].append(d)
    verbs = {"added": "Added", "removed": "Removed", "changed": "Revised"}
    items = []
    for item, parts in by_item.items():
        prefix = item.split(".", 1)[1] if "." in item and scope == "assessment" else ""
        whole = len(parts) == 1 and parts[0].path == prefix
        if scope == "reference" and whole and parts[0].change == "added":
            items.append(f"Added: {reference_line(new, item)}" if item in new.references else item)
        elif whole:
            items.append(f"{verbs[parts[0].change]}: {item}")
        else:
            fields = ", ".join(dict.fromkeys(_subfield(p.path, prefix) for p in parts))
            word = "Corrected" if scope == "reference" else "Revised"
            items.append(f"{word}: {item} ({fields})")
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
        if differences
        else "No differences."
    )
    return DiffView(
        old=str(old),
        new=str(new),
        title=f"Knowledge base {versions}",
        summary=summary,
        groups=groups,
        differences=differences,
    )
