"""``--format github``: GitHub Actions workflow commands, one annotation per finding, shown on
the pull request's diff. Chosen by default when ``GITHUB_ACTIONS=true``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from lint import report
from lint.baseline import relative_path
from lint.findings import Finding, Severity

if TYPE_CHECKING:
    from lint.api import FileResult
    from lint.rules import Rule

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part: %, CR and LF are encoded (the runner's escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: also ':' and ',' (the runner's escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, root: Path | None = None) -> str:
    """One workflow command; the path relative to ``root`` (the repository), as GitHub wants."""
    path = relative_path(f.path, root) if root else f.path
    props = [f"file={escape_property(path)}", f"line={f.line}"]
    if f.end_line == f.line:  # columns are only allowed on one-line annotations
        props += [f"col={f.column}", f"endColumn={f.end_column}"]
    else:
        props.append(f"endLine={f.end_line}")
    props.append(f"title={escape_property(f'{f.rule} ({f.category})')}")
    message = f.message + (f"\nSuggestion: {f.suggestion}" if f.suggestion else "")
    return f"::{COMMAND[f.severity]} {','.join(props)}::{escape_data(message)}\n"


class Writer(report.Writer):
    def __init__(self, stream: TextIO, rules: Mapping[str, Rule]) -> None:
        super().__init__(stream, rules)
        workspace = os.environ.get("GITHUB_WORKSPACE")
        self.root = Path(workspace) if workspace else Path.cwd()

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self.stream.write(annotation(f, self.root))
