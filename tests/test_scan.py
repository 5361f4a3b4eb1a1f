"""Scanning many sites (lint/scan.py): JSON Lines, resumable, the same in one process, a pool
and on a Dask LocalCluster; every site is served by tests/sites.py on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sites import SiteServer, clinic_site, small_site

from lint import fetch, scan
from lint.crawl import CrawlOptions

pytest.importorskip("httpx")
distributed = pytest.importorskip("distributed")

OPTIONS = scan.ScanOptions(
    crawl=CrawlOptions(
        follow=True, max_pages=30, fetch=fetch.FetchOptions(timeout=0.5, max_bytes=100_000)
    )
)


@pytest.fixture(scope="module")
def sites() -> Iterator[list[str]]:
    with ExitStack() as stack:
        servers = [stack.enter_context(SiteServer(clinic_site))]
        for n in (1, 3, 5):
            servers.append(stack.enter_context(SiteServer(lambda base, n=n: small_site(base, n))))
        yield [s.url("/") for s in servers]


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def expected(sites: list[str]) -> list[str]:
    """The records of every site, computed in this process one by one."""
    return lines([r for url in sites for r in scan.site_records(url, OPTIONS)])


def lines(records: list[dict[str, object]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in records)


def read(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_site_records_end_with_the_summary(sites: list[str]) -> None:
    records = scan.site_records(sites[0], OPTIONS)
    summary = records[-1]
    assert summary["type"] == "site" and summary["site"] == sites[0]
    assert summary["pages"] == 5 and summary["findings"] == len(records) - 1
    assert len(summary["errors"]) == 4  # 404, 500, the redirect loop, the page that timed out
    assert all(r["type"] == "finding" and r["site"] == sites[0] for r in records[:-1])


def test_pool_scan_matches_one_process(
    sites: list[str], expected: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "results.jsonl"
    totals = scan.scan(sites, out, OPTIONS, jobs=2)
    assert lines(read(out)) == expected
    assert totals.sites == 4 and totals.errors == 4 and totals.failing


def test_dask_scheduler_matches_one_process(
    sites: list[str], expected: list[str], cluster: distributed.LocalCluster, tmp_path: Path
) -> None:
    out = tmp_path / "results.jsonl"
    scan.scan(sites, out, OPTIONS, scheduler=cluster.scheduler_address)
    assert lines(read(out)) == expected
    # each site's lines stand together, its summary last
    records = read(out)
    summaries = [i for i, r in enumerate(records) if r["type"] == "site"]
    start = 0
    for end in summaries:
        assert {r["site"] for r in records[start : end + 1]} == {records[end]["site"]}
        start = end + 1


def test_dask_bag_api_matches_one_process(
    sites: list[str], expected: list[str], cluster: distributed.LocalCluster
) -> None:
    import dask.bag

    with distributed.Client(cluster):
        bag = dask.bag.from_sequence(sites, npartitions=2)
        assert lines(scan.scan_bag(bag, OPTIONS).compute()) == expected


def test_a_rerun_resumes_after_the_last_finished_site(
    sites: list[str], expected: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "results.jsonl"
    first = scan.site_records(sites[1], OPTIONS)
    cut = json.dumps(scan.site_records(sites[2], OPTIONS)[0])
    # a finished site, then a site stopped mid-write (a finding, half a line)
    out.write_text("".join(json.dumps(r) + "\n" for r in first) + cut + "\n" + cut[:20])
    totals = scan.scan(sites, out, OPTIONS, jobs=1)
    assert totals.sites == 3  # the finished one skipped
    assert lines(read(out)) == expected  # nothing twice, nothing half
    again = scan.scan(sites, out, OPTIONS, jobs=1)
    assert again.sites == 0
    # a summary cut off just before its newline is not taken as finished
    out.write_text(out.read_text().rstrip("\n"))
    assert scan.scan(sites, out, OPTIONS, jobs=1).sites == 1
    assert lines(read(out)) == expected
    assert scan.scan(sites, out, OPTIONS, jobs=1, restart=True).sites == 4
    assert lines(read(out)) == expected


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lint", *map(str, args)], capture_output=True, text=True, timeout=180
    )


def test_scan_cli_on_a_dask_scheduler(
    sites: list[str], expected: list[str], cluster: distributed.LocalCluster, tmp_path: Path
) -> None:
    listed = tmp_path / "sites.txt"
    listed.write_text("# clinics\n" + "\n".join(sites[1:]) + "\n\n" + sites[1] + "\n")
    out = tmp_path / "results.jsonl"
    done = run_cli("scan", listed, "-o", out, "--scheduler", cluster.scheduler_address)
    assert done.returncode == 1, done.stderr  # findings, no fetch error on these sites
    assert "scanned 3 sites (3 in" in done.stderr
    again = run_cli("scan", listed, "-o", out)  # nothing left: the exit code is the file's
    assert again.returncode == 1 and "scanned 0 sites (3 in" in again.stderr
    summaries = [r for r in read(out) if r["type"] == "site"]
    assert sorted(str(r["site"]) for r in summaries) == sorted(sites[1:])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        (
            "http://127.0.0.1:9/\nclinic.example\n",
            "sites.txt:2: not an http(s) URL: clinic.example",
        ),
    ],
)
def test_bad_sites_file_is_one_line(tmp_path: Path, content: str | None, message: str) -> None:
    listed = tmp_path / "sites.txt"
    if content is not None:
        listed.write_text(content)
    out = tmp_path / "results.jsonl"
    done = run_cli("scan", listed, "-o", out)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert not out.exists()


def test_output_that_is_not_scan_output_is_refused(tmp_path: Path) -> None:
    listed = tmp_path / "sites.txt"
    listed.write_text("http://127.0.0.1:9/\n")
    out = tmp_path / "notes.jsonl"
    out.write_text("my notes\nmore\n")
    done = run_cli("scan", listed, "-o", out)
    assert done.returncode == 2 and "not clinic-lint scan output" in done.stderr
    assert out.read_text() == "my notes\nmore\n"
    missing = run_cli("scan", listed, "-o", tmp_path / "no" / "out.jsonl")
    assert missing.returncode == 2 and "no such folder" in missing.stderr


@pytest.mark.parametrize("address", ["nonsense", "tcp://127.0.0.1:1"])
def test_an_unreachable_scheduler_is_one_line_before_any_output(
    address: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "CONNECT_SECONDS", 1)
    out = tmp_path / "results.jsonl"
    with pytest.raises(scan.ScanError, match="cannot reach the Dask scheduler"):
        scan.scan(["http://127.0.0.1:9/"], out, OPTIONS, scheduler=address, restart=True)
    assert not out.exists()


def test_missing_scan_extra_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(scan.ScanError, match=r"pip install 'clinic-lint\[scan\]'"):
        scan.connect("tcp://127.0.0.1:8786")
