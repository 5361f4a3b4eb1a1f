"""``--format sarif``: SARIF 2.1.0 as GitHub code scanning reads it.

Rules carry short/full descriptions and help (why, references, suggestion); results carry a
relative URI against ``%SRCROOT%`` (the working directory), a region in Unicode code points
(``columnKind`` says so), and line-free ``partialFingerprints``. Suppressed findings stay in,
with ``suppressions`` (inSource for a directive, external for the baseline), for auditors.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from lint import __version__
from lint.baseline import fingerprints, relative_path
from lint.findings import Finding, Severity
from lint.report import Report
from lint.suppress import BAD, META_RULES, UNUSED

if TYPE_CHECKING:
    from lint.rules import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
LIMIT = 1024  # GitHub's limit on description texts
FINGERPRINT = "clinicLint/v1"

META_HELP = {
    BAD: (
        "A suppression directive without a rule or a reason.",
        "Every inline suppression must name the rule(s) it clears and say why, so a reviewer "
        "can audit it: <!-- clinic-lint: disable-next-line core/x -- reason -->.",
    ),
    UNUSED: (
        "A suppression directive that clears nothing.",
        "The rule it names no longer fires where the directive applies; remove it so "
        "clearances do not outlive the copy they were written for.",
    ),
}


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def _short(rule: Rule) -> str:
    return _clip(
        f"{rule.category}: " + rule.message.replace("'{match}'", "…").replace("{match}", "…")
    )


def _descriptor(rule: Rule) -> dict[str, Any]:
    refs = "\n".join(f"- {r}" for r in rule.references)
    text = f"{rule.why}\n\nReferences:\n{refs}\n\nSuggestion: {rule.suggest}"
    markdown = f"{rule.why}\n\n**References**\n\n{refs}\n\n**Suggestion:** {rule.suggest}"
    return {
        "id": rule.id,
        "name": rule.id.replace("/", "."),
        "shortDescription": {"text": _short(rule)},
        "fullDescription": {"text": _clip(rule.why)},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": [rule.category, rule.pack]},
    }


def _meta_descriptor(rule_id: str) -> dict[str, Any]:
    short, full = META_HELP.get(rule_id, (rule_id, rule_id))
    return {
        "id": rule_id,
        "name": rule_id.replace("/", "."),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": full, "markdown": full},
        "defaultConfiguration": {"level": LEVEL[META_RULES.get(rule_id, Severity.WARNING)]},
        "properties": {"tags": ["suppression"]},
    }


def _location(f: Finding, root: Path) -> dict[str, Any]:
    rel = relative_path(f.path, root)
    artifact: dict[str, Any]
    if os.path.isabs(rel):
        artifact = {"uri": Path(rel).as_uri()}
    else:
        artifact = {"uri": quote(rel), "uriBaseId": "SRCROOT"}
    return {
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {
                "startLine": f.line,
                "startColumn": f.column,
                "endLine": f.end_line,
                "endColumn": f.end_column,
            },
        }
    }


def _result(f: Finding, index: dict[str, int], fingerprint: str, root: Path) -> dict[str, Any]:
    return {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": LEVEL[f.severity],
        "message": {"text": f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")},
        "locations": [_location(f, root)],
        "partialFingerprints": {FINGERPRINT: fingerprint},
        "properties": {"category": f.category, "match": f.match},
    }


def document(report: Report, root: Path | None = None) -> dict[str, Any]:
    # URIs must be relative to the repository root: in GitHub Actions that is GITHUB_WORKSPACE
    root = root or Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd())
    errors = [e for r in report.results for e in r.errors]
    cleared = report.suppressed
    every = report.findings + [s.finding for s in cleared]
    used = {f.rule for f in every}
    ids = sorted(set(report.rules) | used)
    descriptors = [
        _descriptor(report.rules[i]) if i in report.rules else _meta_descriptor(i) for i in ids
    ]
    index = {rule_id: n for n, rule_id in enumerate(ids)}
    prints = fingerprints(every, root)
    results = [_result(f, index, fp, root) for f, fp in zip(report.findings, prints, strict=False)]
    for s, fp in zip(cleared, prints[len(report.findings) :], strict=True):
        result = _result(s.finding, index, fp, root)
        result["suppressions"] = [{"kind": s.kind, "justification": s.justification}]
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "clinic-lint",
                        "version": __version__,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": root.resolve().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
                # files that could not be checked: the run is incomplete, and says why
                "invocations": [
                    {
                        "executionSuccessful": not errors,
                        "toolExecutionNotifications": [
                            {"level": "error", "message": {"text": e}} for e in errors
                        ],
                    }
                ],
            }
        ],
    }


def render(report: Report, stream: TextIO) -> None:
    json.dump(document(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
