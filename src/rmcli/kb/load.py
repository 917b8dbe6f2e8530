"""Find, read and validate a knowledge base (a directory of TOML files)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from rmcli.errors import KnowledgeBaseError
from rmcli.kb.files import SECTION_NAMES, bundled, kb_files, label
from rmcli.kb.limits import MAX_FILE_BYTES, MAX_KB_BYTES
from rmcli.kb.model import (
    Assessment,
    KnowledgeBase,
    Manifest,
    Reference,
    Therapy,
    Vocabulary,
)
from rmcli.kb.problems import InvalidKnowledgeBase, Problem
from rmcli.kb.read import Refused, TooLarge, parse_toml, read_bytes, size_text
from rmcli.kb.structure import check
from rmcli.kb.validate import semantic_problems

SECTION_FILES: dict[str, Any] = dict(
    zip(SECTION_NAMES, (Manifest, Vocabulary, dict[str, Reference], Assessment), strict=True)
)
__all__ = ["bundled", "label", "load"]  # bundled and label: for callers of load


def read_file(file: Path, name: str, budget: int) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, refused before reading when over the per-file or remaining budget."""
    try:
        return read_bytes(file, min(MAX_FILE_BYTES, budget))[0], []
    except TooLarge as large:
        limit = MAX_FILE_BYTES if large.size > MAX_FILE_BYTES else MAX_KB_BYTES
        return None, [Problem(name, "", f"over the {size_text(limit)} limit; refused")]
    except Refused as refused:
        return None, [Problem(name, "", str(refused))]


def parse_file(raw: bytes, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        return parse_toml(raw), []
    except Refused as refused:
        return None, [Problem(name, "", str(refused))]


def convert(data: dict[str, Any], tp: Any, name: str, root_path: str) -> tuple[Any, list[Problem]]:
    """Convert a parsed document, or report every structural problem in it."""
    try:
        return msgspec.convert(data, tp), []
    except msgspec.ValidationError:
        found = check(data, tp, root_path)
        if not found:  # msgspec is stricter than our walk in some corner; keep its message
            found = [(root_path, "does not match the knowledge-base format")]
        return None, [Problem(name, path.lstrip("."), message) for path, message in found]


def load(
    root: Path,
    extra: Path | None = None,
    contents: Mapping[str, bytes] | None = None,
) -> KnowledgeBase:
    """Load and fully validate a knowledge base; `extra` adds or replaces one therapy file.

    `contents` (file name to bytes, as read by the cache) is validated instead of re-reading
    the files, so what is validated is exactly what the cache key was computed from.
    """
    if not root.is_dir():
        raise KnowledgeBaseError(f"not a knowledge-base directory: {root}")
    problems: list[Problem] = []
    budget = MAX_KB_BYTES
    documents: dict[str, dict[str, Any]] = {}
    files = kb_files(root)
    if extra is not None:
        files[f"therapies/{extra.name}"] = extra
    for name, file in files.items():
        shown = str(extra) if file is extra else name
        raw: bytes | None
        found: list[Problem] = []
        if contents is not None and name in contents:
            raw = contents[name]
        else:
            raw, found = read_file(file, shown, budget)
        if raw is not None:
            budget -= len(raw)
            data, found = parse_file(raw, shown)
            if data is not None:
                documents[name] = data
        problems += found
    sections: dict[str, Any] = {}
    for name, tp in SECTION_FILES.items():
        if name in documents:
            sections[name], found = convert(documents[name], tp, name, "")
            problems += found
    therapies: list[Therapy] = []
    file_of: dict[str, str] = {}
    for name, data in sorted(documents.items()):
        if not name.startswith("therapies/"):
            continue
        shown = str(extra) if extra is not None and files[name] is extra else name
        stem = name.removeprefix("therapies/").removesuffix(".toml")
        declared = data.get("id")
        therapy, found = convert(
            data, Therapy, shown, declared if isinstance(declared, str) else stem
        )
        problems += found
        if therapy is not None:
            if therapy.id != stem:
                problems.append(
                    Problem(shown, f"{therapy.id}.id", f"must match the file name {stem!r}")
                )
            therapies.append(therapy)
            file_of[therapy.id] = shown
    if not any(name.startswith("therapies/") for name in files):
        problems.append(Problem("therapies/", "", "no therapy files (*.toml) found"))
    if problems:
        raise InvalidKnowledgeBase(label(root), problems)
    kb = KnowledgeBase(
        manifest=sections["kb.toml"],
        vocabulary=sections["vocabulary.toml"],
        references=sections["references.toml"],
        assessment=sections["assessment.toml"],
        therapies=therapies,
    )
    problems = semantic_problems(kb, file_of)
    if problems:
        raise InvalidKnowledgeBase(label(root), problems, built=kb, files=file_of)
    return kb
