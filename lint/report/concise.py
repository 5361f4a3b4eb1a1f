"""``--format concise``: one line per finding, ``path:line:col: severity rule message``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lint import report

if TYPE_CHECKING:
    from lint.api import FileResult


class Writer(report.Writer):
    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self.stream.write(
                f"{f.path}:{f.line}:{f.column}: {f.severity.value} {f.rule} {f.message}\n"
            )
