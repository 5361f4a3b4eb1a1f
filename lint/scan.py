"""Many sites: each crawled and linted as a unit of work, on every core or on a Dask cluster.

``site_records(url, options)`` is the unit: one site crawled, its findings and one summary, as
JSON-ready dicts. ``scan`` runs it for every site of a list, in a process pool on one machine or
on a ``dask.distributed`` cluster (``scheduler``), a bounded number of sites in flight, and
appends each site's lines to a JSON Lines file as the site finishes (one write and a flush per
site, the summary last), so memory stays bounded whatever the number of sites and a stopped
scan resumes: sites already summarised in the file are skipped, and a partly written site at
its end is cut off and done again. ``scan_bag`` is the same unit on a Dask bag of URLs.

Output lines (``type``): ``finding`` (the finding's JSON contract plus ``site``) and ``site``
(``site``, ``pages``, ``findings``, ``errors``: the error lines, ``skipped``: pages noted).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from lint.crawl import CrawlOptions

if TYPE_CHECKING:
    import dask.bag
    import distributed

    from lint.api import Linter
    from lint.config import Settings

Record = dict[str, Any]
CONNECT_SECONDS = 20  # to reach a Dask scheduler
IN_FLIGHT_PER_WORKER = 2  # sites handed to each worker at once: enough to keep it busy
MISSING_EXTRA = "scanning on a Dask cluster needs the 'scan' extra: pip install 'clinic-lint[scan]'"


class ScanError(Exception):
    """Bad input (the sites file, the output file): one line, before anything is written."""


@dataclass(frozen=True)
class ScanOptions:
    """What each site gets: the rule settings and how it is crawled."""

    settings: Settings | None = None
    crawl: CrawlOptions = field(default_factory=lambda: CrawlOptions(follow=True, max_pages=50))


# -- one site ----------------------------------------------------------------------------------
_linters: dict[str, Linter] = {}


def _linter(options: ScanOptions) -> Linter:
    """One Linter per worker process (or thread pool) and options: the rules compile once."""
    from lint.api import Linter

    key = repr(options.settings)  # Settings hold a dict: not hashable, but plain data
    linter = _linters.get(key)
    if linter is None:
        linter = _linters[key] = Linter(settings=options.settings)
    return linter


def site_records(url: str, options: ScanOptions | None = None) -> list[Record]:
    """One site crawled and linted: a ``finding`` record per finding, then its ``site`` record."""
    from lint.crawl import crawl

    options = options or ScanOptions()
    out: list[Record] = []
    pages = skipped = 0
    errors: list[str] = []
    try:
        for result in crawl(url, _linter(options), options.crawl):
            if result.skipped:
                skipped += 1
                continue
            pages += 0 if result.errors else 1
            errors.extend(result.errors)
            out.extend({"type": "finding", "site": url, **f.to_json()} for f in result.findings)
    except Exception as exc:  # one site's surprise must not end a scan of thousands
        errors.append(f"{url}: stopped by {type(exc).__name__}: {exc}")
    summary = {
        "type": "site",
        "site": url,
        "pages": pages,
        "findings": len(out),
        "errors": errors,
        "skipped": skipped,
    }
    return [*out, summary]


def scan_bag(urls: dask.bag.Bag, options: ScanOptions | None = None) -> dask.bag.Bag:
    """A Dask bag of site URLs -> a bag of their records (``site_records``, flattened)."""
    return urls.map(site_records, options=options).flatten()


# -- the sites file and the output -------------------------------------------------------------
def read_sites(path: Path) -> list[str]:
    """The URLs of a sites file (one a line; blank lines and ``#`` comments ignored), each once."""
    from lint.fetch import normalize

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ScanError(f"{path}: cannot read: {reason}") from None
    sites: dict[str, None] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url = normalize(line) if line.startswith(("http://", "https://")) else None
        if url is None:
            raise ScanError(f"{path}:{number}: not an http(s) URL: {line[:80]}")
        sites[url] = None
    return list(sites)


def resume(path: Path) -> set[str]:
    """Sites summarised in an earlier run's output; anything after its last summary (a site
    cut off mid-write) is truncated away. A file that is not such output is an error."""
    if not path.exists():
        return set()
    done: set[str] = set()
    keep = 0
    try:
        with open(path, "rb") as stream:
            for number, raw in enumerate(stream, 1):
                record = _parse(raw, path, number)
                if record is None or not raw.endswith(b"\n"):  # a line cut off mid-write
                    break
                if record.get("type") == "site":
                    done.add(str(record.get("site")))
                    keep = stream.tell()
        if keep < path.stat().st_size:
            os.truncate(path, keep)
    except OSError as exc:
        raise ScanError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return done


def _parse(raw: bytes, path: Path, number: int) -> Record | None:
    try:
        record = json.loads(raw)
    except ValueError:
        if raw.endswith(b"\n"):
            raise ScanError(
                f"{path}:{number}: not clinic-lint scan output (use another file, or --restart)"
            ) from None
        return None
    if not isinstance(record, dict) or record.get("type") not in ("site", "finding"):
        raise ScanError(
            f"{path}:{number}: not clinic-lint scan output (use another file, or --restart)"
        )
    return record


# -- running -----------------------------------------------------------------------------------
@dataclass
class Totals:
    sites: int = 0
    findings: int = 0
    errors: int = 0
    failing: bool = False


def scan(
    sites: list[str],
    output: Path,
    options: ScanOptions | None = None,
    *,
    restart: bool = False,
    jobs: int | None = None,
    scheduler: str | None = None,
    on_site: Callable[[Record], None] | None = None,
) -> Totals:
    """Scan ``sites`` into ``output`` (see the module's description); ``scheduler``: a Dask
    scheduler's address, else a process pool of ``jobs`` (default: one per core)."""
    options = options or ScanOptions()
    client = connect(scheduler) if scheduler else None  # before the output is touched
    with client if client is not None else contextlib.nullcontext():
        if restart:
            _start_empty(output)
        done = resume(output)
        todo = [s for s in sites if s not in done]
        try:
            stream = open(output, "a", encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise ScanError(f"{output}: cannot write: {exc.strerror or exc}") from None
        with stream:
            batches = _on_dask(todo, options, client) if client else _in_pool(todo, options, jobs)
            return _write(batches, stream, options, on_site)


def _write(
    batches: Iterable[list[Record]],
    stream: TextIO,
    options: ScanOptions,
    on_site: Callable[[Record], None] | None,
) -> Totals:
    """Each site's lines appended in one write and flushed, as the site finishes."""
    totals = Totals()
    for records in batches:
        stream.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        stream.flush()
        _count(totals, records, options)
        if on_site is not None:
            on_site(records[-1])
    return totals


def _start_empty(output: Path) -> None:
    try:
        output.write_bytes(b"")
    except OSError as exc:
        raise ScanError(f"{output}: cannot write: {exc.strerror or exc}") from None


def _count(totals: Totals, records: list[Record], options: ScanOptions) -> None:
    from lint.config import Settings
    from lint.findings import Severity

    threshold = Severity((options.settings or Settings()).fail_on).rank
    summary = records[-1]
    totals.sites += 1
    totals.findings += int(summary["findings"])
    totals.errors += len(summary["errors"])
    totals.failing = totals.failing or any(
        Severity(r["severity"]).rank >= threshold for r in records[:-1]
    )


def _in_pool(sites: list[str], options: ScanOptions, jobs: int | None) -> Iterator[list[Record]]:
    """Each site's records as it finishes, over a process pool, a bounded number in flight."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    from lint.runner import default_jobs

    jobs = jobs or default_jobs()
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        _linter(options)  # compiled once here, inherited by the forked workers
    pending: set[Future[list[Record]]] = set()
    queue = iter(sites)
    pool = ProcessPoolExecutor(jobs, multiprocessing.get_context(method))
    try:
        while True:
            for url in _take(queue, jobs * IN_FLIGHT_PER_WORKER - len(pending)):
                pending.add(pool.submit(site_records, url, options))
            if not pending:
                break
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
    finally:  # Ctrl-C or an error: do not wait for the sites still being crawled
        pool.shutdown(wait=not pending, cancel_futures=True)


def connect(address: str) -> distributed.Client:
    """A client of the Dask scheduler at ``address`` (one line when it cannot be reached)."""
    try:
        from distributed import Client
    except ImportError:
        raise ScanError(MISSING_EXTRA) from None
    try:
        return Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ScanError(f"{address}: cannot reach the Dask scheduler: {exc}") from None


def _on_dask(
    sites: list[str], options: ScanOptions, client: distributed.Client
) -> Iterator[list[Record]]:
    """Each site's records as it finishes, on the client's cluster, a few per worker thread."""
    from distributed import as_completed

    workers = max(1, sum(client.nthreads().values()))
    queue = iter(sites)
    first = [
        client.submit(site_records, u, options, pure=False)
        for u in _take(queue, workers * IN_FLIGHT_PER_WORKER)
    ]
    running = as_completed(first)
    for future in running:
        records: list[Record] = future.result()
        future.release()
        for url in _take(queue, 1):
            running.add(client.submit(site_records, url, options, pure=False))
        yield records


def _take(queue: Iterator[str], count: int) -> Iterable[str]:
    for _ in range(max(0, count)):
        try:
            yield next(queue)
        except StopIteration:
            return


def report_errors(records: Record) -> None:
    """A finished site's error lines on stderr, as ``check`` prints them."""
    for error in records.get("errors", ()):
        sys.stderr.write(f"clinic-lint: error: {error}\n")


def run_scan(
    sites_file: Path,
    output: Path,
    *,
    restart: bool = False,
    scheduler: str | None = None,
    jobs: int | None = None,
    settings: Settings,
    crawl: CrawlOptions,
    progress: bool = False,
) -> int:
    """The ``scan`` command: exit 0 (clean), 1 (findings at or above fail-on), 2 (errors: bad
    input at once, with one line; sites that could not be fetched, after the scan)."""
    from contextlib import nullcontext

    from lint.checking import CommandError, ExitCode, load_ruleset
    from lint.fetch import MissingExtra, require_web
    from lint.runner import progress_bar

    try:
        require_web()
        sites = read_sites(sites_file)
        if not output.parent.is_dir():
            raise ScanError(f"{output}: no such folder {output.parent}")
        done = set() if restart else resume(output)
    except (ScanError, MissingExtra) as exc:
        raise CommandError(str(exc)) from exc
    load_ruleset(settings)  # unknown packs, broken rules: one line each, before any site
    options = ScanOptions(settings, crawl)
    todo = sum(1 for s in sites if s not in done)
    if done:
        sys.stderr.write(
            f"clinic-lint: note: {len(sites) - todo} of {len(sites)} sites already in {output}; "
            "scanning the rest (--restart: all again)\n"
        )
    with progress_bar(todo, "sites") if progress and todo else nullcontext() as bar:

        def finished(summary: Record) -> None:
            report_errors(summary)
            if bar is not None:
                bar.advance(int(summary["findings"]))

        try:
            totals = scan(
                sites,
                output,
                options,
                restart=restart,
                jobs=jobs,
                scheduler=scheduler,
                on_site=finished,
            )
        except ScanError as exc:
            raise CommandError(str(exc)) from exc
    whole = summarise(output, options)
    sys.stderr.write(
        f"clinic-lint: scanned {_sites(totals.sites)} ({whole.sites} in {output}: "
        f"{whole.findings} findings, {whole.errors} errors)\n"
    )
    if whole.errors:
        return ExitCode.ERROR
    return ExitCode.FINDINGS if whole.failing else ExitCode.OK


def _sites(count: int) -> str:
    return f"{count} site{'' if count == 1 else 's'}"


def summarise(output: Path, options: ScanOptions) -> Totals:
    """The totals of a whole output file (this run's sites and those of the runs it resumed),
    read a line at a time: what the exit code says."""
    totals = Totals()
    site: list[Record] = []
    with open(output, encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            if record["type"] == "finding":
                site.append(record)
                continue
            _count(totals, [*site, record], options)
            site = []
    return totals
