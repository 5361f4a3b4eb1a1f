"""How a rule author's pattern becomes a compiled regex: the one place that adds word bounds,
turns spaces into white-space runs, inserts vocabularies and folds Urdu letter variants."""

from __future__ import annotations

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


def vocab_names(pattern: str) -> list[str]:
    return VOCAB_REF.findall(pattern)


def expand(pattern: str, vocab: Mapping[str, str]) -> str:
    """Replace ``{{name}}`` with the vocabulary's alternation (already expanded)."""
    return VOCAB_REF.sub(lambda m: vocab[m.group(1)], pattern)


def spaces_to_whitespace(pattern: str) -> str:
    r"""A literal space outside a character class matches any run of white space (``\s+``)."""
    out: list[str] = []
    in_class = escaped = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1 : i + 2] == "]":
                out.append("]")
                i += 1
        elif ch == " ":
            while pattern[i + 1 : i + 2] == " ":
                i += 1
            quantified = pattern[i + 1 : i + 2] in ("?", "*", "+", "{")
            out.append(r"\s" if quantified else r"\s+")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


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
    the rule cache stores patterns compiled (``regex`` pickles a pattern as its compiled code).
    ``info`` holds the prefilter's analysis of each body (lint.prefilter), cached alongside.
    """

    __slots__ = ("_compiled", "bodies", "info")

    def __init__(self, bodies: tuple[str, ...]) -> None:
        self.bodies = bodies
        self.info: Any = None
        self._compiled: Any = None  # a compiled pattern, or its pickle from the rule cache

    @property
    def pattern(self) -> str:
        return bounded(alternation(self.bodies))

    @property
    def compiled(self) -> Pattern:
        if self._compiled is None:
            self._compiled = regex.compile(self.pattern, FLAGS)
        elif isinstance(self._compiled, bytes):
            import pickle

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

    def __getstate__(self) -> tuple[tuple[str, ...], Any, bytes]:
        import pickle

        compiled = self._compiled if isinstance(self._compiled, bytes) else None
        return self.bodies, self.info, compiled or pickle.dumps(self.compiled, protocol=4)

    def __setstate__(self, state: tuple[tuple[str, ...], Any, bytes]) -> None:
        self.bodies, self.info, self._compiled = state


def matches_empty(body: str) -> bool:
    """Whether the word-bounded pattern can match the empty string (it would fire everywhere)."""
    return regex.fullmatch(bounded(body), "", FLAGS) is not None
