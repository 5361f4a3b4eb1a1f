"""``--format gitlab``: a GitLab Code Quality report (the Code Climate subset GitLab reads).

Paths are relative to ``CI_PROJECT_DIR`` (else the working directory). Fingerprints are the
line-free sha256 ones of lint.baseline: stable across runs and unique per finding, since GitLab
collapses issues that share one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from lint import report
from lint.baseline import fingerprints, relative_path
from lint.findings import Finding, Severity
from lint.report import JsonArray, Totals

if TYPE_CHECKING:
    from lint.api import FileResult
    from lint.rules import Rule

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def issue(f: Finding, fingerprint: str, root: Path) -> dict[str, Any]:
    return {
        "type": "issue",
        "description": f"{f.message} [{f.rule}]",
        "check_name": f.rule,
        "categories": ["Style"],
        "fingerprint": fingerprint,
        "severity": SEVERITY[f.severity],
        "location": {
            "path": relative_path(f.path, root),
            "lines": {"begin": f.line, "end": f.end_line},
        },
    }


class Writer(report.Writer):
    def __init__(self, stream: TextIO, rules: Mapping[str, Rule]) -> None:
        super().__init__(stream, rules)
        self.root = Path(os.environ.get("CI_PROJECT_DIR") or Path.cwd())
        self.issues = JsonArray(stream, 1)

    def file(self, result: FileResult) -> None:
        # fingerprints count repeats within one path, so one file's findings give the same ids
        prints = fingerprints(result.findings, self.root)
        for f, fp in zip(result.findings, prints, strict=True):
            self.issues.add(issue(f, fp, self.root))

    def finish(self, totals: Totals) -> None:
        self.issues.close()
        self.stream.write("\n")
