"""The human format: findings grouped by file, the source line with the match underlined, the
suggestion, and a summary. rich is imported here only; colour only on a terminal, NO_COLOR wins."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from lint.findings import Finding, Severity
from lint.report import Report

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
WIDTH = 100  # characters of a long source line shown around the match


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


def _finding(console: Console, finding: Finding, line: str | None) -> None:
    head = Text()
    head.append(f"{finding.path}:{finding.line}:{finding.column}", style="bold")
    head.append(": ")
    head.append(finding.severity.value, style=STYLE[finding.severity])
    head.append(f" [{finding.rule}] ", style="dim")
    head.append(finding.message)
    console.print(head)
    if line is not None:
        shown, start, end = _excerpt(line.rstrip("\r\n"), finding)
        gutter = f"{finding.line:>5} │ "
        console.print(Text(gutter, style="dim") + Text(shown))
        marks = " " * len(gutter) + " " * start + "^" * max(1, end - start)
        console.print(Text(marks, style=STYLE[finding.severity]))
    if finding.suggestion:
        console.print(Text("      = suggestion: ", style="green") + Text(finding.suggestion))


def _summary(report: Report) -> Text:
    counts = report.summary()["by_severity"]
    assert isinstance(counts, dict)
    total = len(report.findings)
    files = report.files
    text = Text(f"Checked {files} file{'s' if files != 1 else ''}: ", style="bold")
    if not total:
        return text + Text("no findings.", style="green")
    parts = [
        f"{counts[s.value]} {s.value}{'s' if counts[s.value] != 1 and s is not Severity.INFO else ''}"
        for s in Severity
    ]
    return text + Text(f"{total} finding{'s' if total != 1 else ''} ({', '.join(parts)}).")


def render(report: Report, stream: TextIO) -> None:
    console = Console(file=stream, highlight=False, soft_wrap=True, emoji=False)
    for result in report.results:
        if not result.findings:
            continue
        for finding in result.findings:
            _finding(console, finding, result.lines.get(finding.line))
        console.print()
    console.print(_summary(report))
    if report.suppressed:  # say why a finding someone remembers is gone, and where to see it
        n = len(report.suppressed)
        console.print(
            Text(
                f"{n} suppressed finding{'s' if n != 1 else ''} not shown "
                "(inline directives or the baseline; --format json lists them with their reasons).",
                style="dim",
            )
        )
