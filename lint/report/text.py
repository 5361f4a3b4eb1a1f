"""The human format: findings grouped by file, the source line with the match underlined, the
suggestion, and a summary. Colour (rich, imported only then) only on a terminal; NO_COLOR wins.

Lines are built as (text, style) pieces once; plain output joins them, which keeps rich off the
pre-commit path where output is piped."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

from lint import report
from lint.findings import Finding, Severity
from lint.report import Totals

if TYPE_CHECKING:
    from lint.api import FileResult
    from lint.rules import Rule

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
WIDTH = 100  # characters of a long source line shown around the match

Line = list[tuple[str, str]]  # (text, rich style or "")


def _excerpt(line: str, finding: Finding) -> tuple[str, int, int]:
    """A window of ``line`` around the match, and the match's start and end within it."""
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    end = max(end, start + 1)
    left = max(0, min(start - 20, len(line) - WIDTH))
    right = min(len(line), max(left + WIDTH, end + 10))
    prefix, suffix = ("…" if left else ""), ("…" if right < len(line) else "")
    shown = prefix + line[left:right].expandtabs(1) + suffix
    return shown, start - left + len(prefix), end - left + len(prefix)


def _finding(finding: Finding, line: str | None) -> list[Line]:
    style = STYLE[finding.severity]
    lines: list[Line] = [
        [
            (f"{finding.path}:{finding.line}:{finding.column}", "bold"),
            (": ", ""),
            (finding.severity.value, style),
            (f" [{finding.rule}] ", "dim"),
            (finding.message, ""),
        ]
    ]
    if line is not None:
        shown, start, end = _excerpt(line.rstrip("\r\n"), finding)
        gutter = f"{finding.line:>5} │ "
        lines.append([(gutter, "dim"), (shown, "")])
        lines.append([(" " * (len(gutter) + start) + "^" * max(1, end - start), style)])
    if finding.suggestion:
        lines.append([("      = suggestion: ", "green"), (finding.suggestion, "")])
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 and word != 'info' else ''}"


def _summary(totals: Totals) -> list[Line]:
    counts = totals.by_severity
    total = totals.findings
    head = (f"Checked {_plural(totals.files, 'file')}: ", "bold")
    if not total:
        lines: list[Line] = [[head, ("no findings.", "green")]]
    else:
        parts = ", ".join(_plural(counts[s.value], s.value) for s in Severity)
        lines = [[head, (f"{_plural(total, 'finding')} ({parts}).", "")]]
    if totals.errors:  # "no findings" must not read as "clean" when a page was not checked
        note = (
            f"{_plural(len(totals.errors), 'error')} (on stderr): what they name was not checked."
        )
        lines.append([(note, "red")])
    if totals.suppressed:  # say why a finding someone remembers is gone, and where to see it
        note = (
            f"{_plural(totals.suppressed, 'suppressed finding')} not shown "
            "(inline directives or the baseline; --format json lists them with their reasons)."
        )
        lines.append([(note, "dim")])
    return lines


def _colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


class Writer(report.Writer):
    def __init__(self, stream: TextIO, rules: Mapping[str, Rule]) -> None:
        super().__init__(stream, rules)
        self.console: Any = None
        if _colour(stream):
            from rich.console import Console

            self.console = Console(
                file=stream, highlight=False, soft_wrap=True, emoji=False, force_terminal=True
            )

    def _print(self, lines: list[Line]) -> None:
        if self.console is None:
            self.stream.write("".join("".join(text for text, _ in line) + "\n" for line in lines))
            return
        from rich.text import Text

        for line in lines:
            self.console.print(Text.assemble(*line))

    def file(self, result: FileResult) -> None:
        if not result.findings:
            return
        lines: list[Line] = []
        for finding in result.findings:
            lines.extend(_finding(finding, result.lines.get(finding.line)))
        lines.append([])
        self._print(lines)

    def finish(self, totals: Totals) -> None:
        self._print(_summary(totals))
