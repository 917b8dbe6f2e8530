"""The printable report in a real browser: headless Chromium (Debian's `chromium`) prints the
example profile's report to A4 and lays it out at A4 width.

CI installs Chromium (.ci/run); where it is missing the tests are skipped with that reason, so the
README's test command still passes on a fresh machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import RunCli
from wizard_helpers import EXAMPLE_PROFILE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# CI installs Chromium and sets RMCLI_REQUIRE_CHROMIUM, so there a missing browser fails
REQUIRED = bool(os.environ.get("RMCLI_REQUIRE_CHROMIUM"))
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRED, reason="Chromium is not installed"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
A4_TEXT_WIDTH = 703  # CSS pixels: 210 mm less the report's 2 x 12 mm margins, at 96 dpi
# Reads the laid-out page and leaves its findings in the DOM for --dump-dom to print.
PROBE = """<script>
window.addEventListener('load', () => {
  const overflow = [...document.querySelectorAll('table')]
    .filter(t => t.scrollWidth > document.body.clientWidth + 1).length;
  const badges = {};
  for (const b of document.querySelectorAll('.badge')) {
    const s = getComputedStyle(b);
    badges[b.textContent] = [s.borderTopStyle, s.borderTopWidth, s.fontWeight, s.fontStyle,
                             s.backgroundColor].join(' ');
  }
  document.body.setAttribute('data-probe', JSON.stringify({overflow, badges}));
});
</script>"""


def chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None, "Chromium is required here (RMCLI_REQUIRE_CHROMIUM)"
    run = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return run.stdout


@pytest.fixture
def report(tmp_path: Path, run_cli: RunCli) -> Path:
    path = tmp_path / "report.html"
    code, _, err = run_cli("wizard", "--answers", str(EXAMPLE_PROFILE), "--report", str(path))
    assert code == 0, err
    return path


def test_the_example_report_prints_on_at_most_five_a4_pages(report: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))
    assert 1 <= pages <= 5


def test_no_table_is_wider_than_the_page_and_tiers_differ_without_colour(
    report: Path, tmp_path: Path
) -> None:
    probed = tmp_path / "probed.html"
    probed.write_text(report.read_text(encoding="utf-8") + PROBE, encoding="utf-8")
    dom = chromium(
        tmp_path,
        f"--window-size={A4_TEXT_WIDTH},1100",
        "--virtual-time-budget=5000",
        "--dump-dom",
        probed.as_uri(),
    )
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, "the probe did not run"
    probe = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert probe["overflow"] == 0
    styles = probe["badges"]
    assert {"RECOMMENDED", "RESEARCH-ONLY", "NOT-RECOMMENDED"} <= set(styles)
    # border, weight and style (not colour) keep the tiers apart on a greyscale printout
    assert len({style.rsplit(" ", 1)[0] for style in styles.values()}) == len(styles)
