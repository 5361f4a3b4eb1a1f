"""Fetching pages over HTTP, politely: one client per site (httpx), its robots.txt (protego).

A ``Site`` is one host as a crawler sees it: one connection at a time, at most one request per
crawl delay, a User-Agent that names clinic-lint, timeouts, a size cap per response read as a
stream, a bound on redirects followed by hand (each hop checked against the site and its
robots.txt). Everything that can go wrong with one URL is a ``FetchError`` (the run reports one
line and goes on) or a ``Skipped`` (a page that is not copy: a note).

httpx and protego come with the ``web`` extra; ``require_web`` says so in one line when missing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

from lint import __version__

if TYPE_CHECKING:
    import httpx
    from protego import Protego

PRODUCT = "clinic-lint"
HOME = "https://pypi.org/project/clinic-lint/"
USER_AGENT = f"{PRODUCT}/{__version__} (+{HOME}; health-care copy compliance linter)"
ROBOTS_MAX_BYTES = 500_000  # RFC 9309: crawlers may stop reading robots.txt at 500 KiB
MAX_CRAWL_DELAY = 30.0  # a larger Crawl-delay is honoured as 30 s, not as a stalled run
# Media types read as copy, and the reader each one goes to.
KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
}
MISSING_EXTRA = (
    "checking URLs needs the 'web' extra (httpx, protego): pip install 'clinic-lint[web]'"
)


class MissingExtra(Exception):
    """An optional dependency is not installed; the message says which extra brings it."""


def require_web() -> None:
    """Raise ``MissingExtra`` unless httpx and protego can be imported."""
    try:
        import httpx  # noqa: F401
        import protego  # noqa: F401
    except ImportError:
        raise MissingExtra(MISSING_EXTRA) from None


@dataclass(frozen=True)
class FetchOptions:
    """How one site is fetched. ``max_bytes`` 0: no size cap."""

    timeout: float = 10.0  # seconds for connecting and between bytes; a whole response: 3x
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    delay: float = 0.0  # seconds between requests to a site, at least (robots.txt may raise it)
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Page:
    """A response read in full: ``url`` is where it was served from, after redirects."""

    url: str
    status: int
    media_type: str
    charset: str | None
    body: bytes

    @property
    def kind(self) -> str | None:
        """The reader for its content ('html', 'txt', 'md'), None when it is not copy."""
        return KINDS.get(self.media_type)


class FetchError(Exception):
    """One URL could not be fetched: the message is the status or the error."""


class Skipped(Exception):
    """A URL fetched (or not) on purpose, that is no page to lint: the message says why;
    ``moved_to``: the other site it redirects to, if that is why."""

    def __init__(self, message: str, moved_to: str | None = None) -> None:
        super().__init__(message)
        self.moved_to = moved_to


def normalize(url: str, base: str | None = None) -> str | None:
    """``url`` (relative to ``base``) made absolute, without its fragment, with a lowercase
    scheme and host, no default port and ``/`` for an empty path; None if not http(s)."""
    try:
        parts = urlsplit(urljoin(base, url.strip()) if base else url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def host_of(url: str) -> str:
    """The host (and any port) a URL names: what 'the same site' compares."""
    return urlsplit(url).netloc.lower()


def same_site_moved(old: str, new: str) -> bool:
    """Whether a redirect from ``old`` to ``new`` keeps to the site, as a start URL may move:
    the same host but for a leading ``www.`` (``http://x`` -> ``https://www.x``). No other host:
    a site must not send the crawler to an address of the network it runs in."""
    a, b = urlsplit(old).hostname or "", urlsplit(new).hostname or ""
    return a.removeprefix("www.") == b.removeprefix("www.")


def media_type(content_type: str) -> tuple[str, str | None]:
    """``text/html; charset=windows-1256`` -> ('text/html', 'windows-1256')."""
    kind, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return kind.strip().lower(), charset


class Site:
    """One host: its robots.txt, its pacing, and a client with one connection to it."""

    def __init__(
        self, start: str, options: FetchOptions | None = None, *, robots: bool = True
    ) -> None:
        import httpx

        self.options = options or FetchOptions()
        self.start = start
        self.host = host_of(start)
        limit = self.options.timeout
        self.client = httpx.Client(
            headers={"User-Agent": self.options.user_agent},
            timeout=httpx.Timeout(limit),
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment: fetch what the URL names
        )
        self._last = 0.0
        self.delay = self.options.delay
        self.robots_error: str | None = None
        self.robots: Protego | None = self._read_robots() if robots else None

    # -- robots.txt --------------------------------------------------------------------------
    def _read_robots(self) -> Protego | None:
        """The site's rules (None: everything allowed). RFC 9309: a 4xx robots.txt allows all;
        one that cannot be read (5xx, network error) disallows all, and says so."""
        from protego import Protego

        url = urljoin(self.start, "/robots.txt")
        try:
            page = self.get(url, robots_check=False, max_bytes=ROBOTS_MAX_BYTES, any_site=True)
        except FetchError as exc:
            if str(exc).startswith("HTTP 4"):
                return None
            self.robots_error = f"{url}: {exc} (robots.txt unreadable: the site is not crawled)"
            return Protego.parse("User-agent: *\nDisallow: /\n")
        except Skipped:
            return None
        rules = Protego.parse(page.body.decode("utf-8", errors="replace"))
        wanted = rules.crawl_delay(PRODUCT)
        if wanted:
            self.delay = max(self.delay, min(float(wanted), MAX_CRAWL_DELAY))
        return rules

    def allowed(self, url: str) -> bool:
        return self.robots is None or self.robots.can_fetch(url, PRODUCT)

    def sitemaps(self) -> list[str]:
        """Sitemaps robots.txt names, else ``/sitemap.xml``."""
        named = list(self.robots.sitemaps) if self.robots is not None else []
        return named or [urljoin(self.start, "/sitemap.xml")]

    # -- requests ----------------------------------------------------------------------------
    def _pace(self) -> None:
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()

    def get(
        self,
        url: str,
        *,
        robots_check: bool = True,
        max_bytes: int | None = None,
        any_site: bool = False,
        any_type: bool = False,
    ) -> Page:
        """The page at ``url``, redirects followed (each hop on this site and allowed);
        ``any_type``: whatever its content type (a sitemap)."""
        seen = {url}
        for _ in range(self.options.max_redirects + 1):
            location = self._get_once(url, max_bytes, any_type)
            if isinstance(location, Page):
                return location
            target = normalize(location, url)
            if target is None:
                raise FetchError(f"redirects to a URL that is not http(s): {location}")
            if target in seen:
                raise FetchError(f"redirect loop ({target})")
            if not any_site and host_of(target) != self.host:
                raise Skipped(f"redirects off-site to {target}", moved_to=target)
            if robots_check and not self.allowed(target):
                raise Skipped(f"redirects to {target}, which robots.txt disallows")
            seen.add(target)
            url = target
        raise FetchError(f"more than {self.options.max_redirects} redirects")

    def _get_once(self, url: str, max_bytes: int | None, any_type: bool) -> Page | str:
        """A Page, or the Location a redirect names."""
        import httpx

        self._pace()
        try:
            with self.client.stream("GET", url) as response:
                if response.is_redirect:
                    return response.headers["location"]
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
                return self._read(url, response, max_bytes, any_type)
        except httpx.TimeoutException:
            raise FetchError(f"timed out (no answer within {self.options.timeout:g} s)") from None
        except httpx.HTTPError as exc:
            raise FetchError(_describe(exc)) from None

    def _read(
        self, url: str, response: httpx.Response, max_bytes: int | None, any_type: bool
    ) -> Page:
        cap = self.options.max_bytes if max_bytes is None else max_bytes
        kind, charset = media_type(response.headers.get("content-type", "text/html"))
        if not any_type and kind not in KINDS and not kind.startswith("text/"):
            raise Skipped(f"not a page ({kind or 'no content type'})")
        declared = response.headers.get("content-length", "")
        if cap and declared.isdigit() and int(declared) > cap:
            raise Skipped(_too_large(int(declared), cap))
        deadline = time.monotonic() + 3 * self.options.timeout
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if cap and len(body) > cap:
                raise Skipped(_too_large(len(body), cap, more=True))
            if time.monotonic() > deadline:
                raise FetchError(f"timed out (still sending after {3 * self.options.timeout:g} s)")
        return Page(url, response.status_code, kind, charset, bytes(body))

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _too_large(size: int, cap: int, *, more: bool = False) -> str:
    shown = f"{'more than ' if more else ''}{size / 1e6:.1f} MB"
    return f"{shown}, over max-file-size ({cap / 1e6:g} MB; raise it with --max-file-size)"


def _describe(exc: Exception) -> str:
    """An httpx error as a short phrase: its message, else its kind."""
    text = " ".join(str(exc).split())
    kind = type(exc).__name__
    return f"{kind}: {text}" if text else kind
