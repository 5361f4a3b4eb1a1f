"""The human format: findings grouped by file, the source line with the match underlined, the
suggestion, and a summary. Colour (rich, imported only then) only on a terminal; NO_COLOR wins.

Lines are built as (text, style) pieces once; plain output joins them, which keeps rich off the
pre-commit path where output is piped."""

from __future__ import annotations

import os
from typing import TextIO

from lint.findings import Finding, Severity
from lint.report import Report

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


def _summary(report: Report) -> list[Line]:
    counts = report.summary()["by_severity"]
    assert isinstance(counts, dict)
    total = len(report.findings)
    head = (f"Checked {_plural(report.files, 'file')}: ", "bold")
    if not total:
        lines: list[Line] = [[head, ("no findings.", "green")]]
    else:
        parts = ", ".join(_plural(counts[s.value], s.value) for s in Severity)
        lines = [[head, (f"{_plural(total, 'finding')} ({parts}).", "")]]
    if report.suppressed:  # say why a finding someone remembers is gone, and where to see it
        n = len(report.suppressed)
        note = (
            f"{_plural(n, 'suppressed finding')} not shown "
            "(inline directives or the baseline; --format json lists them with their reasons)."
        )
        lines.append([(note, "dim")])
    return lines


def _lines(report: Report) -> list[Line]:
    out: list[Line] = []
    for result in report.results:
        if not result.findings:
            continue
        for finding in result.findings:
            out.extend(_finding(finding, result.lines.get(finding.line)))
        out.append([])
    return out + _summary(report)


def _colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def render(report: Report, stream: TextIO) -> None:
    lines = _lines(report)
    if not _colour(stream):
        stream.write("".join("".join(text for text, _ in line) + "\n" for line in lines))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(
        file=stream, highlight=False, soft_wrap=True, emoji=False, force_terminal=True
    )
    for line in lines:
        console.print(Text.assemble(*line))
