"""Concepts as phrases: one token automaton finds every vocabulary's hits in one pass.

Most terms a rule author writes are finite phrases with spelling variants:
``treat(?:s|ed|ing)?``, ``side[- ]effects?``, ``stem\\s*cells?``. Each such term is expanded
once into the word sequences it spells, and all of them, of every pattern a rule set scans over
whole texts, go into one trie keyed by case-folded tokens. A document is then tokenised once and
walked once; every pattern's hits fall out together, instead of one regular-expression scan per
pattern over the whole text.

A term that is not a finite phrase (``\\w+``, ``\\d+``, a gap of words, a look-around, more than
``MAX_PHRASES`` spellings) stays a regular expression: a pattern's other terms form one regex
(``rest``) whose hits join its phrase hits. Where each of those terms starts with a finite
phrase that ends at a word's edge (``{{places}}['’]s best``, ``among the (?:\\w+ ){0,3}…``), those
leading phrases (its *anchors*) go into the trie too, and the regex is tried only where one of
them starts, not scanned over the whole text; a pattern without a phrase term is found the same
way. Only a pattern with a term that has no anchor is scanned whole.
Matching follows the word-bounded regex: a phrase starts and ends at token edges, white space
between tokens is free (``stem cells`` also matches across a line break), and the hits are the
regex's: leftmost, and at one place the spelling the regex tries first (the first term in the
pattern's order that matches there, of it the first alternative, a greedy ``?`` taken).
"""

from __future__ import annotations

import itertools
import marshal
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from lint import patterns

Span = tuple[int, int]
Hit = tuple[int, int, int]  # start, end, the rank of the spelling that matched (lower first)
Trie = dict[str, Any]

# A token (group 2): a run of word characters (group 3), or one other visible character; with
# the white space before it (group 1).
TOKEN = re.compile(r"(\s*)((\w+)|[^\w\s])")
_WORD = re.compile(r"\w")
# More spellings than this from one term: left to the regex. Every spelling is trie nodes the
# rule cache loads on each run; with 4,096 the six packs' trie took 53 ms to load, with 256 21 ms
# (a one-page check 0.165 -> 0.135 s), and the terms left to regexes cost no throughput.
MAX_PHRASES = 256
# Anchors may be more: a vocabulary that leads a pattern ("{{diseases}} …") is mostly in the
# trie already as phrases of its own, and an anchor adds only its pattern's number to a node.
MAX_ANCHORS = 2048
DIGITS = "\x00digits"  # an anchor: any token that starts with a digit (not in the trie)
END = ""  # the trie key under which a node keeps the patterns whose phrase ends there
# A spelling's rank: its term's place in the pattern, then its own place in the term's
# expansion (the order the regex tries them), in one int.
TERM_RANK = 1 << 20

_UNSUPPORTED_ESCAPES = set("wWdDSbBAZzGpPNXxuUc0123456789")


class NotPhrase(ValueError):
    """A term that spells no finite set of phrases."""


def expand(body: str) -> list[str]:
    """Every string the prepared pattern ``body`` matches, if it is a finite phrase: literal
    characters, groups with ``|``, ``?`` after a character or group, classes of single
    characters, and white space (``\\s``, ``\\s+``, ``\\s*``, a space). Raises NotPhrase.
    In the order the regex tries them (alternatives in order, ``?`` greedy): where several
    match at one place, the regex takes the first ("top" of ``(?:top|top-rated)``)."""
    found, at = _alternation(body, 0)
    if at != len(body):
        raise NotPhrase(f"unexpected {body[at]!r}")
    if any(p[:1] == " " or p[-1:] == " " for p in found):
        # white space at an edge must be followed (or preceded) by more than a word bound
        raise NotPhrase("white space at the start or end")
    return found


def _alternation(s: str, i: int, limit: int = 0) -> tuple[list[str], int]:
    found, i = _sequence(s, i, limit)
    while i < len(s) and s[i] == "|":
        more, i = _sequence(s, i + 1, limit)
        found = _unique(found + more)
    return found, i


def _unique(spelled: Iterable[str]) -> list[str]:
    """``spelled`` without repeats, each where it first comes (the regex's order)."""
    return list(dict.fromkeys(spelled))


def _sequence(s: str, i: int, limit: int = 0) -> tuple[list[str], int]:
    found = [""]
    while i < len(s) and s[i] not in "|)":
        atom, i = _atom(s, i, limit)
        atom, i = _quantified(s, i, atom)
        found = _unique(a + b for a, b in itertools.product(found, atom))
        if len(found) > (limit or MAX_PHRASES):
            raise NotPhrase("too many spellings")
    return found, i


def _quantified(s: str, i: int, atom: list[str]) -> tuple[list[str], int]:
    """``atom`` with the quantifier at ``s[i]`` applied (only ``?``; any run of white space);
    greedy, as the regex: with the atom first, without it after."""
    quantifier = s[i : i + 1]
    if quantifier == "?":
        if s[i + 1 : i + 2] in ("?", "+"):
            raise NotPhrase("lazy or possessive quantifier")
        return _unique([*atom, ""]), i + 1
    if quantifier in ("*", "+", "{"):
        if atom != [" "]:  # only white space may repeat: tokens ignore it
            raise NotPhrase("repetition")
        end = s.index("}", i) + 1 if quantifier == "{" else i + 1
        return ([" "] if quantifier == "+" else [" ", ""]), end
    return atom, i


def _atom(s: str, i: int, limit: int = 0) -> tuple[list[str], int]:
    ch = s[i]
    if ch == "(":
        if s.startswith("(?:", i):
            start = i + 3
        elif s[i + 1 : i + 2] == "?":
            raise NotPhrase("look-around, flag or named group")
        else:
            start = i + 1
        found, end = _alternation(s, start, limit)
        if s[end : end + 1] != ")":
            raise NotPhrase("unclosed group")
        return found, end + 1
    if ch == "[":
        return _class(s, i)
    if ch == "\\":
        return [_escape(s[i + 1 : i + 2])], i + 2
    if ch in ".^$*+?{}":
        raise NotPhrase(f"{ch!r}")
    return [ch], i + 1


def _escape(ch: str) -> str:
    if ch in ("s", ""):
        if not ch:
            raise NotPhrase("trailing backslash")
        return " "
    if ch in _UNSUPPORTED_ESCAPES:
        raise NotPhrase(f"\\{ch}")
    return {"n": " ", "t": " ", "r": " "}.get(ch, ch)


def _class(s: str, i: int) -> tuple[list[str], int]:
    """A class of single characters (``[- ]``, ``[sz]``, ``[’']``); no ranges, no negation."""
    j = i + 1
    if s[j : j + 1] == "^":
        raise NotPhrase("negated class")
    chars: list[str] = []
    while j < len(s) and (s[j] != "]" or j == i + 1):
        if s[j] == "\\":
            chars.append(_escape(s[j + 1 : j + 2]))
            j += 2
            continue
        if s[j] == "-" and chars and s[j + 1 : j + 2] not in ("]", ""):
            raise NotPhrase("range in a class")
        chars.append(s[j])
        j += 1
    if j >= len(s):
        raise NotPhrase("unclosed class")
    return _unique(chars), j + 1


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
        # number -> the number under which the trie keeps the anchors of its other terms
        self.anchors: dict[int, int] = {}
        self.slots = 0  # numbers given: patterns' and anchors'
        self.numbered: list[int] = []  # anchors' numbers that also start at every number
        for pattern in scanned:
            if pattern not in self.numbers:
                self._add_pattern(pattern)

    def _add_pattern(self, pattern: Any) -> None:
        spelled: list[tuple[str, bool, int]] = []  # (phrase, case-sensitive, term rank)
        others: list[tuple[int, str]] = []  # (term rank, term) of the other terms
        for rank, term in enumerate(terms_of(pattern)):
            body, sensitive = _case(term)
            try:
                spelled += [
                    (phrase, sensitive, rank * TERM_RANK + k)
                    for k, phrase in enumerate(expand(body))
                ]
            except NotPhrase:
                others.append((rank, term))
        led = [anchors(term) for _, term in others]
        if not spelled and not (others and all(led)):
            return  # its regex scans the whole text
        number = self.numbers[pattern] = self._slot()
        self._put(spelled, number)
        if not others:
            return
        ranked = tuple((rank * TERM_RANK, _alone(term)) for rank, term in others)
        self.rest[number] = (patterns.compile_bounded([t for _, t in others]), ranked)
        if all(led):
            self.anchors[number] = slot = self._slot()
            leading = [a for found in led for a in found or ()]
            self._put([a for a in leading if a[0] != DIGITS], slot)
            if any(a[0] == DIGITS for a in leading):
                self.numbered.append(slot)

    def _slot(self) -> int:
        self.slots += 1
        return self.slots - 1

    def _put(self, spelled: list[tuple[str, bool, int]], number: int) -> None:
        for phrase, sensitive, rank in spelled:
            trie = self.exact if sensitive else self.folded
            _add(trie, tokens(phrase, fold=not sensitive), number, rank)

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

    def scan(
        self, text: str, search: Callable[[Any, list[int] | None], list[Span]]
    ) -> dict[Any, list[Span]]:
        """Each covered pattern's hits in ``text``, as its regex finds them: leftmost, and at
        one place the spelling the regex tries first. ``search(rest, starts)`` gives a ``rest`` regex's hits (the engine's
        search): over the whole text (``starts`` None), or of its matches at ``starts``, as a
        scan would find them (``anchored``)."""
        found: list[list[Hit]] = [[] for _ in range(self.slots)]
        matches = list(TOKEN.finditer(text))
        _walk(self.folded, matches, True, found)
        if self.exact:
            _walk(self.exact, matches, False, found)
        if self.numbered:
            numbers = [(m.start(2), m.start(2), 0) for m in matches if m.group(2)[0].isdigit()]
            for numbered in self.numbered:
                found[numbered] += numbers
        for number, (rest, ranked) in self.rest.items():
            slot = self.anchors.get(number)
            at = sorted({h[0] for h in found[slot]}) if slot is not None else None
            starts = {h[0] for h in found[number]}  # only there does the rank decide
            found[number] += [
                (a, b, _rank(text, a, ranked) if a in starts else 0) for a, b in search(rest, at)
            ]
        return {p: _leftmost_first(found[n]) for p, n in self.numbers.items()}


def anchored(
    pattern: Any, text: str, starts: list[int], timeout: float | None = None
) -> list[Span]:
    """The matches of ``pattern`` that a scan of ``text`` finds, when every match starts at one
    of ``starts`` (sorted): tried there only, each after the previous match's end."""
    found: list[Span] = []
    end = 0
    for at in starts:
        if at < end:
            continue
        m = pattern.match(text, at, timeout=timeout)
        if m is not None and m.end() > at:
            found.append(m.span())
            end = m.end()
    return found


def anchors(term: str) -> list[tuple[str, bool, int]] | None:
    """The phrases every match of ``term`` starts with, as (phrase, case-sensitive, 0); None
    if it has none. Where a match starts, one of them starts as a token sequence."""
    body, sensitive = _case(term)
    # A case-sensitive piece inside, ``(?-i:ASD)``, read folded: an anchor may start where no
    # match does (the regex then fails there), never miss where one does.
    found = _leads(body.replace("(?-i:", "(?:"))
    if not found or len(found) > MAX_ANCHORS:
        return None
    return [(phrase, sensitive, 0) for phrase in sorted(found)]


def _leads(body: str) -> set[str] | None:
    """The leading phrases of ``body``: its shortest leading part (the fewest trie nodes to
    add; the regex decides the rest) that is a finite phrase, none of it empty, followed by
    white space that must be there, a character that is no word character, or the end. A
    leading group that is no finite phrase (a vocabulary with a term of ``\\w+``) is read
    alternative by alternative: ``(?:a|b)c`` leads as ``ac`` and ``bc`` do."""
    found = _lead(body)
    group = _group(body, 0) if found is None else None
    if group is None:
        return found
    ways, after, optional = group
    found = set()
    for way in ways + ([""] if optional else []):
        led = _leads(way + body[after:])
        if led is None:
            return None
        found |= led
        if len(found) > MAX_ANCHORS:
            return None
    return found


def _lead(body: str) -> set[str] | None:
    """The shortest leading part of ``body`` that is a finite phrase ending at an edge; a
    body that starts with a digit (``\\d``, ``[0-9]``) leads with any number (``DIGITS``)."""
    digit = next((d for d in ("\\d", "[0-9]", "[1-9]") if body.startswith(d)), None)
    if digit is not None:
        # only a digit that must be there: not "\\d*", "\\d?", "\\d{0,2}"
        after = body[len(digit) :]
        return {DIGITS} if not re.match(r"[*?]|\{0", after) else None
    spelled = {""}
    i = 0
    while i < len(body) and body[i] != "|":
        try:
            atom, j = _atom(body, i, MAX_ANCHORS)
            atom, j = _quantified(body, j, atom)
        except (NotPhrase, ValueError):
            return None
        spelled = {a + b for a, b in itertools.product(spelled, atom)}
        # a leading vocabulary may be large (its phrases are mostly in the trie already); what
        # follows it multiplies the nodes to add
        if len(spelled) > (MAX_ANCHORS if i == 0 else MAX_PHRASES):
            return None
        i = j
        if "" not in spelled and _edge(body, i) and not any(p.endswith(" ") for p in spelled):
            return spelled
    return None


def _group(body: str, i: int) -> tuple[list[str], int, bool] | None:
    """The non-capturing group opening at ``body[i]``: its alternatives, the index after it (and
    its ``?``), and whether ``?`` makes it optional; None if no such group opens there, or it is
    unclosed or repeated (``*``, ``+``, ``{}``, a lazy or possessive ``?``)."""
    if not body.startswith("(?:", i):
        return None
    end = _group_end(body, i)
    quantifier = body[end + 1 : end + 2]
    lazy = quantifier == "?" and body[end + 2 : end + 3] in ("?", "+")
    if end < 0 or quantifier in ("*", "+", "{") or lazy:
        return None
    optional = quantifier == "?"
    return _top_level(body[i + 3 : end]), end + 1 + optional, optional


def _edge(body: str, i: int) -> bool:
    """Whether what follows ``body[:i]`` starts with mandatory white space, a character that is
    no word character, or nothing."""
    if i == len(body):
        return True
    if body.startswith("(?:", i):  # a group: each way through it starts at an edge
        group = _group(body, i)
        if group is None:
            return False
        ways, after, optional = group
        if not all(_edge(way, 0) for way in ways):
            return False
        return not (optional or "" in ways) or _edge(body, after)
    if body.startswith("\\s", i):
        return body[i + 2 : i + 3] not in ("?", "*", "{")
    if body[i] == "[":  # a class of characters that are no word characters: ['’], [-—:]
        try:
            chars, end = _class(body, i)
        except NotPhrase:
            return False
        return body[end : end + 1] not in ("?", "*", "{") and not any(_WORD.match(c) for c in chars)
    ch = body[i]
    if ch == "\\":
        escaped = body[i + 1 : i + 2]
        return not escaped.isalnum() and escaped != "_"
    return not (ch.isalnum() or ch in "_([.\\|)?*+{^$")


def _alone(term: str) -> Any:
    """One term as a pattern of its own, to tell which term a ``rest`` hit is where a phrase of
    the same pattern starts too: rare, so it is compiled when first needed, not kept compiled
    in the rule cache (each run would unpickle hundreds of them)."""
    alone = patterns.compile_bounded([term])
    alone.keep_compiled = False
    return alone


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
    """Add a phrase of pattern ``number`` with its ``rank``; a node keeps, per pattern, the
    lowest rank that ends there (the spelling the regex tries first)."""
    if not key:
        return
    node = trie
    for token in key:
        node = node.setdefault(token, {})
    ends = node.setdefault(END, {})
    ends[number] = min(rank, ends.get(number, rank))


def _walk(trie: Trie, matches: list[re.Match[str]], fold: bool, found: list[list[Hit]]) -> None:
    """Add to ``found``, for each token, each pattern's phrase that starts there: the one the
    regex tries first (the lowest rank)."""
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
                    if number not in best or rank < best[number][0]:
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
    """The hits a regex scan would keep: leftmost first; at one place the one the regex tries
    first (the lowest rank); each that overlaps one kept before it dropped."""
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
