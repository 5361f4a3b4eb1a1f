"""How a rule author's pattern becomes a compiled regex: the one place that adds word bounds,
turns spaces into white-space runs, inserts vocabularies and folds Urdu letter variants."""

from __future__ import annotations

import pickle
import re as _re
from collections.abc import Iterable, Mapping
from typing import Any

import regex

from lint import normalize

FLAGS = regex.IGNORECASE | regex.UNICODE
VOCAB_REF = _re.compile(r"\{\{\s*([A-Za-z0-9_-]+)\s*\}\}")

Pattern = Any  # regex.Pattern[str]; the regex module ships no type information


class PatternError(ValueError):
    """A pattern that does not compile; ``position`` indexes the author's pattern when known."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class MatchesEmpty(PatternError):
    """A pattern that matches the empty string: it would fire everywhere."""


def vocab_names(pattern: str) -> list[str]:
    return VOCAB_REF.findall(pattern)


def expand(pattern: str, vocab: Mapping[str, str]) -> str:
    """Replace ``{{name}}`` with the vocabulary's alternation (already expanded)."""
    return VOCAB_REF.sub(lambda m: vocab[m.group(1)], pattern)


def spaces_to_whitespace(pattern: str) -> str:
    r"""A literal space matches any run of white space, so phrases match across line breaks.

    Outside a class a space becomes ``\s+`` (``\s`` before a quantifier). A class with a space,
    ``side[- ]?effects``, becomes ``(?:[-]|\s+)`` when it stands alone or with ``?``, and gains
    ``\s`` (``[-\s]``) before ``*``/``+``/``{}`` or when negated.
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            end = class_end(pattern, i)
            out.append(_class(pattern[i:end], pattern[end : end + 1]))
            i = end
            continue
        if ch == " ":
            while pattern[i + 1 : i + 2] == " ":
                i += 1
            quantified = pattern[i + 1 : i + 2] in ("?", "*", "+", "{")
            out.append(r"\s" if quantified else r"\s+")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def class_end(pattern: str, start: int) -> int:
    """The index just past the character class opening at ``start``."""
    i = start + 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":
        i += 1  # a ']' first in a class is literal
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
        elif pattern[i] == "]":
            return i + 1
        else:
            i += 1
    return len(pattern)  # unterminated: the compiler reports it


def _class(text: str, quantifier: str) -> str:
    """A character class with its literal spaces made to match any white space."""
    if not text.endswith("]"):
        return text  # unterminated: left for the compiler to report
    chars: list[str] = []
    inner = text[1:-1]
    i = 0
    while i < len(inner):
        piece = inner[i : i + 2] if inner[i] == "\\" else inner[i]
        chars.append(piece)
        i += len(piece)
    rest = "".join(c for c in chars if c != " ")
    if len(rest) == len(inner):
        return text  # no literal space
    if rest.startswith("^"):
        return "[^\\s" + rest[1:] + "]"
    if quantifier in ("*", "+", "{"):
        return "[\\s" + rest + "]"  # \s first: never the end of a range
    return f"(?:[{rest}]|\\s+)" if rest else "(?:\\s+)"


def prepare(pattern: str) -> str:
    """Author's form -> engine form, without word bounds (used for terms inside a group)."""
    return spaces_to_whitespace(normalize.normalize_pattern(pattern))


def alternation(terms: Iterable[str]) -> str:
    return "(?:" + "|".join(f"(?:{t})" for t in terms) + ")"


def bounded(body: str) -> str:
    """Word-bound a pattern: it may not start or end inside a word."""
    return rf"(?<!\w)(?:{body})(?!\w)"


def check(pattern: str) -> Pattern:
    """``pattern`` (engine form) compiled; PatternError (with the position ``regex`` names) if
    it does not compile."""
    try:
        return regex.compile(pattern, FLAGS)
    except regex.error as exc:
        raise PatternError(str(exc.msg) if hasattr(exc, "msg") else str(exc), exc.pos) from None
    except (OverflowError, RecursionError, ValueError) as exc:
        raise PatternError(str(exc)) from None


def compile_bounded(bodies: Iterable[str], compiled: Pattern | None = None) -> Pattern:
    """One word-bounded pattern matching any of the prepared ``bodies``, compiled on first use
    (or ``compiled``: what ``validated`` gave for its one body)."""
    return LazyPattern(tuple(bodies), compiled)


def validated(body: str) -> Pattern:
    """The word-bounded pattern of one prepared body, compiled as the engine runs it; raises
    PatternError if it does not compile or matches the empty string (it would fire everywhere)."""
    compiled = check(bounded(alternation([body])))
    if compiled.fullmatch("") is not None:
        raise MatchesEmpty("matches the empty string")
    return compiled


class LazyPattern:
    """A word-bounded alternation of prepared bodies that compiles when first searched.

    ``regex`` parses patterns in pure Python: a pattern that inlines a vocabulary takes
    milliseconds, hundreds of them most of a second. A run compiles only what it searches, and
    the rule cache stores the patterns a run searches by regex compiled (``regex`` pickles a
    compiled pattern as its code: unpickling parses nothing).
    """

    __slots__ = ("_compiled", "bodies", "keep_compiled")

    def __init__(self, bodies: tuple[str, ...], compiled: Pattern | None = None) -> None:
        self.bodies = bodies
        self._compiled: Any = compiled
        # False: pickled without its compiled form (the phrase automaton finds its hits, no
        # regex is needed), compiled from source if ever searched.
        self.keep_compiled = True

    @property
    def pattern(self) -> str:
        return bounded(alternation(self.bodies))

    @property
    def compiled(self) -> Pattern:
        if self._compiled is None:
            self._compiled = regex.compile(self.pattern, FLAGS)
        elif isinstance(self._compiled, bytes):  # as the rule cache keeps it (``__getstate__``)
            self._compiled = pickle.loads(self._compiled)
        return self._compiled

    def finditer(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled.finditer(*args, **kwargs)

    def search(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled.search(*args, **kwargs)

    def match(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled.match(*args, **kwargs)

    def findall(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled.findall(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyPattern) and other.bodies == self.bodies

    def __hash__(self) -> int:
        return hash(self.bodies)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"

    def __getstate__(self) -> tuple[tuple[str, ...], bytes | None]:
        # The compiled pattern as ``regex`` pickles it (its code: no parse to load it back),
        # itself pickled: a run rebuilds only the patterns it searches (a page needs a few
        # dozen of ~500; rebuilding them all cost most of a start).
        if not self.keep_compiled:
            return self.bodies, None
        kept = self._compiled if isinstance(self._compiled, bytes) else None
        return self.bodies, kept or pickle.dumps(self.compiled, protocol=pickle.HIGHEST_PROTOCOL)

    def __setstate__(self, state: tuple[tuple[str, ...], bytes | None]) -> None:
        self.bodies, self._compiled = state
        self.keep_compiled = self._compiled is not None  # pickled again (spawned workers) alike


# The linter's own patterns.
WORDS = regex.compile(r"\w+")  # the engine's word counts and windows
# Where a sentence splits into clauses, for concept rules (lint.concepts): ; : — and a
# conjunction that starts a new statement (", and", ", while", "but", "whereas", Urdu لیکن …).
CLAUSE_BREAKS = regex.compile(
    r"[;:؛—–](?!\d)|\s-\s"
    r"|,(?=\s+(?:and|but|while|whereas|although|though|yet|however|unless)(?!\w))"
    r"|(?<=\s)(?=(?:but|whereas|although|though|however|unless|لیکن|مگر|جبکہ|تاہم|بلکہ)(?!\w))",
    FLAGS,
)
