"""The check flow as its signatures say (issue 18, item 5): errors are values raised where they
are found and reported by the entry point alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_rule

from lint.checking import CommandError, ExitCode, run_check


def test_an_input_error_is_raised_not_printed_or_exited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError) as raised:
        run_check(["nope.md"], isolated=True)
    assert raised.value.lines == ["nope.md: no such file or directory"]
    assert raised.value.code is ExitCode.ERROR
    assert capsys.readouterr() == ("", "")  # deep code neither prints nor exits


def test_every_problem_of_a_rule_folder_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_rule(tmp_path / "mine" / "t", "open", "match: ['a'")
    write_rule(tmp_path / "mine" / "t", "empty", "match: []")
    (tmp_path / "page.md").write_text("A page.\n", encoding="utf-8")
    (tmp_path / ".clinic-lint.yaml").write_text("packs: []\nrules: [mine]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError) as raised:
        run_check(["page.md"])
    assert len(raised.value.lines) == 2
    assert all(line.startswith("mine/t/") for line in raised.value.lines)
    # the console script prints exactly those lines, and exits 2
    done = subprocess.run(
        [sys.executable, "-m", "lint", "check", "page.md"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=os.environ,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert sorted(done.stderr.splitlines()) == sorted(
        f"clinic-lint: error: {line}" for line in raised.value.lines
    )
