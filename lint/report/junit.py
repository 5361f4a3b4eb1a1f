"""``--format junit``: JUnit XML for CI test-report viewers: one test case per file, a failure
per finding (an error per file that could not be read)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from lint import report
from lint.report import Totals, spill

if TYPE_CHECKING:
    from lint.api import FileResult
    from lint.rules import Rule

# characters XML 1.0 cannot carry at all
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return INVALID_XML.sub("\ufffd", text)


def _case(result: FileResult) -> ET.Element:
    path = _clean(result.path)
    case = ET.Element("testcase", classname="clinic-lint", name=path, file=path)
    for f in result.findings:
        failure = ET.SubElement(
            case,
            "failure",
            type=f.rule,
            message=_clean(f"{f.line}:{f.column}: {f.severity.value} {f.rule} {f.message}"),
        )
        detail = f"{f.path}:{f.line}:{f.column}: {f.severity.value} [{f.rule}] {f.message}"
        if f.suggestion:
            detail += f"\nSuggestion: {f.suggestion}"
        failure.text = _clean(detail)
    for error in result.errors:
        ET.SubElement(case, "error", message=_clean(error)).text = _clean(error)
    return case


class Writer(report.Writer):
    """The counts go in the opening tags, so test cases wait in a spill buffer until the end."""

    def __init__(self, stream: TextIO, rules: Mapping[str, Rule]) -> None:
        super().__init__(stream, rules)
        self.cases = spill()
        self.failed = 0  # files with an error

    def file(self, result: FileResult) -> None:
        case = _case(result)
        ET.indent(case, level=2)
        self.cases.write("    " + ET.tostring(case, encoding="unicode") + "\n")
        self.failed += bool(result.errors)

    def finish(self, totals: Totals) -> None:
        counts = {
            "tests": str(totals.files),
            "failures": str(totals.findings),
            "errors": str(self.failed),
        }
        suites = ET.Element("testsuites", {"name": "clinic-lint", **counts})
        suite = ET.Element("testsuite", {"name": "clinic-lint", **counts, "skipped": "0"})
        opening = [ET.tostring(e, encoding="unicode").replace(" />", ">") for e in (suites, suite)]
        self.stream.write(f'<?xml version="1.0" encoding="UTF-8"?>\n{opening[0]}\n  {opening[1]}\n')
        report.copy(self.cases, self.stream)
        self.cases.close()
        self.stream.write("  </testsuite>\n</testsuites>\n")
