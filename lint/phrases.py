"""Concepts as phrases: one token automaton finds every vocabulary's hits in one pass.

Most terms a rule author writes are finite phrases with spelling variants:
``treat(?:s|ed|ing)?``, ``side[- ]effects?``, ``stem\\s*cells?``. Each such term is expanded
once into the word sequences it spells, and all of them, of every pattern a rule set scans over
whole texts, go into one trie keyed by case-folded tokens. A document is then tokenised once and
walked once; every pattern's hits fall out together, instead of one regular-expression scan per
pattern over the whole text.

A term that is not a finite phrase (``\\w+``, ``\\d+``, a gap of words, a look-around, more than
``MAX_PHRASES`` spellings) stays a regular expression: a pattern's other terms form one regex
(``rest``) whose hits join its phrase hits; a pattern with no phrase term is left to its regex.
Matching follows the word-bounded regex: a phrase starts and ends at token edges, white space
between tokens is free (``stem cells`` also matches across a line break), and the hits are the
regex's: leftmost, and at one place the first term in the pattern's order that matches there
(of its spellings, the longest).
"""

from __future__ import annotations

import itertools
import marshal
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from lint import patterns

Span = tuple[int, int]
Hit = tuple[int, int, int]  # start, end, the rank of the term that matched
Trie = dict[str, Any]

# A token (group 2): a run of word characters (group 3), or one other visible character; with
# the white space before it (group 1).
TOKEN = re.compile(r"(\s*)((\w+)|[^\w\s])")
_WORD = re.compile(r"\w")
# More spellings than this from one term: left to the regex. Every spelling is trie nodes the
# rule cache loads on each run; with 4,096 the six packs' trie took 53 ms to load, with 256 21 ms
# (a one-page check 0.165 -> 0.135 s), and the terms left to regexes cost no throughput.
MAX_PHRASES = 256
END = ""  # the trie key under which a node keeps the patterns whose phrase ends there

_UNSUPPORTED_ESCAPES = set("wWdDSbBAZzGpPNXxuUc0123456789")


class NotPhrase(ValueError):
    """A term that spells no finite set of phrases."""


def expand(body: str) -> list[str]:
    """Every string the prepared pattern ``body`` matches, if it is a finite phrase: literal
    characters, groups with ``|``, ``?`` after a character or group, classes of single
    characters, and white space (``\\s``, ``\\s+``, ``\\s*``, a space). Raises NotPhrase."""
    found, at = _alternation(body, 0)
    if at != len(body):
        raise NotPhrase(f"unexpected {body[at]!r}")
    if any(p[:1] == " " or p[-1:] == " " for p in found):
        # white space at an edge must be followed (or preceded) by more than a word bound
        raise NotPhrase("white space at the start or end")
    return sorted(found)


def _alternation(s: str, i: int) -> tuple[set[str], int]:
    found, i = _sequence(s, i)
    while i < len(s) and s[i] == "|":
        more, i = _sequence(s, i + 1)
        found |= more
    return found, i


def _sequence(s: str, i: int) -> tuple[set[str], int]:
    found = {""}
    while i < len(s) and s[i] not in "|)":
        atom, i = _atom(s, i)
        atom, i = _quantified(s, i, atom)
        found = {a + b for a, b in itertools.product(found, atom)}
        if len(found) > MAX_PHRASES:
            raise NotPhrase("too many spellings")
    return found, i


def _quantified(s: str, i: int, atom: set[str]) -> tuple[set[str], int]:
    """``atom`` with the quantifier at ``s[i]`` applied (only ``?``; any run of white space)."""
    quantifier = s[i : i + 1]
    if quantifier == "?":
        if s[i + 1 : i + 2] in ("?", "+"):
            raise NotPhrase("lazy or possessive quantifier")
        return atom | {""}, i + 1
    if quantifier in ("*", "+", "{"):
        if atom != {" "}:  # only white space may repeat: tokens ignore it
            raise NotPhrase("repetition")
        end = s.index("}", i) + 1 if quantifier == "{" else i + 1
        return ({" "} if quantifier == "+" else {"", " "}), end
    return atom, i


def _atom(s: str, i: int) -> tuple[set[str], int]:
    ch = s[i]
    if ch == "(":
        if s.startswith("(?:", i):
            start = i + 3
        elif s[i + 1 : i + 2] == "?":
            raise NotPhrase("look-around, flag or named group")
        else:
            start = i + 1
        found, end = _alternation(s, start)
        if s[end : end + 1] != ")":
            raise NotPhrase("unclosed group")
        return found, end + 1
    if ch == "[":
        return _class(s, i)
    if ch == "\\":
        return {_escape(s[i + 1 : i + 2])}, i + 2
    if ch in ".^$*+?{}":
        raise NotPhrase(f"{ch!r}")
    return {ch}, i + 1


def _escape(ch: str) -> str:
    if ch in ("s", ""):
        if not ch:
            raise NotPhrase("trailing backslash")
        return " "
    if ch in _UNSUPPORTED_ESCAPES:
        raise NotPhrase(f"\\{ch}")
    return {"n": " ", "t": " ", "r": " "}.get(ch, ch)


def _class(s: str, i: int) -> tuple[set[str], int]:
    """A class of single characters (``[- ]``, ``[sz]``, ``[’']``); no ranges, no negation."""
    j = i + 1
    if s[j : j + 1] == "^":
        raise NotPhrase("negated class")
    chars: set[str] = set()
    while j < len(s) and (s[j] != "]" or j == i + 1):
        if s[j] == "\\":
            chars.add(_escape(s[j + 1 : j + 2]))
            j += 2
            continue
        if s[j] == "-" and chars and s[j + 1 : j + 2] not in ("]", ""):
            raise NotPhrase("range in a class")
        chars.add(s[j])
        j += 1
    if j >= len(s):
        raise NotPhrase("unclosed class")
    return chars, j + 1


def tokens(phrase: str, fold: bool = True) -> tuple[str, ...]:
    """The trie keys of a phrase: its tokens (case-folded unless ``fold`` is false), each after
    the first marked with a space where the phrase has one and a punctuation mark is on either
    side of it (between two words the space is implied): ``100%`` is not ``100 %``."""
    words, keys = _keys(list(TOKEN.finditer(phrase)), fold)
    return (words[0], *keys[1:]) if words else ()


def _keys(matches: list[re.Match[str]], fold: bool) -> tuple[list[str], list[str]]:
    """Each token's key as a phrase's first token (the word itself) and as a later one."""
    words = [m.group(2).casefold() for m in matches] if fold else [m.group(2) for m in matches]
    keys = []
    after_word = False
    for m, word in zip(matches, words, strict=True):
        is_word = m.group(3) is not None
        keys.append(" " + word if m.group(1) and not (is_word and after_word) else word)
        after_word = is_word
    return words, keys


class PhraseIndex:
    """The phrases of many patterns in one automaton; ``scan`` gives each pattern's hits.

    A pattern is covered when at least one of its terms is a phrase. Its phrases go into one
    trie of case-folded tokens, or, for a term written case-sensitive (``(?-i:ASD)``), into a
    trie of tokens as written; its other terms (``rest``) stay one regular expression per
    pattern, searched over the text by ``scan`` too."""

    def __init__(self, scanned: Iterable[Any]) -> None:
        self.folded: Trie = {}
        self.exact: Trie = {}
        self.numbers: dict[Any, int] = {}  # covered pattern -> its number in the tries
        # number -> a regex of the pattern's other terms, and each of them alone with its rank
        self.rest: dict[int, tuple[Any, tuple[tuple[int, Any], ...]]] = {}
        for pattern in scanned:
            if pattern in self.numbers:
                continue
            spelled: list[tuple[str, bool, int]] = []  # (phrase, case-sensitive, term rank)
            others: list[tuple[int, str]] = []  # (term rank, term) of the other terms
            for rank, term in enumerate(terms_of(pattern)):
                body, sensitive = _case(term)
                try:
                    spelled += [(phrase, sensitive, rank) for phrase in expand(body)]
                except NotPhrase:
                    others.append((rank, term))
            if not spelled:
                continue
            number = self.numbers[pattern] = len(self.numbers)
            for phrase, sensitive, rank in spelled:
                trie = self.exact if sensitive else self.folded
                _add(trie, tokens(phrase, fold=not sensitive), number, rank)
            if others:
                ranked = tuple((rank, _alone(term)) for rank, term in others)
                self.rest[number] = (patterns.compile_bounded([t for _, t in others]), ranked)

    def __getstate__(self) -> dict[str, Any]:
        # The tries as one marshalled value: plain nested dicts of strings load ~4x faster
        # from marshal than from pickle (~10 ms instead of ~40 of a one-page check's start).
        state = dict(self.__dict__)
        state["folded"], state["exact"] = None, None
        state["tries"] = marshal.dumps((self.folded, self.exact))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        tries = state.pop("tries")
        self.__dict__.update(state)
        self.folded, self.exact = marshal.loads(tries)

    def covers(self, pattern: Any) -> bool:
        return pattern in self.numbers

    def regexes(self) -> list[Any]:
        """The regexes ``scan`` searches over whole texts: each pattern's other terms."""
        return [rest for rest, _ in self.rest.values()]

    def scan(self, text: str, search: Callable[[Any], list[Span]]) -> dict[Any, list[Span]]:
        """Each covered pattern's hits in ``text``, as its regex finds them: leftmost, and at
        one place the first term (in the pattern's order) that matches there, the longest
        spelling of it. ``search`` gives a ``rest`` regex's hits (the engine's search)."""
        found: list[list[Hit]] = [[] for _ in self.numbers]
        matches = list(TOKEN.finditer(text))
        _walk(self.folded, matches, True, found)
        if self.exact:
            _walk(self.exact, matches, False, found)
        for number, (rest, ranked) in self.rest.items():
            starts = {h[0] for h in found[number]}  # only there does the rank decide
            found[number] += [
                (a, b, _rank(text, a, ranked) if a in starts else 0) for a, b in search(rest)
            ]
        return {p: _leftmost_first(found[n]) for p, n in self.numbers.items()}


def _alone(term: str) -> Any:
    """One term as a pattern of its own, to tell which term a ``rest`` hit is where a phrase of
    the same pattern starts too (the rule cache keeps its compiled code: compiling it on a
    page would import the ``regex`` parser, ~10 ms of a one-page check)."""
    return patterns.compile_bounded([term])


def _rank(text: str, start: int, ranked: tuple[tuple[int, Any], ...]) -> int:
    """The rank of the first of the terms that matches at ``start`` (as the alternation of all
    a pattern's terms would choose between them there)."""
    return next((rank for rank, term in ranked if term.match(text, start)), ranked[-1][0])


def spellings(body: str) -> list[str] | None:
    """Every phrase a prepared pattern spells, if each of its terms is a finite phrase (then it
    is also a valid pattern, and it matches the empty string only if one phrase is empty);
    None otherwise. Loading rules asks this before compiling a regex to check a pattern."""
    try:
        return [p for term in terms(body) for p in expand(_case(term)[0])]
    except NotPhrase:
        return None


def _case(term: str) -> tuple[str, bool]:
    """A term written wholly case-sensitive, ``(?-i:…)``: its body and True."""
    if term.startswith("(?-i:") and _group_end(term, 0) == len(term) - 1:
        return term[5:-1], True
    return term, False


def _add(trie: Trie, key: tuple[str, ...], number: int, rank: int) -> None:
    """Add a phrase of pattern ``number`` from its term ``rank``; a node keeps, per pattern,
    the first term that ends there."""
    if not key:
        return
    node = trie
    for token in key:
        node = node.setdefault(token, {})
    ends = node.setdefault(END, {})
    ends[number] = min(rank, ends.get(number, rank))


def _walk(trie: Trie, matches: list[re.Match[str]], fold: bool, found: list[list[Hit]]) -> None:
    """Add to ``found``, for each token, each pattern's phrase that starts there: of its
    earliest term, the longest."""
    words, keys = _keys(matches, fold)
    count = len(words)
    for i, word in enumerate(words):
        node = trie.get(word)
        if node is None or not _may_start(matches[i]):
            continue
        best: dict[int, tuple[int, int]] = {}  # number -> (rank, last token)
        j = i
        while node is not None:
            if END in node and _may_end(matches[j]):
                for number, rank in node[END].items():
                    if number not in best or rank <= best[number][0]:
                        best[number] = (rank, j)
            j += 1
            node = node.get(keys[j]) if j < count else None
        start = matches[i].start(2)
        for number, (rank, last) in best.items():
            found[number].append((start, matches[last].end(), rank))


def _may_start(m: re.Match[str]) -> bool:
    """A phrase starts at a punctuation mark only where no word character precedes it, as the
    word-bounded regex has it (``(?<!\\w)``): "pain:" is not ": …" with a word before."""
    at = m.start(2)
    return m.group(3) is not None or at == 0 or not _WORD.match(m.string, at - 1)


def _may_end(m: re.Match[str]) -> bool:
    """A phrase ends at a punctuation mark only where no word character follows it."""
    return m.group(3) is not None or not _WORD.match(m.string, m.end())


def _leftmost_first(hits: list[Hit]) -> list[Span]:
    """The hits a regex scan would keep: leftmost first; at one place the earliest term's, of
    it the longest; each that overlaps one kept before it dropped."""
    kept: list[Span] = []
    for start, end, _ in sorted(hits, key=lambda h: (h[0], h[2], -h[1])):
        if not kept or kept[-1][1] <= start:
            kept.append((start, end))
    return kept


def terms_of(pattern: Any) -> list[str]:
    """The terms of a pattern: its bodies' top-level alternatives."""
    return [t for body in pattern.bodies for t in terms(body)]


def terms(body: str) -> list[str]:
    """The alternatives of ``body`` at its top level, nested alternations flattened:
    ``(?:(?:a)|(?:b|c))`` -> ``[a, b, c]``."""
    inner = _unwrapped(body)
    parts = _top_level(inner)
    if len(parts) == 1:
        return [inner]
    return [t for part in parts for t in terms(part)]


def _unwrapped(body: str) -> str:
    """``body`` without non-capturing groups that enclose all of it."""
    while body.startswith("(?:") and _group_end(body, 0) == len(body) - 1:
        body = body[3:-1]
    return body


def _group_end(s: str, start: int) -> int:
    """The index of the ``)`` that closes the group opening at ``start``."""
    return next((i for i, ch, depth in _syntax(s, start) if ch == ")" and depth == 0), -1)


def _top_level(s: str) -> list[str]:
    """``s`` split at the ``|`` outside every group and class."""
    cuts = [i for i, ch, depth in _syntax(s, 0) if ch == "|" and depth == 0]
    return [s[a + 1 : b] for a, b in itertools.pairwise([-1, *cuts, len(s)])]


def _syntax(s: str, start: int) -> Iterator[tuple[int, str, int]]:
    """Each character of ``s`` from ``start`` that is neither escaped nor in a class, with the
    group depth after it (a ``(`` counts in, a ``)`` out)."""
    depth = 0
    i = start
    while i < len(s):
        if s[i] == "\\":
            i += 2
            continue
        if s[i] == "[":
            i = patterns.class_end(s, i)
            continue
        depth += {"(": 1, ")": -1}.get(s[i], 0)
        yield i, s[i], depth
        i += 1
