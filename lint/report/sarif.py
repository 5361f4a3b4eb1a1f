"""``--format sarif``: SARIF 2.1.0 as GitHub code scanning reads it.

Rules carry short/full descriptions and help (why, references, suggestion); results carry a
relative URI against ``%SRCROOT%`` (the working directory), a region in Unicode code points
(``columnKind`` says so), and line-free ``partialFingerprints``. Suppressed findings stay in,
with ``suppressions`` (inSource for a directive, external for the baseline), for auditors.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from lint import __version__, report
from lint.baseline import fingerprints, relative_path
from lint.findings import Finding, Severity
from lint.report import JsonArray, Totals, json_text
from lint.suppress import BAD, META_RULES, UNUSED

if TYPE_CHECKING:
    from lint.api import FileResult
    from lint.rules import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
LIMIT = 1024  # GitHub's limit on description texts
FINGERPRINT = "clinicLint/v2"  # v1 hashed the whole sentence (lint.baseline)

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


RESULTS, INVOCATIONS = "@@clinic-lint-results@@", "@@clinic-lint-invocations@@"


def _frame(rules: Mapping[str, Rule], root: Path) -> tuple[list[str], list[str]]:
    """The rule ids in ``ruleIndex`` order, and the document's text around its two streamed
    parts (before the results, between results and invocations, after). Every rule of the run
    and both suppression meta-rules are described, so indexes are known before any result."""
    ids = sorted(set(rules) | set(META_RULES))
    descriptors = [_descriptor(rules[i]) if i in rules else _meta_descriptor(i) for i in ids]
    frame = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "clinic-lint", "version": __version__, "rules": descriptors}
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": root.resolve().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": RESULTS,
                # files that could not be checked: the run is incomplete, and says why
                "invocations": INVOCATIONS,
            }
        ],
    }
    text = json.dumps(frame, ensure_ascii=False, indent=2)
    head, rest = text.split(json.dumps(RESULTS))
    middle, tail = rest.split(json.dumps(INVOCATIONS))
    return ids, [head, middle, tail]


class Writer(report.Writer):
    def __init__(self, stream: TextIO, rules: Mapping[str, Rule]) -> None:
        super().__init__(stream, rules)
        # URIs must be relative to the repository root: in GitHub Actions, GITHUB_WORKSPACE
        self.root = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd())
        ids, self.parts = _frame(rules, self.root)
        self.index = {rule_id: n for n, rule_id in enumerate(ids)}
        stream.write(self.parts[0])
        self.results = JsonArray(stream, 4)

    def file(self, result: FileResult) -> None:
        # Suppressed findings follow the reported ones of their file, and their fingerprints
        # count on from them (repeats are counted within one path).
        every = result.findings + [s.finding for s in result.suppressed]
        prints = fingerprints(every, self.root)
        for f, fp in zip(result.findings, prints, strict=False):
            self.results.add(_result(f, self.index, fp, self.root))
        for s, fp in zip(result.suppressed, prints[len(result.findings) :], strict=True):
            out = _result(s.finding, self.index, fp, self.root)
            out["suppressions"] = [{"kind": s.kind, "justification": s.justification}]
            self.results.add(out)

    def finish(self, totals: Totals) -> None:
        self.results.close()
        invocation = {
            "executionSuccessful": not totals.errors,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": e}} for e in totals.errors
            ],
        }
        self.stream.write(self.parts[1] + json_text([invocation], 4) + self.parts[2] + "\n")
