"""The runner: a whole site over a process pool gives exactly what one process gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT

from lint import rules, runner
from lint.api import FileResult, Linter

TEST_RULES = ROOT / "tests" / "rules" / "positions"


def site(tmp_path: Path, copies: int) -> Path:
    """A site export: the HTML fixtures (odd encodings, a binary, an undecodable page) copied."""
    root = tmp_path / "site"
    for i in range(copies):
        shutil.copytree(FIXTURES / "html", root / f"section-{i:02d}")
    return root


def test_parallel_and_serial_results_are_identical(tmp_path: Path) -> None:
    from lint.files import discover

    files = list(discover([str(site(tmp_path, 4))]))
    assert len(files) >= runner.PARALLEL_FROM  # large enough to take the pool
    linter = Linter(rules.load([TEST_RULES], shipped=False))
    notes: list[str] = []
    serial = list(runner.run(linter, files, jobs=1, note=notes.append))
    parallel = list(runner.run(linter, files, jobs=3))
    assert parallel == serial
    assert [r.path for r in serial] == [f for f in files if "binary" not in f]
    assert sum(len(r.findings) for r in serial) > 0
    assert sum(1 for r in serial if r.errors) == 4  # each copy's undecodable page
    assert len(notes) == 4 and all("binary.html: skipped" in n for n in notes)


def test_cli_output_is_the_same_with_any_number_of_jobs(tmp_path: Path) -> None:
    root = site(tmp_path, 5)
    outputs = []
    for jobs in ("1", "2", "4"):
        run = subprocess.run(
            [
                *(sys.executable, "-m", "lint", "check", "--format", "json", "--jobs", jobs),
                *("--rules", str(TEST_RULES), "--select", "positions", str(root)),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 2, run.stderr  # the undecodable pages
        outputs.append((run.stdout, run.stderr))
    assert outputs[0] == outputs[1] == outputs[2]
    assert '"findings": [' in outputs[0][0]


def test_progress_bar_never_reaches_piped_output(tmp_path: Path) -> None:
    root = site(tmp_path, 3)
    run = subprocess.run(
        [sys.executable, "-m", "lint", "check", "--rules", str(TEST_RULES), str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "linting" not in run.stderr and "━" not in run.stderr + run.stdout


def test_spawned_workers_give_the_same_results(tmp_path: Path, monkeypatch) -> None:
    """Where fork is missing (Windows, some macOS set-ups) the linter is sent to each worker."""
    from lint.files import discover

    files = list(discover([str(site(tmp_path, 3))]))
    linter = Linter(rules.load([TEST_RULES], shipped=False))
    serial = list(runner.run(linter, files, jobs=1))
    import multiprocessing  # the runner imports it when it makes a pool

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert list(runner.run(linter, files, jobs=2)) == serial


def _dies_on_urdu(path: str) -> FileResult:
    if path.endswith("urdu.html"):
        os._exit(1)  # a worker killed mid-run (out of memory, say)
    return runner._check(runner._worker_linter, path)  # type: ignore[arg-type]


def test_a_dead_worker_does_not_lose_files(tmp_path: Path, monkeypatch) -> None:
    from lint.files import discover

    files = list(discover([str(site(tmp_path, 3))]))
    linter = Linter(rules.load([TEST_RULES], shipped=False))
    serial = list(runner.run(linter, files, jobs=1))
    monkeypatch.setattr(runner, "_check_in_worker", _dies_on_urdu)
    notes: list[str] = []
    assert list(runner.run(linter, files, jobs=2, note=notes.append)) == serial
    assert any("a worker process died" in n for n in notes)
