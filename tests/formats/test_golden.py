"""Golden files: what the terminal, Markdown and HTML writers print for two patients and two
monographs, reviewed by eye once and pinned. A change of wording or layout shows as a diff here;
`pytest tests/formats/test_golden.py --update-golden` rewrites them for the next review."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
APS = str(ROOT / "examples" / "profile.toml")  # obstetric APS, raised NK cells, diabetes
BLEEDING = str(ROOT / "examples" / "pregnant-bleeding.toml")

CASES = {
    "wizard-aps-80.txt": ("wizard", "--answers", APS),
    "wizard-aps-120.txt": ("wizard", "--answers", APS),
    "wizard-aps.md": ("wizard", "--answers", APS, "--format", "markdown"),
    "wizard-aps.html": ("wizard", "--answers", APS, "--format", "html"),
    "wizard-bleeding-80.txt": ("wizard", "--answers", BLEEDING),
    "wizard-bleeding-details-80.txt": ("wizard", "--answers", BLEEDING, "--details"),
    "wizard-bleeding.md": ("wizard", "--answers", BLEEDING, "--format", "markdown"),
    "wizard-bleeding.html": ("wizard", "--answers", BLEEDING, "--format", "html"),
    "show-heparin-80.txt": ("show", "heparin"),
    "show-heparin.md": ("show", "heparin", "--format", "markdown"),
    "show-ivig-80.txt": ("show", "ivig"),
    "show-ivig.md": ("show", "ivig", "--format", "markdown"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_output_is_the_reviewed_golden_file(
    run_cli: object, request: pytest.FixtureRequest, name: str
) -> None:
    columns = "120" if "-120" in name else "80"
    code, out, err = run_cli(*CASES[name], env={"COLUMNS": columns})  # type: ignore[operator]
    assert (code, err) == (0, "")
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.write_text(out, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with --update-golden, review it"
    assert out == golden.read_text(encoding="utf-8"), f"{name} differs from its golden file"
