"""What `rmcli kb validate` checks: the knowledge base as every command loads it (from the
cache when a sound entry has exactly these files), then its wording (rmcli.kb.lint), which
only maintainers need and so is not checked on every load."""

from __future__ import annotations

from pathlib import Path

from rmcli.errors import FileError
from rmcli.kb.cache import Wording, load_reviewed
from rmcli.kb.files import SECTION_NAMES, label
from rmcli.kb.lint import wording_problems
from rmcli.kb.model import KnowledgeBase
from rmcli.kb.problems import InvalidKnowledgeBase, Problem
from rmcli.kb.read import Refused, stat_regular


def target(path: Path | None, in_use: Path) -> tuple[Path, Path | None]:
    """The knowledge base to check and the therapy file to check in it (None: its own files).

    A therapy file is checked against the knowledge base around it (its parent's parent when
    that holds kb.toml), else against the one in use, so its references and ids resolve.
    """
    if path is None:
        return in_use, None
    if path.is_dir():
        return path, None
    if not path.exists():
        raise FileError(f"no such file or directory: {path}")
    try:
        stat_regular(path)
    except Refused as refused:
        raise FileError(f"{path}: {refused}") from None
    if path.name in SECTION_NAMES:
        return path.parent, None
    home = path.resolve().parent.parent
    if (home / "kb.toml").is_file():
        return home, path
    return in_use, path


def validate(path: Path | None, in_use: Path, cache: Path | None) -> tuple[KnowledgeBase, Path]:
    """The knowledge base `path` names, fully checked, and what to call it (the directory,
    or the file); InvalidKnowledgeBase lists every problem."""
    from rmcli.kb.load import load

    root, extra = target(path, in_use)
    own_file = extra is not None and extra.resolve().parent == _therapies(root)
    try:
        if extra is None or own_file:  # the knowledge base's own files: the cache may know them
            kb, wording = load_reviewed(root, cache, _review)
            problems = [Problem(*found) for found in wording]
        else:
            kb = load(root, extra=extra)
            problems = wording_problems(kb, {})
    except InvalidKnowledgeBase as invalid:
        if own_file:  # load again to name the file as it was given
            invalid = _reloaded(root, extra) or invalid
        if invalid.built is None:
            raise
        problems = invalid.problems + wording_problems(invalid.built, invalid.files)
        raise InvalidKnowledgeBase(label(root), problems) from None
    if extra is not None:  # name the file as it was given
        own = f"therapies/{extra.name}"
        problems = [
            Problem(str(extra), p.path, p.message) if p.file == own else p for p in problems
        ]
    if problems:
        raise InvalidKnowledgeBase(label(root), problems)
    return kb, extra or root


def _review(kb: KnowledgeBase) -> Wording:
    return [(p.file, p.path, p.message) for p in wording_problems(kb, {})]


def _therapies(root: Path) -> Path:
    return root.resolve() / "therapies"


def _reloaded(root: Path, extra: Path | None) -> InvalidKnowledgeBase | None:
    from rmcli.kb.load import load

    try:
        load(root, extra=extra)
    except InvalidKnowledgeBase as invalid:
        return invalid
    return None
