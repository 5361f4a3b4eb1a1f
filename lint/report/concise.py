"""``--format concise``: one line per finding, ``path:line:col: severity rule message``."""

from __future__ import annotations

from typing import TextIO

from lint.report import Report


def render(report: Report, stream: TextIO) -> None:
    for f in report.findings:
        stream.write(f"{f.path}:{f.line}:{f.column}: {f.severity.value} {f.rule} {f.message}\n")
