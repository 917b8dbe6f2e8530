"""Render the README's pictures from the real tool: terminal output saved as SVG.

    python docs/pictures.py [OUTPUT_DIR]     # default: docs/pictures

Each picture is what the command prints at a 100-column colour terminal (run in-process with
an Environment that says so), recorded by Rich and saved as SVG.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from rmcli.cli.run import run
from rmcli.environment import Environment

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "profile.toml"
WIDTH = 100
PICTURES: dict[str, list[str]] = {
    "list": ["list"],
    "show-ivig": ["show", "ivig"],
    "compare": ["compare", "prednisolone", "ivig"],
    "targets": ["targets"],
    "evidence-heparin": ["evidence", "heparin"],
    "wizard": ["wizard", "--answers", "examples/profile.toml"],
}
MAX_LINES = {"show-ivig": 45, "wizard": 60, "evidence-heparin": 50}  # the first screenfuls


def terminal_output(args: list[str]) -> str:
    """What `rmcli ARGS` prints at a 100-column colour terminal (no pager)."""
    stdout = io.StringIO()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "RMCLI_KB")}
    environ.update(TERM="xterm-256color", COLORTERM="truecolor")
    env = Environment(
        stdout=stdout,
        stderr=io.StringIO(),
        environ=environ,
        stdout_isatty=True,
        size=(WIDTH, 50),
        no_pager=True,
    )
    code = run(args, env=env)
    if code != 0:
        raise SystemExit(f"rmcli {' '.join(args)} failed with {code}")
    return stdout.getvalue()


def recording(text: str, limit: int | None) -> Console:
    lines = text.splitlines()
    console = Console(
        record=True,
        width=WIDTH,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
        markup=False,
        emoji=False,
    )
    shown = lines if limit is None else lines[:limit]
    console.print(Text.from_ansi("\n".join(shown)), soft_wrap=True)
    if limit is not None and len(lines) > limit:
        console.print(Text(f"... ({len(lines) - limit} more lines)", style="dim"))
    return console


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else HERE / "pictures"
    target.mkdir(parents=True, exist_ok=True)
    os.chdir(HERE.parent)  # the commands name examples/ relative to the repository
    for name, args in PICTURES.items():
        console = recording(terminal_output(args), MAX_LINES.get(name))
        title = "rmcli " + " ".join(args)
        (target / f"{name}.svg").write_text(console.export_svg(title=title), encoding="utf-8")
        print(f"wrote {target / (name + '.svg')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
