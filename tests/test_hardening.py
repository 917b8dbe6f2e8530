"""Hard to break: offline, documented exit codes, safe files, safe terminal, clean Ctrl-C.

Most checks run the real CLI in-process (`run_cli`); the ones about processes (signals, pipes,
the network audit hook, memory limits) run the installed console script or interpreter.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from rmcli.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXAMPLE = ROOT / "examples" / "profile.toml"
BENCHMARK = ROOT / "benchmarks" / "startup.py"
RMCLI = Path(sys.executable).parent / "rmcli"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SGR = re.compile(r"\x1b\[[0-9;]*m")
MiB = 1024 * 1024


def needs_console_script() -> None:
    if not RMCLI.exists():
        pytest.skip(f"{RMCLI} is not installed")


def child_env(**extra: str) -> dict[str, str]:
    """The test environment (private cache included) without variables that change output."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"RMCLI_KB", "RMCLI_NO_CACHE", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"}
    }
    env.update(COLUMNS="100", TERM="xterm-256color")
    env.update(extra)
    return env


def error_lines(err: str) -> list[str]:
    """The `rmcli: error:` lines of stderr; asserts there is no traceback at all."""
    assert "Traceback" not in err, err
    return [line for line in err.splitlines() if line.startswith("rmcli: error:")]


def tree(folder: Path) -> list[str]:
    """Every entry under `folder`, hidden temporary files included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def squash(text: str) -> str:
    return "".join(text.split())


def load_benchmark_module() -> Any:
    spec = importlib.util.spec_from_file_location("rmcli_startup_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def big_kb(tmp_path_factory: pytest.TempPathFactory, bundled_path: Path) -> Path:
    """A valid knowledge base of 300 therapies (the benchmark's generator): slow to load and
    with a `list --long` output far larger than a pipe buffer."""
    folder = tmp_path_factory.mktemp("big-kb")
    built: Path = load_benchmark_module().synthetic_kb(bundled_path, folder / "kb", 300)
    return built


# ====================================================================== a. offline

NETWORK_HOOK = """\
import os, sys
def _no_network(event, args):
    if event.startswith(("socket.", "urllib.", "http.client.", "ftplib.", "smtplib.",
                         "poplib.", "imaplib.", "nntplib.", "telnetlib.", "webbrowser.")):
        os.write(2, ("NETWORK-ATTEMPT " + event + "\\n").encode())
        os._exit(99)
sys.addaudithook(_no_network)
"""

OFFLINE_COMMANDS = [
    ["--version"],
    ["kb", "validate"],
    ["kb", "schema"],
    *[["list", "--format", f] for f in ("table", "json", "markdown", "csv")],
    *[["show", "ivig", "--format", f] for f in ("table", "json", "markdown")],
    *[
        ["compare", "prednisolone", "ivig", "heparin", "--format", f]
        for f in ("table", "json", "markdown")
    ],
    *[["wizard", "--answers", str(EXAMPLE), "--format", f] for f in ("table", "json", "markdown")],
]


def hooked(body: str) -> list[str]:
    return [sys.executable, "-c", NETWORK_HOOK + body]


def test_the_network_hook_does_fire(tmp_path: Path) -> None:
    """The guard below is only worth something if it catches a lookup and a request."""
    for body in (
        "import socket; socket.getaddrinfo('localhost', 80)",
        "import urllib.request; urllib.request.urlopen('http://example.invalid/')",
    ):
        result = subprocess.run(hooked(body), capture_output=True, text=True, timeout=30)
        assert result.returncode == 99
        assert "NETWORK-ATTEMPT" in result.stderr


def test_every_command_runs_without_touching_the_network(tmp_path: Path) -> None:
    env = child_env(RMCLI_CACHE_DIR=str(tmp_path / "cold-cache"))
    processes = [
        (
            argv,
            subprocess.Popen(
                hooked(f"from rmcli.cli.run import run\nsys.exit(run({argv!r}))"),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=tmp_path,
            ),
        )
        for argv in OFFLINE_COMMANDS
    ]
    for argv, process in processes:
        out, err = process.communicate(timeout=60)
        assert "NETWORK-ATTEMPT" not in err, (argv, err)
        assert process.returncode == 0, (argv, err)
        if argv[:2] == ["kb", "validate"]:  # the verdict is a status message, on stderr
            assert "valid" in err, err
        else:
            assert out.strip(), argv
    assert list((tmp_path / "cold-cache").glob("kb-*.msgpack"))  # the cache path ran too


# ====================================================================== b. exit codes


def readme_exit_codes() -> dict[int, str]:
    text = README.read_text(encoding="utf-8")
    assert "\n## Exit codes\n" in text
    section = text.split("\n## Exit codes\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$", section, flags=re.MULTILINE)
    codes = [int(code) for code, _ in rows]
    assert len(codes) == len(set(codes)), f"a code is documented twice: {codes}"
    return {int(code): meaning for code, meaning in rows}


def test_readme_documents_exactly_the_exit_codes() -> None:
    documented = readme_exit_codes()
    assert set(documented) == {code.value for code in ExitCode}
    assert documented[0] == "success"
    assert "interrupted" in documented[ExitCode.INTERRUPTED]
    assert "closed early" in documented[ExitCode.BROKEN_PIPE]


def test_exit_0_success(run_cli: Any) -> None:
    code, out, err = run_cli("list")
    assert code == ExitCode.OK == 0
    assert out and err == ""


def test_exit_1_a_bug_is_one_line_without_traceback(
    run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rmcli.formats.terminal.listing

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("render exploded")

    monkeypatch.setattr(rmcli.formats.terminal.listing, "listing", broken)
    code, out, err = run_cli("list")
    assert code == ExitCode.INTERNAL == 1
    assert out == ""
    (line,) = error_lines(err)
    assert line.startswith("rmcli: error: internal error")
    assert "RuntimeError: render exploded" in line
    assert all(x.startswith(("rmcli: error:", "hint:")) for x in err.splitlines())


def test_exit_2_unknown_therapy(run_cli: Any) -> None:
    code, out, err = run_cli("show", "no-such-therapy")
    assert code == ExitCode.USAGE == 2
    assert out == ""
    (line,) = error_lines(err)
    assert "no therapy named" in line


def test_exit_3_broken_knowledge_base(run_cli: Any, kb_copy: Path) -> None:
    (kb_copy / "therapies" / "ivig.toml").write_text("id = [unclosed\n", encoding="utf-8")
    code, out, err = run_cli("--kb", str(kb_copy), "list")
    assert code == ExitCode.INVALID_KB == 3
    assert out == ""
    (line,) = error_lines(err)
    assert "ivig.toml" in line


def test_exit_4_bad_profile(run_cli: Any, tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text('losses = "many"\n', encoding="utf-8")
    code, out, err = run_cli("wizard", "--answers", str(profile))
    assert code == ExitCode.INVALID_PROFILE == 4
    assert out == ""
    (line,) = error_lines(err)
    assert "losses" in line


def test_exit_5_save_onto_an_existing_file(run_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    target.write_bytes(b"keep me\n")
    code, out, err = run_cli("wizard", "--answers", str(EXAMPLE), "--save", str(target))
    assert code == ExitCode.FILE_ERROR == 5
    assert out == ""
    (line,) = error_lines(err)
    assert "already exists" in line
    assert target.read_bytes() == b"keep me\n"


@pytest.mark.parametrize("how", ["signal", "ctrl-c key"])
def test_exit_130_sigint_at_the_wizard_prompt(tmp_path: Path, how: str) -> None:
    pexpect = pytest.importorskip("pexpect")
    needs_console_script()
    env = child_env(TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    child = pexpect.spawn(
        str(RMCLI),
        ["wizard", "--save", "p.toml"],
        env=env,
        cwd=str(tmp_path),
        dimensions=(40, 120),
        encoding="utf-8",
        codec_errors="replace",
        timeout=20,
    )
    try:
        child.expect("Age in years")
        if how == "signal":
            child.kill(signal.SIGINT)
        else:
            child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == ExitCode.INTERRUPTED == 130
    transcript = SGR.sub("", child.before or "")
    assert transcript.count("rmcli: error: interrupted") == 1
    assert "Traceback" not in transcript
    assert tree(tmp_path) == []


def test_exit_130_sigint_while_blocked_reading_a_profile(tmp_path: Path) -> None:
    """`--answers /dev/stdin` from a pipe that never delivers: Ctrl-C must still end it."""
    needs_console_script()
    process = subprocess.Popen(
        [str(RMCLI), "wizard", "--answers", "/dev/stdin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )
    try:
        stdin_pipe = str(Path(f"/proc/{process.pid}/fd/0").readlink())
        wait_until(process, lambda: stdin_pipe in open_files(process.pid, skip_std=True))
        wait_until(process, lambda: process_state(process.pid) == "S")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == ExitCode.INTERRUPTED
    assert err.decode() == "rmcli: error: interrupted\n"
    assert out == b""


def test_exit_141_when_the_reader_goes_away(big_kb: Path, tmp_path: Path) -> None:
    """Output far larger than a pipe buffer, so `head -1` always leaves before rmcli is done."""
    needs_console_script()
    script = (
        '"$RMCLI" --kb "$KB" list --long 2>"$ERR" | head -1 >"$OUT"; '
        'echo "${PIPESTATUS[0]} ${PIPESTATUS[1]}"'
    )
    env = child_env(
        RMCLI=str(RMCLI), KB=str(big_kb), ERR=str(tmp_path / "err"), OUT=str(tmp_path / "out")
    )
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout.split() == ["141", "0"], result
    assert (tmp_path / "err").read_text() == ""
    assert len((tmp_path / "out").read_text().splitlines()) == 1


def test_rmcli_list_into_head_ends_quietly(tmp_path: Path) -> None:
    """The README's own example. Its output fits a pipe buffer, so whether rmcli notices that
    head has gone is a race: either code is fine, a message or any other code is not."""
    needs_console_script()
    script = '"$RMCLI" list 2>"$ERR" | head -1 >/dev/null; echo "${PIPESTATUS[0]}"'
    env = child_env(RMCLI=str(RMCLI), ERR=str(tmp_path / "err"))
    codes = set()
    for _ in range(3):
        result = subprocess.run(
            ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60
        )
        codes.add(int(result.stdout))
        assert (tmp_path / "err").read_text() == ""
    assert codes <= {0, 141}


# ====================================================================== c. files


@pytest.fixture
def example_json(run_cli: Any) -> str:
    code, out, err = run_cli("wizard", "--answers", str(EXAMPLE), "--format", "json")
    assert code == 0, err
    return str(out)


def save(run_cli: Any, target: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(  # type: ignore[no-any-return]
        "wizard", "--answers", str(EXAMPLE), "--format", "json", "--save", str(target), *extra
    )


def test_save_into_a_missing_directory(run_cli: Any, tmp_path: Path) -> None:
    code, out, err = save(run_cli, tmp_path / "missing" / "p.toml")
    assert code == ExitCode.FILE_ERROR
    assert out == ""
    (line,) = error_lines(err)
    assert "does not exist" in line
    assert tree(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_save_into_a_read_only_directory(run_cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, out, err = save(run_cli, folder / "p.toml")
    finally:
        folder.chmod(0o700)
    assert code == ExitCode.FILE_ERROR
    assert out == ""
    assert len(error_lines(err)) == 1
    assert tree(folder) == []


def test_save_onto_a_directory(run_cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "p.toml"
    folder.mkdir()
    code, out, err = save(run_cli, folder)
    assert code == ExitCode.FILE_ERROR
    assert out == ""
    (line,) = error_lines(err)
    assert "directory" in line
    assert tree(tmp_path) == ["p.toml"]
    code, _, err = save(run_cli, folder, "--force")
    assert code == ExitCode.FILE_ERROR
    assert tree(tmp_path) == ["p.toml"]


def test_save_onto_an_existing_file_changes_nothing(run_cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    original = b"# somebody else's notes\x00\xff\n"
    target.write_bytes(original)
    target.chmod(0o644)
    code, out, err = save(run_cli, target)
    assert code == ExitCode.FILE_ERROR
    assert out == ""
    assert "already exists" in error_lines(err)[0]
    assert "--force" in err
    assert target.read_bytes() == original
    assert mode(target) == 0o644
    assert tree(tmp_path) == ["p.toml"]


def test_save_with_force_replaces_the_file_privately(
    run_cli: Any, tmp_path: Path, example_json: str
) -> None:
    target = tmp_path / "p.toml"
    target.write_bytes(b"old\n")
    target.chmod(0o644)
    code, out, err = save(run_cli, target, "--force")
    assert code == 0, err
    assert out == example_json
    assert mode(target) == 0o600
    assert target.read_text(encoding="utf-8").startswith("# rmcli patient profile")
    assert tree(tmp_path) == ["p.toml"]
    replay = run_cli("wizard", "--answers", str(target), "--format", "json")
    assert replay == (0, example_json, "")


def interrupt_at(monkeypatch: pytest.MonkeyPatch, step: str, target: Path) -> Callable[[], bool]:
    """Make one step of the atomic write to `target` raise KeyboardInterrupt (as Ctrl-C would).

    There is no way to time a real Ctrl-C between two system calls of one write; the fault is
    injected at the call itself and only for `target`, so nothing else is affected.
    """
    fired: list[str] = []
    real = getattr(os, step)

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        if step == "fsync" or Path(args[-1]) == target:
            fired.append(step)
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(os, step, interrupted)
    return lambda: bool(fired)


@pytest.mark.parametrize(
    ("step", "existing"),
    [("fsync", None), ("link", None), ("fsync", b"precious\n"), ("replace", b"precious\n")],
)
def test_an_interrupted_save_leaves_no_partial_or_temp_file(
    run_cli: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
    existing: bytes | None,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "p.toml"
    if existing is not None:
        target.write_bytes(existing)
        target.chmod(0o640)
    fired = interrupt_at(monkeypatch, step, target)
    extra = ("--force",) if existing is not None else ()
    code, out, err = run_cli(
        "wizard",
        "--answers",
        str(EXAMPLE),
        "--save",
        str(target),
        *extra,
        env={"RMCLI_NO_CACHE": "1"},
    )
    assert fired(), f"the write never reached os.{step}"
    assert code == ExitCode.INTERRUPTED
    assert err == "rmcli: error: interrupted\n"
    assert out == ""
    if existing is None:
        assert tree(folder) == []
    else:
        assert tree(folder) == ["p.toml"]
        assert target.read_bytes() == existing
        assert mode(target) == 0o640


def padded_profile(size: int) -> bytes:
    body = EXAMPLE.read_bytes()
    line = b"# " + b"x" * 77 + b"\n"
    padding = line * ((size - len(body)) // len(line) + 1)
    data = (body + padding)[:size]
    return data[:-1] + b"\n"


def test_a_profile_of_exactly_one_mebibyte_is_read(
    run_cli: Any, tmp_path: Path, example_json: str
) -> None:
    profile = tmp_path / "big.toml"
    profile.write_bytes(padded_profile(MiB))
    assert profile.stat().st_size == MiB
    code, out, err = run_cli("wizard", "--answers", str(profile), "--format", "json")
    assert code == 0, err
    assert out == example_json


@pytest.mark.parametrize("content", ["valid-toml", "garbage"])
def test_a_profile_over_one_mebibyte_is_refused_before_parsing(
    run_cli: Any, tmp_path: Path, content: str
) -> None:
    profile = tmp_path / "big.toml"
    if content == "valid-toml":  # would be accepted if it were parsed
        profile.write_bytes(padded_profile(MiB + 1))
    else:  # would be an invalid profile (exit 4) if it were parsed
        profile.write_bytes(b"\xff\x00 not toml " * (MiB // 10))
    assert profile.stat().st_size > MiB
    start = time.perf_counter()
    code, out, err = run_cli("wizard", "--answers", str(profile))
    assert time.perf_counter() - start < 5
    assert code == ExitCode.FILE_ERROR
    assert out == ""
    (line,) = error_lines(err)
    assert "1024 KB" in line
    assert "refused" in line


def padded_therapy(source: Path, size: int, new_id: str | None = None) -> bytes:
    """A valid therapy file of exactly `size` bytes (TOML comments make up the rest)."""
    if new_id is None:
        body = source.read_bytes()
    else:
        document = tomllib.loads(source.read_text(encoding="utf-8"))
        document["id"] = new_id
        document["name"] = f"{document['name']} {new_id}"
        document["aliases"] = [f"{alias} {new_id}" for alias in document["aliases"]]
        body = tomli_w.dumps(document).encode()
    line = b"#" + b"-" * 1022 + b"\n"
    data = body + b"\n" + line * ((size - len(body)) // len(line) + 1)
    return data[: size - 1] + b"\n"


def test_a_therapy_file_of_exactly_five_mebibytes_is_loaded(run_cli: Any, kb_copy: Path) -> None:
    ivig = kb_copy / "therapies" / "ivig.toml"
    ivig.write_bytes(padded_therapy(ivig, 5 * MiB))
    code, out, err = run_cli("--kb", str(kb_copy), "list", "--format", "json")
    assert code == 0, err
    assert "ivig" in {t["id"] for t in json.loads(out)["therapies"]}


def test_a_therapy_file_over_five_mebibytes_is_refused(run_cli: Any, kb_copy: Path) -> None:
    ivig = kb_copy / "therapies" / "ivig.toml"
    ivig.write_bytes(padded_therapy(ivig, 5 * MiB + 1))
    start = time.perf_counter()
    code, out, err = run_cli("--kb", str(kb_copy), "list")
    assert time.perf_counter() - start < 5
    assert code == ExitCode.INVALID_KB
    assert out == ""
    (line,) = error_lines(err)
    assert "therapies/ivig.toml: over the 5 MB limit; refused" in line


def test_a_knowledge_base_over_its_size_limit_is_refused(run_cli: Any, kb_copy: Path) -> None:
    from rmcli.kb.limits import MAX_KB_BYTES

    assert 64 * MiB == MAX_KB_BYTES
    source = kb_copy / "therapies" / "ivig.toml"
    for index in range(15):  # 15 x 4.5 MiB, each file under the per-file limit
        name = f"aa-pad-{index}"
        padded = padded_therapy(source, 4 * MiB + MiB // 2, new_id=name)
        (kb_copy / "therapies" / f"{name}.toml").write_bytes(padded)
    total = sum(p.stat().st_size for p in kb_copy.rglob("*.toml"))
    assert total > 64 * MiB
    start = time.perf_counter()
    code, out, err = run_cli("--kb", str(kb_copy), "list")
    assert time.perf_counter() - start < 10
    assert code == ExitCode.INVALID_KB
    assert out == ""
    assert "over the 64 MB limit; refused" in error_lines(err)[0]
    code, out, _ = run_cli("kb", "validate", str(kb_copy))
    assert code == ExitCode.INVALID_KB
    problems = out.splitlines()
    assert problems
    assert all("over the 64 MB limit; refused" in p for p in problems), problems


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sparse files and RLIMIT_AS")
@pytest.mark.parametrize("cache", ["cache", "no-cache"])
def test_a_huge_therapy_file_is_refused_without_reading_it(
    kb_copy: Path, tmp_path: Path, cache: str
) -> None:
    """An 8 GiB (sparse) therapy file under a 2 GiB address-space limit: the 5 MB limit must
    hold before anything reads the whole file, with the cache on (the default) or off."""
    import resource

    needs_console_script()
    huge = kb_copy / "therapies" / "zz-huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(8 * 1024 * MiB)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 * MiB, 2 * 1024 * MiB))

    env = child_env(RMCLI_CACHE_DIR=str(tmp_path / "cache"))
    if cache == "no-cache":
        env["RMCLI_NO_CACHE"] = "1"
    start = time.perf_counter()
    result = subprocess.run(
        [str(RMCLI), "--kb", str(kb_copy), "list"],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=limit_memory,
        timeout=60,
    )
    assert time.perf_counter() - start < 10
    assert result.returncode == ExitCode.INVALID_KB, result.stderr
    (line,) = error_lines(result.stderr)
    assert "zz-huge.toml: over the 5 MB limit; refused" in line


# ====================================================================== d. terminal safety

HOSTILE = (
    "[bold red]x[/] [link=http://e]y[/link] \x1b[2J\x1b[1;1H "
    "\x1b]8;;http://evil\x07click\x1b]8;;\x07 bell\x07 back\x08space c1\x9b end"
)
MARKUP = ("[bold red]x[/]", "[link=http://e]y[/link]")


def rewrite(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def poison_heparin(t: dict[str, Any]) -> None:
    t["summary"] = f"SUMMARY {HOSTILE}"
    t["drug_class"] = f"CLASS {HOSTILE}"
    t["mechanism"]["text"] = f"MECHANISM {HOSTILE}"
    for g in t["guidelines"]:
        g["text"] = f"GUIDELINE {HOSTILE}"
        g["population"] = f"POPULATION {HOSTILE}"
    t["evidence"][0]["result"] = f"RESULT {HOSTILE}"
    for rule in t["rules"]:
        rule["reason"] = f"REASON {HOSTILE}"


def poison_vocabulary(v: dict[str, Any]) -> None:
    for target in v["targets"].values():
        target["name"] = f"TERM {HOSTILE}"
        target["abbrev"] = f"ABBREV {HOSTILE}"


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory: pytest.TempPathFactory, bundled_path: Path) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "kb"
    shutil.copytree(bundled_path, root, symlinks=False)
    rewrite(root / "therapies" / "heparin.toml", poison_heparin)
    rewrite(root / "references.toml", lambda r: r["acr-2020"].update(title=f"CITE {HOSTILE}"))
    rewrite(root / "vocabulary.toml", poison_vocabulary)
    assert "\\u001b" in (root / "therapies" / "heparin.toml").read_text(encoding="utf-8")
    return root


SAFETY_COMMANDS = {
    "list": ["list", "--long"],
    "show": ["show", "heparin", "--all-positions"],
    "compare": ["compare", "heparin", "aspirin", "--full"],
    "wizard": ["wizard", "--answers", str(EXAMPLE), "--details"],
}
SAFETY_CASES = [
    pytest.param(name, fmt, color, columns, id=f"{name}-{fmt}-{color or 'plain'}-{columns}")
    for name in SAFETY_COMMANDS
    for fmt in ("table", "markdown", "csv", "json")
    if fmt != "csv" or name == "list"
    for color in ((None, "1") if fmt == "table" else (None,))
    for columns in (("80", "200") if fmt == "table" else ("100",))
]


def shown_fields(name: str, fmt: str) -> set[str]:
    """Which poisoned fields (by their tag) each command and format shows."""
    if name == "list":
        return {"CLASS"}
    if name == "wizard":
        return {"REASON", "MECHANISM"} if fmt == "table" else {"REASON", "CITE"}
    monograph = {"SUMMARY", "MECHANISM", "GUIDELINE", "RESULT", "CITE"}
    return monograph if fmt == "json" else monograph | {"TERM"}  # JSON names targets by id


def assert_terminal_safe(out: str, *, colour: bool) -> None:
    visible = SGR.sub("", out) if colour else out
    bad = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(visible)})
    assert not bad, f"control characters from the knowledge base reached stdout: {bad}"


@pytest.mark.parametrize(("name", "fmt", "color", "columns"), SAFETY_CASES)
def test_hostile_kb_text_never_steers_the_terminal(
    run_cli: Any, hostile_kb: Path, name: str, fmt: str, color: str | None, columns: str
) -> None:
    env = {"COLUMNS": columns, "FORCE_COLOR": color}
    code, out, err = run_cli(
        "--kb", str(hostile_kb), *SAFETY_COMMANDS[name], "--format", fmt, env=env
    )
    assert code == 0, err
    assert_terminal_safe(out, colour=color is not None)
    if fmt == "table":  # forced colour really is on, and otherwise there is no styling at all
        assert ("\x1b[" in out) == (color is not None)
    for tag in shown_fields(name, fmt):
        assert tag in out, f"the poisoned {tag} field is not in the output: the check is void"
    if fmt == "json":
        strings: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, str):
                strings.append(node)
            elif isinstance(node, dict):
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(json.loads(out))
        assert any(HOSTILE in s for s in strings), "JSON must carry the text as data, escaped"
    else:
        visible = SGR.sub("", out)
        assert "click" in visible  # the OSC 8 link text survives; only the escapes are dropped
        if columns != "200":  # wide tables interleave their columns line by line
            for literal in MARKUP:
                assert squash(literal) in squash(visible), literal


EVIL_REF = "acr-2020\x1b[2J\x9b"


@pytest.fixture(scope="module")
def hostile_ids_kb(tmp_path_factory: pytest.TempPathFactory, bundled_path: Path) -> Path:
    """Controls in a reference id (a TOML key; nothing restricts its characters)."""
    root = tmp_path_factory.mktemp("hostile-ids") / "kb"
    shutil.copytree(bundled_path, root, symlinks=False)

    def rename_refs(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: rename_refs(v) for k, v in node.items()}
        if isinstance(node, list):
            return [rename_refs(v) for v in node]
        return EVIL_REF if node == "acr-2020" else node

    for path in [root / "assessment.toml", *(root / "therapies").glob("*.toml")]:
        rewrite(path, lambda d: d.update(rename_refs(d)))
    rewrite(root / "references.toml", lambda r: r.update({EVIL_REF: r.pop("acr-2020")}))
    return root


@pytest.mark.parametrize(
    "command",
    [
        ["wizard", "--answers", str(EXAMPLE), "--format", "markdown"],
        ["wizard", "--answers", str(EXAMPLE), "--format", "table", "--details"],
        ["show", "heparin", "--format", "markdown"],
        ["show", "heparin", "--format", "table"],
        ["compare", "heparin", "aspirin", "--full", "--format", "markdown"],
    ],
    ids=["wizard-markdown", "wizard-table", "show-markdown", "show-table", "compare-markdown"],
)
def test_hostile_reference_ids_never_steer_the_terminal(
    run_cli: Any, hostile_ids_kb: Path, command: list[str]
) -> None:
    code, out, err = run_cli("--kb", str(hostile_ids_kb), *command)
    assert code == 0, err
    assert "acr-2020" in out
    assert_terminal_safe(out, colour=False)


# ====================================================================== e. Ctrl-C anywhere


def open_files(pid: int, *, skip_std: bool = False) -> list[str]:
    found = []
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            if skip_std and fd.name in {"0", "1", "2"}:
                continue
            with contextlib.suppress(OSError):
                found.append(str(fd.readlink()))
    return found


def process_state(pid: int) -> str:
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "?"
    return stat_line.rsplit(")", 1)[1].split()[0]


def blocked_writing_stdout(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        pytest.skip("/proc/PID/syscall is not readable here")
    return fields[:2] == ["1", "0x1"] and process_state(pid) == "S"


def wait_until(process: subprocess.Popen[Any], ready: Callable[[], bool]) -> None:
    if not Path(f"/proc/{process.pid}").exists():
        pytest.skip("needs /proc")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"rmcli ended (code {process.returncode}) before it could be interrupted")
        if ready():
            return
        time.sleep(0.0002)
    pytest.fail("rmcli never reached the moment to interrupt it")


@pytest.fixture
def interrupted_list(big_kb: Path) -> Iterator[Callable[[Callable[[int], bool]], tuple[int, str]]]:
    needs_console_script()
    started: list[subprocess.Popen[bytes]] = []

    def run(moment: Callable[[int], bool]) -> tuple[int, str]:
        process = subprocess.Popen(
            [str(RMCLI), "--kb", str(big_kb), "list", "--long"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(RMCLI_NO_CACHE="1"),
        )
        started.append(process)
        wait_until(process, lambda: moment(process.pid))
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        return process.returncode, err.decode("utf-8", "replace")

    yield run
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_sigint_while_loading_the_knowledge_base(interrupted_list: Any, big_kb: Path) -> None:
    therapies = str(big_kb / "therapies")
    code, err = interrupted_list(lambda pid: any(f.startswith(therapies) for f in open_files(pid)))
    assert err == "rmcli: error: interrupted\n"
    assert code == ExitCode.INTERRUPTED


def test_sigint_while_writing_the_output(interrupted_list: Any) -> None:
    code, err = interrupted_list(blocked_writing_stdout)
    assert err == "rmcli: error: interrupted\n"
    assert code == ExitCode.INTERRUPTED


def test_sigint_while_starting_up(tmp_path: Path) -> None:
    """Ctrl-C while the console script imports rmcli's dependencies (a real SIGINT, sent the
    moment `typer` starts importing) must also end in one line and 130, not a traceback."""
    needs_console_script()
    body = (
        "import os, runpy, signal, sys\n"
        "sent = []\n"
        "def at_import(event, args):\n"
        "    if event == 'import' and args[0] == 'typer' and not sent:\n"
        "        sent.append(True)\n"
        "        os.write(2, b'[SIGINT sent]\\n')\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "sys.addaudithook(at_import)\n"
        f"sys.argv = [{str(RMCLI)!r}, 'list']\n"
        f"runpy.run_path({str(RMCLI)!r}, run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", body], capture_output=True, text=True, env=child_env(), timeout=60
    )
    assert result.stderr.startswith("[SIGINT sent]\n"), "typer was never imported: test is void"
    err = result.stderr.removeprefix("[SIGINT sent]\n")
    assert "Traceback" not in err, err[-600:]
    assert err == "rmcli: error: interrupted\n"
    assert result.returncode == ExitCode.INTERRUPTED
