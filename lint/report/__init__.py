"""Formatters: one module per output format, chosen by name, loaded only when used."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TextIO

from lint.findings import Finding, count_by_severity

if TYPE_CHECKING:
    from lint.api import FileResult

# name -> module under lint.report that defines render(report, stream)
FORMATS = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
}


@dataclass(frozen=True)
class Report:
    """Everything a formatter may show: the results in order and the run's totals."""

    results: Sequence[FileResult]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def files(self) -> int:
        return len(self.results)

    def summary(self) -> dict[str, object]:
        findings = self.findings
        return {
            "files": self.files,
            "findings": len(findings),
            "by_severity": count_by_severity(findings),
        }


class Formatter(Protocol):
    def __call__(self, report: Report, stream: TextIO) -> None: ...


def formatter(name: str) -> Formatter:
    module = importlib.import_module(f"lint.report.{FORMATS[name]}")
    render: Formatter = module.render
    return render
