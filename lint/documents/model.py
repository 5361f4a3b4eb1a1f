"""The Document: prose to match, and an exact map from every prose offset back to the source.

Readers (one per format) never build strings by hand: they feed a ``ProseBuilder`` with source
ranges copied as they are, decoded replacements (an entity for the characters it stands for) and
block breaks. The builder keeps runs of (prose start, source start, prose length, source length),
so ``Document.span`` turns a prose match into source line and column without re-searching the
source (the bug Vale's issues #687 and #1185 describe).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from lint import normalize
from lint.documents import segment

# Inserted between blocks (paragraphs, list items, cells): not a word character and not white
# space, so no pattern runs from one block into the next.
BLOCK_SEPARATOR = "\x00"


@dataclass(frozen=True)
class Comment:
    """A comment in the source (HTML/Markdown ``<!-- -->``), kept for inline suppressions."""

    offset: int  # source offset of the comment's first character
    end: int  # source offset just past it
    body: str  # the text between the delimiters, stripped


@dataclass(frozen=True)
class Span:
    """A located stretch of source: 1-based lines and columns, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class Document:
    """A file read for linting. ``text`` is ``prose`` folded for matching (same length)."""

    path: str
    source: str
    prose: str
    text: str
    runs: tuple[tuple[int, ...], ...]  # (prose_starts, src_starts, prose_lens, src_lens)
    paragraphs: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    comments: list[Comment] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)  # prose offsets where headings start
    _line_starts: list[int] | None = field(default=None, repr=False)

    # -- mapping -------------------------------------------------------------------------------
    def source_offset(self, prose_offset: int, *, end: bool = False) -> int:
        """The source offset of a prose offset; with ``end``, of the end of a half-open span."""
        prose_starts, src_starts, prose_lens, src_lens = self.runs
        if not prose_starts:
            return 0
        probe = prose_offset - 1 if end else prose_offset
        i = max(bisect_right(prose_starts, probe) - 1, 0)
        if prose_lens[i] == src_lens[i]:  # copied 1:1
            return src_starts[i] + (probe - prose_starts[i]) + (1 if end else 0)
        return src_starts[i] + (src_lens[i] if end else 0)  # a replacement maps as a whole

    def _starts(self) -> list[int]:
        """Source offsets where lines start, computed on first use."""
        if self._line_starts is None:
            starts = [0]
            find = self.source.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        return self._line_starts

    def position(self, source_offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset; columns count code points."""
        starts = self._starts()
        line = bisect_right(starts, source_offset) - 1
        return line + 1, source_offset - starts[line] + 1

    def line_text(self, line: int) -> str:
        """Source line ``line`` (1-based) without its line break."""
        starts = self._starts()
        if not 0 < line <= len(starts):
            return ""
        end = starts[line] if line < len(starts) else len(self.source)
        return self.source[starts[line - 1] : end].rstrip("\r\n")

    def span(self, start: int, end: int) -> Span:
        """Source span of the prose span [start, end)."""
        line, column = self.position(self.source_offset(start))
        end_line, end_column = self.position(self.source_offset(end, end=True))
        return Span(line, column, end_line, end_column)

    # -- structure -----------------------------------------------------------------------------
    def sentence_of(self, offset: int) -> tuple[int, int]:
        return _enclosing(self.sentences, offset, len(self.text))

    def paragraph_of(self, offset: int) -> tuple[int, int]:
        return _enclosing(self.paragraphs, offset, len(self.text))

    def section_of(self, offset: int) -> tuple[int, int]:
        """From the heading before ``offset`` (or the start) to the next heading (or the end)."""
        i = bisect_right(self.sections, offset)
        start = self.sections[i - 1] if i else 0
        end = self.sections[i] if i < len(self.sections) else len(self.text)
        return start, end

    def excerpt(self, start: int, end: int) -> str:
        """Prose between two offsets, block separators shown as spaces."""
        return self.prose[start:end].replace(BLOCK_SEPARATOR, " ")


# normalize.fold's code points, for ``fold``: one pair per letter or digit it folds.
_FOLD_PAIRS = tuple((chr(a), chr(b)) for a, b in normalize._FOLD.items())


def fold(text: str) -> str:
    """``normalize.fold(text)``, several times quicker on a long text: ``str.translate`` with a
    table looks up every character; a ``replace`` per folded character that occurs scans in C."""
    for variant, plain in _FOLD_PAIRS:
        if variant in text:
            text = text.replace(variant, plain)
    return text


def _enclosing(bounds: list[tuple[int, int]], offset: int, length: int) -> tuple[int, int]:
    i = bisect_right(bounds, (offset, length + 1)) - 1
    if i >= 0 and bounds[i][0] <= offset < bounds[i][1]:
        return bounds[i]
    return (offset, offset)


class ProseBuilder:
    """Accumulates prose with its source map. Readers call ``copy``, ``replace`` and ``block``."""

    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.source = source
        self._parts: list[str] = []
        self._length = 0
        self._prose_starts: list[int] = []
        self._src_starts: list[int] = []
        self._prose_lens: list[int] = []
        self._src_lens: list[int] = []
        self._paragraph_breaks: list[int] = []
        self._sentence_breaks: list[int] = []
        self._sections: list[int] = []
        self.comments: list[Comment] = []

    def _run(self, text: str, src_start: int, src_len: int) -> None:
        if not text:
            return
        n = len(text)
        identity = n == src_len
        if (
            identity
            and self._prose_starts
            and self._prose_lens[-1] == self._src_lens[-1]
            and self._src_starts[-1] + self._src_lens[-1] == src_start
            and self._prose_starts[-1] + self._prose_lens[-1] == self._length
        ):
            self._prose_lens[-1] += n  # extend the previous 1:1 run
            self._src_lens[-1] += n
        else:
            self._prose_starts.append(self._length)
            self._src_starts.append(src_start)
            self._prose_lens.append(n)
            self._src_lens.append(src_len)
        self._parts.append(text)
        self._length += n

    def copy(self, start: int, end: int) -> None:
        """Take source[start:end] as prose, dropping ignorable marks (tatweel, harakat, ZWJ…)."""
        if start >= end:
            return
        chunk = self.source[start:end]
        pos = 0
        for mark in normalize.IGNORABLE.finditer(chunk):
            self._run(chunk[pos : mark.start()], start + pos, mark.start() - pos)
            pos = mark.end()
        self._run(chunk[pos:], start + pos, len(chunk) - pos)

    def replace(self, text: str, start: int, end: int) -> None:
        """Prose ``text`` standing for source[start:end] (an entity, an escape, a tag's gap)."""
        if len(text) in (1, end - start):
            self._run(text, start, end - start)
        else:
            self._spread(text, start, end)

    def _spread(self, text: str, start: int, end: int) -> None:
        # Several prose characters for a span of another length: each maps to the whole span.
        for ch in text:
            self._prose_starts.append(self._length)
            self._src_starts.append(start)
            self._prose_lens.append(1)
            self._src_lens.append(end - start)
            self._parts.append(ch)
            self._length += 1

    def block(self, at: int, *, paragraph: bool = True) -> None:
        """End the current block (paragraph) or sentence at source offset ``at``."""
        if self._length == 0 or self._parts[-1].endswith(BLOCK_SEPARATOR):
            return
        breaks = self._paragraph_breaks if paragraph else self._sentence_breaks
        breaks.append(self._length)
        self._run(BLOCK_SEPARATOR, at, 0)

    def section(self) -> None:
        """A heading starts here: a new section (``near: {scope: section}``)."""
        self._sections.append(self._length)

    def comment(self, start: int, end: int, body: str) -> None:
        self.comments.append(Comment(start, end, body.strip()))

    def build(self) -> Document:
        prose = "".join(self._parts)
        paragraphs = segment.split_blocks(self._paragraph_breaks, len(prose))
        sentences = segment.sentences(prose, paragraphs, self._sentence_breaks)
        runs = (
            tuple(self._prose_starts),
            tuple(self._src_starts),
            tuple(self._prose_lens),
            tuple(self._src_lens),
        )
        return Document(
            path=self.path,
            source=self.source,
            prose=prose,
            text=fold(prose),
            runs=runs,
            paragraphs=paragraphs,
            sentences=sentences,
            comments=self.comments,
            sections=self._sections,
        )
