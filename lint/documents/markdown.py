"""Markdown: headings, paragraphs, list items, quotes, table cells, link text and image alt text
are prose; code (fenced, indented, inline), front-matter keys that are not prose, link URLs and
HTML comments are not. Entities and backslash escapes are decoded with their source span kept.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right

from lint.documents.model import Document, ProseBuilder
from lint.documents.text import lines

FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]+|$)")
CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
RULE_OR_UNDERLINE = re.compile(r"[ ]{0,3}(?:=+|-{2,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})[ \t]*$")
QUOTE = re.compile(r"(?:[ ]{0,3}>[ ]?)+")
LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)(?:\[[ xX]\][ \t]+)?")
TABLE_DELIMITER = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
LINK_DEFINITION = re.compile(r"[ ]{0,3}\[[^\]]+\]:[ \t]*\S")
RAW_BLOCK = re.compile(r"[ \t]*<(script|style|pre|textarea)\b", re.I)
COMMENT = re.compile(r"<!--(.*?)-->", re.S)
FRONT_MATTER_PROSE_KEYS = frozenset(
    {"title", "description", "summary", "excerpt", "subtitle", "caption", "lead", "intro"}
)
FRONT_MATTER_ITEM = re.compile(r"(\w[\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
BLOCK_TAGS = frozenset({"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "hr"})

INLINE = re.compile(
    r"""
      (?P<code>`+)(?P<codebody>.+?)(?P=code)
    | !\[(?P<alt>[^\]]*)\]\([^)]*\)
    | \[(?P<text>[^\]]*)\](?:\([^)]*\)|\[[^\]]*\])
    | <(?:https?|ftp|mailto):[^>\s]*>
    | (?:https?://|www\.)[^\s<>()\[\]]+
    | <(?P<close>/?)(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>(?:\s[^<>]*)?)/?>
    | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)
    | \\(?P<escaped>[!-/:-@\[-`{-~])
    | \*+ | (?<!\w)_+ | _+(?!\w) | ~~
    """,
    re.X,
)
INLINE_CODE_TAGS = frozenset({"code", "kbd", "samp"})
ALT_ATTRIBUTE = re.compile(r"""\s(?:alt|title)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def _opens_code(m: re.Match[str]) -> bool:
    tag = m.group("tag")
    return tag is not None and not m.group("close") and tag.lower() in INLINE_CODE_TAGS


class _Reader:
    def __init__(self, path: str, source: str) -> None:
        self.source = source
        self.builder = ProseBuilder(path, source)
        self.comments = [(m.start(), m.end()) for m in COMMENT.finditer(source)]
        for m in COMMENT.finditer(source):
            self.builder.comment(m.start(), m.end(), m.group(1))
        self.comment_starts = [s for s, _ in self.comments]

    # -- inline --------------------------------------------------------------------------------
    def inline(self, start: int, end: int) -> None:
        """Prose of source[start:end] with markup removed, skipping comments."""
        for seg_start, seg_end in self._outside_comments(start, end):
            self._inline(seg_start, seg_end)

    def _outside_comments(self, start: int, end: int) -> list[tuple[int, int]]:
        segments = []
        i = max(bisect_right(self.comment_starts, start) - 1, 0)
        pos = start
        for c_start, c_end in self.comments[i:]:
            if c_start >= end:
                break
            if c_end <= pos:
                continue
            if c_start > pos:
                segments.append((pos, c_start))
            pos = max(pos, c_end)
        if pos < end:
            segments.append((pos, end))
        return segments

    def _inline(self, start: int, end: int) -> None:
        b = self.builder
        pos = start
        while m := INLINE.search(self.source, pos, end):
            b.copy(pos, m.start())
            pos = m.end()
            if _opens_code(m):  # inline HTML code (<code>, <kbd>…): not prose up to its end tag
                close = re.compile(rf"</{m.group('tag')}\s*>", re.I).search(self.source, pos, end)
                pos = close.end() if close else end
            elif m.group("alt") is not None:
                b.copy(m.start("alt"), m.end("alt"))
            elif m.group("text") is not None:
                self._inline(m.start("text"), m.end("text"))
            elif m.group("tag") is not None:
                self._tag(m)
            elif m.group("entity") is not None:
                b.replace(html.unescape(m.group("entity")), m.start(), m.end())
            elif m.group("escaped") is not None:
                b.replace(m.group("escaped"), m.start(), m.end())
        b.copy(pos, end)

    def _tag(self, m: re.Match[str]) -> None:
        name = m.group("tag").lower()
        if name in BLOCK_TAGS:
            self.builder.block(m.start(), paragraph=name != "br")
        for attr in ALT_ATTRIBUTE.finditer(m.group("attrs") or ""):
            group = 1 if attr.group(1) is not None else 2
            offset = m.start("attrs")
            self.builder.block(m.start(), paragraph=False)
            self._inline(offset + attr.start(group), offset + attr.end(group))
            self.builder.block(m.end(), paragraph=False)

    # -- blocks --------------------------------------------------------------------------------
    def read(self) -> Document:
        spans = lines(self.source)
        i = self._front_matter(spans)
        fence: str | None = None
        raw_end: re.Pattern[str] | None = None
        prev_blank, in_list = True, False
        b = self.builder
        while i < len(spans):
            start, end, stop = spans[i]
            i += 1
            line = self.source[start:end]
            if fence is not None:  # inside fenced code
                if line.lstrip().startswith(fence):
                    fence = None
                continue
            if raw_end is not None:  # inside <script>, <style>, <pre>
                if raw_end.search(line):
                    raw_end = None
                continue
            if self._in_comment(start, end):
                continue
            if not line.strip():
                b.block(start)
                prev_blank = True
                continue
            if m := FENCE.match(line):
                b.block(start)
                fence = m.group(1)[0] * len(m.group(1))
                continue
            if m := RAW_BLOCK.match(line):
                b.block(start)
                closing = re.compile(rf"</{m.group(1)}\s*>", re.I)
                if not closing.search(line, m.end()):
                    raw_end = closing
                continue
            indented = line.startswith(("    ", "\t"))
            if indented and prev_blank and not in_list:
                continue  # indented code block
            prev_blank = False
            if RULE_OR_UNDERLINE.match(line) or LINK_DEFINITION.match(line):
                b.block(start)
                continue
            if TABLE_DELIMITER.match(line) and "-" in line and "|" in line:
                continue
            self._line(start, end, stop)
            in_list = bool(LIST_ITEM.match(line)) or (in_list and indented)
        return b.build()

    def _in_comment(self, start: int, end: int) -> bool:
        """Whether the whole line lies inside one HTML comment."""
        i = bisect_right(self.comment_starts, start) - 1
        return i >= 0 and self.comments[i][1] >= end and not self.source[start:end].isspace()

    def _line(self, start: int, end: int, stop: int) -> None:
        b = self.builder
        line = self.source[start:end]
        if q := QUOTE.match(line):
            start += q.end()
            line = self.source[start:end]
            if not line.strip():
                b.block(start)
                return
        if h := HEADING.match(line):
            b.block(start)
            b.section()
            close = CLOSING_HASHES.search(line)
            self.inline(start + h.end(), start + (close.start() if close else len(line)))
            b.block(end)
            return
        if li := LIST_ITEM.match(line):
            b.block(start)
            start += li.end()
        if line.lstrip().startswith("|"):
            self._table_row(start, end)
            return
        self.inline(start, end)
        b.copy(end, stop)  # the line break: white space between wrapped lines

    def _table_row(self, start: int, end: int) -> None:
        cell_start = start
        for pos in range(start, end + 1):
            at_end = pos == end
            if at_end or (self.source[pos] == "|" and self.source[pos - 1] != "\\"):
                self.builder.block(cell_start)
                self.inline(cell_start, pos)
                cell_start = pos + 1
        self.builder.block(end)

    def _front_matter(self, spans: list[tuple[int, int, int]]) -> int:
        """Lint the prose keys of a leading YAML front matter; return the first body line."""
        if not spans or self.source[spans[0][0] : spans[0][1]] != "---":
            return 0
        close = next(
            (i for i, (s, e, _) in enumerate(spans[1:], 1) if self.source[s:e] in ("---", "...")),
            None,
        )
        if close is None:
            return 0  # no closing delimiter: not front matter after all
        for start, end, _ in spans[1:close]:
            line = self.source[start:end]
            m = FRONT_MATTER_ITEM.match(line)
            if m and m.group(1).lower() in FRONT_MATTER_PROSE_KEYS:
                v_start, v_end = start + m.start(2), start + m.end(2)
                if v_end - v_start >= 2 and line[m.start(2)] in "'\"":
                    v_start, v_end = v_start + 1, v_end - 1
                self.builder.block(start)
                self.builder.copy(v_start, v_end)
                self.builder.block(end)
        return close + 1


def read(path: str, source: str) -> Document:
    return _Reader(path, source).read()
