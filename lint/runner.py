"""Checking many files: in this process for small runs, over a process pool for a whole site.

Results come back in the order the files were given, whatever the parallelism, so output is the
same with ``--jobs 1`` and ``--jobs 8``. The pool is forked after the rules are compiled, so
workers inherit them instead of loading them again (where fork is unavailable the linter is
sent to each worker once, at start-up). The progress bar is drawn without a refresh thread, so
forking never happens beside a running thread.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

from lint.api import FileResult, Linter

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# Below this many files a pool costs more to start than it saves.
PARALLEL_FROM = 24
# Files per task sent to a worker: big enough to amortise the hand-off, small enough to balance.
MAX_CHUNK = 32
# A bar for a handful of files would only flash (and cost the import of rich.progress).
PROGRESS_FROM = 10
REDRAW_SECONDS = 0.1

Note = Callable[[str], None]


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _ignore_note(_: str) -> None:
    pass


def run(
    linter: Linter,
    files: Sequence[str],
    *,
    jobs: int | None = None,
    note: Note = _ignore_note,
    progress: bool = False,
) -> Iterator[FileResult]:
    """Each linted file's result, in the order of ``files``; skipped files become notes.

    ``progress`` asks for a bar on stderr (the caller knows whether a person is watching).
    """
    jobs = default_jobs() if jobs is None or jobs < 1 else jobs
    parallel = jobs > 1 and len(files) >= PARALLEL_FROM
    results = (
        _in_pool(linter, files, jobs, note) if parallel else (_check(linter, p) for p in files)
    )
    show = progress and len(files) >= PROGRESS_FROM
    yield from shown(results, note, progress_bar(len(files), "files") if show else None)


def shown(
    results: Iterator[FileResult],
    note: Callable[[str], None],
    bar: AbstractContextManager[_Bar] | None = None,
) -> Iterator[FileResult]:
    """The results with a bar advanced as each comes (``bar``: None for none) and skipped
    files turned into notes; shared by the file runner and the crawler."""
    with bar if bar is not None else nullcontext() as shown_bar:
        for result in results:
            if shown_bar is not None:
                shown_bar.advance(len(result.findings))
            if result.skipped:
                note(f"{result.path}: skipped: {result.skipped}")
                continue
            yield result


def _check(linter: Linter, path: str) -> FileResult:
    try:
        return linter.check_file(path)
    except RecursionError:
        # Pathologically nested markup: one error for this file, the run goes on.
        return FileResult(path, errors=[f"{path}:1: too deeply nested to read"])


# -- the pool ----------------------------------------------------------------------------------
_worker_linter: Linter | None = None


def _start_worker(linter: Linter | None) -> None:
    global _worker_linter
    if linter is not None:  # spawned: the linter came pickled; forked: it is already here
        _worker_linter = linter
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _check_in_worker(path: str) -> FileResult:
    assert _worker_linter is not None
    return _check(_worker_linter, path)


def _pool(linter: Linter, jobs: int) -> ProcessPoolExecutor:
    import multiprocessing  # not on the one-page path: its import costs ~6 ms
    from concurrent.futures import ProcessPoolExecutor

    global _worker_linter
    if "fork" in multiprocessing.get_all_start_methods():
        _worker_linter = linter  # inherited by the forked workers
        context: Any = multiprocessing.get_context("fork")
        return ProcessPoolExecutor(jobs, context, _start_worker, (None,))
    return ProcessPoolExecutor(jobs, multiprocessing.get_context("spawn"), _start_worker, (linter,))


def _in_pool(linter: Linter, files: Sequence[str], jobs: int, note: Note) -> Iterator[FileResult]:
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, min(MAX_CHUNK, len(files) // (jobs * 4)))
    pool = _pool(linter, jobs)
    done = 0
    try:
        for result in pool.map(_check_in_worker, files, chunksize=chunk):
            done += 1
            yield result
    except BrokenProcessPool:
        # A worker died (out of memory, killed): finish the rest here, in order.
        note(
            f"a worker process died; linting the remaining {len(files) - done} files in one process"
        )
        pool.shutdown(wait=False, cancel_futures=True)
        yield from (_check(linter, p) for p in files[done:])
        return
    except BaseException:
        # Ctrl-C or an error: stop now. Running chunks would otherwise be waited for at exit
        # (a hostile pattern can hold a worker for --timeout seconds per file).
        workers = list((getattr(pool, "_processes", None) or {}).values())  # gone after shutdown
        pool.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.terminate()
        raise
    pool.shutdown()


# -- progress ----------------------------------------------------------------------------------
class _Bar:
    """Files done and findings so far, on stderr; redrawn by hand (no refresh thread)."""

    def __init__(self, total: int, unit: str = "files") -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.findings = 0
        self.drawn = 0.0
        self.progress = Progress(
            TextColumn("linting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(unit + " · {task.fields[findings]} findings"),
            console=Console(stderr=True),
            auto_refresh=False,
            transient=True,
        )
        self.task = self.progress.add_task("lint", total=total, findings=0)

    def advance(self, findings: int) -> None:
        self.findings += findings
        self.progress.update(self.task, advance=1, findings=self.findings)
        now = time.monotonic()
        if now - self.drawn >= REDRAW_SECONDS:  # drawing every file would cost more than linting
            self.drawn = now
            self.progress.refresh()

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def progress_bar(total: int, unit: str) -> AbstractContextManager[_Bar]:
    """A bar on stderr for ``total`` items called ``unit`` (files, or the crawler's pages)."""
    return _Bar(total, unit)
