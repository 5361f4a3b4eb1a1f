"""``--format junit``: JUnit XML for CI test-report viewers: one test case per file, a failure
per finding (an error per file that could not be read)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from lint.report import Report

# characters XML 1.0 cannot carry at all
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return INVALID_XML.sub("\ufffd", text)


def tree(report: Report) -> ET.Element:
    failures = len(report.findings)
    errors = sum(1 for r in report.results if r.errors)
    suites = ET.Element(
        "testsuites",
        name="clinic-lint",
        tests=str(report.files),
        failures=str(failures),
        errors=str(errors),
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="clinic-lint",
        tests=str(report.files),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
    )
    for result in report.results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname="clinic-lint",
            name=_clean(result.path),
            file=_clean(result.path),
        )
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
    return suites


def render(report: Report, stream: TextIO) -> None:
    root = tree(report)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
