"""Fuzz knowledge-base files: mutations of the real therapy files (property-based, hypothesis).

`rmcli --kb COPY kb validate` must exit 0 or 3 and, on 3, list problems that each name the
mutated file; `rmcli --kb COPY list` must agree, failing in one error line plus a hint.
Never a traceback, never exit 1.
"""

from __future__ import annotations

import copy
import datetime
import functools
import re
import shutil
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

import msgspec
import pytest
import tomli_w
from fuzz_helpers import (
    ANY_CHAR,
    FILE_NAMES,
    RunCli,
    Where,
    assert_no_raw_controls,
    assert_one_error,
    at,
    fuzz_settings,
    key_paths,
    toml_values,
)
from hypothesis import assume, event, example, given
from hypothesis import strategies as st

from rmcli.kb.load import bundled
from rmcli.kb.model import Record, Therapy

BUNDLED = Path(str(bundled()))
THERAPY_FILES = sorted(p.name for p in (BUNDLED / "therapies").glob("*.toml"))
ORIGINALS = {name: (BUNDLED / "therapies" / name).read_bytes() for name in THERAPY_FILES}
DOCUMENTS = {name: tomllib.loads(raw.decode()) for name, raw in ORIGINALS.items()}
ESTIMATE_GROUP = {"measure", "estimate", "ci_low", "ci_high", "direction"}


@pytest.fixture(scope="module")
def kb_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One writable copy of the bundled knowledge base; each example restores what it changed."""
    root = tmp_path_factory.mktemp("fuzz-kb") / "kb"
    shutil.copytree(BUNDLED, root, symlinks=False)
    return root


# -- where a value sits in the model -----------------------------------------------------------


def _unwrap(tp: Any) -> Any:
    """`X | None` -> X."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return inner[0] if len(inner) == 1 else tp
    return tp


@functools.cache
def _fields(tp: Any) -> dict[str, msgspec.structs.FieldInfo]:
    return {f.name: f for f in msgspec.structs.fields(tp)}


def _is_record(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Record)


def type_at(where: Where) -> Any:
    """The model type of the value at `where` in a therapy file, or None if the model has none."""
    tp: Any = Therapy
    for key in where:
        tp = _unwrap(tp)
        if _is_record(tp) and isinstance(key, str):
            if key not in _fields(tp):
                return None
            tp = _fields(tp)[key].type
        elif typing.get_origin(tp) is list and isinstance(key, int):
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict and isinstance(key, str):
            tp = typing.get_args(tp)[1]
        else:
            return None
    return tp


def is_required(where: Where) -> bool:
    parent = _unwrap(type_at(where[:-1]))
    if not _is_record(parent) or not isinstance(where[-1], str):
        return False
    field = _fields(parent).get(where[-1])
    return (
        field is not None
        and field.default is msgspec.NODEFAULT
        and field.default_factory is msgspec.NODEFAULT
    )


def must_be_rejected(tp: Any, value: object) -> bool:
    """True where the model certainly refuses `value` (a lower bound; semantics add more)."""
    if tp is None:
        return False
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return value not in typing.get_args(tp)
    if tp is str:
        return not isinstance(value, str)
    if tp is bool:
        return not isinstance(value, bool)
    if tp in (int, float):
        return isinstance(value, str | list | dict | bool)
    if tp is datetime.date:
        return isinstance(value, int | float | list | dict | bool)
    if origin is list:
        return not isinstance(value, list)
    if origin is dict or _is_record(tp):
        return not isinstance(value, dict)
    return False


# -- mutations ----------------------------------------------------------------------------------


def _other_type(value: Any) -> st.SearchStrategy[Any]:
    """A value of another TOML type than `value` (int->str, str->int, list->str, ->table, ...)."""
    choices: list[st.SearchStrategy[Any]] = [st.just({"value": value}), st.dates()]
    if not isinstance(value, str):
        choices.append(st.just(str(value)))
    if not isinstance(value, list):
        choices.append(st.just([value]))
    if isinstance(value, bool):
        choices.append(st.just(int(value)))
    elif isinstance(value, int | float):
        choices += [st.just(value > 0), st.just(f"{value}")]
    elif isinstance(value, str):
        choices += [st.integers(), st.booleans(), st.floats()]
    elif isinstance(value, list):
        choices.append(st.just(", ".join(map(str, value))))
    return st.one_of(choices)


class Mutation(typing.NamedTuple):
    file: str
    content: bytes
    kind: str
    must_fail: bool  # True where the knowledge base must be refused (exit 3)


class Spots(typing.NamedTuple):
    """Where in one therapy file each kind of mutation can apply (computed once)."""

    keys: list[Where]  # table keys, top level or inside any table
    leaves: list[Where]  # values that are not tables
    enums: list[Where]  # fields whose model type is a Literal
    tables: list[Where]  # tables, the file itself included
    lists: list[Where]  # non-empty lists


def _spots(data: dict[str, Any]) -> Spots:
    paths = list(key_paths(data))
    return Spots(
        keys=[w for w in paths if isinstance(w[-1], str)],
        leaves=[w for w in paths if not isinstance(at(data, w), dict)],
        enums=[w for w in paths if typing.get_origin(_unwrap(type_at(w))) is typing.Literal],
        tables=[(), *(w for w in paths if isinstance(at(data, w), dict))],
        lists=[w for w in paths if isinstance(at(data, w), list) and at(data, w)],
    )


SPOTS = {name: _spots(data) for name, data in DOCUMENTS.items()}


@st.composite
def data_mutations(draw: st.DrawFn) -> Mutation | None:
    """One change to the parsed data of a real therapy file, written back with tomli-w."""
    file = draw(st.sampled_from(THERAPY_FILES))
    data = copy.deepcopy(DOCUMENTS[file])
    spots = SPOTS[file]
    kind = draw(st.sampled_from(["delete-key", "retype", "enum", "unknown-key", "duplicate"]))
    must_fail = False
    if kind == "delete-key":
        where = draw(st.sampled_from(spots.keys))
        siblings = at(data, where[:-1])
        del siblings[where[-1]]
        must_fail = is_required(where) or (
            where[-1] in ESTIMATE_GROUP and any(k in siblings for k in ESTIMATE_GROUP)
        )
    elif kind == "retype":
        where = draw(st.sampled_from(spots.leaves))
        value = draw(_other_type(at(data, where)))
        at(data, where[:-1])[where[-1]] = value
        must_fail = must_be_rejected(type_at(where), value)
    elif kind == "enum":
        where = draw(st.sampled_from(spots.enums))
        value = draw(st.text(ANY_CHAR, max_size=20) | st.sampled_from(["", "Primary", "low "]))
        at(data, where[:-1])[where[-1]] = value
        must_fail = must_be_rejected(type_at(where), value)
    elif kind == "unknown-key":
        where = draw(st.sampled_from(spots.tables))
        table = at(data, where)
        key = draw(st.text(ANY_CHAR, min_size=1, max_size=15).filter(lambda k: k not in table))
        table[key] = draw(toml_values)
        # Every table of a therapy file is a closed record, except `findings` in a rule's `when`.
        must_fail = _is_record(_unwrap(type_at(where)))
    else:
        where = draw(st.sampled_from(spots.lists))
        items = at(data, where)
        items.insert(draw(st.integers(0, len(items))), copy.deepcopy(draw(st.sampled_from(items))))
    try:
        content = tomli_w.dumps(data).encode()
    except (TypeError, ValueError):  # not representable in TOML
        return None
    return Mutation(file, content, kind, must_fail)


@st.composite
def byte_mutations(draw: st.DrawFn) -> Mutation:
    """Damage to a real therapy file's bytes: inserted bytes, truncation, a duplicated table."""
    file = draw(st.sampled_from(THERAPY_FILES))
    raw = ORIGINALS[file]
    kind = draw(st.sampled_from(["insert-bytes", "truncate", "duplicate-table"]))
    where = draw(st.integers(0, len(raw)))
    if kind == "insert-bytes":
        junk = draw(
            st.binary(min_size=1, max_size=16) | st.text(ANY_CHAR, min_size=1).map(str.encode)
        )
        return Mutation(file, raw[:where] + junk + raw[where:], kind, False)
    if kind == "truncate":
        return Mutation(file, raw[:where], kind, False)
    lines = raw.decode().splitlines(keepends=True)
    headers = [i for i, line in enumerate(lines) if line.startswith("[")] + [len(lines)]
    index = draw(st.integers(0, len(headers) - 2))
    start, end = headers[index], headers[index + 1]
    single = not lines[start].startswith("[[")  # a [table] defined twice is not valid TOML
    content = "".join(lines[:end] + lines[start:end] + lines[end:]).encode()
    return Mutation(file, content, kind, single)


# -- the properties -----------------------------------------------------------------------------

PROBLEMS_FOUND = re.compile(r"^rmcli: error: (\d+) problems? found$")


def check_mutation(run_cli: RunCli, root: Path, mutation: Mutation) -> None:
    path = root / "therapies" / mutation.file
    path.write_bytes(mutation.content)
    try:
        v_code, v_out, v_err = run_cli("--kb", str(root), "kb", "validate")
        l_code, l_out, l_err = run_cli("--kb", str(root), "list")
    finally:
        path.write_bytes(ORIGINALS[mutation.file])
    event(f"{mutation.kind}: exit {v_code}")
    context = f"{mutation.kind} of {mutation.file}: {mutation.content[:200]!r}"
    for stream in (v_out, v_err, l_out, l_err):
        assert "Traceback" not in stream, context
    assert_no_raw_controls(v_out, v_err, l_out, l_err)

    assert v_code in (0, 3), f"kb validate exit {v_code} ({context}): {v_err}"
    if mutation.must_fail:
        assert v_code == 3, f"accepted a knowledge base that must be refused ({context})"
    if v_code == 0:
        assert v_out == ""
        assert "valid — 14 therapies" in v_err and len(v_err.splitlines()) == 1, v_err
    else:
        problems = v_out.splitlines()
        assert problems, f"exit 3 without problems listed ({context})"
        for problem in problems:
            assert problem.startswith(f"therapies/{mutation.file}: "), (problem, context)
        line = assert_one_error(v_err)
        counted = PROBLEMS_FOUND.match(line)
        assert counted and int(counted[1]) == len(problems), (line, len(problems))

    assert l_code == v_code, f"list exit {l_code}, kb validate exit {v_code} ({context})"
    if l_code == 0:
        assert l_err == "" and "14 therapies" in l_out
    else:
        line = assert_one_error(l_err)
        assert "is invalid" in line and f"therapies/{mutation.file}" in line, line
        assert l_err.splitlines()[-1].startswith("hint: run `rmcli kb validate"), l_err
        assert l_out == ""


@fuzz_settings(30)
@given(mutation=data_mutations())
def test_mutated_therapy_data(run_cli: RunCli, kb_root: Path, mutation: Mutation | None) -> None:
    if mutation is not None:
        check_mutation(run_cli, kb_root, mutation)


@fuzz_settings(20)
@given(mutation=byte_mutations())
def test_damaged_therapy_file(run_cli: RunCli, kb_root: Path, mutation: Mutation) -> None:
    check_mutation(run_cli, kb_root, mutation)


@fuzz_settings(15)
@given(name=FILE_NAMES)
@example(name="x\x1b]0;title\x07")  # an escape sequence in the path
@example(name="a\x00b")  # a NUL byte, which no file name can hold
@example(name="x" * 300)  # longer than a file name may be (ENAMETOOLONG)
def test_missing_kb_paths_fail_in_one_safe_line(
    run_cli: RunCli, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    """`--kb` and `kb validate` given a path that does not exist: exit 3 / 5, never 1.

    A name no file can have (a NUL byte) may also be refused as a bad argument (exit 2).
    """
    assume(name not in (".", ".."))
    empty = tmp_path_factory.getbasetemp() / "no-kb-here"
    empty.mkdir(exist_ok=True)
    missing = empty / name
    for args, expected in (
        (("--kb", str(missing), "list"), (2, 3)),
        (("kb", "validate", str(missing)), (2, 5)),
    ):
        code, out, err = run_cli(*args)
        assert "Traceback" not in out + err
        assert_no_raw_controls(out, err)
        assert code in expected, (args, code, err)
        assert code != 2 or "\x00" in name, (args, code, err)
        assert_one_error(err)
        assert out == ""
