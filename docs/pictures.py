"""Render the README's pictures from the real tool: terminal output saved as SVG.

    python docs/pictures.py [OUTPUT_DIR]     # default: docs/pictures

Each picture is what the command prints at 100 columns, recorded by Rich and saved as SVG.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.text import Text

from rmcli.assess import assess
from rmcli.kb.cache import load_cached
from rmcli.kb.files import bundled
from rmcli.kb.lookup import name_index
from rmcli.kb.model import KnowledgeBase
from rmcli.profile import load as load_profile
from rmcli.render import assessment, comparison, monograph, therapy_table
from rmcli.render.figures import forest, target_matrix

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "profile.toml"
WIDTH = 100
MAX_LINES = {"show-ivig": 60, "compare": 50, "wizard": 70}  # long outputs: the first screenful


def pictures(kb: KnowledgeBase) -> dict[str, tuple[str, Callable[[Console], None]]]:
    index = name_index(kb)
    by_id = {t.id: t for t in kb.therapies}

    def pick(*names: str) -> list:  # type: ignore[type-arg]
        return [by_id[index.resolve(name)] for name in names]

    result = assess(load_profile(EXAMPLE, kb.vocabulary, [t.id for t in kb.therapies]), kb)
    ordered = sorted(kb.therapies, key=lambda t: t.name.casefold())
    return {
        "list": ("rmcli list", lambda out: therapy_table(out, kb, ordered)),
        "show-ivig": ("rmcli show ivig", lambda out: monograph(out, kb, *pick("ivig"))),
        "compare": (
            "rmcli compare prednisolone ivig",
            lambda out: comparison(out, kb, pick("prednisolone", "ivig")),
        ),
        "targets": (
            "rmcli targets",
            lambda out: target_matrix(out, kb, sorted(kb.therapies, key=lambda t: t.id)),
        ),
        "evidence-heparin": (
            "rmcli evidence heparin",
            lambda out: forest(out, kb, *pick("heparin")),
        ),
        "wizard": (
            "rmcli wizard --answers examples/profile.toml",
            lambda out: assessment(out, result, kb, include_all=False),
        ),
    }


def _recorder() -> Console:
    """A colour console that records what it prints, for export as SVG."""
    return Console(
        record=True,
        width=WIDTH,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
        markup=False,
        emoji=False,
    )


def _first_lines(recorded: Console, limit: int) -> Console:
    """A new recording holding only the first `limit` lines of `recorded`, styles kept."""
    lines = recorded.export_text(styles=True).splitlines()
    cropped = _recorder()
    cropped.print(Text.from_ansi("\n".join(lines[:limit])), soft_wrap=True)
    cropped.print(Text(f"... ({len(lines) - limit} more lines)", style="dim"))
    return cropped


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else HERE / "pictures"
    target.mkdir(parents=True, exist_ok=True)
    kb = load_cached(bundled())
    for name, (title, draw) in pictures(kb).items():
        out = _recorder()
        draw(out)
        limit = MAX_LINES.get(name)
        if limit is not None:
            out = _first_lines(out, limit)
        (target / f"{name}.svg").write_text(out.export_svg(title=title), encoding="utf-8")
        print(f"wrote {target / (name + '.svg')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
