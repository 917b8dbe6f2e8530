"""Startup, memory and scale benchmark for rmcli (issue: fast and hard to break).

Runs fresh processes, interleaved round by round so that machine noise hits every command
alike, and prints the median and min-max wall time of each, its ratio to the matching
baseline, and peak memory. Then times synthetic knowledge bases of 100 and 1,000 therapies.

    python benchmarks/startup.py            # full run (about a minute)
    python benchmarks/startup.py --quick    # a smoke run, used by the test suite

Exit status is 0 when every goal is met and 1 otherwise.
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
from collections.abc import Sequence
from pathlib import Path

import tomli_w

HERE = Path(__file__).resolve().parent
EXAMPLE_PROFILE = HERE.parent / "examples" / "profile.toml"


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
    commands: dict[str, list[str]], rounds: int, env: dict[str, str]
) -> dict[str, tuple[list[float], list[float]]]:
    results: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in commands}
    for name, argv in commands.items():  # warm-up: page cache, knowledge-base cache
        run_once(argv, env)
    for _ in range(rounds):
        for name, argv in commands.items():
            elapsed, memory = run_once(argv, env)
            results[name][0].append(elapsed)
            results[name][1].append(memory)
    return results


def first_prompt_ms(rmcli: str, rounds: int, env: dict[str, str]) -> list[float]:
    """Time from spawn until the wizard's first question is on a real terminal."""
    import pexpect

    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        child = pexpect.spawn(rmcli, ["wizard"], env={**env, "PROMPT_TOOLKIT_NO_CPR": "1"},
                              dimensions=(40, 120), timeout=20)
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
    commands = {
        "baseline: import typer, rich.console, rich.table": [
            python, "-c", "import typer, rich.console, rich.table"],
        "baseline: import typer": [python, "-c", "import typer"],
        "rmcli --version": [rmcli, "--version"],
        "rmcli list": [rmcli, "list"],
        "rmcli show ivig": [rmcli, "show", "ivig"],
        "rmcli compare prednisolone ivig heparin": [rmcli, "compare", "prednisolone", "ivig", "heparin"],
        "rmcli show ivig --format json": [rmcli, "show", "ivig", "--format", "json"],
        "rmcli wizard --answers ... --format json": [
            rmcli, "wizard", "--answers", str(EXAMPLE_PROFILE), "--format", "json"],
    }
    print(f"{rounds} interleaved rounds; median (min-max), ratio to baseline, peak RSS\n")
    results = time_commands(commands, rounds, env)
    rich_base = statistics.median(results["baseline: import typer, rich.console, rich.table"][0])
    typer_base = statistics.median(results["baseline: import typer"][0])
    rich_memory = max(results["baseline: import typer, rich.console, rich.table"][1])
    goals: list[tuple[str, bool]] = []
    for name, (times, memory) in results.items():
        is_json = "json" in name
        base = None if name.startswith("baseline") else (typer_base if is_json else rich_base)
        print(summary(name, times, base, memory))
        if base:
            limit = 1.35 if is_json else 1.25
            goals.append((f"{name} <= {limit}x", statistics.median(times) <= limit * base))
    show_memory = max(results["rmcli show ivig"][1])
    goals.append(("rmcli show ivig peak memory <= 1.25x baseline", show_memory <= 1.25 * rich_memory))

    prompt_base_times = time_commands(
        {"q": [python, "-c", "import typer, questionary"]}, rounds, env)["q"][0]
    prompt = first_prompt_ms(rmcli, rounds, env)
    prompt_base = statistics.median(prompt_base_times)
    print(summary("baseline: import typer, questionary", prompt_base_times, None, None))
    print(summary("rmcli wizard: time to first prompt (PTY)", prompt, prompt_base, None))
    goals.append(("first wizard prompt <= 1.25x", statistics.median(prompt) <= 1.25 * prompt_base))

    print(f"\nScale: synthetic knowledge bases of {scale[0]} and {scale[1]} therapies")
    with tempfile.TemporaryDirectory(prefix="rmcli-bench-kb-") as folder:
        from importlib import resources

        source = Path(str(resources.files("rmcli") / "data"))
        kbs = {n: synthetic_kb(source, Path(folder) / f"kb{n}", n) for n in scale}
        scaled = {}
        for n, path in kbs.items():
            scaled[f"list --format json ({n})"] = [rmcli, "--kb", str(path), "list", "--format", "json"]
            scaled[f"kb validate ({n})"] = [rmcli, "kb", "validate", str(path)]
        scale_results = time_commands(scaled, max(3, rounds // 3), env)
        for name, (times, memory) in scale_results.items():
            print(summary(name, times, None, memory))
        small, large = scale
        for kind in ("list --format json", "kb validate"):
            a = statistics.median(scale_results[f"{kind} ({small})"][0])
            b = statistics.median(scale_results[f"{kind} ({large})"][0])
            factor = large / small
            print(f"{kind}: {large}/{small} therapies = {b / a:.2f}x (linear would be {factor:.0f}x)")
            goals.append((f"{kind} grows at most linearly", b / a <= 1.2 * factor))
        if not args.quick:
            large_list = statistics.median(scale_results[f"list --format json ({large})"][0])
            goals.append((f"{large} therapies list in under 1 s", large_list < 1000))
    shutil.rmtree(cache, ignore_errors=True)

    print("\nGoals:")
    for goal, met in goals:
        print(f"  {'met   ' if met else 'MISSED'}  {goal}")
    return 0 if all(met for _, met in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
