"""What validates always renders: numbers a view cannot show are refused by validation.

A property test mutates numeric fields of the bundled knowledge base; whenever `kb validate`
accepts the result, every command renders it in every format without an error.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from fuzz_helpers import fuzz_settings
from hypothesis import event, given
from hypothesis import strategies as st

from rmcli.kb.load import bundled

BUNDLED = Path(str(bundled()))
PROFILE = Path(__file__).resolve().parents[2] / "examples" / "profile.toml"
Edit = Callable[[str, Callable[[dict[str, Any]], object]], Path]

COMMANDS = [
    ["list", "--long"],
    ["list", "--format", "json"],
    ["list", "--format", "csv"],
    ["targets"],
    ["refs", "--format", "bibtex"],
    ["wizard", "--answers", str(PROFILE), "--format", "markdown"],
    ["wizard", "--answers", str(PROFILE), "--format", "html"],
]
PER_THERAPY = [
    ["show", "{id}"],
    ["show", "{id}", "--format", "json"],
    ["show", "{id}", "--format", "markdown"],
    ["compare", "{id}", "{other}"],
    ["evidence", "{id}", "--absolute"],
    ["evidence", "{id}", "--absolute", "--format", "markdown"],
    ["evidence", "{id}", "--format", "json"],
    ["evidence", "{id}", "--svg", "-"],
]


def first_study(data: dict[str, Any], with_counts: bool = False) -> dict[str, Any]:
    studies = [s for s in data["evidence"] if "estimate" in s]
    if with_counts:
        studies = [s for s in studies if "control_total" in s]
    return dict(studies[0])


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (lambda s: s.update(ci_high=math.inf), "ci_high", "finite"),
        (lambda s: s.update(estimate=math.nan), "estimate", "finite"),
        (lambda s: s.update(decimals=-1), "decimals", "0 to 6"),
        (lambda s: s.update(decimals=400), "decimals", "0 to 6"),
        (lambda s: s.update(ci_low=-2.0), "ci_low", "ratio"),
        (lambda s: s.update(n=-3), "n", "count"),
    ],
)
def test_a_number_no_view_can_show_is_refused_by_kb_validate(
    run_cli: Any, kb_copy: Path, edit_therapy: Edit, change: Any, key: str, words: str
) -> None:
    """`ci_high = inf` crashed `evidence heparin`, `decimals = -1` crashed `show heparin`."""

    def mutate(data: dict[str, Any]) -> None:
        study = next(s for s in data["evidence"] if "estimate" in s)
        change(study)

    edit_therapy("heparin", mutate)
    code, out, err = run_cli("kb", "validate", str(kb_copy))
    assert code == 3, err
    assert any(f".{key}: found" in line and words in line for line in out.splitlines()), out
    for command in (["evidence", "heparin"], ["show", "heparin"]):
        code, _, err = run_cli("--kb", str(kb_copy), *command)
        assert code == 3
        assert "internal error" not in err


def test_a_control_arm_cannot_have_more_events_than_women(
    run_cli: Any, kb_copy: Path, edit_therapy: Edit
) -> None:
    def mutate(data: dict[str, Any]) -> None:
        study = next(s for s in data["evidence"] if "control_total" in s)
        study["control_events"] = study["control_total"] + 1

    edit_therapy("progesterone", mutate)
    code, out, _ = run_cli("kb", "validate", str(kb_copy))
    assert code == 3
    assert "control_events: " in out and "events among" in out


# -- the property ------------------------------------------------------------------------------

NUMERIC = ["estimate", "ci_low", "ci_high", "decimals", "n", "control_events", "control_total"]
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-5, max_value=50),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-2, max_value=12),
)
THERAPIES = ["heparin", "progesterone", "ivig", "aspirin"]
ORDERED = st.tuples(
    st.lists(st.floats(min_value=1e-5, max_value=1e5), min_size=3, max_size=3).map(sorted),
    st.integers(min_value=0, max_value=7),
).map(
    lambda drawn: (
        {"ci_low": drawn[0][0], "estimate": drawn[0][1], "ci_high": drawn[0][2]}
        | {"decimals": drawn[1]}
    )
)
CHANGES = st.one_of(
    st.dictionaries(st.sampled_from(NUMERIC), NUMBERS, min_size=1, max_size=3), ORDERED
)


@pytest.fixture(scope="module")
def mutable_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("numbers") / "kb"
    shutil.copytree(BUNDLED, root, symlinks=False)
    return root


@fuzz_settings(15)
@given(
    therapy=st.sampled_from(THERAPIES),
    changes=CHANGES,
    position=st.integers(min_value=0, max_value=40),
)
def test_whatever_validates_renders_in_every_command_and_format(
    run_cli: Any, mutable_kb: Path, therapy: str, changes: dict[str, Any], position: int
) -> None:
    import tomllib

    path = mutable_kb / "therapies" / f"{therapy}.toml"
    original = (BUNDLED / "therapies" / path.name).read_bytes()
    data = tomllib.loads(original.decode())
    studies = [study for study in data["evidence"] if "estimate" in study]
    studies[position % len(studies)].update(changes)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    try:
        code, out, err = run_cli("kb", "validate", str(mutable_kb))
        assert code in (0, 3), err
        assert "internal error" not in err
        event("valid" if code == 0 else "refused")
        if code != 0:
            return
        other = next(t for t in THERAPIES if t != therapy)
        commands = COMMANDS + [
            [word.format(id=therapy, other=other) for word in command] for command in PER_THERAPY
        ]
        for command in commands:
            code, out, err = run_cli("--kb", str(mutable_kb), *command)
            assert code == 0, (command, err)
            assert out.strip(), command
    finally:
        path.write_bytes(original)
