"""HTML: visible text, ``alt``/``title`` attributes, ``<title>``, description meta tags and the
prose strings of JSON-LD blocks, each mapped exactly back to the source.

The parser is the standard library's ``html.parser``: it is tolerant of broken markup (it never
raises on bad HTML, it just reports what it sees), it is maintained with CPython, and, unlike
lexbor/selectolax, html5lib or lxml, it reports where every token starts (``getpos``) and hands
text over undecoded when ``convert_charrefs`` is off, so each character and each entity keeps its
source span. Entities in text arrive as their own events; entities in attribute values and JSON
escapes are decoded here, piece by piece, so a prose offset never has to be searched for again.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from html.parser import HTMLParser
from typing import Protocol

from lint.documents.model import Document, ProseBuilder

# Elements that end a paragraph where they open and where they close.
BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "button",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "label",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "optgroup",
        "option",
        "p",
        "section",
        "select",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
# Elements whose content is not prose: code, hidden templates, embedded documents.
SKIP = frozenset(
    ["code", "pre", "template", "textarea", "svg", "math", "kbd", "samp", "noscript", "iframe"]
)
# Content models html.parser reads raw (no tags inside): only their data arrives.
RAW = frozenset({"script", "style"})
PROSE_ATTRIBUTES = frozenset({"alt", "title"})
DESCRIPTION_META = frozenset(
    {"description", "og:description", "twitter:description", "og:title", "twitter:title"}
)
# JSON-LD keys whose string values are prose (FAQ questions and answers, article text).
JSON_LD_PROSE_KEYS = frozenset(
    {
        "name",
        "text",
        "description",
        "headline",
        "alternativeHeadline",
        "abstract",
        "articleBody",
        "reviewBody",
        "caption",
        "disambiguatingDescription",
        "slogan",
        "acceptedAnswer",  # usually an Answer object (its "text" counts), sometimes a string
        "suggestedAnswer",
    }
)

# The tag name, then attributes, as html.parser's own (tolerant) tokenizer reads them.
TAG_NAME = re.compile(r"<[a-zA-Z][^\t\n\r\f />\x00]*(?:\s|/(?!>))*")
ATTRIBUTE = re.compile(
    r"((?<=['\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*"
    r"('[^']*'|\"[^\"]*\"|(?!['\"])[^>\s]*))?(?:\s|/(?!>))*"
)
CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BARE_CHARREF = re.compile(r"&(?=#(?![0-9]|[xX][0-9a-fA-F]))")
COMMENT_CLOSE = re.compile(r"--\s*>")
JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?', re.S)
JSON_ESCAPE = re.compile(
    r"\\(?:u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(.))",
    re.S,
)
JSON_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


class _Target(Protocol):
    """Where a reader sends prose, in the offsets of the text it parses."""

    def copy(self, start: int, end: int) -> None: ...
    def replace(self, text: str, start: int, end: int) -> None: ...
    def block(self, at: int, *, paragraph: bool = True) -> None: ...
    def section(self) -> None: ...
    def comment(self, start: int, end: int, body: str) -> None: ...


class _Piecewise:
    """A decoded string (a JSON string value) whose offsets map to its parent's by pieces.

    ``pieces`` are (decoded start, decoded end, parent start, parent end); a piece whose lengths
    agree was copied 1:1, any other is one escape standing for one character.
    """

    def __init__(self, parent: _Target, decoded: str, pieces: list[tuple[int, int, int, int]]):
        self.parent = parent
        self.decoded = decoded
        self.pieces = pieces
        self._starts = [p[0] for p in pieces]

    def _piece(self, offset: int) -> tuple[int, int, int, int]:
        return self.pieces[max(bisect_right(self._starts, offset) - 1, 0)]

    def _map(self, offset: int, *, end: bool = False) -> int:
        if not self.pieces:
            return 0
        ds, de, ps, pe = self._piece(offset - 1 if end and offset > 0 else offset)
        if de - ds == pe - ps:
            return ps + min(offset, de) - ds
        return pe if end else ps

    def copy(self, start: int, end: int) -> None:
        i = max(bisect_right(self._starts, start) - 1, 0)
        for ds, de, ps, pe in self.pieces[i:]:
            if ds >= end:
                break
            lo, hi = max(start, ds), min(end, de)
            if lo >= hi:
                continue
            if de - ds == pe - ps:
                self.parent.copy(ps + lo - ds, ps + hi - ds)
            else:
                self.parent.replace(self.decoded[ds:de], ps, pe)

    def replace(self, text: str, start: int, end: int) -> None:
        self.parent.replace(text, self._map(start), self._map(end, end=True))

    def block(self, at: int, *, paragraph: bool = True) -> None:
        self.parent.block(self._map(at), paragraph=paragraph)

    def section(self) -> None:
        pass  # JSON-LD text has no headings

    def comment(self, start: int, end: int, body: str) -> None:
        pass  # a comment inside a JSON string is no suppression directive


class _Reader(HTMLParser):
    """One pass of html.parser over ``text``; prose goes to ``target``."""

    def __init__(self, text: str, target: _Target) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.target = target
        self._line_starts = _line_starts(text)
        self._open: list[str] = []  # open block and skipped elements, innermost last
        self._skipping = 0  # how many of them are skipped elements
        self._raw: str | None = None  # 'json' inside a JSON-LD script, 'skip' in other raw text
        self._json: list[tuple[int, str]] = []  # the JSON-LD data seen so far
        self._deferred: list[tuple[int, int]] = []  # attribute values, emitted after the block

    def read(self) -> None:
        # html.parser (before 3.13) stops at each '&#' without digits and rescans the rest of the
        # page, quadratic on pages full of them; it reads the same text with that '&' hidden
        # (same length, so every offset holds; prose is always copied from the real source).
        self.feed(BARE_CHARREF.sub("\x00", self.text))
        # Should it still stop early, feeding nothing makes it resume where it stopped instead
        # of dumping the rest as text.
        while self.rawdata:
            before = len(self.rawdata)
            self.feed("")
            if len(self.rawdata) == before:
                break
        if self.rawdata.startswith("<!--"):
            # A comment never closed runs to the end of the page, as in a browser.
            start = len(self.text) - len(self.rawdata)
            self.target.comment(start, len(self.text), self.text[start + 4 :])
            self.rawdata = ""
        self.close()
        self._flush(len(self.text))

    def parse_html_declaration(self, i: int) -> int:
        # Before Python 3.13 html.parser raises AssertionError on odd declarations such as
        # '<![alt'; browsers read them as bogus comments, and so do we.
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            return self.parse_bogus_comment(i)

    # -- positions -----------------------------------------------------------------------------
    def _here(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    # -- structure -----------------------------------------------------------------------------
    def _block(self, at: int) -> None:
        self.target.block(at)
        if self._deferred:
            self._flush(at)

    def _flush(self, at: int) -> None:
        """Emit deferred attribute values, each a paragraph of its own."""
        deferred, self._deferred = self._deferred, []
        for start, end in deferred:
            self.target.block(start)
            self._decoded(start, end)
            self.target.block(end)
        self.target.block(at)

    def _push(self, tag: str) -> None:
        self._open.append(tag)
        self._skipping += tag in SKIP

    def _pop_to(self, tag: str) -> None:
        """Close ``tag`` and everything opened inside it (as a browser does for an end tag)."""
        if tag not in self._open:
            return  # a stray end tag: nothing to close
        while self._open:
            top = self._open.pop()
            self._skipping -= top in SKIP
            if top == tag:
                return

    # -- events --------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._here()
        raw = self.get_starttag_text() or ""
        if tag in RAW:
            kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
            self._raw = "json" if tag == "script" and kind == "application/ld+json" else "skip"
            self._json = []
            return
        if tag == "br":
            self.target.block(start, paragraph=False)
        elif tag in BLOCK:
            self._block(start)
            if tag in HEADINGS:
                self.target.section()
        if tag in BLOCK or tag in SKIP:
            self._push(tag)
        if not self._skipping:
            self._attributes(tag, attrs, start, raw)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <img … />: an element with no content (and no raw text after <script/>).
        self.handle_starttag(tag, attrs)
        if tag in RAW:
            self._raw = None
        elif tag in BLOCK or tag in SKIP:
            self._pop_to(tag)

    def handle_endtag(self, tag: str) -> None:
        at = self._here()
        if tag in RAW:
            if self._raw == "json":
                self._json_ld()
            self._raw = None
            return
        self._pop_to(tag)
        if tag == "br":  # </br> is read as <br> by browsers too
            self.target.block(at, paragraph=False)
        elif tag in BLOCK:
            self._block(at)

    def handle_data(self, data: str) -> None:
        start = self._here()
        if self._raw == "json":
            self._json.append((start, self.text[start : start + len(data)]))
        elif self._raw is None and not self._skipping:
            self.target.copy(start, start + len(data))

    def handle_entityref(self, name: str) -> None:
        self._reference(1 + len(name))

    def handle_charref(self, name: str) -> None:
        self._reference(2 + len(name))

    def handle_comment(self, data: str) -> None:
        start = self._here()
        if self.text.startswith("<!--", start):
            body_end = start + 4 + len(data)
            close = COMMENT_CLOSE.match(self.text, body_end)
            end = close.end() if close else body_end
        else:  # a bogus comment: <!…> or </…>
            end = start + 2 + len(data) + 1
        self.target.comment(start, end, data)

    # -- pieces --------------------------------------------------------------------------------
    def _reference(self, length: int) -> None:
        """A character reference in text: ``&name`` or ``&#…`` of ``length``, maybe with ';'."""
        if self._raw is not None or self._skipping:
            return
        start = self._here()
        end = start + length + (self.text.startswith(";", start + length))
        self._decode_reference(start, end)

    def _decode_reference(self, start: int, end: int) -> None:
        source = self.text[start:end]
        decoded = html.unescape(source)
        if decoded == source:  # not a known entity: the text stands as written
            self.target.copy(start, end)
            return
        # A legacy entity without ';' swallows no letters after it ("&ampfoo" is "&foo"):
        # map the unchanged tail 1:1 and only the reference itself as a whole.
        tail = 0
        while tail < min(len(decoded), len(source)) - 1 and decoded[-1 - tail] == source[-1 - tail]:
            tail += 1
        self.target.replace(decoded[: len(decoded) - tail], start, end - tail)
        self.target.copy(end - tail, end)

    def _decoded(self, start: int, end: int) -> None:
        """text[start:end] with its character references decoded (an attribute value)."""
        pos = start
        for m in CHARACTER_REFERENCE.finditer(self.text, start, end):
            self.target.copy(pos, m.start())
            self._decode_reference(m.start(), m.end())
            pos = m.end()
        self.target.copy(pos, end)

    def _attributes(
        self, tag: str, attrs: list[tuple[str, str | None]], start: int, raw: str
    ) -> None:
        names = {name for name, _ in attrs}
        wanted = names & PROSE_ATTRIBUTES
        if tag == "meta":
            values = dict(attrs)
            kind = values.get("name") or values.get("property") or values.get("itemprop") or ""
            if kind.strip().lower() in DESCRIPTION_META:
                wanted = {"content"}
        if not wanted:
            return
        for name, value_start, value_end in _attribute_values(raw):
            if name in wanted and value_end > value_start:
                self._deferred.append((start + value_start, start + value_end))

    def _json_ld(self) -> None:
        """Prose string values of the JSON-LD block just closed, each a paragraph of its own."""
        if not self._json:
            return
        base = self._json[0][0]
        data = "".join(chunk for _, chunk in self._json)
        self._json = []
        if self._deferred:  # a description meta above comes first, as in the source
            self._flush(base)
        key = ""
        for m in JSON_STRING.finditer(data):
            if m.group(2):  # "key":
                key = _json_string(m.group(1))
                continue
            if key not in JSON_LD_PROSE_KEYS or not m.group(1).strip():
                continue
            decoded, pieces = _json_pieces(m.group(1), base + m.start(1))
            self.target.block(base + m.start(1))
            _Reader(decoded, _Piecewise(self.target, decoded, pieces)).read()
            self.target.block(base + m.end(1))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def _attribute_values(tag_text: str) -> list[tuple[str, int, int]]:
    """(lower-cased name, value start, value end) of each attribute in a start tag's text."""
    name = TAG_NAME.match(tag_text)
    pos = name.end() if name else 1
    found = []
    while pos < len(tag_text):
        m = ATTRIBUTE.match(tag_text, pos)
        if not m or m.end() == pos:
            break
        if m.group(3) is not None:
            value_start, value_end = m.span(3)
            if tag_text[value_start : value_start + 1] in ("'", '"'):
                value_start, value_end = value_start + 1, value_end - 1
            found.append((m.group(1).lower(), value_start, value_end))
        pos = m.end()
    return found


def _json_string(body: str) -> str:
    return "".join(text for text, *_ in _json_parts(body))


def _json_pieces(body: str, offset: int) -> tuple[str, list[tuple[int, int, int, int]]]:
    """A JSON string body decoded, with the pieces that map it back to ``offset``-based source."""
    pieces = []
    decoded: list[str] = []
    length = 0
    for text, start, end in _json_parts(body):
        pieces.append((length, length + len(text), offset + start, offset + end))
        decoded.append(text)
        length += len(text)
    return "".join(decoded), pieces


def _json_parts(body: str) -> list[tuple[str, int, int]]:
    """(decoded text, start, end in ``body``): verbatim runs and single escapes, in order."""
    parts = []
    pos = 0
    for m in JSON_ESCAPE.finditer(body):
        if m.start() > pos:
            parts.append((body[pos : m.start()], pos, m.start()))
        high, low, single, simple = m.groups()
        if high:
            code = 0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00)
            text = chr(code)
        elif single:
            text = chr(int(single, 16))
        else:
            text = JSON_SIMPLE_ESCAPES.get(simple, simple)
        parts.append((text, m.start(), m.end()))
        pos = m.end()
    if pos < len(body):
        parts.append((body[pos:], pos, len(body)))
    return parts


def read(path: str, source: str) -> Document:
    builder = ProseBuilder(path, source)
    _Reader(source, builder).read()  # the builder takes prose in source offsets as they are
    return builder.build()
