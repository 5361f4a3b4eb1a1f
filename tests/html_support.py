"""A small site for the HTML report's tests: claims in text, Markdown and HTML, an Urdu sentence,
and hostile page text and a hostile file name that must stay text in the report."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from gate_support import make_site, run

HOSTILE_SCRIPT = "<script>window.pwned = 1; alert('pwned')</script>"
HOSTILE_TEXTAREA = "</textarea><img src=x onerror=\"window.pwned = 2; alert('img')\">"
HOSTILE_NAME = "<img src=x onerror=alert(3)>.md"
PAGES = {
    "pages/hostile.txt": (
        f"Our therapy cures diabetes {HOSTILE_SCRIPT} and a miracle {HOSTILE_TEXTAREA} too.\n"
    ),
    f"pages/{HOSTILE_NAME}": "It cures asthma.\n",
    "pages/urdu.txt": "ہمارا علاج cures diabetes ہمیشہ کے لیے۔\n",
    "pages/clinic.html": (
        "<html><body><h1>Best clinic in Lahore</h1>\n"
        "<p>Our therapy <b>cures</b> diabetes &amp; more. A miracle!</p>\n"
        "<p>We also treat asthma: it cures asthma.</p></body></html>\n"
    ),
    "pages/many.md": "".join(f"A miracle, number {i}.\n\n" for i in range(12)),
    "pages/about.md": "# About\n\nWe are open from nine to five.\n",
}


def html_site(root: Path) -> Path:
    return make_site(root, PAGES)


def json_and_html(site: Path, *extra: str) -> tuple[dict, str, Path]:
    """One run writing JSON to stdout and the HTML report to a file: (json, html, html path)."""
    out = site / "report.html"
    done = run(site, "check", "pages", "-f", "json", "-o", f"html={out.name}", *extra)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout), out.read_text(encoding="utf-8"), out


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script> and <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.inline:
            self._in = tag
            self.inline[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.inline[self._in][-1] += data

    def findings(self) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == "li" and "finding" in (a.get("class") or "")]


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    tags.close()
    return tags
