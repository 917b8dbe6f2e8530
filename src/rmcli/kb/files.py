"""Where a knowledge base is and which files make it up (cheap: no parsing, no validation)."""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from rmcli.errors import ExitCode, RmcliError

ENV_VAR = "RMCLI_KB"
SECTION_NAMES = ("kb.toml", "vocabulary.toml", "references.toml", "assessment.toml")


def bundled() -> Traversable:
    return resources.files("rmcli") / "data"


def locate(option: str | None) -> Traversable:
    """The knowledge base to use: --kb, then $RMCLI_KB, then the bundled one."""
    chosen = option or os.environ.get(ENV_VAR)
    if not chosen:
        return bundled()
    path = Path(chosen).expanduser()
    if not path.exists():
        source = "--kb" if option else f"${ENV_VAR}"
        raise RmcliError(f"{source}: no such directory: {chosen}", ExitCode.INVALID_KB)
    return path


def label(root: Traversable) -> str:
    return "(bundled)" if root == bundled() else str(root)


def therapy_files(root: Traversable) -> list[Traversable]:
    folder = root / "therapies"
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
