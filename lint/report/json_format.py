"""``--format json``: the machine contract of design.md (version 1)."""

from __future__ import annotations

import json
from typing import TextIO

from lint.report import Report

VERSION = 1


def document(report: Report) -> dict[str, object]:
    return {
        "version": VERSION,
        "findings": [f.to_json() for f in report.findings],
        "summary": report.summary(),
    }


def render(report: Report, stream: TextIO) -> None:
    json.dump(document(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
