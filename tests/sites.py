"""Generated clinic sites served on 127.0.0.1 by a thread of this process (http.server): the
crawler's and the scanner's tests never reach another address.

One site has every fault a crawler meets: a robots.txt forbidding /private/, a sitemap, links
with fragments and duplicates, an off-site link, redirects (one to a page, a loop, one off-site),
a 404, a 500, a page that never finishes, a huge page, a binary file named .html, a PDF, and a
windows-1256 page whose charset only the HTTP header declares. ``SiteServer.requests`` records
every path asked for, with its User-Agent.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

URDU = "آٹزم کا مکمل علاج"  # "a complete cure for autism": core/cure-urdu
SLOW_SECONDS = 3.0  # how long the never-finishing page holds its connection (bounded)
HUGE_BYTES = 300_000


def page(title: str, body: str, links: list[str] = ()) -> bytes:  # type: ignore[assignment]
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>\n' for href in links)
    return (
        f"<!doctype html>\n<html><head><title>{title}</title></head>\n<body>\n"
        f"<h1>{title}</h1>\n<p>{body}</p>\n<ul>\n{anchors}</ul>\n</body></html>\n"
    ).encode()


Response = tuple[int, dict[str, str], bytes]


def clinic_site(base: str) -> dict[str, Response]:
    """The paths of the fault-filled clinic site served at ``base`` (``http://127.0.0.1:P``)."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    index_links = [
        "/about.html",
        "/about.html#team",  # a fragment: the same page
        "services/stem-cells.html",
        "/private/secret.html",  # robots.txt forbids it
        "https://other.example/",  # off-site: never fetched
        "mailto:desk@clinic.test",
        "/missing.html",
        "/broken.html",
        "/loop-a",
        "/old-page",
        "/away",
        "/slow.html",
        "/huge.html",
        "/image.html",
        "/brochure.pdf",
        "/ur.html",
    ]
    return {
        "/robots.txt": (
            200,
            {"Content-Type": "text/plain"},
            f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap.xml\n".encode(),
        ),
        "/sitemap.xml": (
            200,
            {"Content-Type": "application/xml"},
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"<url><loc>{base}/</loc></url>\n"
                f"<url><loc>{base}/only-in-sitemap.html</loc></url>\n"
                f"<url><loc>{base}/private/from-sitemap.html</loc></url>\n"
                "</urlset>\n"
            ).encode(),
        ),
        "/": (200, html, page("Welcome", "A caring clinic in Lahore.", index_links)),
        "/about.html": (
            200,
            html,
            page("About us", "Our therapy has no side effects.", ["/", "/about.html"]),
        ),
        "/services/stem-cells.html": (
            200,
            html,
            page("Stem cells", "Stem cell therapy cures autism.", ["../about.html"]),
        ),
        "/only-in-sitemap.html": (
            200,
            html,
            page("Offers", "100% guaranteed results.", []),
        ),
        "/private/secret.html": (200, html, page("Secret", "No side effects at all.")),
        "/private/from-sitemap.html": (200, html, page("Secret", "No side effects at all.")),
        "/broken.html": (500, html, b"<p>oops</p>"),
        "/loop-a": (302, {"Location": "/loop-b"}, b""),
        "/loop-b": (302, {"Location": "/loop-a"}, b""),
        "/old-page": (301, {"Location": "/services/stem-cells.html#top"}, b""),
        "/away": (302, {"Location": "https://other.example/landing"}, b""),
        "/huge.html": (200, {"Content-Type": "text/html"}, b"<p>" + b"a" * HUGE_BYTES + b"</p>"),
        "/image.html": (200, html, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        "/brochure.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n"),
        "/ur.html": (
            200,
            {"Content-Type": "text/html; charset=windows-1256"},
            f"<html><body>\n<p>{URDU}</p>\n</body></html>\n".encode("cp1256"),
        ),
    }


# What a crawl of clinic_site finds: pages linted (with findings), and failures.
LINTED = ["/", "/about.html", "/only-in-sitemap.html", "/services/stem-cells.html", "/ur.html"]
NEVER_FETCHED = ["/private/secret.html", "/private/from-sitemap.html"]


def small_site(
    base: str, n: int, phrase: str = "Our therapy has no side effects."
) -> dict[str, Response]:
    """A plain site of ``n`` pages chained by links, each with one finding."""
    html = {"Content-Type": "text/html"}
    paths = {"/robots.txt": (404, {}, b"")}
    for i in range(n):
        path = "/" if i == 0 else f"/p{i}.html"
        nxt = [f"/p{i + 1}.html"] if i + 1 < n else []
        paths[path] = (200, html, page(f"Page {i}", phrase, nxt))
    return paths


class SiteServer:
    """Serve ``make(base)`` on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self, make: Callable[[str], dict[str, Response]], host: str = "127.0.0.1") -> None:
        self.requests: list[tuple[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("User-Agent", "")))
                if self.path == "/slow.html":
                    return self._slow()
                status, headers, body = server.paths.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if self.path != "/huge.html":  # the huge page gives no length: read as a stream
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _slow(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"<p>loading")
                self.wfile.flush()
                time.sleep(SLOW_SECONDS)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.paths = make(self.base)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str = "/") -> str:
        return self.base + path

    def fetched(self) -> list[str]:
        return [path for path, _ in self.requests]
