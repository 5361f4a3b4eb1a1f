"""Memory stays flat in the number of files: a run streams each file's result into every report
and keeps nothing per file (issue #7). Measured with tracemalloc, which counts Python
allocations exactly (no timing, so no noise from a shared machine)."""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from lint import report, runner
from lint.api import FileResult
from lint.checking import CheckOptions, run_check

# claim-dense: dozens of findings with long sentences
PAGE = next((FIXTURES / "seeds").glob("002_*.txt"))


class _Null:
    """Standard output that keeps nothing (a captured stream would grow with the report)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _peak(site: Path, pages: int, monkeypatch: pytest.MonkeyPatch, *options: str) -> int:
    text = PAGE.read_text(encoding="utf-8")
    for i in range(pages):
        (site / f"page-{i:04d}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", _Null())
    monkeypatch.chdir(site)
    # warm: rule cache, lazy patterns, imports
    run_check(CheckOptions((".",), jobs=1, isolated=True))
    start: list[int] = []
    files = runner.run

    def measured(*args: object, **kwargs: object) -> Iterator[FileResult]:
        # From the first file on: what the run holds while it streams (rules and the
        # reports' opening are already allocated, the same for any number of files).
        for result in files(*args, **kwargs):  # type: ignore[arg-type]
            if not start:
                start.append(tracemalloc.get_traced_memory()[0])
                tracemalloc.reset_peak()
            yield result

    monkeypatch.setattr(runner, "run", measured)
    # Parts of a report that wait for the end (JUnit's cases) spill to disk past this.
    monkeypatch.setattr(report, "SPILL_BYTES", 16_384)
    tracemalloc.start()
    try:
        run_check(CheckOptions((".",), jobs=1, isolated=True, **_options(site, options)))
        return tracemalloc.get_traced_memory()[1] - start[0]
    finally:
        tracemalloc.stop()


def _options(site: Path, options: tuple[str, ...]) -> dict[str, Any]:
    out = tuple(f"{name}={site.parent / (site.name + '.' + name)}" for name in options)
    return {"output_format": "json", "output_files": out}


@pytest.mark.parametrize("extra", [(), ("sarif", "junit", "gitlab", "text")])
def test_peak_memory_does_not_grow_with_the_number_of_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: tuple[str, ...]
) -> None:
    assert PAGE.is_file()
    few, many = tmp_path / "few", tmp_path / "many"
    few.mkdir()
    many.mkdir()
    small = _peak(few, 5, monkeypatch, *extra)
    large = _peak(many, 50, monkeypatch, *extra)
    # Ten times the files (and findings): kept findings would make the peak grow about tenfold.
    assert large < small * 1.5, (small, large)
