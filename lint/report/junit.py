"""``--format junit``: JUnit XML for CI test-report viewers (GitLab's Tests tab, Jenkins).

One ``<testsuite>`` per checked file and one ``<testcase>`` per finding, named by rule, line and
column (as ruff names its cases by rule). A finding at or above the failure threshold
(``--fail-on``) is a ``<failure>``; one below it is a passing case whose ``<system-out>`` says
what was found, so a page with only warnings is not a failed test in a green run. A file with no
findings is one passing case; a file that could not be checked has an ``<error>`` case. Every
count is a count of test cases, so ``failures + errors <= tests`` always holds. The document
conforms to the Jenkins xunit-plugin ``junit-10.xsd`` (the test suite validates it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from lint import report
from lint.report import Totals, spill

if TYPE_CHECKING:
    from lint.api import FileResult
    from lint.findings import Finding
    from lint.rules import Rule

# characters XML 1.0 cannot carry at all
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CLEAN_CASE = "no findings"


def _clean(text: str) -> str:
    return INVALID_XML.sub("\ufffd", text)


def _detail(f: Finding) -> str:
    detail = f"{f.path}:{f.line}:{f.column}: {f.severity.value} [{f.rule}] {f.message}"
    return detail + (f"\nSuggestion: {f.suggestion}" if f.suggestion else "")


class Writer(report.Writer):
    """The run's counts go in the opening ``<testsuites>`` tag, so the file suites wait in a
    spill buffer until the end."""

    def __init__(self, stream: TextIO, rules: Mapping[str, Rule]) -> None:
        super().__init__(stream, rules)
        self.suites = spill()
        self.counts = {"tests": 0, "failures": 0, "errors": 0}

    def _suite(self, result: FileResult) -> ET.Element:
        path = _clean(result.path)
        suite = ET.Element("testsuite", name=path)
        cases: list[ET.Element] = []
        failures = 0
        for f in result.findings:
            case = ET.Element("testcase", name=_clean(f"{f.rule}:{f.line}:{f.column}"))
            case.set("classname", path)
            if f.severity.rank >= self.fail_on.rank:
                failures += 1
                message = f"{f.line}:{f.column}: {f.severity.value} {f.rule} {f.message}"
                failure = ET.SubElement(case, "failure", type=f.rule, message=_clean(message))
                failure.text = _clean(_detail(f))
            else:
                below = f" (below --fail-on {self.fail_on.value})"
                ET.SubElement(case, "system-out").text = _clean(_detail(f) + below)
            cases.append(case)
        for i, error in enumerate(result.errors):
            case = ET.Element("testcase", name=f"clinic-lint:error:{i + 1}", classname=path)
            ET.SubElement(case, "error", type="clinic-lint", message=_clean(error)).text = _clean(
                error
            )
            cases.append(case)
        if not cases:
            cases.append(ET.Element("testcase", name=CLEAN_CASE, classname=path))
        counts = {"tests": len(cases), "failures": failures, "errors": len(result.errors)}
        for key, value in counts.items():
            suite.set(key, str(value))
            self.counts[key] += value
        suite.set("skipped", "0")
        suite.set("file", path)
        suite.extend(cases)
        return suite

    def file(self, result: FileResult) -> None:
        suite = self._suite(result)
        ET.indent(suite, level=1)
        self.suites.write("  " + ET.tostring(suite, encoding="unicode") + "\n")

    def finish(self, totals: Totals) -> None:
        counts = {k: str(v) for k, v in self.counts.items()}
        suites = ET.Element("testsuites", {"name": "clinic-lint", **counts})
        opening = ET.tostring(suites, encoding="unicode").replace(" />", ">")
        self.stream.write(f'<?xml version="1.0" encoding="UTF-8"?>\n{opening}\n')
        report.copy(self.suites, self.stream)
        self.suites.close()
        self.stream.write("</testsuites>\n")
