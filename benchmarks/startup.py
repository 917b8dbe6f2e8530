"""Startup, memory and scale benchmark for rmcli (issue: fast and hard to break).

Runs fresh processes, interleaved round by round so that machine noise hits every command
alike, and prints the median and min-max wall time of each, its ratio to the matching
baseline, and peak memory. Besides the warm path it times the edit loop (a run on a
knowledge-base folder just edited, so the cache has no entry for it, against a cached run of
the same command), `kb validate` and `refs --format bibtex`. Then it times synthetic knowledge
bases of 100 and 1,000 therapies.

    python benchmarks/startup.py            # full run (about two minutes); CI runs this
    python benchmarks/startup.py --quick    # a smoke run: 3 rounds, small knowledge bases

Exit status is 0 when every goal is met and 1 otherwise (tests/test_benchmarks.py runs it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

import tomli_w

HERE = Path(__file__).resolve().parent
EXAMPLE_PROFILE = HERE.parent / "examples" / "profile.toml"
# Goals: each command's median over its baseline's (docs: README, "Performance").
WARM_GOAL, JSON_GOAL, PROMPT_GOAL, MEMORY_GOAL = 1.25, 1.35, 1.25, 1.25
EDIT_LOOP_GOAL = 1.3  # an edited knowledge base (no cache entry) over a cached run
MAINTAINER_GOAL = 1.6  # kb validate and refs --format bibtex over `import typer`

# argv, what to do before each run, and variables to add to the environment
Command = tuple[list[str], Callable[[], None] | None, dict[str, str]]


def rmcli_executable() -> str:
    sibling = Path(sys.executable).with_name("rmcli")
    found = str(sibling) if sibling.exists() else shutil.which("rmcli")
    if not found:
        sys.exit("rmcli is not installed next to this Python; install it first (pip install .)")
    return found


def run_once(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time (ms) and peak RSS (MB) of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        sys.exit(f"{' '.join(argv)} failed ({process.returncode}): {error}")
    return elapsed, usage.ru_maxrss / 1024


def time_commands(
    commands: dict[str, Command], rounds: int, env: dict[str, str]
) -> dict[str, tuple[list[float], list[float]]]:
    results: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in commands}
    for argv, prepare, extra in commands.values():  # warm-up: page cache, the cache
        if prepare:
            prepare()
        run_once(argv, {**env, **extra})
    for _ in range(rounds):
        for name, (argv, prepare, extra) in commands.items():
            if prepare:
                prepare()
            elapsed, memory = run_once(argv, {**env, **extra})
            results[name][0].append(elapsed)
            results[name][1].append(memory)
    return results


def editor(folder: Path) -> Callable[[], None]:
    """A save of kb.toml that changes its bytes, as an author's editor would, before a run."""
    manifest = folder / "kb.toml"
    original = manifest.read_text(encoding="utf-8")
    count = iter(range(1, 1_000_000))

    def save() -> None:
        manifest.write_text(f"{original}# edit {next(count)}\n", encoding="utf-8")

    return save


def plain(commands: dict[str, list[str]], **extra: str) -> dict[str, Command]:
    return {name: (argv, None, extra) for name, argv in commands.items()}


def first_prompt_ms(rmcli: str, rounds: int, env: dict[str, str]) -> list[float]:
    """Time from spawn until the wizard's first question is on a real terminal."""
    import pexpect

    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        child = pexpect.spawn(
            rmcli,
            ["wizard"],
            env={**env, "PROMPT_TOOLKIT_NO_CPR": "1"},
            dimensions=(40, 120),
            timeout=20,
        )
        child.expect("Age in years")
        times.append((time.perf_counter() - start) * 1000)
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
        child.close()
    return times


def synthetic_kb(source: Path, target: Path, count: int) -> Path:
    """A valid knowledge base of `count` therapies, cloned from the real ones (realistic sizes)."""
    shutil.copytree(source, target, dirs_exist_ok=False, symlinks=False)
    therapies = target / "therapies"
    originals = sorted(therapies.glob("*.toml"))
    documents = [tomllib.loads(p.read_text(encoding="utf-8")) for p in originals]
    for path in originals:
        path.unlink()
    for index in range(count):
        document = dict(documents[index % len(documents)])
        if index < len(documents):  # the originals stay: rules name therapies by id
            (therapies / f"{document['id']}.toml").write_text(tomli_w.dumps(document), "utf-8")
            continue
        new_id = f"{document['id']}-{index:04d}"
        document["id"] = new_id
        document["name"] = f"{document['name']} {index:04d}"
        document["aliases"] = [f"{alias} {index:04d}" for alias in document["aliases"]]
        (therapies / f"{new_id}.toml").write_text(tomli_w.dumps(document), encoding="utf-8")
    return target


def summary(label: str, times: list[float], base: float | None, memory: list[float] | None) -> str:
    median = statistics.median(times)
    ratio = f"{median / base:5.2f}x" if base else "   -  "
    peak = f"{max(memory):6.1f} MB" if memory else "        "
    return f"{label:<44} {median:7.1f} ms  ({min(times):6.1f}-{max(times):6.1f})  {ratio}  {peak}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="3 rounds, 20 and 60 therapies")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    scale = (20, 60) if args.quick else (100, 1000)
    rmcli, python = rmcli_executable(), sys.executable
    cache = tempfile.mkdtemp(prefix="rmcli-bench-cache-")
    env = {**os.environ, "XDG_CACHE_HOME": cache, "COLUMNS": "100", "NO_COLOR": "1"}
    env.pop("RMCLI_KB", None)
    folder = Path(tempfile.mkdtemp(prefix="rmcli-bench-edit-"))
    source = Path(str(resources_root()))
    cached_kb, edited_kb = folder / "cached", folder / "edited"
    for copy in (cached_kb, edited_kb):
        shutil.copytree(source, copy, symlinks=False)
    commands = {
        "baseline: import typer, rich.console, rich.table": [
            python,
            "-c",
            "import typer, rich.console, rich.table",
        ],
        "baseline: import typer": [python, "-c", "import typer"],
        "rmcli --version": [rmcli, "--version"],
        "rmcli list": [rmcli, "list"],
        "rmcli show ivig": [rmcli, "show", "ivig"],
        "rmcli compare prednisolone ivig heparin": [
            rmcli,
            "compare",
            "prednisolone",
            "ivig",
            "heparin",
        ],
        "rmcli show ivig --format json": [rmcli, "show", "ivig", "--format", "json"],
        "rmcli wizard --answers ... --format json": [
            rmcli,
            "wizard",
            "--answers",
            str(EXAMPLE_PROFILE),
            "--format",
            "json",
        ],
        "rmcli kb validate": [rmcli, "kb", "validate"],
        "rmcli refs --format bibtex": [rmcli, "refs", "--format", "bibtex"],
    }
    timed = plain(commands) | {
        "edit loop: show ivig, cached": ([rmcli, "--kb", str(cached_kb), "show", "ivig"], None, {}),
        "edit loop: show ivig, just edited": (
            [rmcli, "--kb", str(edited_kb), "show", "ivig"],
            editor(edited_kb),
            {},
        ),
    }
    print(f"{rounds} interleaved rounds; median (min-max), ratio to baseline, peak RSS\n")
    results = time_commands(timed, rounds, env)
    shutil.rmtree(folder, ignore_errors=True)
    rich_base = statistics.median(results["baseline: import typer, rich.console, rich.table"][0])
    typer_base = statistics.median(results["baseline: import typer"][0])
    rich_memory = max(results["baseline: import typer, rich.console, rich.table"][1])
    edit_base = statistics.median(results["edit loop: show ivig, cached"][0])
    goals: list[tuple[str, bool]] = []
    for name, (times, memory) in results.items():
        base, limit = baseline_of(name, rich_base, typer_base, edit_base)
        print(summary(name, times, base, memory))
        if base and limit:
            goals.append((f"{name} <= {limit}x", statistics.median(times) <= limit * base))
    show_memory = max(results["rmcli show ivig"][1])
    goals.append(
        (
            f"rmcli show ivig peak memory <= {MEMORY_GOAL}x baseline",
            show_memory <= MEMORY_GOAL * rich_memory,
        )
    )

    prompt_base_times = time_commands(
        plain({"q": [python, "-c", "import typer, questionary"]}), rounds, env
    )["q"][0]
    prompt = first_prompt_ms(rmcli, rounds, env)
    prompt_base = statistics.median(prompt_base_times)
    print(summary("baseline: import typer, questionary", prompt_base_times, None, None))
    print(summary("rmcli wizard: time to first prompt (PTY)", prompt, prompt_base, None))
    goals.append(
        (
            f"first wizard prompt <= {PROMPT_GOAL}x",
            statistics.median(prompt) <= PROMPT_GOAL * prompt_base,
        )
    )

    print(f"\nScale: synthetic knowledge bases of {scale[0]} and {scale[1]} therapies")
    with tempfile.TemporaryDirectory(prefix="rmcli-bench-kb-") as folder:
        kbs = {n: synthetic_kb(source, Path(folder) / f"kb{n}", n) for n in scale}
        scaled: dict[str, Command] = {}
        for n, path in kbs.items():  # list from the cache; kb validate in full, without it
            scaled |= plain(
                {
                    f"list --format json ({n})": [
                        rmcli,
                        "--kb",
                        str(path),
                        "list",
                        "--format",
                        "json",
                    ]
                }
            )
            scaled |= plain(
                {f"kb validate ({n})": [rmcli, "kb", "validate", str(path)]}, RMCLI_NO_CACHE="1"
            )
        scale_results = time_commands(scaled, max(3, rounds // 3), env)
        for name, (times, memory) in scale_results.items():
            print(summary(name, times, None, memory))
        small, large = scale
        for kind in ("list --format json", "kb validate"):
            a = statistics.median(scale_results[f"{kind} ({small})"][0])
            b = statistics.median(scale_results[f"{kind} ({large})"][0])
            factor = large / small
            print(
                f"{kind}: {large}/{small} therapies = {b / a:.2f}x (linear would be {factor:.0f}x)"
            )
            goals.append((f"{kind} grows at most linearly", b / a <= 1.2 * factor))
        if not args.quick:
            large_list = statistics.median(scale_results[f"list --format json ({large})"][0])
            goals.append((f"{large} therapies list in under 1 s", large_list < 1000))
    shutil.rmtree(cache, ignore_errors=True)

    return report(goals)


def baseline_of(
    name: str, rich_base: float, typer_base: float, edit_base: float
) -> tuple[float | None, float | None]:
    """The baseline a command is compared with, and its goal (None: not compared)."""
    if name.startswith("baseline") or name == "edit loop: show ivig, cached":
        return None, None
    if name.startswith("edit loop"):
        return edit_base, EDIT_LOOP_GOAL
    if name in ("rmcli kb validate", "rmcli refs --format bibtex"):
        return typer_base, MAINTAINER_GOAL
    if "json" in name:
        return typer_base, JSON_GOAL
    return rich_base, WARM_GOAL


def report(goals: list[tuple[str, bool]]) -> int:
    """Print every goal as met or MISSED; the exit status is 1 when one is missed."""
    print("\nGoals:")
    for goal, met in goals:
        print(f"  {'met   ' if met else 'MISSED'}  {goal}")
    return 0 if all(met for _, met in goals) else 1


def resources_root() -> object:
    from importlib import resources

    return resources.files("rmcli") / "data"


if __name__ == "__main__":
    sys.exit(main())
