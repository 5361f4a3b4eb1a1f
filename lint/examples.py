"""A rule's examples as the self-test runs them: text, the marked span, a drop-in fix, a known gap.

An example in a rule file is either a plain string or a mapping::

    bad:
      - "Our therapy is [[100% safe]]."              # [[…]] marks the exact span that must fire
      - text: "A [[permanent cure]] for diabetes."
        fix: "treatment that may help"              # put in place of the span, it must stay silent
      - text: "Cures asthma, for sure."
        todo: "inflected 'for sure' not caught yet" # a known gap: reported, never fails the run

Parsing is pure; ``ExampleError`` carries a message the loader reports at the example's line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lint.hints import close_matches

OPEN, CLOSE = "[[", "]]"
KINDS = ("bad", "good")
KEYS = ("text", "fix", "todo")


class ExampleError(ValueError):
    """An example that cannot be used; the message names what to change."""


@dataclass(frozen=True)
class Example:
    kind: str  # "bad" (must fire) or "good" (must stay silent)
    text: str  # as linted: markers removed
    line: int = 1  # line of the example in the rule file
    spans: tuple[tuple[int, int], ...] = ()  # [[…]] spans, offsets into ``text``
    fix: str | None = None
    todo: str | None = None

    @property
    def marked(self) -> str:
        """The example as its author wrote it, ``[[…]]`` markers included."""
        out, last = [], 0
        for start, end in self.spans:
            out += [self.text[last:start], OPEN, self.text[start:end], CLOSE]
            last = end
        return "".join([*out, self.text[last:]])

    @property
    def fixed(self) -> str | None:
        """The text with the marked span replaced by ``fix`` (None without a fix)."""
        if self.fix is None or len(self.spans) != 1:
            return None
        start, end = self.spans[0]
        return self.text[:start] + self.fix + self.text[end:]


def strip_markers(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``"a [[b]] c"`` -> ``("a b c", ((2, 3),))``; raises ExampleError on stray or empty markers."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start: int | None = None
    i = length = 0
    while i < len(marked):
        pair = marked[i : i + 2]
        if pair == OPEN:
            if start is not None:
                raise ExampleError("'[[' inside another '[[…]]'; markers cannot nest")
            start = length
            i += 2
        elif pair == CLOSE:
            if start is None:
                raise ExampleError("']]' without an opening '[['")
            if start == length:
                raise ExampleError("empty '[[]]' marker; put the words that must fire inside it")
            spans.append((start, length))
            start = None
            i += 2
        else:
            out.append(marked[i])
            length += 1
            i += 1
    if start is not None:
        raise ExampleError("'[[' without a closing ']]'")
    return "".join(out), tuple(spans)


def _string(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ExampleError(f"'{key}' must be a non-empty string")
    return value


def parse(value: Any, kind: str, line: int = 1) -> Example:
    """One example from its YAML value (a string or a mapping with ``text``, ``fix``, ``todo``)."""
    if not isinstance(value, (str, dict)):
        raise ExampleError(
            "must be a string, or a mapping with 'text' (and optional 'fix', 'todo')"
        )
    fields: Mapping[str, Any] = value if isinstance(value, dict) else {"text": value}
    unknown = [str(k) for k in fields if k not in KEYS]
    if unknown:
        close = close_matches(unknown[0], KEYS)
        hint = (
            f" — did you mean '{close[0]}'?"
            if close
            else f" (an example may have: {', '.join(KEYS)})"
        )
        raise ExampleError(f"unknown key '{unknown[0]}'{hint}")
    if "text" not in fields:
        raise ExampleError("a mapping example needs 'text'")
    text, spans = strip_markers(_string(fields["text"], "text"))
    if kind == "good" and spans:
        raise ExampleError("a good example must not fire, so it cannot mark a span with '[[…]]'")
    fix = _string(fields["fix"], "fix") if "fix" in fields else None
    if fix is not None and kind == "good":
        raise ExampleError("'fix' belongs to bad examples")
    if fix is not None and len(spans) != 1:
        raise ExampleError("'fix' needs exactly one '[[…]]' span in 'text' to replace")
    todo = _string(fields["todo"], "todo") if "todo" in fields else None
    return Example(kind, text, line, spans, fix, todo)
