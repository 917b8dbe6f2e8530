"""Where a knowledge base is and which files make it up (cheap: no parsing, no validation)."""

from __future__ import annotations

from pathlib import Path

from rmcli.errors import KnowledgeBaseError

SECTION_NAMES = ("kb.toml", "vocabulary.toml", "references.toml", "assessment.toml")


def bundled() -> Path:
    """The knowledge base installed with rmcli (a folder in the package: the wheel holds it as
    files, so it is found from this module's place without importlib.resources' start-up)."""
    return Path(__file__).resolve().parent.parent / "data"


def locate(chosen: str | None, source: str) -> Path:
    """The knowledge base at `chosen` (set by `source`, which an error names: --kb or
    $RMCLI_KB; see Environment.kb_location), else the bundled one."""
    if not chosen:
        return bundled()
    path = Path(chosen).expanduser()
    if not _exists(path):
        raise KnowledgeBaseError(f"{source}: no such directory: {chosen}")
    return path


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a name too long for the file system: it cannot exist
        return False


def label(root: Path) -> str:
    return "(bundled)" if root == bundled() else str(root)


def therapy_files(root: Path) -> list[Path]:
    folder = root / "therapies"
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def kb_files(root: Path) -> dict[str, Path]:
    """Every file of the knowledge base, by its name relative to the root."""
    files = {name: root / name for name in SECTION_NAMES}
    files |= {f"therapies/{f.name}": f for f in therapy_files(root)}
    return files
