"""``--format json``: the machine contract of design.md (version 1)."""

from __future__ import annotations

import json
from typing import TextIO

from lint.report import Report

VERSION = 1


def document(report: Report) -> dict[str, object]:
    data: dict[str, object] = {
        "version": VERSION,
        "findings": [f.to_json() for f in report.findings],
        # cleared findings, each with a "suppression": {kind, justification[, line]} (an extension:
        # consumers that only read "findings" see exactly what the gate reports)
        "suppressed": [s.to_json() for s in report.suppressed],
        "summary": report.summary(),
    }
    if report.stale is not None:
        data["baseline"] = {"stale": list(report.stale)}
    return data


def render(report: Report, stream: TextIO) -> None:
    json.dump(document(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
