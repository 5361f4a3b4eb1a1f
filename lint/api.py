"""The Python API the command line is built on: load rules once, check texts or files.

    >>> from lint.api import Linter
    >>> linter = Linter()                      # shipped packs core + pk
    >>> [f.rule for f in linter.check_text("Our therapy has no side effects.")]
    ['core/no-side-effects']

A ``Linter`` is immutable after construction and safe to reuse for any number of documents; a
crawler or CMS plug-in keeps one per process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lint import documents, engine, rules, suppress
from lint.config import Settings, allowed_terms, learned_keeps, select_rules
from lint.findings import Finding

MB = 1_000_000
OVERSIZE = "over max-file-size"  # a skip that a user must hear of, even from a folder walk


def too_large(size: int, limit_mb: float) -> str:
    shown = f"{size / MB:.1f} MB" if size >= MB else f"{size / 1000:.1f} KB"
    return f"{shown}, {OVERSIZE} ({limit_mb:g} MB; raise it with --max-file-size, 0 for no limit)"


@dataclass
class FileResult:
    """What checking one file gave: its findings, and errors that make the run exit 2."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # The source lines findings stand on (1-based), so reports can show them without re-reading.
    lines: dict[int, str] = field(default_factory=dict)
    # Findings an inline directive or the baseline cleared: left out of human output, kept for
    # JSON and SARIF so an auditor can list them with their reasons.
    suppressed: list[suppress.Suppressed] = field(default_factory=list)
    skipped: str | None = None  # why the file was not linted (a binary file): a note, no error


def load_rules(
    settings: Settings | None = None,
    *,
    details: bool = True,
    building: Callable[[], None] | None = None,
) -> rules.RuleSet:
    """The rule set ``settings`` selects (raises ``rules.RuleError`` / ``config.ConfigError``);
    ``details=False``: enough to lint; ``building``: called on a rule-cache miss (see
    ``rules.load``)."""
    settings = settings or Settings()
    ruleset = rules.load(settings.extra_rules, settings.packs, details=details, building=building)
    return select_rules(ruleset, settings)


class Linter:
    """Compiled rules plus the per-document time bound."""

    def __init__(
        self,
        ruleset: rules.RuleSet | None = None,
        *,
        settings: Settings | None = None,
        timeout: float = engine.DEFAULT_TIMEOUT,
    ) -> None:
        self.ruleset = ruleset if ruleset is not None else load_rules(settings)
        self.settings = settings or Settings()
        self.timeout = timeout
        self.allowed = allowed_terms(self.settings)  # compiled once: the vocabulary of names
        self._active = tuple((r.id, r.category) for r in self.ruleset)
        # Learned rules by id: their findings are sorted by category per --select/--ignore.
        self._learned = {r.id: r for r in self.ruleset if r.model is not None}

    def filter(self, doc: documents.Document, findings: list[Finding]) -> suppress.Outcome:
        """The step between engine and report: per-file ignores, allowed terms, inline directives."""
        findings = self._drop_unselected_learned(findings)
        findings = suppress.drop_ignored(findings, self.settings.ignored_for(doc.path))
        findings = suppress.drop_allowed(doc, findings, self.allowed)
        return suppress.apply_directives(doc, findings, self._active, ignore=self.settings.ignore)

    def _drop_unselected_learned(self, findings: list[Finding]) -> list[Finding]:
        """Learned findings whose category ``--select``/``--ignore`` leave out, dropped."""
        learned = self._learned
        if not learned or not (self.settings.select or self.settings.ignore):
            return findings
        return [
            f
            for f in findings
            if f.rule not in learned or learned_keeps(self.settings, learned[f.rule], f.category)
        ]

    def check_document(self, doc: documents.Document) -> FileResult:
        found, errors = engine.check(doc, self.ruleset, timeout=self.timeout)
        outcome = self.filter(doc, found)
        findings = outcome.findings
        lines = {f.line: doc.line_text(f.line) for f in findings}
        return FileResult(doc.path, findings, errors, lines, outcome.suppressed)

    def check_text(self, text: str, path: str = "<text>", *, kind: str = "txt") -> list[Finding]:
        """Findings in ``text`` read as ``kind`` ('txt', 'md' or 'html')."""
        return self.check_document(documents.from_text(path, text, kind=kind)).findings

    def check_file(self, path: str | Path) -> FileResult:
        """Read, decode and check one file; unreadable or undecodable files give an error, a
        binary file or one over ``max-file-size`` is skipped (``FileResult.skipped`` says why)."""
        name = str(path)
        limit = self.settings.max_file_size * MB
        try:
            with open(path, "rb") as stream:
                size = os.fstat(stream.fileno()).st_size
                if limit and size > limit:
                    return FileResult(name, skipped=too_large(size, self.settings.max_file_size))
                data = stream.read()
        except OSError as exc:
            return FileResult(name, errors=[f"{name}: cannot read: {exc.strerror or exc}"])
        if documents.is_binary(data):
            return FileResult(name, skipped="a binary file")
        try:
            doc = documents.from_bytes(name, data)
        except documents.DecodeError as exc:
            return FileResult(name, errors=[f"{name}:{exc.line}: cannot decode: {exc}"])
        del data  # a large page: do not hold its bytes beside the decoded text while checking
        return self.check_document(doc)

    def check_files(self, paths: Iterable[str]) -> Iterator[FileResult]:
        for path in paths:
            yield self.check_file(path)


def check_paths(paths: Sequence[str], settings: Settings | None = None) -> Iterator[FileResult]:
    """Convenience: load rules per ``settings`` and check every named file and every file under
    the named folders that its include/exclude globs keep (``config.resolve(paths)`` gives the settings a CLI run would use)."""
    from lint.files import discover

    linter = Linter(settings=settings)
    return linter.check_files(discover(paths, keep=linter.settings.selects_file))
