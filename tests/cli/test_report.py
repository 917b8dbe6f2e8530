"""`rmcli wizard --report FILE`: printable Markdown or HTML reports, written safely."""

from __future__ import annotations

import datetime
import html
import stat
import tomllib
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from rmcli.assess import Assessment, assess
from rmcli.kb import KnowledgeBase
from rmcli.profile import load as load_profile

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "profile.toml"
HOSTILE = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"
Edit = Callable[[str, Callable[[dict[str, Any]], object]], Path]


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> Collect:
    parser = Collect()
    parser.feed(text)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def expected(kb: KnowledgeBase) -> Assessment:
    return assess(load_profile(EXAMPLE, kb.vocabulary, [t.id for t in kb.therapies]), kb)


def report(run_cli: Any, path: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("wizard", "--answers", str(EXAMPLE), "--report", str(path), *extra)


def check_contents(text: str, kb: KnowledgeBase, result: Assessment, *, details: bool) -> None:
    """What a report must hold, in visible text: the date, versions and disclaimer before the
    situation; the situation; every row with its deciding source; the profile; investigations,
    what would change, the outlook; with --details every reason and its references."""
    flat = " ".join(text.split())
    top = flat.index(result.situations[0].name)
    assert kb.manifest.disclaimer in flat[:top] and kb.manifest.version in flat[:top]
    assert datetime.date.today().isoformat() in flat[:top]
    assert " ".join(result.situations[0].text.split()) in flat
    assert "3 pregnancy losses; 0 live births (primary RPL); 1 loss at or after 10 weeks" in flat
    names = {k: t.name for k, t in kb.vocabulary.findings.items()}
    for finding, value in result.profile.findings.items():
        if value != "not-tested":
            assert f"{names[finding]}: {value.replace('-', ' ')}" in flat
    assert "Diabetes" in flat
    shown = [a for a in result.assessments if a.relevant]
    assert {a.tier for a in shown} >= {"recommended", "not-recommended"}
    for item in shown:
        assert item.tier.upper() in flat and item.source and item.source in flat, item.therapy
        decisive = next(r for r in item.reasons if r.decisive)
        assert all(f"{ref} — " in flat for ref in decisive.refs), item.therapy
        assert (" ".join(decisive.text.split()) in flat) == details
    for finding in [*result.investigations, *result.notes]:
        assert " ".join(finding.text.split()) in flat
    for heading in ("Investigations worth doing", "What untested results would change"):
        assert heading in flat
    assert "Outlook without treatment" in flat and result.outlook[0].text.split()[0] in flat


def test_markdown_report(
    run_cli: Any, kb: KnowledgeBase, expected: Assessment, tmp_path: Path
) -> None:
    target = tmp_path / "assessment.md"
    code, out, err = report(run_cli, target)
    assert code == 0, err
    assert f"report written to {target}" in err
    assert "RECOMMENDED" in out  # the assessment is still shown
    assert "Reasons and references" not in out  # the terminal shows them with --details
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Immune-profile assessment")
    assert text.endswith("\n")
    check_contents(text, kb, expected, details=False)
    detailed = tmp_path / "detailed.md"
    assert report(run_cli, detailed, "--details")[0] == 0
    check_contents(detailed.read_text(encoding="utf-8"), kb, expected, details=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assessment.md", "detailed.md"]


def test_html_report(run_cli: Any, kb: KnowledgeBase, expected: Assessment, tmp_path: Path) -> None:
    target = tmp_path / "assessment.html"
    code, _, err = report(run_cli, target)
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert text.rstrip().endswith("</html>")
    parsed = parse_html(text)
    assert {"html", "head", "body", "h1", "h2", "table", "ul", "li", "footer"} <= set(parsed.tags)
    assert "script" not in parsed.tags
    check_contents(html.unescape("".join(parsed.text)), kb, expected, details=False)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("r.markdown", "# Immune"),
        ("r.MD", "# Immune"),
        ("r.htm", "<!DOCTYPE html>"),
        ("r.HTML", "<!DOCTYPE html>"),
    ],
)
def test_report_format_follows_the_extension(
    run_cli: Any, tmp_path: Path, name: str, start: str
) -> None:
    target = tmp_path / name
    code, _, err = report(run_cli, target, "--format", "json")
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith(start)


def test_html_report_escapes_knowledge_base_text(
    run_cli: Any, kb_copy: Path, edit_therapy: Edit, tmp_path: Path
) -> None:
    def change(data: dict[str, Any]) -> None:
        data["short_name"] = f"Heparin {HOSTILE}"
        for rule in data["rules"]:
            rule["reason"] = f"{rule['reason']} {HOSTILE}"
            rule["source"] = "ACR 2020 <b>x</b>"

    edit_therapy("heparin", change)
    manifest = kb_copy / "kb.toml"
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    data["disclaimer"] = f"{data['disclaimer']} <b>Not advice</b> & more"
    manifest.write_text(tomli_w.dumps(data), encoding="utf-8")
    target = tmp_path / "r.html"
    code, _, err = run_cli(
        "--kb", str(kb_copy), "wizard", "--answers", str(EXAMPLE), "--report", str(target),
        "--details",
    )  # fmt: skip
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text and "&lt;img src=x" in text and "&amp; more" in text
    parsed = parse_html(text)
    assert not {"script", "img", "b"} & set(parsed.tags)
    visible = html.unescape("".join(parsed.text))
    assert f"Heparin {HOSTILE}" in visible and "ACR 2020 <b>x</b>" in visible
    assert "<b>Not advice</b> & more" in visible


def test_report_refuses_to_overwrite_without_force(run_cli: Any, tmp_path: Path) -> None:
    for name in ("keep.md", "keep.html"):
        target = tmp_path / name
        target.write_text("precious", encoding="utf-8")
        target.chmod(0o644)
        code, out, err = report(run_cli, target)
        assert code == 5
        assert out == ""
        assert "already exists" in err and "--force" in err
        assert target.read_text(encoding="utf-8") == "precious"
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.html", "keep.md"]


def test_report_force_overwrites_and_makes_it_private(run_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    code, _, err = report(run_cli, target, "--force")
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("# Immune-profile assessment")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("name", ["r.txt", "r", "r.pdf", "r.md.bak"])
def test_unknown_extension_is_a_usage_error_before_anything_is_written(
    run_cli: Any, tmp_path: Path, name: str
) -> None:
    saved = tmp_path / "profile.toml"
    code, out, err = run_cli(
        "wizard", "--answers", str(EXAMPLE), "--save", str(saved), "--report", str(tmp_path / name)
    )
    assert code == 2
    assert out == ""
    assert "cannot tell the report format" in err
    assert "*.md or *.html" in err
    assert list(tmp_path.iterdir()) == []


def test_report_into_a_missing_directory(run_cli: Any, tmp_path: Path) -> None:
    code, out, err = report(run_cli, tmp_path / "missing" / "r.md")
    assert code == 5
    assert out == ""
    assert "does not exist" in err
    assert list(tmp_path.iterdir()) == []


def test_report_onto_a_directory(run_cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "dir.md"
    folder.mkdir()
    code, _, err = report(run_cli, folder, "--force")
    assert code == 5
    assert "directory" in err
    assert list(folder.iterdir()) == []


def test_report_is_checked_before_the_profile_is_read(run_cli: Any, tmp_path: Path) -> None:
    """A refused report fails first, so no interview or profile read is wasted."""
    existing = tmp_path / "r.md"
    existing.write_text("x", encoding="utf-8")
    code, _, err = run_cli(
        "wizard", "--answers", str(tmp_path / "no-such-profile.toml"), "--report", str(existing)
    )
    assert code == 5
    assert "already exists" in err
