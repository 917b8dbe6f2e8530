"""The layers of docs/architecture.md, checked on the source (AST only; nothing is imported).

load (kb) -> decide -> view -> format, with the command line on top: no layer imports one
above it, nothing imports in a cycle, only the Environment reads os.environ, no module is
over 300 lines, and the cache's key covers every module the kb package runs. Each rule is
also run on small synthetic trees, so that a break would be caught.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from rmcli.kb.cache import CODE_ROOTS

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_LINES = 300
UI_LIBRARIES = ("rich", "typer", "click", "questionary", "prompt_toolkit")
DECIDE = ("rmcli.search", "rmcli.assess", "rmcli.match", "rmcli.profile", "rmcli.sof")
DECIDE += ("rmcli.absolute", "rmcli.arms", "rmcli.profile_fields", "rmcli.situations")
DECIDE += ("rmcli.reasons", "rmcli.tiers", "rmcli.changes", "rmcli.estimates")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the module imported (a submodule where `from package import name` names one)
    type_only: bool  # inside `if TYPE_CHECKING:`
    line: int


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path) -> dict[str, ast.Module]:
    return {module_name(p, root): ast.parse(p.read_text("utf-8")) for p in root.rglob("*.py")}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(root: Path) -> list[Import]:
    """Every import in the tree, module-level or inside functions."""
    tree = modules(root)
    found: list[Import] = []

    def visit(node: ast.AST, source: str, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for inner in child.body:
                    visit_node(inner, source, True)
                for inner in child.orelse:
                    visit_node(inner, source, type_only)
            else:
                visit_node(child, source, type_only)

    def visit_node(node: ast.AST, source: str, type_only: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend(Import(source, a.name, type_only, node.lineno) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                target = submodule if submodule in tree else node.module
                found.append(Import(source, target, type_only, node.lineno))
        visit(node, source, type_only)

    for name, module in tree.items():
        visit(module, name, False)
    return list(dict.fromkeys(found))


def within(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


# -- the rules ---------------------------------------------------------------------------------


def layer_violations(root: Path) -> list[str]:
    """Imports that cross the layers the wrong way (docs/architecture.md)."""
    problems = []
    for i in imports(root):
        where = f"{i.source}:{i.line} imports {i.target}"
        if within(i.source, "rmcli.kb"):
            if within(i.target, "rmcli") and not within(i.target, "rmcli.kb", *KB_MAY_IMPORT):
                problems.append(f"{where}: kb imports only kb, errors and text")
            if within(i.target, *UI_LIBRARIES):
                problems.append(f"{where}: kb never imports a UI library")
        if within(i.source, *DECIDE) and within(i.target, "rmcli.views", "rmcli.formats"):
            problems.append(f"{where}: the decide layer never imports views or formats")
        if within(i.source, *DECIDE, "rmcli.views") and within(
            i.target, "rmcli.cli", "rmcli.wizard", *UI_LIBRARIES
        ):
            problems.append(f"{where}: decide and view layers never import the UI")
        if within(i.source, "rmcli.views") and within(i.target, "rmcli.formats"):
            problems.append(f"{where}: views never import formats")
        if within(i.source, "rmcli.formats") and within(i.target, "rmcli.kb") and not i.type_only:
            problems.append(f"{where}: formats import views, never kb (types: TYPE_CHECKING)")
        if within(i.source, "rmcli.formats") and within(i.target, "rmcli.cli", "rmcli.wizard"):
            problems.append(f"{where}: formats never import the command line")
        if within(i.target, "rich") and not within(i.source, "rmcli.formats.terminal"):
            problems.append(f"{where}: only rmcli.formats.terminal imports rich")
        if within(i.target, "questionary") and not within(i.source, "rmcli.wizard"):
            problems.append(f"{where}: only rmcli.wizard imports questionary")
        if within(i.target, "typer", "click") and not within(i.source, "rmcli.cli"):
            problems.append(f"{where}: only rmcli.cli imports typer")
    return problems


KB_MAY_IMPORT = tuple("rmcli." + (name.removesuffix(".py")) for name in CODE_ROOTS if name != "kb")


def cycles(root: Path) -> list[list[str]]:
    """Import cycles among the tree's modules (run-time imports, lazy ones included; importing
    a submodule runs its package's __init__ first, so that counts as importing the package)."""
    graph: dict[str, set[str]] = {}
    for i in imports(root):
        if i.type_only or not within(i.target, root_package(root)):
            continue
        if i.target != i.source:
            graph.setdefault(i.source, set()).add(i.target)
        package = i.target.rsplit(".", 1)[0]
        while "." in package and not within(i.source, package):
            graph.setdefault(i.source, set()).add(package)
            package = package.rsplit(".", 1)[0]
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node, [node])
    return found


def root_package(root: Path) -> str:
    return next(p.name for p in root.iterdir() if (p / "__init__.py").exists())


def environ_reads(root: Path) -> list[str]:
    """Reads of os.environ or os.getenv outside rmcli.environment."""
    found = []
    for name, module in modules(root).items():
        if name.endswith(".environment"):
            continue
        for node in ast.walk(module):
            attribute = isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")
            if attribute and isinstance(node.value, ast.Name) and node.value.id == "os":  # type: ignore[attr-defined]
                found.append(f"{name}:{node.lineno} reads os.{node.attr}")  # type: ignore[attr-defined]
            if isinstance(node, ast.ImportFrom) and node.module == "os":
                names = {a.name for a in node.names} & {"environ", "getenv"}
                found += [f"{name}:{node.lineno} imports os.{n}" for n in sorted(names)]
    return found


def long_modules(root: Path) -> dict[str, int]:
    counts = {
        str(p.relative_to(root)): len(p.read_text("utf-8").splitlines()) for p in root.rglob("*.py")
    }
    return {name: count for name, count in counts.items() if count > MAX_LINES}


def kb_dependencies(root: Path) -> set[str]:
    """The modules outside kb that the kb package imports at run time, followed through."""
    edges: dict[str, set[str]] = {}
    for i in imports(root):
        if not i.type_only and within(i.target, "rmcli"):
            edges.setdefault(i.source, set()).add(i.target)
    seen: set[str] = set()
    todo = [m for m in edges if within(m, "rmcli.kb")]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo += sorted(edges.get(current, ()))
    return {m for m in seen if not within(m, "rmcli.kb")} - {"rmcli"}


# -- on the real source ------------------------------------------------------------------------


def test_no_layer_imports_one_above_it() -> None:
    assert layer_violations(SRC) == []


def test_nothing_imports_in_a_cycle() -> None:
    assert cycles(SRC) == []


def test_only_the_environment_reads_the_process_environment() -> None:
    assert environ_reads(SRC) == []


def test_no_module_is_over_300_lines() -> None:
    assert long_modules(SRC) == {}


def test_the_cache_key_covers_every_module_the_kb_package_runs() -> None:
    """An entry stores a verdict of the kb package's code; the cache keys on that code's files
    (rmcli.kb.cache.CODE_ROOTS), so the kb package must import nothing else of rmcli."""
    assert kb_dependencies(SRC) == set(KB_MAY_IMPORT)


# -- the rules catch what they should ----------------------------------------------------------


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A synthetic source tree: the real package layout, with these modules' contents."""
    root = tmp_path / "src"
    for name, text in {
        "rmcli/__init__.py": "",
        "rmcli/kb/__init__.py": "",
        "rmcli/views/__init__.py": "",
        "rmcli/formats/__init__.py": "",
        "rmcli/environment.py": "import os\nHOME = os.environ.get('HOME')\n",
        **files,
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_format_importing_kb_is_caught(tmp_path: Path) -> None:
    root = tree(tmp_path, {"rmcli/formats/yaml.py": "from rmcli.kb.model import Therapy\n"})
    (problem,) = layer_violations(root)
    assert problem.startswith("rmcli.formats.yaml:1 imports rmcli.kb.model")
    typed = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import rmcli.kb.model\n"
    assert layer_violations(tree(tmp_path / "t", {"rmcli/formats/yaml.py": typed})) == []


@pytest.mark.parametrize(
    ("module", "text", "words"),
    [
        ("rmcli/kb/x.py", "import rich\n", "kb never imports a UI library"),
        ("rmcli/kb/x.py", "from rmcli.views import common\n", "kb imports only"),
        ("rmcli/views/x.py", "def f():\n    import rmcli.formats\n", "views never import"),
        ("rmcli/views/x.py", "import questionary\n", "only rmcli.wizard imports"),
        ("rmcli/search.py", "import rmcli.views\n", "decide layer never imports"),
        ("rmcli/formats/x.py", "import rich.text\n", "only rmcli.formats.terminal"),
    ],
)
def test_each_layer_rule_is_caught(tmp_path: Path, module: str, text: str, words: str) -> None:
    problems = layer_violations(tree(tmp_path, {module: text}))
    assert any(words in p for p in problems), problems


def test_a_cycle_is_caught_even_through_a_lazy_import(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "rmcli/cli/__init__.py": "from rmcli.cli.run import run\napp = None\n",
            "rmcli/cli/run.py": "def run():\n    from rmcli.cli import app\n",
        },
    )  # the shape this package had: `app` in the package, the runner imported at its end
    assert cycles(root) == [["rmcli.cli", "rmcli.cli.run", "rmcli.cli"]]
    assert (
        cycles(tree(tmp_path / "ok", {"rmcli/cli/__init__.py": "", "rmcli/cli/run.py": ""})) == []
    )


@pytest.mark.parametrize(
    "text",
    ["import os\nos.environ.get('X')\n", "import os\nos.getenv('X')\n", "from os import environ\n"],
)
def test_reading_the_environment_outside_the_environment_is_caught(
    tmp_path: Path, text: str
) -> None:
    root = tree(tmp_path, {"rmcli/kb/files.py": text})
    (problem,) = environ_reads(root)
    assert problem.startswith("rmcli.kb.files:")


def test_a_long_module_is_caught(tmp_path: Path) -> None:
    root = tree(tmp_path, {"rmcli/views/long.py": "x = 1\n" * (MAX_LINES + 1)})
    assert long_modules(root) == {"rmcli/views/long.py": MAX_LINES + 1}


def test_a_kb_import_the_cache_does_not_key_on_is_caught(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "rmcli/kb/load.py": "from rmcli import text\n",
            "rmcli/text.py": "import rmcli.transliterate\n",
            "rmcli/transliterate.py": "",
        },
    )
    assert kb_dependencies(root) == {"rmcli.text", "rmcli.transliterate"}
