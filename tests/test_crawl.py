"""Fetching and crawling one site from its URL, against a local server (tests/sites.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from sites import LINTED, NEVER_FETCHED, URDU, SiteServer, clinic_site, small_site

from lint import __version__, crawl, fetch
from lint.api import FileResult, Linter

pytest.importorskip("httpx")
pytest.importorskip("protego")

FAST = fetch.FetchOptions(timeout=0.5, max_bytes=100_000)


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    with SiteServer(clinic_site) as server:
        yield server


@pytest.fixture(scope="module")
def crawled(site: SiteServer, linter: Linter) -> list[FileResult]:
    options = crawl.CrawlOptions(follow=True, max_pages=100, fetch=FAST)
    return list(crawl.crawl(site.url("/"), linter, options))


def by_path(results: list[FileResult], base: str) -> dict[str, FileResult]:
    return {r.path.removeprefix(base): r for r in results}


def test_normalize_folds_fragments_case_and_default_ports() -> None:
    assert fetch.normalize("HTTP://Clinic.Test:80/a.html#x") == "http://clinic.test/a.html"
    assert fetch.normalize("https://clinic.test") == "https://clinic.test/"
    assert fetch.normalize("../b?q=1#f", "http://c.test/x/y/z.html") == "http://c.test/x/b?q=1"
    assert fetch.normalize("mailto:desk@clinic.test") is None
    assert fetch.normalize("javascript:void(0)") is None
    assert fetch.normalize("http://[::1]:8080/") == "http://[::1]:8080/"


def test_media_type_reads_the_header_charset() -> None:
    assert fetch.media_type('text/html; charset="Windows-1256"') == ("text/html", "Windows-1256")
    assert fetch.media_type("TEXT/HTML") == ("text/html", None)


def test_crawl_lints_exactly_the_allowed_pages(site: SiteServer, crawled: list[FileResult]) -> None:
    results = by_path(crawled, site.base)
    linted = sorted(p for p, r in results.items() if not r.errors and not r.skipped)
    assert linted == sorted(LINTED)
    fetched = site.fetched()
    for path in NEVER_FETCHED:
        assert path not in fetched  # robots.txt obeyed, for links and sitemap entries alike
    assert fetched.count("/about.html") == 1  # the fragment and duplicate links folded
    assert fetched.count("/robots.txt") == 1
    assert all("other.example" not in p for p in fetched)


def test_findings_are_located_by_url_line_and_column(
    site: SiteServer, crawled: list[FileResult]
) -> None:
    results = by_path(crawled, site.base)
    about = results["/about.html"]
    [finding] = [f for f in about.findings if f.rule == "core/no-side-effects"]
    assert finding.path == site.url("/about.html")
    assert (finding.line, finding.column) == (5, 20)  # '<p>Our therapy has no side effects.'
    assert about.lines[5].startswith("<p>Our therapy")
    # The redirect from /old-page is the stem-cell page, fetched and reported once, by its URL.
    assert [r.path for r in crawled].count(site.url("/services/stem-cells.html")) == 1


def test_the_header_charset_decodes_a_windows_1256_page(
    site: SiteServer, crawled: list[FileResult]
) -> None:
    urdu = by_path(crawled, site.base)["/ur.html"]
    # decoded right, the Urdu claim is found (other rules may name it too: "… کا علاج")
    [finding] = [f for f in urdu.findings if f.rule == "core/cure-urdu"]
    assert URDU.endswith(finding.match) or finding.match in URDU
    assert finding.line == 2


def test_every_fault_is_one_error_or_one_note(site: SiteServer, crawled: list[FileResult]) -> None:
    results = by_path(crawled, site.base)
    errors = {p: r.errors for p, r in results.items() if r.errors}
    assert set(errors) == {"/missing.html", "/broken.html", "/loop-a", "/slow.html"}
    assert all(len(e) == 1 for e in errors.values())
    assert errors["/missing.html"] == [f"{site.url('/missing.html')}: HTTP 404 Not Found"]
    assert "HTTP 500" in errors["/broken.html"][0]
    assert "redirect loop" in errors["/loop-a"][0]
    assert "timed out" in errors["/slow.html"][0]
    skipped = {p: r.skipped for p, r in results.items() if r.skipped}
    assert "over max-file-size" in str(skipped["/huge.html"])
    assert skipped["/image.html"] == "a binary file"
    assert "application/pdf" in str(skipped["/brochure.pdf"])
    assert "off-site" in str(skipped["/away"])
    assert "\n" not in "".join(e[0] for e in errors.values())


def test_user_agent_names_clinic_lint_with_version_and_contact(
    site: SiteServer, crawled: list[FileResult]
) -> None:
    agents = {agent for _, agent in site.requests}
    assert agents == {fetch.USER_AGENT}
    assert f"clinic-lint/{__version__}" in fetch.USER_AGENT and "+http" in fetch.USER_AGENT


def test_without_follow_only_the_page_is_fetched(linter: Linter) -> None:
    with SiteServer(lambda base: small_site(base, 5)) as server:
        results = list(crawl.crawl(server.url("/"), linter, crawl.CrawlOptions(fetch=FAST)))
        assert [r.path for r in results] == [server.url("/")]
        assert server.fetched() == ["/robots.txt", "/"]


def test_max_pages_bounds_the_fetches(linter: Linter) -> None:
    with SiteServer(lambda base: small_site(base, 10)) as server:
        options = crawl.CrawlOptions(follow=True, max_pages=3, fetch=FAST)
        results = list(crawl.crawl(server.url("/"), linter, options))
        assert [r.path for r in results] == [server.url(p) for p in ("/", "/p1.html", "/p2.html")]


def test_crawl_delay_from_robots_is_kept(linter: Linter) -> None:
    def make(base: str) -> dict[str, tuple[int, dict[str, str], bytes]]:
        paths = small_site(base, 3)
        paths["/robots.txt"] = (
            200,
            {"Content-Type": "text/plain"},
            b"User-agent: *\nCrawl-delay: 0.3\n",
        )
        return paths

    with SiteServer(make) as server:
        began = time.monotonic()
        options = crawl.CrawlOptions(follow=True, fetch=FAST)
        results = list(crawl.crawl(server.url("/"), linter, options))
        assert len(results) == 3
        # robots.txt, sitemap.xml, then three pages: four waits of 0.3 s at least
        assert time.monotonic() - began >= 4 * 0.3


def test_an_unreadable_robots_txt_stops_the_site(linter: Linter) -> None:
    def make(base: str) -> dict[str, tuple[int, dict[str, str], bytes]]:
        paths = small_site(base, 2)
        paths["/robots.txt"] = (503, {}, b"")
        return paths

    with SiteServer(make) as server:
        results = list(crawl.crawl(server.url("/"), linter, crawl.CrawlOptions(fetch=FAST)))
        [result] = results
        assert "HTTP 503" in result.errors[0] and "robots.txt" in result.errors[0]
        assert server.fetched() == ["/robots.txt"]


def test_a_refused_connection_is_one_error(linter: Linter) -> None:
    with SiteServer(lambda base: small_site(base, 1)) as server:
        url = server.url("/")
    [result] = list(crawl.crawl(url, linter, crawl.CrawlOptions(fetch=FAST)))
    assert len(result.errors) == 1 and result.errors[0].startswith(url)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lint", *args], capture_output=True, text=True, timeout=120
    )


def test_check_url_crawl_from_the_command_line(site: SiteServer) -> None:
    done = run_cli(
        "check",
        site.url("/"),
        "--crawl",
        "--fetch-timeout",
        "0.5",
        "--max-file-size",
        "0.1",
        "-f",
        "concise",
    )
    assert done.returncode == 2  # findings, and pages that could not be fetched
    assert f"{site.url('/about.html')}:5:20: error core/no-side-effects" in done.stdout
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert len(errors) == 4  # 404, 500, the loop, the page that never finished
    assert all(line.startswith("clinic-lint: error: http://127.0.0.1:") for line in errors)
    assert "Traceback" not in done.stderr
    assert f"{site.url('/huge.html')}: skipped" in done.stderr  # over the cap: always a note


def test_check_one_url_exit_codes(site: SiteServer) -> None:
    assert run_cli("check", site.url("/about.html")).returncode == 1
    missing = run_cli("check", site.url("/missing.html"))
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines()[-1] == (
        f"clinic-lint: error: {site.url('/missing.html')}: HTTP 404 Not Found"
    )
    bad = run_cli("check", "https://")
    assert bad.returncode == 2 and bad.stderr.startswith("clinic-lint: error: https://: not a URL")


def test_missing_web_extra_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "protego", None)
    with pytest.raises(fetch.MissingExtra, match=r"pip install 'clinic-lint\[web\]'"):
        fetch.require_web()


def test_a_start_url_may_move_to_its_www_host_only() -> None:
    assert fetch.same_site_moved("http://clinic.test/", "https://www.clinic.test/")
    assert fetch.same_site_moved("https://www.clinic.test/", "https://clinic.test:8443/")
    assert not fetch.same_site_moved("http://clinic.test/", "http://169.254.169.254/")
    assert not fetch.same_site_moved("http://clinic.test/", "http://clinic.test.evil/")


def test_a_start_url_moved_to_its_www_host_makes_that_the_site(
    linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # http://clinic.example -> https://www.clinic.example, here between two loopback addresses
    monkeypatch.setattr(fetch, "same_site_moved", lambda old, new: True)
    with SiteServer(lambda base: small_site(base, 2), host="127.0.0.2") as moved:

        def make(base: str) -> dict[str, tuple[int, dict[str, str], bytes]]:
            return {"/": (301, {"Location": moved.url("/")}, b""), "/robots.txt": (404, {}, b"")}

        with SiteServer(make) as old:
            options = crawl.CrawlOptions(follow=True, fetch=FAST)
            results = list(crawl.crawl(old.url("/"), linter, options))
    assert [r.path for r in results] == [moved.url("/"), moved.url("/p1.html")]
    assert all(r.findings for r in results)


def test_robots_groups_for_clinic_lint_apply(linter: Linter) -> None:
    def make(base: str) -> dict[str, tuple[int, dict[str, str], bytes]]:
        paths = small_site(base, 3)
        rules = b"User-agent: *\nAllow: /\n\nUser-agent: clinic-lint\nDisallow: /p2.html\n"
        paths["/robots.txt"] = (200, {"Content-Type": "text/plain"}, rules)
        return paths

    with SiteServer(make) as server:
        options = crawl.CrawlOptions(follow=True, fetch=FAST)
        results = list(crawl.crawl(server.url("/"), linter, options))
        assert "/p2.html" not in server.fetched()
    assert [r.skipped for r in results if r.path.endswith("/p2.html")] == [
        "robots.txt disallows it"
    ]


def test_a_start_url_moved_elsewhere_is_not_followed(linter: Linter) -> None:
    with SiteServer(lambda base: small_site(base, 2), host="127.0.0.2") as elsewhere:

        def make(base: str) -> dict[str, tuple[int, dict[str, str], bytes]]:
            return {
                "/": (302, {"Location": elsewhere.url("/")}, b""),
                "/robots.txt": (404, {}, b""),
            }

        with SiteServer(make) as site:
            [result] = list(crawl.crawl(site.url("/"), linter, crawl.CrawlOptions(fetch=FAST)))
        assert elsewhere.fetched() == []
    assert result.skipped == f"redirects off-site to {elsewhere.url('/')}"


def test_sitemap_index_is_followed_on_the_site_only(linter: Linter) -> None:
    with SiteServer(lambda base: small_site(base, 1)) as elsewhere:

        def make(base: str) -> dict[str, tuple[int, dict[str, str], bytes]]:
            paths = small_site(base, 1)
            xml = {"Content-Type": "application/xml"}
            paths["/sitemap.xml"] = (
                200,
                xml,
                (
                    f"<sitemapindex><sitemap><loc>{base}/pages.xml</loc></sitemap>"
                    f"<sitemap><loc>{elsewhere.url('/sitemap.xml')}</loc></sitemap></sitemapindex>"
                ).encode(),
            )
            paths["/pages.xml"] = (
                200,
                xml,
                f"<urlset><url><loc>{base}/deep.html?a=1&amp;b=2</loc></url></urlset>".encode(),
            )
            paths["/deep.html?a=1&b=2"] = paths["/"]
            return paths

        with SiteServer(make) as site:
            options = crawl.CrawlOptions(follow=True, fetch=FAST)
            results = list(crawl.crawl(site.url("/"), linter, options))
        assert elsewhere.fetched() == []
    assert [r.path for r in results] == [site.url("/"), site.url("/deep.html?a=1&b=2")]
