"""How a rule author's pattern becomes a compiled regex: the one place that adds word bounds,
turns spaces into white-space runs, inserts vocabularies and folds Urdu letter variants."""

from __future__ import annotations

import re as _re
from collections.abc import Iterable, Mapping
from typing import Any

from lint import normalize, regexcode

FLAGS = regexcode.IGNORECASE | regexcode.UNICODE
VOCAB_REF = _re.compile(r"\{\{\s*([A-Za-z0-9_-]+)\s*\}\}")

Pattern = Any  # regex.Pattern[str]; the regex module ships no type information


class PatternError(ValueError):
    """A pattern that does not compile; ``position`` indexes the author's pattern when known."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


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


def check(pattern: str) -> None:
    """Raise PatternError if ``pattern`` (engine form) does not compile."""
    import regex

    try:
        regex.compile(pattern, FLAGS)
    except regex.error as exc:
        raise PatternError(str(exc.msg) if hasattr(exc, "msg") else str(exc), exc.pos) from None
    except (OverflowError, RecursionError, ValueError) as exc:
        raise PatternError(str(exc)) from None


def compile_bounded(bodies: Iterable[str]) -> Pattern:
    """One word-bounded pattern matching any of the prepared ``bodies``, compiled on first use."""
    return LazyPattern(tuple(bodies))


class LazyPattern:
    """A word-bounded alternation of prepared bodies that compiles when first searched.

    ``regex`` parses patterns in pure Python: a pattern that inlines a vocabulary takes
    milliseconds, hundreds of them most of a second. A run compiles only what it searches, and
    the rule cache stores patterns compiled, as their code (``lint.regexcode``).
    ``info`` holds the prefilter's analysis of each body (lint.prefilter), cached alongside.
    """

    __slots__ = ("_compiled", "bodies", "info", "pickle_code")

    def __init__(self, bodies: tuple[str, ...]) -> None:
        self.bodies = bodies
        self.info: Any = None
        self._compiled: Any = None  # a compiled pattern, or its code from the rule cache
        # False: pickled without its code (the prefilter runs its bodies compiled one by one),
        # compiled from source if ever needed.
        self.pickle_code = True

    @property
    def pattern(self) -> str:
        return bounded(alternation(self.bodies))

    @property
    def compiled(self) -> Pattern:
        if self._compiled is None:
            self._compiled = regexcode.compile(self.pattern, FLAGS)
        elif isinstance(self._compiled, bytes):  # its code, from the rule cache
            self._compiled = regexcode.load(self._compiled)
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
        return (
            isinstance(other, LazyPattern)
            and type(other) is type(self)
            and other.bodies == self.bodies
        )

    def __hash__(self) -> int:
        return hash(self.bodies)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"

    def __getstate__(self) -> tuple[tuple[str, ...], Any, regexcode.Code | None]:
        import pickle

        compiled = self._compiled if isinstance(self._compiled, bytes) else None
        # The prefilter's analysis travels as its own pickle too: a run whose cached prefilter
        # covers its rules never reads it (thousands of prefix strings, ~3 ms of a start).
        info = self.info
        if info is not None and not isinstance(info, bytes):
            info = pickle.dumps(info, protocol=4)
        if not self.pickle_code:
            return self.bodies, info, None
        # Its code, not the pattern: unpickling a pattern would import the whole regex package.
        return self.bodies, info, compiled or regexcode.dump(self.compiled)

    def __setstate__(self, state: tuple[tuple[str, ...], Any, regexcode.Code | None]) -> None:
        self.bodies, self.info, self._compiled = state
        self.pickle_code = self._compiled is not None  # pickled again (spawned workers) alike


class LazyRegex(LazyPattern):
    """One prepared pattern compiled as it is, without word bounds: a look-ahead's content,
    which may start anywhere (the prefilter searches it on its own)."""

    __slots__ = ()

    @property
    def pattern(self) -> str:
        return self.bodies[0]


def matches_empty(body: str) -> bool:
    """Whether the word-bounded pattern can match the empty string (it would fire everywhere)."""
    return regexcode.compile(bounded(body), FLAGS).fullmatch("") is not None
