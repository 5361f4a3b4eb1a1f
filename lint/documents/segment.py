"""Sentence and paragraph boundaries, computed once per document.

Paragraphs come from the reader's block breaks. Sentences end at terminal punctuation followed by
white space, except after abbreviations ("Dr.", "e.g.", "No. 1"), initials ("A. M."), list
numbers at the start of a line ("1. Item") and where the next word starts in lower case.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "sr",
        "jr",
        "vs",
        "etc",
        "eg",
        "ie",
        "e.g",
        "i.e",
        "no",
        "nos",
        "u.s",  # "the U.S. FDA": a country before a name, far more often than a sentence end
        "u.k",
        "u.a.e",
        "fig",
        "figs",
        "approx",
        "dept",
        "est",
        "inc",
        "ltd",
        "co",
        "corp",
        "al",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ph.d",
        "phd",
        "m.d",
        "md",
        "mbbs",
        "frcs",
        "vol",
        "pp",
        "p",
        "ref",
        "refs",
        "ed",
        "eds",
        "govt",
        "assoc",
        "univ",
        "hosp",
        "max",
        "min",
        "avg",
        "op",
        "cf",
        "viz",
    ]
)

# Terminal punctuation (Latin, Urdu full stop ۔, Arabic question mark ؟), closing quotes or
# brackets, then the white space before the next sentence.
_END = re.compile(r"[.!?\u06d4\u061f]+[\"'\u201d\u2019)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def split_blocks(breaks: list[int], length: int) -> list[tuple[int, int]]:
    """Half-open (start, end) blocks between break offsets."""
    blocks: list[tuple[int, int]] = []
    start = 0
    for at in breaks:
        if at > start:
            blocks.append((start, at))
        start = at + 1  # skip the separator character
    if length > start:
        blocks.append((start, length))
    return blocks


def sentences(
    prose: str, paragraphs: list[tuple[int, int]], extra_breaks: list[int]
) -> list[tuple[int, int]]:
    """Sentences inside each paragraph, also cut at the reader's sentence breaks."""
    out: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs:
        start = p_start
        for m in _END.finditer(prose, p_start, p_end):
            if _is_boundary(prose, m.start(), m.end(), p_start):
                out.append((start, m.end()))
                start = m.end()
        out.append((start, p_end))
    if extra_breaks:
        out = _cut(out, sorted(extra_breaks))
    return [span for s, e in out if (span := _trim(prose, s, e))[1] > span[0]]


def _trim(prose: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading and trailing white space."""
    while start < end and prose[start].isspace():
        start += 1
    while end > start and prose[end - 1].isspace():
        end -= 1
    return start, end


def _cut(spans: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    result: list[tuple[int, int]] = []
    for start, end in spans:
        for at in cuts[bisect_right(cuts, start) : bisect_left(cuts, end)]:
            result.append((start, at))
            start = at + 1
        result.append((start, end))
    return result


def _word_before(prose: str, floor: int, at: int) -> re.Match[str] | None:
    """``_WORD_BEFORE`` searched in prose[floor:at], looking first at the last few characters
    only (a search from ``floor`` would try every position of a long paragraph)."""
    near = max(floor, at - 40)
    word = _WORD_BEFORE.search(prose, near, at)
    if near > floor and word is not None and word.start() == near:
        return _WORD_BEFORE.search(prose, floor, at)  # the run may go on before ``near``
    return word


def _is_boundary(prose: str, punct_start: int, punct_end: int, floor: int) -> bool:
    """Whether the punctuation at [punct_start, punct_end) ends a sentence."""
    if prose[punct_start] != ".":
        return True  # ! ? ۔ ؟ always end a sentence
    after = prose[punct_end : punct_end + 40].lstrip()
    if after[:1].islower():
        return False  # "e.g. the", "approx. three", a wrapped line
    word = _word_before(prose, floor, punct_start)
    if word is None:
        return True
    token = word.group(1).lower().rstrip(".")
    if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return False  # "Dr. Khan", "No. 1", "A. M. Lavezzi"
    if token.isdigit():
        line_start = prose.rfind("\n", floor, word.start()) + 1
        line_start = max(line_start, floor)
        if not prose[line_start : word.start()].strip():
            return False  # a list number: "1. Item"
    return True
