"""docs/pictures.py still runs and draws the README's six pictures from the real tool."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "docs" / "pictures.py"
PICTURES = {
    "list": "rmcli list",
    "show-ivig": "rmcli show ivig",
    "compare": "rmcli compare prednisolone ivig",
    "targets": "rmcli targets",
    "evidence-heparin": "rmcli evidence heparin",
    "wizard": "rmcli wizard --answers examples/profile.toml",
}
NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pictures")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in PICTURES:
        assert f"wrote {target / name}.svg" in result.stdout
    return target


def test_script_writes_exactly_six_pictures(drawn: Path) -> None:
    assert sorted(p.name for p in drawn.iterdir()) == sorted(f"{n}.svg" for n in PICTURES)


@pytest.mark.parametrize(("name", "title"), PICTURES.items())
def test_each_picture_is_svg_with_its_command_title(drawn: Path, name: str, title: str) -> None:
    root = ET.parse(drawn / f"{name}.svg").getroot()
    assert root.tag == f"{NS}svg"
    texts = [" ".join((t.text or "").replace("\xa0", " ").split()) for t in root.iter(f"{NS}text")]
    assert title in texts, f"{name}: title {title!r} not found"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("list", "heparin"),
        ("show-ivig", "Intravenous immunoglobulin"),
        ("compare", "Corticosteroids (prednisolone)"),
        ("targets", "Alloimmune"),
        ("evidence-heparin", "Farquharson 2002"),
        ("wizard", "RECOMMENDED"),
    ],
)
def test_each_picture_shows_the_real_output(drawn: Path, name: str, expected: str) -> None:
    root = ET.parse(drawn / f"{name}.svg").getroot()
    text = "".join((t.text or "") for t in root.iter(f"{NS}text")).replace("\xa0", " ")
    assert expected.replace(" ", "") in text.replace(" ", "")


def test_readme_shows_every_picture_and_each_is_committed() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(docs/pictures/([a-z-]+)\.svg\)", readme))
    assert shown == set(PICTURES)
    for name in PICTURES:
        ET.parse(REPO / "docs" / "pictures" / f"{name}.svg")
