"""Every bad input gets one clear line and a defined exit code, never a traceback (issue 7).

Each row sets up a folder on disk and runs the real command in it. The folder's
``.clinic-lint.yaml`` selects no shipped pack, so the rows test the tool, not the rule packs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import write_rule

Setup = Callable[[Path], None]


def write(path: str, data: str | bytes) -> Setup:
    def setup(root: Path) -> None:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")

    return setup


def rule(name: str, body: str) -> Setup:
    return lambda root: write_rule(root / "rules" / "t", name, body) and None


def symlink(path: str, to: str) -> Setup:
    return lambda root: (root / path).symlink_to(to)


def mkdir(path: str) -> Setup:
    return lambda root: (root / path).mkdir(parents=True)


def sparse(path: str, size: int) -> Setup:
    """A file of ``size`` bytes that takes no room on disk (a hole)."""

    def setup(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        with (root / path).open("wb") as stream:
            stream.truncate(size)

    return setup


PAGE = write("page.md", "Our therapy is a miracle.\n")
ROWS = [
    # (id, setups, arguments, exit code, a line stderr must contain ('' = stderr empty))
    ("missing-path", [], ["nope.md"], 2, "clinic-lint: error: nope.md: no such file or directory"),
    (
        "empty-folder",
        [mkdir("empty")],
        ["empty"],
        0,
        "clinic-lint: note: no files to lint in empty",
    ),
    ("zero-byte-file", [write("zero.md", "")], ["zero.md"], 0, ""),
    (
        "undecodable",
        [write("bad.txt", b"caf\xe9 \xff")],
        ["bad.txt"],
        2,
        "clinic-lint: error: bad.txt:1: cannot decode: not valid UTF-8 (byte 0xE9 at offset 3)",
    ),
    (
        "binary-named",
        [write("img.png", b"\x89PNG\r\n\x1a\n\x00\x00")],
        ["img.png"],
        0,
        "clinic-lint: note: img.png: skipped: a binary file",
    ),
    (
        "broken-symlink-named",
        [symlink("gone.md", "nowhere.md")],
        ["gone.md"],
        0,
        "gone.md: skipped: a broken symbolic link",
    ),
    (
        "malformed-config",
        [write(".clinic-lint.yaml", "packs: [\n")],
        ["."],
        2,
        ".clinic-lint.yaml:2: invalid YAML",
    ),
    (
        "config-not-a-mapping",
        [write(".clinic-lint.yaml", "- core\n")],
        ["."],
        2,
        ".clinic-lint.yaml",
    ),
    ("rule-not-yaml", [rule("x", "match: ['a'"), PAGE], ["page.md"], 2, "rule 't/x': invalid YAML"),
    (
        "rule-not-a-mapping",
        [write("rules/t/y.yaml", "- a\n- b\n"), PAGE],
        ["page.md"],
        2,
        "rules/t/y.yaml:1: rule 't/y': a rule file must be a mapping of keys; this one is a list, not a mapping",
    ),
    (
        "rule-empty",
        [write("rules/t/e.yaml", ""), PAGE],
        ["page.md"],
        2,
        "rule 't/e': a rule file must be a mapping of keys; this one is empty",
    ),
    (
        "rule-python-tag",
        [
            write("rules/t/p.yaml", "category: !!python/object/apply:os.system ['touch PWNED']\n"),
            PAGE,
        ],
        ["page.md"],
        2,
        "rule 't/p': invalid YAML",
    ),
    (
        "vocab-refers-to-itself",
        [
            write("rules/vocab/a.yaml", "terms: ['x {{b}}']\n"),
            write("rules/vocab/b.yaml", "terms: ['{{a}}']\n"),
            rule("r", "match: ['{{a}}']"),
            PAGE,
        ],
        ["page.md"],
        2,
        "vocabulary 'a' refers to itself: a -> b -> a",
    ),
    (
        "bad-regex",
        [rule("r", "match: ['(a']"), PAGE],
        ["page.md"],
        2,
        "rules/t/r.yaml:10: rule 't/r': bad pattern '(a': missing ) at position 2",
    ),
    (
        "hostile-pattern",
        [
            rule("slow", "match: ['(?:a|aa)+$']"),
            rule("fine", "match: ['miracle']"),
            write("page.md", "a" * 3000 + "! a miracle\n"),
        ],
        ["page.md", "--timeout", "0.2", "--format", "concise"],
        2,
        "clinic-lint: error: page.md: rule 't/slow' took longer than 0.2 s and was stopped",
    ),
    ("unknown-format", [PAGE], ["page.md", "--format", "xml"], 2, "Invalid value for '--format'"),
    (
        "page-of-200-mb-in-a-folder",  # not read at all: skipped by its size, said even unasked
        [sparse("site/huge.html", 200_000_000), PAGE],
        ["site", "page.md"],
        0,
        "clinic-lint: note: site/huge.html: skipped: 200.0 MB, over max-file-size (20 MB; "
        "raise it with --max-file-size, 0 for no limit)",
    ),
    (
        "max-file-size-not-a-number",
        [write(".clinic-lint.yaml", "packs: []\nmax-file-size: big\n"), PAGE],
        ["page.md"],
        2,
        ".clinic-lint.yaml:2: 'max-file-size' must be a number of megabytes (0: no limit)",
    ),
]


def run(root: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lint", "check", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize(
    ("setups", "args", "code", "line"), [pytest.param(*r[1:], id=r[0]) for r in ROWS]
)
def test_bad_input(
    tmp_path: Path, setups: list[Setup], args: list[str], code: int, line: str
) -> None:
    (tmp_path / ".clinic-lint.yaml").write_text("packs: []\nrules: [rules]\n", encoding="utf-8")
    (tmp_path / "rules").mkdir()
    for setup in setups:
        setup(tmp_path)
    proc = run(tmp_path, *args)
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    if line:
        assert line in proc.stderr, proc.stderr
    else:
        assert proc.stderr == ""
    assert not (tmp_path / "PWNED").exists()


def test_hostile_pattern_does_not_hide_other_findings(tmp_path: Path) -> None:
    (tmp_path / ".clinic-lint.yaml").write_text("packs: []\nrules: [rules]\n", encoding="utf-8")
    write_rule(tmp_path / "rules" / "t", "slow", "match: ['(?:a|aa)+$']")
    write_rule(tmp_path / "rules" / "t", "fine", "match: ['miracle']")
    (tmp_path / "page.md").write_text("a" * 3000 + "! a miracle\n", encoding="utf-8")
    proc = run(tmp_path, "page.md", "--timeout", "0.2", "--format", "concise")
    assert "page.md:1:3005: error t/fine Found 'miracle'" in proc.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / ".clinic-lint.yaml").write_text("packs: []\n", encoding="utf-8")
    locked = tmp_path / "locked.md"
    locked.write_text("text", encoding="utf-8")
    locked.chmod(0)
    proc = run(tmp_path, "locked.md")
    assert proc.returncode == 2
    assert "locked.md: cannot read: Permission denied" in proc.stderr


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_file_that_fails_to_read_even_for_root(tmp_path: Path) -> None:
    """The permission row above cannot run as root (CI does); reading /proc/self/mem at offset 0
    fails for every user (EIO), so the read-error path is exercised everywhere on Linux."""
    (tmp_path / ".clinic-lint.yaml").write_text("packs: []\n", encoding="utf-8")
    (tmp_path / "mem.md").symlink_to("/proc/self/mem")
    (tmp_path / "page.md").write_text("Plain text.\n", encoding="utf-8")
    proc = run(tmp_path, "mem.md", "page.md")
    assert proc.returncode == 2
    assert "clinic-lint: error: mem.md: cannot read: Input/output error" in proc.stderr
    assert "Checked 2 files" in proc.stdout  # the other file was linted
    assert "1 error (on stderr): what they name was not checked." in proc.stdout
    assert "Traceback" not in proc.stderr


def test_file_deleted_during_the_run(tmp_path: Path) -> None:
    """A file listed by the walk but gone when it is read is one error, the rest go on."""
    from lint import rules
    from lint.api import Linter

    (tmp_path / "here.md").write_text("A miracle.", encoding="utf-8")
    write_rule(tmp_path / "r" / "t", "m", "match: ['miracle']")
    linter = Linter(rules.load([tmp_path / "r"], shipped=False))
    results = list(linter.check_files([str(tmp_path / "gone.md"), str(tmp_path / "here.md")]))
    assert results[0].errors == [f"{tmp_path / 'gone.md'}: cannot read: No such file or directory"]
    assert [f.rule for f in results[1].findings] == ["t/m"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_and_keeps_the_old_output_file(tmp_path: Path, jobs: str) -> None:
    """SIGINT in the middle of a run: exit 130, a short message, the earlier report intact."""
    (tmp_path / ".clinic-lint.yaml").write_text("packs: []\nrules: [rules]\n", encoding="utf-8")
    write_rule(tmp_path / "rules" / "t", "slow", "match: ['(?:a|aa)+$']")
    pages = tmp_path / "site"
    pages.mkdir()
    for i in range(40):
        (pages / f"p{i:02}.md").write_text("a" * 3000 + "!\n", encoding="utf-8")
    report = tmp_path / "report.json"
    report.write_text('{"old": true}\n', encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lint",
            "check",
            "site",
            "--timeout",
            "2",
            "-j",
            "1",
            "-o",
            f"json={report}",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)  # promptly: workers busy on a slow pattern are stopped
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "clinic-lint: interrupted"
    assert "Traceback" not in err
    assert report.read_text(encoding="utf-8") == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_max_file_size_from_the_configuration_and_the_command_line(tmp_path: Path) -> None:
    config = "packs: []\nrules: [rules]\nmax-file-size: 0.001\n"  # 1,000 bytes
    (tmp_path / ".clinic-lint.yaml").write_text(config, encoding="utf-8")
    write_rule(tmp_path / "rules" / "t", "miracle", "match: ['miracle']")
    (tmp_path / "page.md").write_text("A miracle.\n" + "Plain text. " * 100, encoding="utf-8")
    skipped = run(tmp_path, "page.md")
    assert skipped.returncode == 0
    assert "page.md: skipped: 1.2 KB, over max-file-size (0.001 MB" in skipped.stderr
    linted = run(tmp_path, "page.md", "--max-file-size", "0", "--format", "concise")
    assert linted.returncode == 1, linted.stderr
    assert "page.md:1:3: error t/miracle" in linted.stdout
