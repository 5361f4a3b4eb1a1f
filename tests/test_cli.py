"""The command line as users run it: real files on disk, the real entry point, exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from authoring import clinic_lint
from helpers import write_rule

CONTRACT_KEYS = {
    "path", "line", "column", "end_line", "end_column", "rule", "category",
    "severity", "message", "match", "suggestion",
}  # fmt: skip


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return clinic_lint(*args, cwd=cwd)


@pytest.fixture(scope="module")
def test_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our own rules (t/...), one folder for the module so the rule cache is built once."""
    root = tmp_path_factory.mktemp("cli-rules")
    write_rule(root / "t", "miracle", "match: ['miracle']", category="hype", severity="warning")
    write_rule(root / "t", "cure", "match: ['cures?']", category="cure-claim", severity="error")
    return root


@pytest.fixture
def site(tmp_path: Path, test_rules: Path) -> Path:
    """A folder with three pages and a link to the test rules."""
    (tmp_path / "rules").symlink_to(test_rules, target_is_directory=True)
    pages = tmp_path / "site"
    pages.mkdir()
    (pages / "a.md").write_text("# Title\n\nOur therapy is a miracle.\n", encoding="utf-8")
    (pages / "b.txt").write_text("It cures asthma.\n", encoding="utf-8")
    (pages / "notes.csv").write_text("cure,cure\n", encoding="utf-8")  # not a lintable suffix
    return tmp_path


def base(site: Path) -> list[str | Path]:
    return ["check", "--pack", "core", "--rules", (site / "rules").resolve(), "--select", "t/"]


def test_json_contract_and_exit_1(site: Path) -> None:
    proc = run(*base(site), "site", "--format", "json", cwd=site)
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    assert out["version"] == 1
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in out["findings"]] == [
        ("site/a.md", 3, 18, "t/miracle"),
        ("site/b.txt", 1, 4, "t/cure"),
    ]
    assert all(set(f) == CONTRACT_KEYS for f in out["findings"])
    summary = {"files": 2, "findings": 2, "by_severity": {"error": 1, "warning": 1, "info": 0}}
    assert summary.items() <= out["summary"].items()


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        (["--select", "t/", "--ignore", "cure-claim"], 0),  # a warning: below the default threshold
        (["--select", "t/", "--ignore", "cure-claim", "--fail-on", "warning"], 1),
        (["--select", "t/", "--ignore", "t/cure"], 0),
        (["--select", "t/cure,t/miracle"], 1),
    ],
)
def test_selection_and_fail_on(site: Path, extra: list[str], code: int) -> None:
    proc = run(
        "check",
        "--pack",
        "core",
        "--rules",
        site / "rules",
        *extra,
        "site/b.txt",
        "site/a.md",
        cwd=site,
    )
    assert proc.returncode == code, proc.stdout + proc.stderr


def test_unknown_select_token_is_a_usage_error(site: Path) -> None:
    proc = run(*base(site)[:-2], "--select", "t/mirakle", "site", cwd=site)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "clinic-lint: error: --select 't/mirakle' matches no rule id, pack or category — did you mean 't/miracle'?"
    ]


def test_missing_path(site: Path) -> None:
    proc = run(*base(site), "site/nope.md", cwd=site)
    assert proc.returncode == 2
    assert proc.stderr == "clinic-lint: error: site/nope.md: no such file or directory\n"
    assert proc.stdout == ""


def test_malformed_rule_reports_every_problem(site: Path) -> None:
    (site / "rules").unlink()
    write_rule(site / "rules" / "t", "cure", "match: ['cures?']")
    bad = site / "rules" / "t" / "broken.yaml"
    bad.write_text(
        "category: hype\nseverity: fatal\nmesage: x\nmatch: ['(unclosed']\n", encoding="utf-8"
    )
    proc = run("check", "--pack", "core", "--rules", "rules", "site", cwd=site)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert (
        "clinic-lint: error: rules/t/broken.yaml:2: rule 't/broken': 'severity' is 'fatal'; expected one of error, warning, info"
        in lines
    )
    assert (
        "clinic-lint: error: rules/t/broken.yaml:3: rule 't/broken': unknown key 'mesage' — did you mean 'message'?"
        in lines
    )
    assert any(
        line.startswith(
            "clinic-lint: error: rules/t/broken.yaml:4: rule 't/broken': bad pattern '(unclosed'"
        )
        for line in lines
    )
    assert any("missing key 'why'" in line for line in lines)
    assert "Traceback" not in proc.stderr


def test_undecodable_file_is_reported_and_others_still_linted(site: Path) -> None:
    (site / "site" / "c.txt").write_bytes(b"caf\xe9 cures \xff\xfe\xfa")
    proc = run(*base(site), "site", "--format", "concise", cwd=site)
    assert proc.returncode == 2
    assert "site/c.txt:1: cannot decode: not valid UTF-8 (byte 0xE9 at offset 3)" in proc.stderr
    assert "site/b.txt:1:4: error t/cure Found 'cures'" in proc.stdout


def test_text_format_shows_line_underline_and_summary(site: Path) -> None:
    proc = run(*base(site), "site/b.txt", cwd=site)
    assert proc.returncode == 1
    assert "\x1b[" not in proc.stdout  # no colour when piped
    lines = proc.stdout.splitlines()
    assert lines[0] == "site/b.txt:1:4: error [t/cure] Found 'cures'"
    assert lines[1].endswith("│ It cures asthma.")
    assert lines[2].rstrip().endswith("^^^^^") and lines[2].index("^") == lines[1].index("cures")
    assert "= suggestion: Say it differently." in lines[3]
    assert lines[-1] == "Checked 1 file: 1 finding (1 error, 0 warnings, 0 info)."


def test_named_file_with_other_suffix_is_linted(site: Path) -> None:
    proc = run(*base(site), "site/notes.csv", "--format", "concise", cwd=site)
    assert proc.returncode == 1
    assert proc.stdout.count("t/cure") == 2


def test_help_and_version(site: Path) -> None:
    assert "--fail-on" in run("check", "--help", cwd=site).stdout
    assert run("--version", cwd=site).stdout.startswith("clinic-lint ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check"], "Missing argument 'PATH'."),
        (["check", "site", "--format", "xml"], "Invalid value for '--format' / '-f': 'xml' is not"),
        (["check", "site", "--jobs", "0"], "Invalid value for '--jobs' / '-j'"),
        (["check", "site", "--no-such-option"], "No such option: --no-such-option"),
        (["check", "site", "--pack", "xx"], "--pack: unknown rule pack 'xx' (available: "),
        (["explain"], "Missing argument 'RULE'."),
        (["no-such-command"], "No such command 'no-such-command'."),
    ],
)
def test_usage_errors_are_one_line(site: Path, args: list[str], message: str) -> None:
    proc = run(*args, cwd=site)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"clinic-lint: error: {message}"), proc.stderr
    assert proc.stderr.count("\n") == 1 and "Usage:" not in proc.stderr
    assert "_rules" not in proc.stderr and "Traceback" not in proc.stderr


def test_help_shows_metavars_a_person_reads(site: Path) -> None:
    text = run("check", "--help", cwd=site).stdout
    # Arguments keep typer's own rendering ({PATH}..., with its type after the name): changing it
    # would mean patching typer's private methods. Options read as a person would write them.
    assert "check [OPTIONS] {PATH}...\n" in text and "{paths}" not in text
    options = text[text.index("Options:") :]
    for shown in ("--pack PACK", "--rules DIR", "--jobs N", "--config FILE", "--baseline FILE"):
        assert shown in options
    assert "<list" not in options and "range>" not in options
    assert "RULE " in run("explain", "--help", cwd=site).stdout


def test_write_baseline_says_what_it_wrote_not_every_finding(site: Path) -> None:
    proc = run(*base(site), "site", "--write-baseline", "baseline.json", cwd=site)
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert proc.stderr == "clinic-lint: wrote 2 baseline entries to baseline.json\n"
