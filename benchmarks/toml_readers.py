"""Which TOML parser reads the knowledge base: tomllib, tomli and rtoml on the bundled files.

The cost of a run on an edited knowledge base (no cache entry) is mostly parsing. This script
checks that each candidate gives exactly what tomllib gives on every bundled file (same keys in
the same order, same types, equal values; floats compared by repr, dates and datetimes with
their time zones), then times each one parsing all of them.

    python benchmarks/toml_readers.py          # needs tomli and rtoml (pip install tomli rtoml)

On the 2-core development machine (15 runs, 18 files, 499 KiB): tomllib 67.8 ms, tomli 20.8 ms
(compiled with mypyc), rtoml 5.3 ms, all with identical results; rmcli reads with rtoml
(rmcli.kb.read), and tests/kb/test_read.py keeps the results identical to tomllib's.
"""

from __future__ import annotations

import datetime
import importlib
import math
import statistics
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"


def difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two parsed documents differ, or None when they are the same."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)} vs {list(b)}"
        return next((d for k in a if (d := difference(a[k], b[k], f"{path}.{k}"))), None)
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        pairs = zip(a, b, strict=True)
        return next(
            (d for i, (x, y) in enumerate(pairs) if (d := difference(x, y, f"{path}[{i}]"))), None
        )
    if isinstance(a, float):
        same = repr(a) == repr(b) or (math.isnan(a) and math.isnan(b))
        return None if same else f"{path}: {a!r} vs {b!r}"
    if isinstance(a, datetime.datetime | datetime.time) and a.utcoffset() != b.utcoffset():
        return f"{path}: time zone {a.tzinfo} vs {b.tzinfo}"
    return None if a == b else f"{path}: {a!r} vs {b!r}"


def parsers() -> dict[str, Callable[[str], dict[str, Any]]]:
    found: dict[str, Callable[[str], dict[str, Any]]] = {"tomllib": tomllib.loads}
    for name in ("tomli", "rtoml"):
        try:
            found[name] = importlib.import_module(name).loads
        except ImportError:
            print(f"{name} is not installed; skipped")
    return found


def main() -> int:
    texts = {p: p.read_text(encoding="utf-8") for p in sorted(DATA.rglob("*.toml"))}
    size = sum(len(t.encode()) for t in texts.values()) // 1024
    print(f"{len(texts)} files, {size} KiB\n")
    candidates = parsers()
    same = True
    for name, parse in candidates.items():
        problems = [
            (p.name, d) for p, t in texts.items() if (d := difference(tomllib.loads(t), parse(t)))
        ]
        same = same and not problems
        print(f"{name:8} {'identical to tomllib' if not problems else problems[:3]}")
    print()
    for name, parse in candidates.items():
        runs = []
        for _ in range(15):
            start = time.perf_counter()
            for text in texts.values():
                parse(text)
            runs.append((time.perf_counter() - start) * 1000)
        print(f"{name:8} median {statistics.median(runs):6.1f} ms  (min {min(runs):.1f})")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
