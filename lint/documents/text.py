"""Plain text: every character is prose. Blank lines end paragraphs; in a file without any blank
line, a line end does too unless the line runs on (it ends inside a sentence and the next line
starts in lower case). List items and '#' headings stand on their own."""

from __future__ import annotations

import re

from lint.documents.model import Document, ProseBuilder

LIST_ITEM = re.compile(r"[ \t]*(?:[-*+\u2022\u25cf\u25aa]|\d{1,3}[.)])[ \t]+")
HEADING = re.compile(r"[ \t]*#{1,6}[ \t]")


def lines(source: str) -> list[tuple[int, int, int]]:
    """(start, end of content, end including the line break) for every line."""
    out = []
    start = 0
    n = len(source)
    while start < n:
        nl = source.find("\n", start)
        stop = n if nl == -1 else nl + 1
        end = stop - 1 if nl != -1 else stop
        if end > start and source[end - 1] == "\r":
            end -= 1
        out.append((start, end, stop))
        start = stop
    return out


def has_blank_lines(source: str, spans: list[tuple[int, int, int]]) -> bool:
    """Whether paragraphs are separated by blank lines (else each line is a paragraph)."""
    seen_text = False
    for start, end, _ in spans:
        if source[start:end].strip():
            seen_text = True
        elif seen_text:
            return True
    return False


def _runs_on(source: str, start: int) -> bool:
    """Whether the line starting at ``start`` continues the previous line's sentence."""
    i = start - 1
    while i >= 0 and source[i] in " \t\r\n":
        i -= 1
    if i < 0 or source[i] in ".!?:;\u06d4\u061f":
        return False
    nxt = source[start : start + 1]
    return nxt.islower() or nxt.isdigit()


def read(path: str, source: str) -> Document:
    builder = ProseBuilder(path, source)
    spans = lines(source)
    wrapped = has_blank_lines(source, spans)
    standalone_before = False
    for start, end, stop in spans:
        line = source[start:end]
        if not line.strip():
            builder.block(start)
            continue
        standalone = bool(HEADING.match(line) or LIST_ITEM.match(line))
        if standalone or standalone_before or (not wrapped and not _runs_on(source, start)):
            builder.block(start)
        if HEADING.match(line):
            builder.section()
        builder.copy(start, stop)
        standalone_before = bool(HEADING.match(line))
    return builder.build()
