"""Fuzz the therapy names given to `show` and `compare` (property-based, hypothesis).

Every name either resolves exactly (exit 0, the output is that therapy's) or fails as a usage
error (exit 2, one `rmcli: error:` line and at most one hint) — never a traceback, never an
internal error, never a control character echoed raw to the terminal.
"""

from __future__ import annotations

import json
import re

from fuzz_helpers import (
    ANY_CHAR,
    RunCli,
    assert_no_raw_controls,
    assert_one_error,
    fuzz_settings,
)
from hypothesis import example, given
from hypothesis import strategies as st

from rmcli.kb.load import bundled, load
from rmcli.kb.lookup import normalize
from rmcli.views.common import short_name

KB = load(bundled())
BY_ID = {t.id: t for t in KB.therapies}
# Every spelling the knowledge base itself gives a therapy: id, name and aliases.
SPELLINGS = [(t.id, n) for t in KB.therapies for n in (t.id, t.name, *t.aliases)]
NAMES_OF = {t.id: {normalize(n) for n in (t.id, t.name, *t.aliases)} for t in KB.therapies}
OWNER = {key: tid for tid, keys in NAMES_OF.items() for key in keys}

# Characters normalize() folds away wherever they stand: spaces, hyphens, punctuation,
# combining accents, format characters and control characters.
NEUTRAL = [
    " ", "-", "_", ".", "/", "'", "(", ")", "\t", "\u00a0", "\u2010", "\u2013", "\u00ad",
    "\u200b", "\u0301", "\u0308", "\x00", "\x1b", "\x7f", "\x85", "\u2028",
]  # fmt: skip
FORMATS = ["table", "json", "markdown"]
TABLE_HEADING = re.compile(r"^(?P<name>.*) \((?P<id>[a-z0-9-]+)\)$")
MARKDOWN_HEADING = re.compile(r"^# (?P<name>.*) \(`(?P<id>[a-z0-9-]+)`\)$")


def _fullwidth(ch: str) -> str:
    return chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch


@st.composite
def respelled(draw: st.DrawFn) -> tuple[str, str]:
    """A real spelling changed only in ways the lookup ignores: (therapy id, new spelling)."""
    therapy_id, spelling = draw(st.sampled_from(SPELLINGS))
    if draw(st.booleans()):
        spelling = spelling.replace("α", draw(st.sampled_from(["alpha", "ALPHA", "\u0391"])))
    else:
        spelling = spelling.replace("alpha", "α")
    out = [draw(st.text(st.sampled_from(NEUTRAL), max_size=3))]
    for ch in spelling:
        ch = draw(st.sampled_from([ch, ch.upper(), ch.lower(), _fullwidth(ch)]))
        out.append(ch + draw(st.text(st.sampled_from(NEUTRAL), max_size=2)))
    return therapy_id, "".join(out)


@st.composite
def noisy(draw: st.DrawFn) -> str:
    """A real spelling with random characters inserted, replaced or deleted."""
    _, spelling = draw(respelled())
    chars = list(spelling)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(chars)))
        action = draw(st.sampled_from(["insert", "replace", "delete"]))
        if action == "insert" or not chars:
            chars.insert(where, draw(ANY_CHAR))
        elif action == "replace":
            chars[min(where, len(chars) - 1)] = draw(ANY_CHAR)
        else:
            del chars[min(where, len(chars) - 1)]
    return "".join(chars)


@st.composite
def long_names(draw: st.DrawFn) -> str:
    """Up to 20,000 characters: a repeated fragment, or a real spelling padded with noise."""
    length = draw(st.integers(200, 20_000))
    if draw(st.booleans()):
        unit = draw(
            st.text(ANY_CHAR, min_size=1, max_size=8)
            | st.sampled_from(SPELLINGS).map(lambda pair: pair[1])
        )
        return (unit * (length // len(unit) + 1))[:length]
    _, spelling = draw(respelled())
    pad = draw(st.sampled_from(NEUTRAL))
    side = length // 2
    return pad * side + spelling + pad * side


any_name = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.sampled_from(SPELLINGS).map(lambda pair: pair[1]),
    respelled().map(lambda pair: pair[1]),
    noisy(),
)


def _resolved_id(fmt: str, out: str) -> tuple[str, str]:
    """(id, name) of the therapy a successful `show` printed, read from the output itself."""
    if fmt == "json":
        record = json.loads(out)["therapy"]
        return record["id"], record["name"]
    pattern = TABLE_HEADING if fmt == "table" else MARKDOWN_HEADING
    first = out.splitlines()[0]
    found = pattern.match(first)
    assert found, f"no therapy heading in {first!r}"
    return found["id"], found["name"]


def check_show(run_cli: RunCli, name: str, fmt: str) -> str | None:
    """Run `show` on a fuzzed name; returns the id it resolved to, or None on exit 2."""
    code, out, err = run_cli("show", "--format", fmt, "--", name)
    assert "Traceback" not in out + err
    assert_no_raw_controls(out, err)
    expected = OWNER.get(normalize(name))
    if code == 0:
        assert err == ""
        therapy_id, shown_name = _resolved_id(fmt, out)
        assert therapy_id in BY_ID
        assert shown_name == BY_ID[therapy_id].name
        assert BY_ID[therapy_id].name in out
        # Exact resolution: the name folds to an id, name or alias of that very therapy.
        assert normalize(name) in NAMES_OF[therapy_id], (name, therapy_id)
        assert therapy_id == expected
        return therapy_id
    assert code == 2, (code, err)
    line = assert_one_error(err)
    assert line.startswith("rmcli: error: no therapy named '"), line
    assert expected is None, f"{name!r} names {expected} but did not resolve: {err!r}"
    assert out == ""
    return None


@fuzz_settings(60)
@given(name=any_name, fmt=st.sampled_from(FORMATS))
@example(name="\x1b[2J", fmt="table")
@example(name="iv\x00ig", fmt="json")
@example(name="\u2028", fmt="table")
def test_show_any_name_resolves_exactly_or_is_a_usage_error(
    run_cli: RunCli, name: str, fmt: str
) -> None:
    check_show(run_cli, name, fmt)


@fuzz_settings(30)
@given(pair=respelled(), fmt=st.sampled_from(FORMATS))
def test_show_respelled_real_name_resolves_to_its_therapy(
    run_cli: RunCli, pair: tuple[str, str], fmt: str
) -> None:
    therapy_id, name = pair
    assert check_show(run_cli, name, fmt) == therapy_id


@fuzz_settings(15)
@given(name=long_names(), fmt=st.sampled_from(["json", "markdown"]))
def test_show_very_long_name(run_cli: RunCli, name: str, fmt: str) -> None:
    check_show(run_cli, name, fmt)
    code, _out, err = run_cli("show", "--", name)
    if code == 2:  # the echoed name is cut short, not 20,000 characters of error line
        assert len(assert_one_error(err)) < 1000


@fuzz_settings(30)
@given(name=st.text(ANY_CHAR, max_size=30).map(lambda s: "-" + s))
@example(name="-\x1b[31m")
@example(name="--\u2028x")  # a line separator must not split the error line
@example(name="--\u202ex")  # nor a right-to-left override reorder it
def test_show_name_read_as_option_is_a_usage_error(run_cli: RunCli, name: str) -> None:
    """Without `--`, a name starting with "-" is parsed as an option: a usage error or help."""
    code, out, err = run_cli("show", name)
    assert "Traceback" not in out + err
    assert_no_raw_controls(out, err)
    if code == 0:
        assert name in ("-h", "--help"), (name, out[:200])
        assert out.startswith("Usage:") and err == ""
        return
    assert code == 2, (code, err)
    assert_one_error(err)
    assert out == ""


@fuzz_settings(40)
@given(
    names=st.lists(any_name | long_names(), min_size=2, max_size=4),
    fmt=st.sampled_from(FORMATS),
)
@example(names=["aspirin", "\t" * 5000 + "aspirin"], fmt="json")  # a long name, a duplicate
def test_compare_any_names(run_cli: RunCli, names: list[str], fmt: str) -> None:
    # Wide enough that a side-by-side table never wraps a therapy name.
    code, out, err = run_cli("compare", "--format", fmt, "--", *names, env={"COLUMNS": "1000"})
    assert "Traceback" not in out + err
    assert_no_raw_controls(out, err)
    expected = [OWNER.get(normalize(name)) for name in names]
    if code == 0:
        assert err == ""
        assert None not in expected and len(set(expected)) == len(expected), (names, expected)
        if fmt == "json":
            records = json.loads(out)["therapies"]
            assert [record["id"] for record in records] == expected
            assert [record["name"] for record in records] == [BY_ID[i].name for i in expected]
        for name, therapy_id in zip(names, expected, strict=True):
            assert therapy_id is not None
            shown = (f"({therapy_id})", f'"id": "{therapy_id}"', short_name(BY_ID[therapy_id]))
            assert any(s in out for s in shown), (therapy_id, out[:300])
            assert normalize(name) in NAMES_OF[therapy_id], (name, therapy_id)
        return
    assert code == 2, (code, err)
    line = assert_one_error(err)
    assert out == ""
    # An echoed name is cut short, as `show` does it: never a 20,000-character error line.
    assert len(line) < 1000, f"error line of {len(line)} characters: {line[:120]!r}..."
    if None in expected:
        assert line.startswith("rmcli: error: no therapy named '"), line
    else:
        assert len(set(expected)) < len(expected), (names, expected, err)
        assert "already in the comparison" in line, line


@fuzz_settings(20)
@given(pairs=st.lists(respelled(), min_size=2, max_size=4, unique_by=lambda pair: pair[0]))
def test_compare_respelled_real_names(run_cli: RunCli, pairs: list[tuple[str, str]]) -> None:
    code, out, err = run_cli("compare", "--format", "json", "--", *(n for _, n in pairs))
    assert (code, err) == (0, "")
    assert [record["id"] for record in json.loads(out)["therapies"]] == [i for i, _ in pairs]
