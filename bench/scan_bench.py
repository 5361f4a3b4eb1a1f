"""Sites per minute for ``clinic-lint scan`` on a Dask LocalCluster of 1 and 2 worker processes,
against generated clinic sites served on 127.0.0.1 by this process (tests/sites.py).

    python bench/scan_bench.py [--sites 60] [--pages 10]

Needs the scan extra (dask[distributed], httpx, protego). Not a test: it prints numbers for
README's Performance section. Each site is ``--pages`` pages chained by links, each page with a
finding; robots.txt is absent (404) and no crawl delay applies, so this measures fetching,
parsing and linting, not politeness.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from sites import SiteServer, small_site

from lint import scan
from lint.crawl import CrawlOptions


def measure(urls: list[str], workers: int, pages: int) -> float:
    from distributed import LocalCluster

    options = scan.ScanOptions(crawl=CrawlOptions(follow=True, max_pages=pages))
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        tempfile.TemporaryDirectory() as folder,
    ):
        out = Path(folder) / "results.jsonl"
        scan.scan(urls[:workers], out, options, scheduler=cluster.scheduler_address)  # warm-up
        out.unlink()
        began = time.perf_counter()
        totals = scan.scan(urls, out, options, scheduler=cluster.scheduler_address)
        seconds = time.perf_counter() - began
    assert totals.sites == len(urls) and totals.errors == 0
    return len(urls) / seconds * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=60)
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()
    with ExitStack() as stack:
        urls = [
            stack.enter_context(SiteServer(lambda base: small_site(base, args.pages))).url("/")
            for _ in range(args.sites)
        ]
        for workers in (1, 2):
            rate = measure(urls, workers, args.pages)
            print(
                f"{workers} worker{'s' if workers > 1 else ''}: {rate:.0f} sites/min "
                f"({rate * args.pages:.0f} pages/min; {args.sites} sites of {args.pages} pages)"
            )


if __name__ == "__main__":
    main()
