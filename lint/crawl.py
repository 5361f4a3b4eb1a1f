"""One site from its URL: the frontier of same-site links (and its sitemap), each page linted.

``crawl`` fetches the start URL and, with ``follow``, every same-site link and sitemap entry
breadth-first up to ``max_pages`` fetches, skipping what robots.txt disallows. URLs are
normalised (no fragment, lowercase host, no default port) so a page is fetched once. Each page
becomes a ``FileResult`` whose path is its URL, with lines and columns in the HTML as served; a
fetch failure is a result with one error line, a page that is not copy a ``skipped`` note.
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from lint import documents, fetch
from lint.api import FileResult, Linter

MAX_SITEMAPS = 20  # sitemap files read per site (an index and its children)
_LOC = re.compile(rb"<loc>\s*(.*?)\s*</loc>", re.IGNORECASE | re.DOTALL)
_SITEMAP_INDEX = re.compile(rb"<sitemapindex\b", re.IGNORECASE)


@dataclass(frozen=True)
class CrawlOptions:
    """``follow``: links and the sitemap too (``--crawl``); ``max_pages``: fetches at most."""

    follow: bool = False
    max_pages: int = 100
    fetch: fetch.FetchOptions = field(default_factory=fetch.FetchOptions)


class _Links(HTMLParser):
    """The ``href`` of every ``<a>`` and ``<area>``, and the ``<base href>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if href is None:
            return
        if tag in ("a", "area"):
            self.hrefs.append(href)
        elif tag == "base" and self.base is None:
            self.base = href


def links(text: str, url: str) -> list[str]:
    """The absolute, normalised http(s) links of an HTML page served from ``url``."""
    parser = _Links()
    parser.feed(text)
    parser.close()
    base = fetch.normalize(parser.base, url) if parser.base else url
    found = (fetch.normalize(href, base or url) for href in parser.hrefs)
    return [u for u in found if u is not None]


def sitemap_entries(data: bytes) -> tuple[list[str], bool]:
    """The ``<loc>`` URLs of a sitemap, and whether it is an index of sitemaps."""
    locs = [html.unescape(m.group(1).decode("utf-8", "replace")) for m in _LOC.finditer(data)]
    return locs, bool(_SITEMAP_INDEX.search(data, 0, 4096))


def page_result(linter: Linter, page: fetch.Page, path: str) -> FileResult:
    """Lint one fetched page (not copy, binary: skipped; undecodable: one error)."""
    kind = page.kind or "txt"
    if documents.is_binary(page.body):
        return FileResult(path, skipped="a binary file")
    try:
        doc = documents.from_bytes(path, page.body, kind=kind, charset=page.charset)
    except documents.DecodeError as exc:
        return FileResult(path, errors=[f"{path}:{exc.line}: cannot decode: {exc}"])
    try:
        return linter.check_document(doc)
    except RecursionError:
        return FileResult(path, errors=[f"{path}:1: too deeply nested to read"])


class _Frontier:
    """URLs to fetch, in the order found, each once; only this site's."""

    def __init__(self, site: fetch.Site, start: str) -> None:
        self.site = site
        self.queue: deque[str] = deque([start])
        self.seen = {start}

    def add(self, url: str) -> None:
        if url not in self.seen and fetch.host_of(url) == self.site.host:
            self.seen.add(url)
            self.queue.append(url)

    def add_sitemaps(self) -> None:
        """The site's sitemap entries; sitemaps on other hosts are not read (a site may not
        send the crawler elsewhere), nor more than ``MAX_SITEMAPS`` of them."""
        pending = deque(self.site.sitemaps())
        read = 0
        while pending and read < MAX_SITEMAPS:
            url = pending.popleft()
            if fetch.host_of(url) != self.site.host:
                continue
            read += 1
            try:
                page = self.site.get(url, robots_check=False, any_type=True)
            except (fetch.FetchError, fetch.Skipped):
                continue  # a missing sitemap is no error: links are still followed
            entries, index = sitemap_entries(page.body)
            for entry in entries:
                target = fetch.normalize(entry)
                if target is None:
                    continue
                if index:
                    pending.append(target)
                else:
                    self.add(target)


class _Moved(Exception):
    """The start URL redirects to another host (``http://x`` -> ``https://www.x``)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def crawl(start: str, linter: Linter, options: CrawlOptions | None = None) -> Iterator[FileResult]:
    """Each fetched page's result, in crawl order (see the module's description). A start URL
    that redirects to its ``www.`` host or back (and http to https) makes that host the site."""
    options = options or CrawlOptions()
    url = fetch.normalize(start)
    if url is None:
        yield FileResult(start, errors=[f"{start}: not an http(s) URL"])
        return
    try:
        yield from _crawl_site(url, linter, options, moves=True)
    except _Moved as moved:
        yield from _crawl_site(moved.target, linter, options, moves=False)


def _crawl_site(
    url: str, linter: Linter, options: CrawlOptions, *, moves: bool
) -> Iterator[FileResult]:
    with fetch.Site(url, options.fetch) as site:
        if site.robots_error:
            yield FileResult(url, errors=[site.robots_error])
            return
        frontier = _Frontier(site, url)
        if options.follow:
            frontier.add_sitemaps()
        yield from _walk(site, frontier, linter, options, start=url if moves else None)


def _walk(
    site: fetch.Site,
    frontier: _Frontier,
    linter: Linter,
    options: CrawlOptions,
    *,
    start: str | None = None,
) -> Iterator[FileResult]:
    fetched = 0
    while frontier.queue and fetched < options.max_pages:
        url = frontier.queue.popleft()
        if not site.allowed(url):
            yield FileResult(url, skipped="robots.txt disallows it")
            continue
        fetched += 1
        try:
            page = site.get(url)
        except fetch.FetchError as exc:
            yield FileResult(url, errors=[f"{url}: {exc}"])
            continue
        except fetch.Skipped as exc:
            if url == start and exc.moved_to and fetch.same_site_moved(url, exc.moved_to):
                raise _Moved(exc.moved_to) from None
            yield FileResult(url, skipped=str(exc))
            continue
        if page.url != url:  # redirected: the page is known by where it was served from
            if page.url in frontier.seen:
                continue
            frontier.seen.add(page.url)
        result = page_result(linter, page, page.url)
        if options.follow and page.kind == "html" and not (result.skipped or result.errors):
            for link in links(_text(page), page.url):
                frontier.add(link)
        yield result


def _text(page: fetch.Page) -> str:
    """The page decoded as ``page_result`` decodes it (for its links)."""
    charset = page.charset or documents.declared_charset(page.body)
    try:
        return documents.decode(
            page.body, fallback=documents.charset_label(charset) if charset else None
        )
    except documents.DecodeError:
        return ""


def is_url(path: str) -> bool:
    """Whether a command-line argument names a URL rather than a file."""
    return path.startswith(("http://", "https://"))


def check_urls(
    urls: Sequence[str],
    linter: Linter,
    options: CrawlOptions,
    *,
    note: Callable[[str], None],
    progress: bool = False,
) -> Iterator[FileResult]:
    """Each URL crawled in turn (``check URL...``): skips become notes, results are yielded."""
    from lint.runner import progress_bar, shown

    for url in urls:
        bar = progress_bar(options.max_pages, "pages") if progress and options.follow else None
        yield from shown(crawl(url, linter, options), note, bar)
