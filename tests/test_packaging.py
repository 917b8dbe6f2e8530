"""The real wheel, built from the source tree and from the sdist, installed and run elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
THERAPY_FILES = len(list((ROOT / "data" / "therapies").glob("*.toml")))


def build(args: list[str], out: Path) -> Path:
    subprocess.run(
        # hatchling comes with the test tools, so no build environment is made for each build
        [sys.executable, "-m", "build", "--no-isolation", *args, "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("*.whl")
    return wheel


def data_files(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return [n for n in archive.namelist() if n.startswith("rmcli/data/")]


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("dist")
    return {
        "from source": build(["--wheel"], base / "wheel"),
        "from sdist": build([], base / "sdist"),  # sdist first, then a wheel built from it
    }


@pytest.mark.parametrize("route", ["from source", "from sdist"])
def test_wheel_carries_the_whole_knowledge_base(wheels: dict[str, Path], route: str) -> None:
    files = data_files(wheels[route])
    assert len([f for f in files if f.startswith("rmcli/data/therapies/")]) == THERAPY_FILES
    for name in ("kb.toml", "vocabulary.toml", "references.toml", "assessment.toml"):
        assert f"rmcli/data/{name}" in files
    assert len(files) == len(set(files))


def test_installed_wheel_runs_from_another_directory(
    wheels: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheels["from sdist"]),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "RMCLI_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("RMCLI_KB", None)
    where = subprocess.run(
        [sys.executable, "-c", "import rmcli; print(rmcli.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(target))
    shown = subprocess.run(
        [sys.executable, "-m", "rmcli", "show", "ivig"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0, shown.stderr
    assert "Intravenous immunoglobulin" in shown.stdout
    assert "not medical advice" in shown.stdout.splitlines()[-2] + shown.stdout.splitlines()[-1]
