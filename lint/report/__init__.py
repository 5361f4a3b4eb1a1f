"""Formatters: one module per output format, chosen by name, loaded only when used.

A run streams: each format's ``Writer`` is given every file's result as it comes (``file``) and
the run's totals at the end (``finish``), so no file's findings are kept once written and
memory stays flat however many files a run checks. ``Report`` holds a finished run's results
for callers that have them all (the API, tests); ``formatter(name)`` renders one through the
same writer.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, TextIO

from lint.findings import SEVERITIES, Severity

if TYPE_CHECKING:
    from collections.abc import Callable

    from lint.api import FileResult
    from lint.rules import Rule

# name -> module under lint.report that defines ``Writer``
FORMATS = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
    "html": "html",
}
SPILL_BYTES = 1 << 20  # a deferred part of a report stays in memory up to this, then on disk


@dataclass
class Totals:
    """What a report's ending says, counted as files go by."""

    files: int = 0
    by_severity: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    suppressed: int = 0
    errors: list[str] = field(default_factory=list)  # files that could not be checked
    # baseline entries (JSON objects) that matched no finding: fixed, or the copy was rewritten
    stale: Sequence[Mapping[str, Any]] | None = None  # None: no baseline was used

    def add(self, result: FileResult) -> None:
        self.files += 1
        for finding in result.findings:
            self.by_severity[finding.severity.value] += 1
        self.suppressed += len(result.suppressed)
        self.errors.extend(result.errors)

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    def any_at_or_above(self, threshold: Severity) -> bool:
        """Whether a reported finding has at least ``threshold``'s severity (the exit code)."""
        return any(n for s, n in self.by_severity.items() if Severity(s).rank >= threshold.rank)

    def summary(self) -> dict[str, object]:
        return {
            "files": self.files,
            "findings": self.findings,
            "by_severity": dict(self.by_severity),
            "suppressed": self.suppressed,
        }


class Writer:
    """One format's output, written as the run goes: ``file`` per result, then ``finish``.

    ``fail_on`` is the run's failure threshold, for formats that tell failing findings from the
    others (JUnit); the run sets it before the first file."""

    fail_on: Severity = Severity.ERROR

    def __init__(self, stream: TextIO, rules: Mapping[str, Rule]) -> None:
        self.stream = stream
        self.rules = rules  # id -> Rule for every rule the run applied

    def file(self, result: FileResult) -> None:
        raise NotImplementedError

    def finish(self, totals: Totals) -> None:
        """Write what follows the last file (a summary, closing brackets)."""


def spill() -> IO[str]:
    """A buffer for a part of a report that must wait for the end (memory, then a temp file)."""
    import tempfile

    return tempfile.SpooledTemporaryFile(SPILL_BYTES, mode="w+", encoding="utf-8", newline="\n")


def copy(source: IO[str], stream: TextIO) -> None:
    source.seek(0)
    while chunk := source.read(SPILL_BYTES):
        stream.write(chunk)


def json_text(value: object, depth: int) -> str:
    """``value`` laid out as ``json.dump(indent=2)`` lays it out at nesting ``depth`` (the first
    line unindented: it follows a key or the caller's indent). JSON strings hold no raw line
    breaks, so indenting after each one is safe."""
    import json  # the JSON formats' only: not on the pre-commit (text) path

    if isinstance(value, dict) and value and all(_plain(k, v) for k, v in value.items()):
        return _flat_object(value, depth, json.encoder.encode_basestring)
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


_SCALARS = (str, int, bool, type(None))


def _plain(key: object, value: object) -> bool:
    return type(key) is str and type(value) in _SCALARS


def _flat_object(value: dict[str, Any], depth: int, string: Callable[[str], str]) -> str:
    """A dict of strings, integers, booleans and nulls as ``json_text`` lays it out, without
    json's pure-Python indenting encoder (a finding each: most of the JSON format's time)."""
    pad = "  " * (depth + 1)
    items = ",\n".join(f"{pad}{string(k)}: {_scalar(v, string)}" for k, v in value.items())
    return "{\n" + items + "\n" + "  " * depth + "}"


def _scalar(value: object, string: Callable[[str], str]) -> str:
    if isinstance(value, str):
        return string(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return int.__repr__(value)


class JsonArray:
    """A JSON array written item by item, laid out as ``json.dump(indent=2)`` would."""

    def __init__(self, stream: IO[str], depth: int) -> None:
        self.stream = stream
        self.depth = depth  # nesting of the items
        self.count = 0

    def add(self, value: object) -> None:
        pad = "  " * self.depth
        self.stream.write(("[\n" if not self.count else ",\n") + pad + json_text(value, self.depth))
        self.count += 1

    def close(self) -> None:
        self.stream.write("\n" + "  " * (self.depth - 1) + "]" if self.count else "[]")


@dataclass(frozen=True)
class Report:
    """A finished run: the results in order, the rules applied and the stale baseline entries."""

    results: Sequence[FileResult]
    rules: Mapping[str, Rule] = field(default_factory=dict)
    stale: Sequence[Mapping[str, Any]] | None = None
    fail_on: Severity = Severity.ERROR

    def totals(self) -> Totals:
        totals = Totals(stale=self.stale)
        for result in self.results:
            totals.add(result)
        return totals


def writer(name: str) -> type[Writer]:
    module = importlib.import_module(f"lint.report.{FORMATS[name]}")
    found: type[Writer] = module.Writer
    return found


def formatter(name: str) -> Callable[[Report, TextIO], None]:
    """Render a whole ``Report`` in format ``name`` (what the streaming run writes, at once)."""

    def render(report: Report, stream: TextIO) -> None:
        out = writer(name)(stream, report.rules)
        out.fail_on = report.fail_on
        for result in report.results:
            out.file(result)
        out.finish(report.totals())

    return render
