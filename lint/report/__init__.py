"""Formatters: one module per output format, chosen by name, loaded only when used."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from lint.findings import Finding, count_by_severity

if TYPE_CHECKING:
    from lint.api import FileResult
    from lint.rules import Rule
    from lint.suppress import Suppressed

# name -> module under lint.report that defines render(report, stream)
FORMATS = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
}


@dataclass(frozen=True)
class Report:
    """Everything a formatter may show: the results in order and the run's totals."""

    results: Sequence[FileResult]
    # id -> Rule for every rule the run applied (SARIF lists them with their help text)
    rules: Mapping[str, Rule] = field(default_factory=dict)
    # baseline entries (JSON objects) that matched no finding: fixed, or the copy was rewritten
    stale: Sequence[Mapping[str, Any]] | None = None  # None: no baseline was used

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def suppressed(self) -> list[Suppressed]:
        return [s for r in self.results for s in r.suppressed]

    @property
    def files(self) -> int:
        return len(self.results)

    def summary(self) -> dict[str, object]:
        findings = self.findings
        return {
            "files": self.files,
            "findings": len(findings),
            "by_severity": count_by_severity(findings),
            "suppressed": len(self.suppressed),
        }


class Formatter(Protocol):
    def __call__(self, report: Report, stream: TextIO) -> None: ...


def formatter(name: str) -> Formatter:
    module = importlib.import_module(f"lint.report.{FORMATS[name]}")
    render: Formatter = module.render
    return render
