"""A literal prefilter: run a rule's pattern only where it can match.

Every pattern body is analysed once (with the standard library's regular-expression parser) for
the literals it cannot match without: a set of case-folded strings, at least one of which occurs
in every match. One Aho-Corasick automaton over all of them finds, in one pass over a document,
where each pattern can possibly match; the real pattern then runs only in windows around those
places, and not at all in a document where none occur. The result is exactly the plain engine's:

- a body we cannot analyse (syntax only the ``regex`` module knows, no literal, a lookaround or
  anchor of the author's own) makes its pattern run over the whole text, as before;
- a window reaches ``units`` tokens (maximal runs of word characters, of white space, or one other
  character) either side of the literal, where ``units`` bounds the tokens one match can touch; a
  body of unbounded width that cannot match a block separator gets its whole block;
- windows that overlap are merged, and each merged window ends before a non-word character, so the
  word bound behaves as on the whole text (``regex`` lookbehind sees text before ``pos``).

Since every possible match lies inside one merged window, scanning the windows in order finds the
same leftmost, non-overlapping matches as one scan of the whole text (the property the fast-path
tests check on every fixture, example and a generated corpus).
"""

from __future__ import annotations

import importlib
import itertools
import marshal
import operator
import re
import sys
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from lint import patterns, regexcode
from lint.documents.model import BLOCK_SEPARATOR

_parser: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")
_c: Any = importlib.import_module(
    "re._constants" if sys.version_info >= (3, 11) else "sre_constants"
)

# Case-insensitive ``regex`` equates characters whose ``str.lower`` differs (dotless i, long s,
# final sigma, letters newer than Python's Unicode tables…). Pairs (char, representative), from
# ``regex._regex.get_all_cases``; tests/test_prefilter.py checks the table is still complete.
_EXTRA_PAIRS = (
    "\u0131i\u017fs\u03b9\u0345\u03bc\xb5\u03c3\u03c2\u03d0\u03b2\u03d1\u03b8\u03d5\u03c6\u03d6"
    "\u03c0\u03f0\u03ba\u03f1\u03c1\u03f5\u03b5\u1c80\u0432\u1c81\u0434\u1c82\u043e\u1c83\u0441"
    "\u1c84\u0442\u1c85\u0442\u1c86\u044a\u1c87\u0463\u1c8a\u1c89\u1e9b\u1e61\u1fbe\u0345\u1fd3"
    "\u0390\u1fe3\u03b0\ua64b\u1c88\ua7cb\u0264\ua7cd\ua7cc\ua7cf\ua7ce\ua7d3\ua7d2\ua7d5\ua7d4"
    "\ua7db\ua7da\ua7dc\u019b\ua7dd\u0277\ua7e2\u027c\uab6c\uab4b\uab6d\uab4c\ufb06\ufb05"
    "\U0001df95\xdf"
)
_EXTRA = {ord(_EXTRA_PAIRS[i]): ord(_EXTRA_PAIRS[i + 1]) for i in range(0, len(_EXTRA_PAIRS), 2)}
# Supplementary-plane pairs differ by a fixed offset; spelled as ranges to keep the table short.
_EXTRA.update({0x10D70 + k: 0x10D50 + k for k in range(0x16)})
_EXTRA.update({0x16EBB + k: 0x16EA0 + k for k in range(0x19)})
_EXTRA.update(
    {c + 1: c for c in (0x1DF40, 0x1DF48, 0x1DF4A, 0x1DF4D, 0x1DF51)}
    | {c + 1: c for c in range(0x1DF68, 0x1DF7F, 2) if c not in (0x1DF70,)}
)
_EXTRA_CHARS = frozenset(map(chr, _EXTRA))
_DOTTED_I = "\u0130"  # lower() would give two characters and shift every later offset


def fold_key(text: str) -> str:
    """Lower-case ``text`` so that characters ``regex`` equates ignoring case become equal.

    Same length as ``text``; conservative (it may equate more than ``regex`` does, never less).
    """
    if _DOTTED_I in text:
        text = text.replace(_DOTTED_I, "i")
    lowered = text.lower()
    # a set of a page's distinct characters: several times quicker than a class search
    if not lowered.isascii() and not _EXTRA_CHARS.isdisjoint(set(lowered)):
        lowered = lowered.translate(_EXTRA)
    return lowered


# -- analysing a pattern body ------------------------------------------------------------------

MAX_ALTERNATIVES = 64  # exact sets larger than this are not expanded (cross products explode)
MAX_PREFIXES = 2048  # a vocabulary of a few hundred terms, with spelling variants
_WORD = regexcode.WORD_CHAR
_VERBOSE = 64  # re.VERBOSE
_SPACE_CHARS = frozenset(" \t\n\r\f\v")


@dataclass(frozen=True)
class BodyInfo:
    """What the prefilter needs to know about one prepared pattern body.

    ``prefixes``: case-folded strings every match starts with (None: no such set).
    ``literals``: case-folded strings, one of which occurs in every match (None: no such set).
    ``units``: most tokens one match can touch (None: unbounded).
    ``crosses_blocks``: whether a match can contain a block separator.
    ``windowable``: no lookaround, anchor or back-reference of the author's own.
    ``alone``: compiled on its own, it matches what it matches inside the alternation (no
    back-reference or conditional, which count groups across bodies, and no global flag).
    """

    prefixes: tuple[str, ...] | None
    literals: tuple[str, ...] | None
    units: int | None
    crosses_blocks: bool
    windowable: bool
    closed: tuple[str, ...] = ()  # prefixes a match never continues with a word character
    alone: bool = False
    # More sets like ``literals``, each also required (the body's other literal runs, in order).
    groups: tuple[tuple[str, ...], ...] = ()
    # A body ``A(?=[\s\S]{0,N}?X)``: X's source, A's most tokens (None: unbounded) and N. X
    # must start within N characters of A's end for the body to match (``_look_ahead``).
    ahead: tuple[str, int | None, int] | None = None


UNKNOWN = BodyInfo(None, None, None, True, False)


@dataclass
class _Node:
    exact: frozenset[str] | None  # every string this node can match, when few and literal
    required: frozenset[str] | None  # one of these occurs in every match
    units: int | None
    nul: bool  # can match the block separator
    plain: bool  # no lookaround / anchor / back-reference
    char_kind: str | None = None  # "word" / "space" when it is one character of that kind only
    prefix: frozenset[str] | None = None  # every match starts with one of these (non-empty)
    # For a node that may match nothing: what its non-empty matches start with.
    optional_prefix: frozenset[str] | None = None
    # Prefixes always followed by a non-word character; prefixes that are whole matches.
    closed: frozenset[str] = frozenset()
    ends: frozenset[str] = frozenset()
    spacer: bool = False  # never empty, and never starts with a word character
    skip_spacer: bool = False  # may be empty; when not, starts with a non-word character
    optional_closed: frozenset[str] = frozenset()  # closed among ``optional_prefix``
    # Every set of which every match contains one string (``required`` is the best of them).
    groups: tuple[frozenset[str], ...] = ()


def _score(strings: frozenset[str]) -> tuple[int, int]:
    return (min(len(s) for s in strings), -len(strings))


def _best(candidates: Iterable[frozenset[str]]) -> frozenset[str] | None:
    usable = [c for c in candidates if c and all(c)]
    return max(usable, key=_score) if usable else None


def _product(
    a: frozenset[str], b: frozenset[str], cap: int = MAX_ALTERNATIVES
) -> frozenset[str] | None:
    if len(a) * len(b) > cap:
        return None
    return frozenset(x + y for x in a for y in b)


_Heads = tuple[frozenset[str], frozenset[str], frozenset[str]]  # prefixes, closed, ends
_NONE: frozenset[str] = frozenset()


def _heads(heads: frozenset[str], closed: frozenset[str], ends: frozenset[str]) -> _Heads | None:
    return (heads, closed, ends) if all(heads) else None


def _leads_nonword(nodes: Sequence[_Node]) -> bool:
    """Whether every match of the sequence ``nodes`` starts with a non-word character."""
    for node in nodes:
        if node.spacer:
            return True
        if not node.skip_spacer:
            return False
    return False


def _prefixes(nodes: Sequence[_Node]) -> _Heads | None:
    """Strings every match of the sequence ``nodes`` starts with (None: no such set), with
    those always followed by a non-word character, and those that are whole matches."""
    heads: frozenset[str] = frozenset({""})
    for i, node in enumerate(nodes):
        if node.exact is not None:
            longer = _product(heads, node.exact, MAX_PREFIXES)
            if longer is None:  # stop here: what follows is this node's match
                return _heads(heads, heads if _leads_nonword(nodes[i:]) else _NONE, _NONE)
            heads = longer
            continue
        rest = nodes[i + 1 :]
        if node.prefix is not None:
            longer = _product(heads, node.prefix, MAX_PREFIXES)
            if longer is None:
                return _heads(heads, heads if _leads_nonword(nodes[i:]) else _NONE, _NONE)
            closed = frozenset(h + p for h in heads for p in node.closed)
            whole = frozenset(h + p for h in heads for p in node.ends)
            if not rest:
                return _heads(longer, closed, whole)
            return _heads(longer, closed | whole if _leads_nonword(rest) else closed, _NONE)
        if node.optional_prefix is not None and heads == {""}:
            after = _prefixes(rest)  # skipped, the match starts with what follows
            if after is None:
                return None
            starts = node.optional_prefix | after[0]
            if len(starts) > MAX_PREFIXES:
                return None
            pairs = [(node.optional_prefix, node.optional_closed), (after[0], after[1])]
            ends = _agreed([(node.optional_prefix, _NONE), (after[0], after[2])])
            return _heads(starts, _agreed(pairs), ends)
        if node.skip_spacer and not rest:  # heads end the sequence or a non-word follows
            return _heads(heads, heads if _leads_nonword(nodes[i:]) else _NONE, heads)
        return _heads(heads, heads if _leads_nonword(nodes[i:]) else _NONE, _NONE)
    return _heads(heads, _NONE, heads)


def _char_node(chars: frozenset[str] | None, nul: bool, kind: str | None) -> _Node:
    spacer = kind == "space" or (
        chars is not None and not any(_WORD.compiled.match(c) for c in chars)
    )
    node = _Node(chars, chars, 1, nul, True, kind, chars, spacer=spacer)
    node.ends = chars or _NONE
    return node


class _Unsupported(Exception):
    """Syntax the standard parser reads differently from ``regex``."""


def _literal(code: int) -> _Node:
    if code == ord("{"):  # ``re`` takes ``x{e<=1}`` literally, ``regex`` as fuzzy matching
        raise _Unsupported
    ch = chr(code)
    kind = "word" if _WORD.compiled.match(ch) else "space" if ch in _SPACE_CHARS else None
    return _char_node(frozenset({fold_key(ch)}), code == 0, kind)


def _in(items: Sequence[tuple[Any, Any]]) -> _Node:
    negate = any(op is _c.NEGATE for op, _ in items)
    chars: set[str] = set()
    kinds: set[str | None] = set()
    nul = negate
    exact_ok = not negate
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(fold_key(chr(av)))
            node = _literal(av)
            kinds.add(node.char_kind)
            nul = nul or av == 0
        elif op is _c.RANGE:
            lo, hi = av
            exact_ok = False
            nul = nul or lo == 0
            words = hi - lo < 256 and all(_WORD.compiled.match(chr(c)) for c in range(lo, hi + 1))
            kinds.add("word" if words else None)
        elif op is _c.CATEGORY:
            exact_ok = False
            if av in (_c.CATEGORY_WORD, _c.CATEGORY_DIGIT):
                kinds.add("word")
            elif av is _c.CATEGORY_SPACE:
                kinds.add("space")
            else:
                kinds.add(None)
                nul = True  # \W, \S, \D all include the separator
        elif op is not _c.NEGATE:
            exact_ok, nul = False, True
            kinds.add(None)
    kind = kinds.pop() if len(kinds) == 1 and not negate else None
    exact = frozenset(chars) if exact_ok and chars and len(chars) <= 8 else None
    return _char_node(exact, nul, kind)


def _repeat(lo: int, hi: int, child: _Node) -> _Node:
    unbounded = hi == _c.MAXREPEAT
    if child.char_kind in ("word", "space"):
        units: int | None = 1 if hi > 0 else 0  # a run of one kind is one token
    elif unbounded or child.units is None:
        units = None
    else:
        units = hi * child.units
    exact = None
    if child.exact is not None and not unbounded and hi <= 4:
        exact = frozenset({""})
        options: set[str] = set()
        for n in range(hi + 1):
            if n >= lo:
                options |= exact
            if n < hi:
                step = _product(exact, child.exact)
                if step is None:
                    options = set()
                    break
                exact = step
        exact = frozenset(options) if options and len(options) <= MAX_ALTERNATIVES else None
    required = _best(c for c in (child.exact, child.required) if c is not None) if lo else None
    prefix = child.prefix if lo else None
    optional = _best(c for c in (child.exact, child.prefix) if c is not None) if hi else None
    node = _Node(exact, required, units, child.nul, child.plain, None, prefix, optional)
    if not lo:
        node.skip_spacer, node.optional_closed = child.spacer, child.closed
    if lo:
        node.closed, node.spacer = child.closed, child.spacer
        node.ends = child.ends if hi == 1 else _NONE
        node.groups = child.groups
    return node


def _sequence(items: Iterable[tuple[Any, Any]]) -> _Node:
    run: frozenset[str] | None = frozenset({""})
    candidates: list[frozenset[str]] = []
    whole: frozenset[str] | None = frozenset({""})
    units: int | None = 0
    nul = False
    plain = True
    nodes = [_item(op, av) for op, av in items]
    for node in nodes:
        nul = nul or node.nul
        plain = plain and node.plain
        units = None if units is None or node.units is None else units + node.units
        if node.required is not None:
            candidates.append(node.required)
        candidates += node.groups
        if node.exact is not None and run is not None:
            longer = _product(run, node.exact)
            if longer is None:  # too many alternatives: keep what we had, start afresh
                candidates.append(run)
            run = longer if longer is not None else node.exact
        else:
            if run is not None:
                candidates.append(run)
            run = node.exact if node.exact is not None else frozenset({""})
        whole = None if whole is None or node.exact is None else _product(whole, node.exact)
    if run is not None:
        candidates.append(run)
    heads = _prefixes(nodes)
    node = _Node(whole, _best(candidates), units, nul, plain, None, heads and heads[0])
    node.groups = tuple(dict.fromkeys(c for c in candidates if c and all(c)))
    if heads is not None:
        node.closed, node.ends = heads[1], heads[2]
    node.spacer = bool(nodes) and nodes[0].spacer
    if len(nodes) == 1:
        node.char_kind = nodes[0].char_kind
    return node


def _branch(alternatives: Sequence[Any]) -> _Node:
    nodes = [_sequence(alt) for alt in alternatives]
    exact: frozenset[str] | None = None
    if all(n.exact is not None for n in nodes):
        union = frozenset().union(*(n.exact for n in nodes if n.exact is not None))
        exact = union if len(union) <= MAX_ALTERNATIVES else None
    required: frozenset[str] | None = frozenset()
    for n in nodes:
        own = _best([c for c in (n.exact, n.required) if c is not None])
        required = None if own is None or required is None else required | own
    units = None if any(n.units is None for n in nodes) else max(n.units or 0 for n in nodes)
    prefix: frozenset[str] | None = frozenset()
    for n in nodes:
        prefix = None if prefix is None or n.prefix is None else prefix | n.prefix
    if prefix is not None and len(prefix) > MAX_PREFIXES:
        prefix = None
    node = _Node(
        exact,
        required or None,
        units,
        any(n.nul for n in nodes),
        all(n.plain for n in nodes),
        None,
        prefix or None,
        spacer=all(n.spacer for n in nodes),
    )
    if prefix:  # a prefix keeps a promise only if every alternative that has it makes it
        node.closed = _agreed([(n.prefix or _NONE, n.closed) for n in nodes])
        node.ends = _agreed([(n.prefix or _NONE, n.ends) for n in nodes])
    return node


def _agreed(pairs: Sequence[tuple[frozenset[str], frozenset[str]]]) -> frozenset[str]:
    kept = frozenset().union(*(marked for _, marked in pairs))
    broken = frozenset().union(*(heads - marked for heads, marked in pairs))
    return kept - broken


def _item(op: Any, av: Any) -> _Node:
    if op is _c.LITERAL:
        return _literal(av)
    if op is _c.IN:
        return _in(av)
    if op is _c.NOT_LITERAL or op is _c.ANY:
        return _char_node(None, True, None)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        lo, hi, child = av
        return _repeat(lo, hi, _sequence(child))
    if op is _c.SUBPATTERN:
        return _sequence(av[-1])
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(av)
    if op is _c.BRANCH:
        return _branch(av[1])
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return _lookaround(*av)
    if op is _c.AT:
        return _Node(frozenset({""}), None, 0, False, False)
    # back-references, conditionals, anything new: no literal, no bound, not windowable
    return _Node(None, None, None, True, False)


def _lookaround(direction: int, child: Any) -> _Node:
    """A look-ahead or look-behind: matches nothing, but windows must hold what it reads.

    ``regex`` lets a look-behind read text before a search's start, so it needs no room; a
    look-ahead stops at a search's end, so its tokens count towards the window's reach, and its
    ability to read a block separator towards ``crosses_blocks``.
    """
    inner = _sequence(child)
    if direction < 0:
        return _Node(frozenset({""}), None, 0, False, inner.plain)
    return _Node(frozenset({""}), None, inner.units, inner.nul, inner.plain)


def analyse(body: str) -> BodyInfo:
    """The prefilter's view of one prepared body (engine form, without word bounds)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "possible nested set": regex reads it differently
            parsed = _parser.parse(body, 0)
        if parsed.state.flags & _VERBOSE:  # white space in sets: the two parsers differ
            raise _Unsupported
        node = _sequence(parsed)
    except Exception:  # syntax only ``regex`` knows (\p{..}, fuzzy matching…): always run
        return UNKNOWN
    prefixes = tuple(sorted(node.prefix)) if node.prefix else None
    literals = tuple(sorted(node.required)) if node.required else None
    closed = tuple(sorted((node.closed | node.ends) & node.prefix)) if node.prefix else ()
    # a back-reference or conditional counts the whole alternation's groups, not the body's
    alone = parsed.state.flags & ~_UNICODE == 0 and not _uses(parsed, _GROUP_REFS)
    groups = tuple(tuple(sorted(g)) for g in node.groups if g != node.required)
    ahead = _look_ahead(body, parsed) if alone else None
    return BodyInfo(
        prefixes, literals, node.units, node.nul, node.plain, closed, alone, groups, ahead
    )


# The skip that opens a look-ahead searched for its content: any character, up to N of them.
_GAP = re.compile(r"\[\\s\\S\]\{0,(\d+)\}\??")
_ANCHORS = frozenset({_c.AT})  # ^ $ \A \Z \b \B: they read a search's bounds, not the text


def _look_ahead(body: str, parsed: Any) -> tuple[str, int | None, int] | None:
    r"""For a body that ends in a look-ahead skipping up to N characters, ``A(?=[\s\S]{0,N}?X)``
    (a claim followed, somewhere in the next N characters, by a price): X's source, A's most
    tokens and N. At every start the look-ahead tries X at each of N positions; the scan can
    instead find where X matches once and skip the starts with none in reach. None when the
    body has another shape, or X reads a search's bounds (anchors) or other groups."""
    items = list(parsed)
    if len(items) < 2 or items[-1][0] is not _c.ASSERT or items[-1][1][0] != 1:
        return None
    start = _last_group(body)
    if start is None or not body.startswith("(?=", start):
        return None
    inner = body[start + 3 : -1]
    gap = _GAP.match(inner)
    if gap is None or gap.end() == len(inner):
        return None
    content = inner[gap.end() :]
    try:
        tree = _parser.parse(content, 0)
        # the same tree the body's parse holds, so the string was cut where the parser did
        same = repr(_parser.parse(inner, 0).data) == repr(items[-1][1][1].data)
    except Exception:
        return None
    if not same or _uses(tree, _ANCHORS | _GROUP_REFS) or tree.state.flags & ~_UNICODE:
        return None
    return content, _sequence(items[:-1]).units, int(gap.group(1))


def _last_group(body: str) -> int | None:
    """Where the top-level group that ends ``body`` opens (None: it ends otherwise). Skips
    escapes and character sets, as the parser does."""
    opens: list[int] = []
    last = None
    i, size = 0, len(body)
    while i < size:
        ch = body[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a set: up to its first ``]`` that is not its first member
            i += 1
            if i < size and body[i] == "^":
                i += 1
            if i < size and body[i] == "]":
                i += 1
            while i < size and body[i] != "]":
                i += 2 if body[i] == "\\" else 1
        elif ch == "(":
            opens.append(i)
        elif ch == ")":
            if not opens:
                return None
            opened = opens.pop()
            last = opened if not opens and i == size - 1 else None
        i += 1
    return last if not opens else None


_UNICODE = 32  # re.UNICODE: the parser's default for a str pattern
_GROUP_REFS = frozenset(
    getattr(_c, name) for name in dir(_c) if name.startswith("GROUPREF") and name.isupper()
)


def _uses(tree: Any, ops: frozenset[Any]) -> bool:
    """Whether a parsed pattern holds one of ``ops`` anywhere."""
    if isinstance(tree, _parser.SubPattern):
        return any(op in ops or _uses(av, ops) for op, av in tree)
    if isinstance(tree, (list, tuple)):
        return any(_uses(part, ops) for part in tree)
    return False


# -- scanning documents ------------------------------------------------------------------------

# The tokens ``units`` counts: maximal runs of word characters or of white space, or one other
# character. The three kinds are disjoint, so the tokens counted from any offset, either way,
# are these (the first one cut at the offset).
_TOKEN = regexcode.TOKENS


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_" if ch.isascii() else _WORD.compiled.match(ch) is not None


# What an automaton hit means for its pattern: a match may start here, or a window of this many
# tokens (or the whole block) around it must be searched, or only that the pattern can occur.
START = -1
BLOCK = -2
PRESENT = -3
START_CLOSED = -4  # a match may start here if no word character follows the literal


@dataclass(frozen=True)
class _Plan:
    """How one pattern is searched.

    ``anchored``: every match starts at a prefix occurrence; try a match at each, in order.
    ``windowed``: search merged windows around literal occurrences. ``always``: no shortcut.
    ``literals``: the required literals, for the quick "cannot occur in this range" test.
    """

    anchored: bool
    windowed: bool
    always: bool
    literals: tuple[str, ...]
    checked: bool = False  # anchored, and some body has literal sets to check after its starts
    walled: bool = False  # anchored, and no match reaches past the end of its block


def info_of(pattern: Any) -> list[BodyInfo]:
    """Per-body analysis of a LazyPattern, computed once and kept on it (and in the rule cache)."""
    if not hasattr(pattern, "bodies"):  # a pattern compiled elsewhere: run it unfiltered
        return [UNKNOWN]
    if pattern.info is None:
        pattern.info = [analyse(body) for body in pattern.bodies]
    elif isinstance(pattern.info, bytes):  # from the rule cache, read on first use
        import pickle

        pattern.info = pickle.loads(pattern.info)
    return list(pattern.info)


def _plan(infos: Sequence[BodyInfo]) -> _Plan:
    anchored = all(i.prefixes for i in infos)
    always = not anchored and any(i.literals is None for i in infos)
    windowed = (
        not anchored
        and not always
        and all(i.windowable and (i.units is not None or not i.crosses_blocks) for i in infos)
    )
    literals = tuple(sorted({lit for i in infos for lit in (i.literals or ())}))
    checked = anchored and any(_checks(i) for i in infos)
    walled = anchored and all(map(_walled, infos))
    return _Plan(anchored, windowed, always, literals, checked, walled)


def _walled(info: BodyInfo) -> bool:
    """Whether a match attempt may stop at the end of the block: no match crosses it, and
    nothing in the body looks at where the text ends (an anchor, a look-ahead)."""
    return info.windowable and not info.crosses_blocks


def _second(info: BodyInfo) -> tuple[str, ...]:
    """Literals a match must contain besides its prefix: worth checking only when they are not
    the prefixes and not so short that they occur everywhere."""
    return info.literals if info.literals and _worth_checking(info.literals, info) else ()


def _worth_checking(literals: tuple[str, ...], info: BodyInfo) -> bool:
    return min(map(len, literals)) >= 3 and not set(literals) <= set(info.prefixes or ())


MAX_CHECKS = 4  # literal sets checked after a body's prefix (each one more list to walk)


def _checks(info: BodyInfo) -> tuple[tuple[str, ...], ...]:
    """The literal sets a match must contain one of each of, besides its prefix, checked
    before a match attempt: ``_second``'s, then the body's other literal runs, the last ones
    first (a claim's verb, its object, its regulator: a sentence with the prefix alone, or the
    prefix and the verb alone, is not tried). A set that another implies is left out."""
    first = _second(info)
    chosen = [first] if first else []
    heads = info.prefixes or ()
    for group in reversed(info.groups):
        if len(chosen) == MAX_CHECKS:
            break
        if group in chosen or not _worth_checking(group, info) or _implies(heads, group):
            continue
        if not any(_implies(other, group) for other in chosen):
            chosen.append(group)
    return tuple(chosen)


def _implies(strings: tuple[str, ...], group: tuple[str, ...]) -> bool:
    """Whether each of ``strings`` contains one of ``group`` (one occurs wherever they do)."""
    return bool(strings) and all(any(g in s for g in group) for s in strings)


def _dispatched(infos: Sequence[BodyInfo]) -> bool:
    """Whether to search the pattern body by body: each body with prefixes at its own starts,
    any other in its own windows or where its literals occur (see ``_Body``)."""
    if len(infos) < 2 or not all(info.alone for info in infos):
        return False
    return all(info.prefixes or info.literals for info in infos)


def _windowed(info: BodyInfo, full: bool) -> bool:
    """Whether a body without prefixes has windows (for searches over the whole text)."""
    bounded = info.units is not None or not info.crosses_blocks
    return full and not info.prefixes and bool(info.literals) and info.windowable and bounded


def _targets(infos: Sequence[BodyInfo], plan: _Plan, full: bool) -> Iterator[tuple[str, int]]:
    """(literal, meaning) pairs the automaton reports for a pattern searched as a whole."""
    for info in infos:
        if full and plan.windowed:
            units = BLOCK if info.units is None else info.units
            yield from ((lit, units) for lit in info.literals or ())
        elif full and not plan.always:
            yield from ((lit, PRESENT) for lit in info.literals or ())


def _body_targets(infos: Sequence[BodyInfo], full: bool) -> Iterator[tuple[int, str, int]]:
    """(body, literal, meaning) for an anchored or dispatched pattern: a body with prefixes may
    start at them (the literals it needs after them are its ``_checks``); a windowed body is
    searched in windows around its literals."""
    for number, info in enumerate(infos):
        if info.prefixes:
            closed = set(info.closed)
            for p in info.prefixes:
                yield number, p, START_CLOSED if p in closed else START
        elif _windowed(info, full):
            units = BLOCK if info.units is None else info.units
            for lit in info.literals or ():
                yield number, lit, units


class _Body(NamedTuple):
    """One body of an anchored pattern with a second literal to check, or of a dispatched one."""

    crosses: bool  # a match can cross a block separator
    required: int  # literal sets a match contains besides its prefix: starts are checked for them
    windowed: bool  # no prefixes: searched in windows around its literals, over the whole text
    walled: bool  # a match attempt may stop at the end of the block
    # No prefixes: one of these occurs in every match (not windowed, or a search over part of
    # the text: searched over all of it where one occurs).
    literals: tuple[str, ...]
    units: int | None = None  # most tokens a match touches (None: unbounded)


def _body(info: BodyInfo, full: bool) -> _Body:
    literals = () if info.prefixes else info.literals or ()
    return _Body(
        info.crosses_blocks,
        len(_checks(info)),
        _windowed(info, full),
        _walled(info),
        literals,
        info.units,
    )


class _Ahead(NamedTuple):
    r"""A body ``A(?=[\s\S]{0,N}?X)``'s look-ahead: X compiled alone, A's most tokens (None:
    unbounded), N."""

    content: Any
    units: int | None
    gap: int


# Which bodies each automaton target, as (meaning, literal id), concerns.
_BodyKeys = dict[tuple[int, int], list[int]]


class _Packed:
    """A list whose items stay marshalled until first read. Loaded from the rule cache on every
    run, the per-body and per-literal tables cost ~4 ms as objects; a page reads a few items."""

    __slots__ = ("items",)

    def __init__(self, items: Sequence[Any]) -> None:
        self.items: list[Any] = list(items.items if isinstance(items, _Packed) else items)

    def __getitem__(self, index: int) -> Any:
        item = self.items[index]
        if type(item) is bytes:  # the tables hold dicts and lists, never bytes
            item = self.items[index] = marshal.loads(item)
        return item

    def __len__(self) -> int:
        return len(self.items)

    def __getstate__(self) -> list[bytes]:
        return [item if type(item) is bytes else marshal.dumps(item) for item in self.items]

    def __setstate__(self, state: list[bytes]) -> None:
        self.items = state


# Prefilter attributes that only its construction reads (not kept in the rule cache).
_BUILD_ONLY = ("literal_ids", "targets", "at_start", "at_closed")


class Prefilter:
    """Built once per run from a rule set: one automaton over every pattern's literals."""

    def __init__(self, full: Sequence[Any], local: Sequence[Any]) -> None:
        # ``full``: patterns the engine scans over the whole text (match, except, when, require);
        # ``local``: patterns it searches near a hit (unless, near).
        self.index: dict[int, int] = {}  # id(pattern) -> number (rebuilt after unpickling)
        self.patterns: list[Any] = []
        self.plans: list[_Plan] = []
        self.literals: list[str] = []
        self.literal_ids: dict[str, int] = {}
        # per pattern: (literal id, meaning) pairs, and whether windows were registered for it
        self.targets: list[list[tuple[int, int]]] = []
        self.bodies: list[tuple[_Body, ...]] = []  # anchored with checks, and dispatched
        self.body_keys: list[_BodyKeys] = []
        self.checks: list[tuple[tuple[tuple[int, ...], ...], ...]] = []  # per pattern, per body
        checked: set[int] = set()  # literal ids some body checks
        # Dispatched patterns: each body alone, word-bounded (compiled on first use, and for
        # the rule cache when it is pickled: a LazyPattern pickles its compiled code).
        self.parts: list[tuple[Any, ...] | None] = []
        # (text, word-bounded) -> its part: a body, or a look-ahead's content
        self._shared: dict[tuple[str, bool], Any] = {}
        # Per dispatched pattern, per body ``A(?=[\s\S]{0,N}?X)``: (X, A's most tokens, N).
        self.aheads: list[tuple[_Ahead | None, ...] | None] = []
        # Per pattern, per body: its match attempts may stop at the block's end; the bodies
        # without prefixes (searched in windows, or where their literals occur).
        self.walled: list[tuple[bool, ...]] = []
        self.loose: list[tuple[int, ...]] = []
        self.full: list[bool] = []
        full_ids = {id(p) for p in full}
        for pattern in itertools.chain(full, local):
            if id(pattern) in self.index:
                continue
            self.index[id(pattern)] = len(self.plans)
            self.patterns.append(pattern)
            infos = info_of(pattern)
            plan = _plan(infos)
            self.plans.append(plan)
            self.full.append(id(pattern) in full_ids)
            dispatch = _dispatched(infos)
            if plan.anchored or dispatch:
                targets = list(_body_targets(infos, self.full[-1]))
            else:
                targets = [
                    (-1, lit, meaning) for lit, meaning in _targets(infos, plan, self.full[-1])
                ]
            pairs = []
            keys: _BodyKeys = {}
            for body, literal, meaning in targets:
                pairs.append((self._literal_id(literal), meaning))
                keys.setdefault(pairs[-1][::-1], []).append(body)
            self.targets.append(list(dict.fromkeys(pairs)))
            # Bodies matter to anchored patterns with a second literal to check, and dispatch.
            per_body = dispatch or plan.checked
            # Per body, per literal set to check after its starts: the literal ids (their
            # occurrences anywhere are read when a body has starts; no per-pattern entries).
            checks = []
            for info in infos if per_body else ():
                sets = _checks(info) if info.prefixes else ()
                checks.append(tuple(tuple(map(self._literal_id, lits)) for lits in sets))
                checked.update(lit for ids in checks[-1] for lit in ids)
            self.checks.append(tuple(checks))
            self.bodies.append(tuple(_body(i, self.full[-1]) for i in infos) if per_body else ())
            self.body_keys.append(keys if per_body else {})
            self.parts.append(
                tuple(self._part(body) for body in pattern.bodies) if dispatch else None
            )
            self.aheads.append(tuple(map(self._ahead, infos)) if dispatch else None)
            bodies = self.bodies[-1]
            self.walled.append(tuple(body.walled for body in bodies))
            self.loose.append(tuple(n for n, body in enumerate(bodies) if body.literals))
        # Which literals need every occurrence, which only those at a possible match start.
        self.anywhere = [False] * len(self.literals)
        self.at_start = [False] * len(self.literals)
        self.at_closed = [False] * len(self.literals)
        for pairs in self.targets:
            for number, meaning in pairs:
                if meaning == START:
                    self.at_start[number] = True
                elif meaning == START_CLOSED:
                    self.at_closed[number] = True
                else:
                    self.anywhere[number] = True
        for number in checked:
            self.anywhere[number] = True
        # literal id -> (pattern, meaning) pairs that use it
        self.users: list[list[tuple[int, int]]] = [[] for _ in self.literals]
        for number, pairs in enumerate(self.targets):
            for lit, meaning in pairs:
                self.users[lit].append((number, meaning))
        # What the scan keeps of each literal's occurrences, as bits (one lookup a hit).
        self.wants = [
            ANYWHERE * a | AT_START * b | AT_CLOSED * c
            for a, b, c in zip(self.anywhere, self.at_start, self.at_closed, strict=True)
        ]
        # Short one-word literals that matter only as whole words or word starts ("a", "in",
        # "it"…) occur inside most words: found with one stdlib scan each instead of reported
        # by the automaton at every occurrence (a third of a page's occurrences, for nothing).
        self.word_scans = _word_scans(self.literals, self.wants)
        scanned = _scanned(self.word_scans)
        self.automaton = _automaton(
            self.literals, [0 if n in scanned else w for n, w in enumerate(self.wants)]
        )

    def _literal_id(self, literal: str) -> int:
        number = self.literal_ids.get(literal)
        if number is None:
            number = self.literal_ids[literal] = len(self.literals)
            self.literals.append(literal)
        return number

    def _part(self, body: str, bounded: bool = True) -> Any:
        """One body compiled alone; shared by every pattern with the same body (many rules'
        qualifiers inline the same vocabulary): stored, loaded and compiled once."""
        part = self._shared.get((body, bounded))
        if part is None:
            made = patterns.compile_bounded((body,)) if bounded else patterns.LazyRegex((body,))
            part = self._shared[body, bounded] = made
        return part

    def _ahead(self, info: BodyInfo) -> _Ahead | None:
        if info.ahead is None:
            return None
        source, units, gap = info.ahead
        return _Ahead(self._part(source, bounded=False), units, gap)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_shared", None)
        del state["index"]  # ids do not survive a pickle; the pattern objects do
        # What only building needed stays out of the rule cache: every run loads it (~1.5 ms).
        for name in _BUILD_ONLY:
            state.pop(name, None)  # absent once loaded from the cache
        # Per-pattern and per-literal tables as marshalled items: a page reads few of them.
        for name in ("body_keys", "users", "checks"):
            state[name] = _Packed(state[name])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.index = {id(p): n for n, p in enumerate(self.patterns)}

    def dispatched(self) -> list[Any]:
        """The patterns searched body by body: the fast path never runs them whole."""
        return [p for p, parts in zip(self.patterns, self.parts, strict=True) if parts is not None]

    def covers(self, patterns: Iterable[Any]) -> bool:
        """Whether every pattern is planned here (a prefilter for a superset serves a subset)."""
        return all(id(p) in self.index for p in patterns)

    def scan(self, text: str) -> DocScan:
        return DocScan(self, text)


_SCANNED_LENGTH = 2  # the longest literal found by a word scan


def _word_scans(literals: Sequence[str], wants: Sequence[int]) -> tuple[_WordScan, ...]:
    """The word scans for the short literals made of ASCII word characters only that matter as
    whole words (``AT_CLOSED`` only) or as word starts (``AT_START`` only).

    Exact: the scan's bounds are the automaton's filters (the ASCII word mask), a whole word
    is one literal at most, and of start literals none is a prefix of another (so one
    alternative at most matches at a word start; one that is is left to the automaton)."""
    closed: dict[str, int] = {}
    starts: dict[str, int] = {}
    for number, literal in enumerate(literals):
        if len(literal) <= _SCANNED_LENGTH and _ASCII_WORD.issuperset(literal):
            if wants[number] == AT_CLOSED:
                closed[literal] = number
            elif wants[number] == AT_START:
                starts[literal] = number
    starts = {
        lit: n
        for lit, n in starts.items()
        if not any(
            other != lit and (other.startswith(lit) or lit.startswith(other)) for other in starts
        )
    }
    scans: list[_WordScan] = []
    if closed:
        scans.append((_WORD_START + _alternation(closed) + _WORD_END, AT_CLOSED, closed))
    if starts:
        scans.append((_WORD_START + _alternation(starts), AT_START, starts))
    return tuple(scans)


# A stdlib pattern over folded text, the occurrences it finds (AT_CLOSED or AT_START), and the
# literal ids by text.
_WordScan = tuple[str, int, dict[str, int]]
_WORD_START = "(?<![a-z0-9_])"  # the ASCII word mask's characters (``_ASCII_WORD``)
_WORD_END = "(?![a-z0-9_])"


def _scanned(scans: Iterable[_WordScan]) -> set[int]:
    """The ids of the literals the word scans find (the automaton leaves them out)."""
    return {number for *_, ids in scans for number in ids.values()}


def _alternation(literals: Iterable[str]) -> str:
    return "(?:" + "|".join(sorted(literals, key=lambda lit: (-len(lit), lit))) + ")"


def _automaton(literals: Sequence[str], wants: Sequence[int]) -> Any:
    """The Aho-Corasick automaton of the literals whose ``wants`` is not 0."""
    try:
        import ahocorasick
    except ImportError:  # pragma: no cover - a declared dependency; the fallback stays exact
        return None
    automaton = ahocorasick.Automaton()
    for number, literal in enumerate(literals):
        if wants[number]:
            automaton.add_word(literal, (number, len(literal) - 1, wants[number]))
    if len(automaton):
        automaton.make_automaton()
    return automaton


# The bits of ``Prefilter.wants``: every occurrence, those that may start a match, and those
# that may start one and end before a non-word character.
ANYWHERE, AT_START, AT_CLOSED = 1, 2, 4
_Hit = tuple[int, tuple[int, int, int]]  # end index, (literal id, length - 1, wants)


def _occurrences(prefilter: Prefilter, folded: str) -> Iterator[_Hit]:
    """Every occurrence, overlapping ones included."""
    automaton = prefilter.automaton
    if automaton is not None:
        if len(automaton):
            yield from automaton.iter(folded)
        return
    scanned = _scanned(prefilter.word_scans)
    for number, literal in enumerate(prefilter.literals):  # slow fallback: a find loop each
        if number in scanned:
            continue
        at = folded.find(literal)
        payload = (number, len(literal) - 1, prefilter.wants[number])
        while at != -1:
            yield at + len(literal) - 1, payload
            at = folded.find(literal, at + 1)


# ASCII word characters: one of these before a position means no bounded match starts there.
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_WORD_BYTES = bytes(chr(code) in _ASCII_WORD for code in range(256))


def _ascii_words(folded: str) -> bytes:
    """Per character of ``folded``: 1 for an ASCII word character, else 0 (built in C: any
    other character encodes as one '?', which is not one)."""
    return folded.encode("latin-1", "replace").translate(_WORD_BYTES)


class DocScan:
    """Where each pattern can match in one document; runs the engine's searches accordingly."""

    def __init__(self, prefilter: Prefilter, text: str) -> None:
        self.prefilter = prefilter
        self.text = text
        self.folded = folded = fold_key(text)
        # Occurrences by literal id, only for literals that occur (a page has few of them).
        anywhere: defaultdict[int, list[int]] = defaultdict(list)
        at_start: defaultdict[int, list[int]] = defaultdict(list)
        at_closed: defaultdict[int, list[int]] = defaultdict(list)
        words = _ascii_words(folded)
        last = len(folded) - 1
        # A loop run for every occurrence (hundreds of thousands on a long page): kept lean.
        for end, (number, back, wants) in _occurrences(prefilter, folded):
            start = end - back
            if wants & ANYWHERE:
                anywhere[number].append(start)
                if wants == ANYWHERE:
                    continue
            # Every pattern is word-bounded: ``(?<!\w)`` fails after a word character.
            if start and words[start - 1]:
                continue
            if wants & AT_START:
                at_start[number].append(start)
            if wants & AT_CLOSED and (end == last or not words[end + 1]):
                at_closed[number].append(start)
        for source, kind, ids in prefilter.word_scans:  # the automaton left these out
            found_at = at_closed if kind == AT_CLOSED else at_start
            for hit in re.finditer(source, folded):
                found_at[ids[hit.group()]].append(hit.start())
        self.anywhere = dict(anywhere)
        # Per pattern, the occurrence lists that concern it: (meaning, literal id, starts).
        found: defaultdict[int, list[tuple[int, int, list[int]]]] = defaultdict(list)
        none: list[int] = []
        for lit in {*anywhere, *at_start, *at_closed}:  # thousands of (literal, user) pairs
            somewhere = anywhere.get(lit, none)
            first, closed = at_start.get(lit, none), at_closed.get(lit, none)
            for number, meaning in prefilter.users[lit]:
                starts = (
                    first if meaning == START else closed if meaning == START_CLOSED else somewhere
                )
                if starts:
                    found[number].append((meaning, lit, starts))
        self.found = dict(found)
        self._starts: dict[int, list[int]] = {}
        self._viable: dict[str, list[int]] = {}  # body text -> its sorted starts
        self._sets: dict[tuple[int, ...], list[int]] = {}  # literal ids -> where any occurs
        self._seps: list[int] | None = None
        self._tokens: array[int] | None = None
        self._windows: dict[int, list[tuple[int, int]] | None] = {}
        self._dispatch: dict[int, array[int]] = {}
        self._match_of: dict[int, _Matchers] = {}
        self._body_spans: dict[int, list[list[tuple[int, int]]]] = {}

    # -- what can match where ------------------------------------------------------------------
    def starts(self, number: int) -> list[int]:
        """Sorted positions where a match of an anchored pattern can start."""
        known = self._starts.get(number)
        if known is None:
            if self.prefilter.bodies[number]:
                known = sorted(set(itertools.chain.from_iterable(self._body_starts(number))))
            else:
                entries = self.found.get(number, ())
                heads = (s for meaning, _, s in entries if meaning in (START, START_CLOSED))
                known = sorted(set(itertools.chain.from_iterable(heads)))
            self._starts[number] = known
        return known

    def _body_starts(self, number: int) -> list[list[int]]:
        """Per body, the sorted starts where its prefix occurs with its other required literal
        within reach (before the end of the block, for a body whose matches cannot cross one);
        none for a windowed body. Kept per body text: the rules' qualifiers share vocabularies."""
        texts = self.prefilter.patterns[number].bodies
        if number not in self.found:  # none of its literals occurs: no body can start
            return [[] for _ in texts]
        viable = self._viable
        missing = {body for body, text in enumerate(texts) if text not in viable}
        if missing:
            for body, starts in self._heads(number, missing).items():
                viable[texts[body]] = starts
        return [viable[text] for text in texts]

    def _heads(self, number: int, bodies: set[int]) -> dict[int, list[int]]:
        """``_body_starts`` of some of a pattern's bodies, computed from the occurrences found
        (a small page has few of a body's literals)."""
        info = self.prefilter.bodies[number]
        keys = self.prefilter.body_keys[number]
        heads: dict[int, list[int]] = {body: [] for body in bodies}
        entries = self.found.get(number, ())
        for meaning, lit, starts in entries:
            if meaning in (START, START_CLOSED):
                for body in keys.get((meaning, lit), ()):
                    if body in heads:
                        heads[body].extend(starts)
        checks = self.prefilter.checks[number]
        for body, starts in heads.items():
            if starts:
                starts = sorted(set(starts))
                if info[body].required:
                    starts = self._checked(starts, info[body], checks[body])
                heads[body] = starts
        return heads

    def _checked(
        self, starts: list[int], body: _Body, checks: tuple[tuple[int, ...], ...]
    ) -> list[int]:
        """The sorted ``starts`` after which each literal set of ``body`` occurs within reach."""
        for literals in checks:  # each set, in turn, from the starts still kept
            later = self._occurring(literals)
            if not later:
                return []
            if body.crosses and body.units is not None:
                starts = self._within_tokens(starts, later, body.units)
            else:
                starts = self._within_reach(starts, later, body.crosses)
            if not starts:
                break
        return starts

    def _occurring(self, literals: tuple[int, ...]) -> list[int]:
        """Where any of ``literals`` occurs, sorted; kept per set (bodies share them)."""
        known = self._sets.get(literals)
        if known is None:
            anywhere = self.anywhere
            found = [anywhere[lit] for lit in literals if lit in anywhere]
            known = self._sets[literals] = (
                found[0] if len(found) == 1 else sorted(set(itertools.chain.from_iterable(found)))
            )
        return known

    def _within_reach(self, starts: list[int], later: list[int], crosses: bool) -> list[int]:
        """The sorted ``starts`` with an element of ``later`` at or after them and no block
        separator in between (unless ``crosses``). Walks the shorter of the two lists."""
        if crosses:
            last = later[-1]
            return [at for at in starts if at <= last]
        if len(later) < len(starts):
            return self._before_later(starts, later)
        seps = self._separators()
        end = len(self.text)
        count, n_seps = len(later), len(seps)
        kept = []
        i = j = 0
        for at in starts:  # ascending: both searches resume where the last one ended
            i = bisect_left(later, at, i)
            if i == count:
                break
            j = bisect_left(seps, at, j)
            if later[i] < (seps[j] if j < n_seps else end):
                kept.append(at)
        return kept

    def _within_tokens(self, starts: list[int], later: list[int], units: int) -> list[int]:
        """The sorted ``starts`` with an element of ``later`` at or after them and within
        ``units`` tokens: before the start of the token after those (as far as ``_right``
        reaches, or one token further)."""
        tokens = self._token_starts()
        count, n_tokens, end = len(later), len(tokens), len(self.text)
        kept = []
        i = k = 0
        for at in starts:
            i = bisect_left(later, at, i)
            if i == count:
                break
            if later[i] - at < units:  # fewer characters than tokens: within reach
                kept.append(at)
                continue
            k = bisect_right(tokens, at, k)
            after = k + units
            if later[i] < (tokens[after] if after < n_tokens else end):
                kept.append(at)
        return kept

    def _before_later(self, starts: list[int], later: list[int]) -> list[int]:
        """The sorted ``starts`` in [after the last separator up to ``pos``, ``pos``] for some
        ``pos`` in ``later``: one slice per element of ``later``."""
        seps = self._separators()
        kept: list[int] = []
        done = 0  # ``starts`` before this index are kept or out of reach already
        for pos in later:
            i = bisect_right(seps, pos)
            lo = bisect_left(starts, seps[i - 1] + 1 if i else 0, done)
            done = bisect_right(starts, pos, lo)
            kept += starts[lo:done]
        return kept

    def _separators(self) -> list[int]:
        """Positions of the block separators, computed on first use."""
        if self._seps is None:
            find = self.text.find
            seps, at = [], find(BLOCK_SEPARATOR)
            while at != -1:
                seps.append(at)
                at = find(BLOCK_SEPARATOR, at + 1)
            self._seps = seps
        return self._seps

    def windows(self, number: int) -> list[tuple[int, int]] | None:
        """Merged windows of a pattern over the whole text (None: search all of it)."""
        if number in self._windows:
            return self._windows[number]
        entries = self.found.get(number, [])
        merged: list[tuple[int, int]] | None = []
        if self.prefilter.plans[number].windowed:
            assert merged is not None
            literals = self.prefilter.literals
            merged = _merge(
                self._window(start, len(literals[lit]), units)
                for units, lit, starts in entries
                for start in starts
            )
        elif entries:
            merged = None  # it can occur, and we cannot tell where: the whole text
        self._windows[number] = merged
        return merged

    def _body_windows(self, number: int) -> list[list[tuple[int, int]]]:
        """Per body of a dispatched pattern, the merged windows around its own literals (none
        for a body searched at its starts)."""
        known = self._body_spans.get(number)
        if known is not None:
            return known
        keys = self.prefilter.body_keys[number]
        bodies = self.prefilter.bodies[number]
        spans: list[list[tuple[int, int]]] = [[] for _ in bodies]
        literals = self.prefilter.literals
        for units, lit, starts in self.found.get(number, ()):
            if units >= 0 or units == BLOCK:
                length = len(literals[lit])
                found: dict[bool, list[tuple[int, int]]] = {}  # by whether the body crosses
                for body in keys.get((units, lit), ()):
                    crosses = bodies[body].crosses
                    if crosses not in found:
                        found[crosses] = [
                            self._reach(start, length, units, crosses) for start in starts
                        ]
                    spans[body] += found[crosses]
        known = self._body_spans[number] = [_merge(body) for body in spans]
        return known

    def _reach(self, start: int, length: int, units: int, crosses: bool) -> tuple[int, int]:
        """A body's window around a literal: for a body that cannot cross a block, its block
        when short (as exact as a block window, and no token offsets needed), else ``units``
        tokens either side (``_window``)."""
        if not crosses:
            seps = self._separators()
            i = bisect_left(seps, start)
            lo, hi = seps[i - 1] + 1 if i else 0, seps[i] if i < len(seps) else len(self.text)
            if hi - lo <= _SHORT_BLOCK:
                return lo, hi
        return self._window(start, length, units)

    def _window(self, start: int, length: int, units: int) -> tuple[int, int]:
        if units == BLOCK:  # the block around the literal
            seps = self._separators()
            i = bisect_left(seps, start)
            j = bisect_left(seps, start + length, i)
            return seps[i - 1] + 1 if i else 0, seps[j] if j < len(seps) else len(self.text)
        return self._left(start, units), self._right(start + length, units)

    def _token_starts(self) -> array[int]:
        """Where each token starts, computed on first use (one pass of the text)."""
        if self._tokens is None:
            # their lengths summed: quicker than a match object each
            lengths = map(len, _TOKEN.compiled.findall(self.text))
            self._tokens = array("q", itertools.accumulate(lengths, initial=0))[:-1]
        return self._tokens

    def _left(self, at: int, units: int) -> int:
        """Start of the ``units`` tokens before ``at`` (a token boundary, or 0)."""
        if not units:
            return at
        tokens = self._token_starts()
        first = bisect_left(tokens, at) - units  # the token holding ``at - 1`` is the first
        return tokens[first] if first >= 0 else 0

    def _right(self, at: int, units: int) -> int:
        """End of the ``units`` tokens after ``at``, moved past any word it stops inside."""
        text = self.text
        tokens = self._token_starts()
        if units:
            after = bisect_right(tokens, at) - 1 + units  # the token holding ``at`` is the first
            if after >= len(tokens):
                return len(text)
            at = tokens[after]
        if at < len(text) and _is_word(text[at]):
            after = bisect_right(tokens, at)
            return tokens[after] if after < len(tokens) else len(text)
        return at

    def _absent(self, plan: _Plan, start: int, end: int) -> bool:
        """Whether none of the required literals occurs in text[start:end]."""
        if plan.always:
            return False
        folded = self.folded[start:end]
        return not any(lit in folded for lit in plan.literals)

    # -- the engine's searches -----------------------------------------------------------------
    def finditer(self, pattern: Any, start: int, end: int, timeout: float) -> Iterator[Any]:
        """What ``pattern.finditer(text, start, end)`` yields, searching only where it can match."""
        number = self.prefilter.index.get(id(pattern))
        if number is None:
            return pattern.finditer(self.text, start, end, timeout=timeout)  # type: ignore[no-any-return]
        plan = self.prefilter.plans[number]
        whole = start == 0 and end == len(self.text)
        if self.prefilter.parts[number] is not None:
            return self._by_body(number, start, end, timeout)
        if plan.anchored:
            return self._anchored(pattern, number, plan, start, end, timeout)
        if whole and self.prefilter.full[number] and not plan.always:
            windows = self.windows(number)
            if windows is not None:
                return itertools.chain.from_iterable(
                    pattern.finditer(self.text, lo, hi, timeout=timeout) for lo, hi in windows
                )
        elif self._absent(plan, start, end):
            return iter(())
        return pattern.finditer(self.text, start, end, timeout=timeout)  # type: ignore[no-any-return]

    def _by_body(self, number: int, start: int, end: int, timeout: float) -> Iterator[Any]:
        """What the alternation's finditer yields, each body searched only where it can match.

        At each position the alternation's match is the first body's (in order) that matches
        there alone (word bounds included: ``regex`` backtracks into the next body when one
        fails at the trailing bound). So: try bodies at their starts in (position, body) order,
        and take the next match of a body without prefixes (searched in its ``_searches``)
        instead when it comes first; resume at the end of the match taken, as finditer does (no
        body's match is empty: each has a literal).
        """
        pairs = self._pairs(number)
        count = len(self.prefilter.bodies[number])  # a pair is start * count + body
        first = bisect_left(pairs, start * count)
        searches = self._searches(number, start, end, timeout)
        if not searches and (first == len(pairs) or pairs[first] >= end * count):
            return iter(())  # the common case of a qualifier's sentence: nothing to try
        return self._merged(number, pairs, first, searches, start, end, timeout)

    def _merged(
        self,
        number: int,
        pairs: array[int],
        i: int,
        searches: list[_WindowSearch],
        start: int,
        end: int,
        timeout: float,
    ) -> Iterator[Any]:
        """``_by_body``'s matches from ``pairs[i]`` on."""
        text = self.text
        matchers = self._matchers(number)
        known = matchers.known
        walled = self.prefilter.walled[number]
        count = len(walled)
        size = len(pairs)
        wall = -1  # the end of the block of the last walled attempt
        at = start
        while True:
            nearest, key = None, end * count  # the first windowed match from ``at``
            for search in searches:
                found = search.next_from(at)
                if found is not None and found.start() * count + search.body < key:
                    nearest, key = found, found.start() * count + search.body
            taken = None
            # The hot loop (a million pairs on a long page): locals, no calls but the match.
            while i < size:
                pair = pairs[i]
                if pair >= key:
                    break
                i += 1
                candidate, body = divmod(pair, count)
                if candidate < at:
                    continue
                match = known[body] or matchers[body]
                if walled[body]:
                    if candidate > wall:
                        wall = self._wall(candidate, end)
                    taken = match(text, candidate, wall, timeout=timeout)
                else:
                    taken = match(text, candidate, end, timeout=timeout)
                if taken is not None:
                    break
            taken = taken or nearest
            if taken is None:
                return
            yield taken
            at = taken.end()

    def _matchers(self, number: int) -> _Matchers:
        """The ``match`` of each body of a dispatched pattern, compiled (or unpickled) on use."""
        known = self._match_of.get(number)
        if known is None:
            parts = self.prefilter.parts[number]
            assert parts is not None
            aheads = self.prefilter.aheads[number]
            # a weak reference: the scan holds its matchers, which must not hold the scan (a
            # cycle would keep every page's scan until a collection, and runs pause those)
            guard = weakref.WeakMethod(self._guarded)
            known = self._match_of[number] = _Matchers(parts, aheads, guard)
        return known

    def _guarded(self, match: Any, ahead: _Ahead) -> Any:
        r"""``match`` of a body ``A(?=[\s\S]{0,N}?X)``, attempted only where X matches within
        reach of the start (A's tokens, then N characters). Without it, every attempt tries X
        at each of the N positions, and fails only after all of them; here where X matches is
        searched once for a run of attempts: the first match from a position answers for every
        attempt up to it."""
        search = ahead.content.compiled.search
        units, gap = ahead.units, ahead.gap
        found: dict[int, tuple[int, int]] = {}  # endpos -> (searched from, first start or -1)
        scan = weakref.ref(self)  # no cycle through the attempt the scan's matchers keep

        def attempt(text: str, pos: int, endpos: int, *, timeout: float) -> Any:
            known = found.get(endpos)
            if known is not None and known[0] <= pos and (known[1] < 0 or pos <= known[1]):
                first = known[1]
            else:
                hit = search(text, pos, endpos, timeout=timeout)
                first = hit.start() if hit is not None else -1
                found[endpos] = (pos, first)
            if first < 0:
                return None
            if units is not None:
                owner = scan()
                assert owner is not None  # it is the one searching
                if first > owner._right(pos, units) + gap:
                    return None
            return match(text, pos, endpos, timeout=timeout)

        return attempt

    def _searches(self, number: int, start: int, end: int, timeout: float) -> list[_WindowSearch]:
        """The bodies without prefixes of a dispatched pattern, each with where to search it:
        its windows for a search over the whole text, else all of [start, end) if one of its
        literals occurs there."""
        loose = self.prefilter.loose[number]
        if not loose:
            return []
        parts = self.prefilter.parts[number]
        assert parts is not None
        whole = start == 0 and end == len(self.text)
        windows = self._body_windows(number) if whole else None
        find = self.folded.find
        searches = []
        for body in loose:
            info = self.prefilter.bodies[number][body]
            if windows is not None and info.windowed:
                spans = windows[body]
            elif any(find(lit, start, end) != -1 for lit in info.literals):
                spans = [(start, end)]
            else:
                continue
            if spans:
                searches.append(_WindowSearch(body, parts[body], spans, self.text, timeout))
        return searches

    def _wall(self, at: int, end: int) -> int:
        """The end of the block holding ``at``, or ``end`` if sooner: an attempt at ``at`` that
        cannot cross a block ends there at the latest. Without it, ``regex`` looks for a string
        the pattern requires as far as the attempt's end: the whole text, at every start."""
        seps = self._separators()
        i = bisect_left(seps, at)
        return seps[i] if i < len(seps) and seps[i] < end else end

    def _pairs(self, number: int) -> array[int]:
        """Sorted (start, body) pairs where a body of a dispatched pattern can start, each as
        ``start * bodies + body`` (ints sort and compare several times quicker than tuples; an
        array holds a long page's million pairs in 8 bytes each, not 36)."""
        known = self._dispatch.get(number)
        if known is None:
            per_body = self._body_starts(number)
            count = len(per_body)
            pairs: list[int] = []
            for body, starts in enumerate(per_body):  # C-level loops: tens of thousands each
                keys = map(operator.mul, starts, itertools.repeat(count))
                pairs += map(operator.add, keys, itertools.repeat(body))
            pairs.sort()  # sorted runs, one a body: a merge
            known = self._dispatch[number] = array("q", pairs)
        return known

    def _anchored(
        self,
        pattern: Any,
        number: int,
        plan: _Plan,
        start: int,
        end: int,
        timeout: float,
    ) -> Iterator[Any]:
        starts = self.starts(number)
        # finditer tries every position from the last match's end; only these can succeed, and
        # a match attempt there (same endpos) finds what finditer finds there.
        text = self.text
        match = pattern.compiled.match
        walled = plan.walled
        stop = -1 if walled else end  # walled: the end of the block of the last attempt
        at = start
        for candidate in starts[bisect_left(starts, start) : bisect_left(starts, end)]:
            if candidate < at:
                continue
            if candidate > stop:
                stop = self._wall(candidate, end)
            found = match(text, candidate, stop, timeout=timeout)
            if found is not None:
                yield found
                at = found.end()

    def search(self, pattern: Any, start: int, end: int, timeout: float) -> Any:
        return next(self.finditer(pattern, start, end, timeout), None)


# A block this short is searched whole by a windowed body that cannot cross blocks: about as
# long as its token windows, and without them the page's token offsets are never computed.
_SHORT_BLOCK = 1024


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with those that overlap or touch joined."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


class _Matchers:
    """Each body's compiled ``match``, looked up by body number on first use (guarded where a
    body ends in a long look-ahead)."""

    def __init__(
        self,
        parts: tuple[Any, ...],
        aheads: tuple[_Ahead | None, ...] | None,
        guard: Callable[[], Callable[[Any, _Ahead], Any] | None],
    ) -> None:
        self.parts = parts
        self.aheads = aheads
        self.guard = guard
        self.known: list[Any] = [None] * len(parts)

    def __getitem__(self, body: int) -> Any:
        match = self.known[body]
        if match is None:
            match = self.parts[body].compiled.match
            ahead = self.aheads[body] if self.aheads else None
            guard = self.guard()
            if ahead is not None and guard is not None:
                match = guard(match, ahead)
            self.known[body] = match
        return match


class _WindowSearch:
    """One body's matches in its windows, from a position that only grows."""

    def __init__(
        self,
        body: int,
        part: Any,
        windows: list[tuple[int, int]],
        text: str,
        timeout: float,
    ) -> None:
        self.body = body
        self.search = part.compiled.search
        self.windows = windows
        self.text = text
        self.timeout = timeout
        self.found: Any = None
        self.index = 0  # windows before it hold no match from the current position

    def next_from(self, at: int) -> Any:
        """The body's first match starting at or after ``at`` (None: no more)."""
        found = self.found
        if found is not None and found.start() >= at:
            return found
        windows = self.windows
        while self.index < len(windows):
            lo, hi = windows[self.index]
            if hi > at:
                found = self.search(self.text, max(lo, at), hi, timeout=self.timeout)
                if found is not None:
                    self.found = found
                    return found
            self.index += 1
        self.found = None
        return None


def build(rules: Iterable[Any], phrases: Any = None, known: Prefilter | None = None) -> Prefilter:
    """The prefilter for a rule set (``lint.rules.Rule`` objects): ``known`` (one built with
    the rules, ``RuleSet.prefilter``) if it plans every pattern, else a new one.

    With its phrase automaton (``phrases``, lint.phrases) it plans only the full-text searches
    the automaton leaves to regexes: the patterns it does not cover and the rest of those it
    does. Qualifiers (``local``) then run as plain regexes on the sentences they guard, short
    ranges where planning them costs more at the first run (seconds) than it saves."""
    rules = list(rules)
    # A concept's pattern is one object shared by the rules that name it: listed once.
    full = list({id(p): p for rule in rules for p in rule.scanned}.values())
    local: list[Any] = []
    if phrases is not None:
        full = [p for p in full if not phrases.covers(p)] + phrases.regexes()
    else:
        scanned = {id(p) for p in full}
        local = [
            p
            for p in {id(p): p for rule in rules for p in rule.local}.values()
            if id(p) not in scanned
        ]
    # Same pattern objects, same roles: its plans are these patterns' plans.
    if (
        known is not None
        and known.covers(full)
        and known.covers(local)
        and all(known.full[known.index[id(p)]] for p in full)
    ):
        return known
    return Prefilter(full, local)
