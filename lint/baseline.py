"""The baseline: today's findings recorded, so a site that adopts the gate late fails only on new
ones; and the line-free fingerprints that SARIF and GitLab reuse.

A fingerprint hashes the rule, the path (relative to a root), the matched text with the word
before and the word after it, plus an occurrence index among findings that share all of these —
never a line number or the rest of the sentence, so editing another part of the page, or another
word of the same sentence, does not resurrect old findings, while an edit to the claim itself
does (Semgrep's match_based_id; GitLab's scope-based fingerprints). A document-level finding (a
missing disclaimer) is about the page, not a place in it: its fingerprint is the rule and the
path alone. sha256, so fingerprints are the same on every platform.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lint.findings import Finding
from lint.outputs import atomic_write
from lint.suppress import Suppressed

if TYPE_CHECKING:
    from lint.api import FileResult

VERSION = 2  # 1: fingerprints hashed the whole sentence


class BaselineError(Exception):
    """The baseline file is missing or malformed (exit 2)."""


def relative_path(path: str, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators (absolute when outside it)."""
    full = os.path.abspath(path)
    try:
        rel = os.path.relpath(full, os.path.abspath(root))
    except ValueError:  # another drive
        return full.replace(os.sep, "/")
    return (full if rel.startswith("..") else rel).replace(os.sep, "/")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def fingerprints(findings: Sequence[Finding], root: Path | None = None) -> list[str]:
    """One stable, unique id per finding, in the order given (give findings in report order)."""
    root = root or Path.cwd()
    seen: Counter[str] = Counter()
    out = []
    for f in findings:
        words = ("", "") if f.document else (_norm(f.match), _norm(f.context))
        key = "\x1f".join((f.rule, relative_path(f.path, root), *words))
        index = seen[key]
        seen[key] += 1
        out.append(hashlib.sha256(f"{key}\x1f{index}".encode()).hexdigest())
    return out


class Recorder:
    """``--write-baseline``: today's findings as entries, gathered one file at a time (an entry is
    a fingerprint and three short fields; the findings themselves are not kept)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.root = path.resolve().parent
        self.rows: list[dict[str, Any]] = []

    def add(self, result: FileResult) -> None:
        prints = fingerprints(result.findings, self.root)
        self.rows.extend(
            {
                "fingerprint": fp,
                "rule": f.rule,
                "path": relative_path(f.path, self.root),
                "match": f.match,
            }
            for f, fp in zip(result.findings, prints, strict=True)
        )

    def write(self) -> int:
        """Record the entries in the baseline file (atomically); their number."""
        rows = sorted(self.rows, key=lambda e: (e["path"], e["rule"], e["match"], e["fingerprint"]))
        data = {"version": VERSION, "tool": "clinic-lint", "entries": rows}
        atomic_write(
            self.path, lambda s: s.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        )
        return len(rows)


def load(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise BaselineError(f"{path}:{line}: not a clinic-lint baseline (invalid JSON)") from None
    if (
        isinstance(data, dict)
        and isinstance(data.get("version"), int)
        and data["version"] < VERSION
    ):
        raise BaselineError(
            f"{path}:1: baseline written by an older clinic-lint (fingerprints version "
            f"{data['version']}); record it again with --write-baseline"
        )
    rows = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not all(
        isinstance(r, dict)
        and isinstance(r.get("fingerprint"), str)
        and isinstance(r.get("path"), str)
        for r in rows
    ):
        raise BaselineError(f"{path}:1: not a clinic-lint baseline (no 'entries' list)")
    return rows


class Matcher:
    """``--baseline``: moves findings recorded in the baseline to ``suppressed``, one file at a
    time, and knows at the end which entries matched nothing (stale: recorded for a file this
    run checked, matching no finding there any more)."""

    def __init__(self, path: Path, rows: Sequence[dict[str, Any]]) -> None:
        self.root = path.resolve().parent
        self.rows = rows
        self.known = {r["fingerprint"] for r in rows}
        self.justification = f"recorded in the baseline {path}"
        self.matched: set[str] = set()
        self.checked: set[str] = set()

    def apply(self, result: FileResult) -> FileResult:
        self.checked.add(relative_path(result.path, self.root))
        kept: list[Finding] = []
        cleared: list[Suppressed] = []
        # fingerprints count repeats within one path: one file's findings give the same ids
        for f, fp in zip(result.findings, fingerprints(result.findings, self.root), strict=True):
            if fp in self.known:
                self.matched.add(fp)
                cleared.append(Suppressed(f, "external", self.justification))
            else:
                kept.append(f)
        return replace(result, findings=kept, suppressed=result.suppressed + cleared)

    def stale(self) -> list[dict[str, Any]]:
        return [
            r
            for r in self.rows
            if r["path"] in self.checked and r["fingerprint"] not in self.matched
        ]
