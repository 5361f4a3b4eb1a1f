"""``--format json``: the machine contract of design.md (version 1), streamed: findings are
written as files are checked; suppressed findings wait in a spill buffer for their key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from lint import report
from lint.report import JsonArray, Totals, json_text, spill

if TYPE_CHECKING:
    from lint.api import FileResult
    from lint.rules import Rule

VERSION = 1


class Writer(report.Writer):
    def __init__(self, stream: TextIO, rules: Mapping[str, Rule]) -> None:
        super().__init__(stream, rules)
        stream.write(f'{{\n  "version": {VERSION},\n  "findings": ')
        self.findings = JsonArray(stream, 2)
        # cleared findings, each with a "suppression": {kind, justification[, line]} (an
        # extension: consumers that only read "findings" see exactly what the gate reports)
        self.spilled = spill()
        self.suppressed = JsonArray(self.spilled, 2)

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self.findings.add(f.to_json())
        for s in result.suppressed:
            self.suppressed.add(s.to_json())

    def finish(self, totals: Totals) -> None:
        self.findings.close()
        self.suppressed.close()
        self.stream.write(',\n  "suppressed": ')
        report.copy(self.spilled, self.stream)
        self.spilled.close()
        self.stream.write(',\n  "summary": ' + json_text(totals.summary(), 1))
        if totals.stale is not None:
            stale = {"stale": list(totals.stale)}
            self.stream.write(',\n  "baseline": ' + json_text(stale, 1))
        self.stream.write("\n}\n")
