"""``--format gitlab``: a GitLab Code Quality report (the Code Climate subset GitLab reads).

Paths are relative to ``CI_PROJECT_DIR`` (else the working directory). Fingerprints are the
line-free sha256 ones of lint.baseline: stable across runs and unique per finding, since GitLab
collapses issues that share one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TextIO

from lint.baseline import fingerprints, relative_path
from lint.findings import Severity
from lint.report import Report

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def issues(report: Report, root: Path | None = None) -> list[dict[str, Any]]:
    root = root or Path(os.environ.get("CI_PROJECT_DIR") or Path.cwd())
    findings = report.findings
    return [
        {
            "type": "issue",
            "description": f"{f.message} [{f.rule}]",
            "check_name": f.rule,
            "categories": ["Style"],
            "fingerprint": fp,
            "severity": SEVERITY[f.severity],
            "location": {
                "path": relative_path(f.path, root),
                "lines": {"begin": f.line, "end": f.end_line},
            },
        }
        for f, fp in zip(findings, fingerprints(findings, root), strict=True)
    ]


def render(report: Report, stream: TextIO) -> None:
    json.dump(issues(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
