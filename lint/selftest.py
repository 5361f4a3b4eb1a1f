"""Rule self-tests, one implementation for ``clinic-lint rules test`` and the test suite.

Every example of every rule is linted with that rule alone (LanguageTool's and Semgrep's way):
a bad example must fire (exactly on its ``[[…]]`` spans when it marks any), its ``fix`` put in place
of the span must stay silent, and a good example must stay silent. Examples marked ``todo`` are
known gaps: reported, never failing, and reported again once they start to pass.

Fixture pages (``page.html`` beside ``page.html.expected``) must give exactly the listed findings.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lint import documents, engine
from lint.examples import Example
from lint.findings import Finding
from lint.phrases import PhraseIndex
from lint.rules import DEFAULT_PACKS, Rule, RuleSet, relative

EXPECTED_SUFFIX = ".expected"


class Status(str, enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    GAP = "known gap"  # a todo example that still misbehaves, as expected
    GAP_PASSES = "known gap now passes"  # a todo example that behaves: its todo can go


@dataclass(frozen=True)
class ExampleResult:
    rule: Rule
    example: Example
    problem: str | None  # what the example got wrong; None when it behaves

    @property
    def status(self) -> Status:
        if self.example.todo is None:
            return Status.PASSED if self.problem is None else Status.FAILED
        return Status.GAP if self.problem is not None else Status.GAP_PASSES

    def __str__(self) -> str:
        where = f"{relative(self.rule.source)}:{self.example.line}: rule '{self.rule.id}':"
        status = self.status
        if status is Status.GAP:
            return f"{where} known gap ({self.example.todo}): {self.problem}"
        if status is Status.GAP_PASSES:
            return (
                f"{where} known gap now passes, remove its 'todo' ({self.example.todo}): "
                f'{self.example.kind} example "{self.example.marked}"'
            )
        return f"{where} {self.problem or 'passed'}"


def _lint(
    rule: Rule, text: str, timeout: float, phrases: PhraseIndex
) -> tuple[documents.Document, list[Finding]]:
    doc = documents.from_text("example.txt", text, kind="txt")
    return doc, engine.check_rule(doc, rule, timeout=timeout, phrases=phrases)


def _span(doc: documents.Document, start: int, end: int) -> tuple[int, int, int, int]:
    """The (line, column, end line, end column) a finding on text[start:end] would report."""
    return (*doc.position(start), *doc.position(end))


def _on(findings: Sequence[Finding]) -> str:
    return " and ".join(f'"{f.match}" (column {f.column})' for f in findings)


def check_example(
    rule: Rule,
    example: Example,
    *,
    timeout: float = engine.DEFAULT_TIMEOUT,
    phrases: PhraseIndex | None = None,
) -> str | None:
    """What ``example`` gets wrong for ``rule``, or None when it behaves. The rule runs as in a
    check: its phrase patterns through the automaton of ``phrases`` (built for the rule alone
    when not given)."""
    index = phrases if phrases is not None else PhraseIndex(rule.scanned)
    try:
        return _check(rule, example, timeout, index)
    except TimeoutError:
        return f'took longer than {timeout:g} s (a pattern backtracks too much): "{example.text}"'


def _check(rule: Rule, example: Example, timeout: float, phrases: PhraseIndex) -> str | None:
    doc, found = _lint(rule, example.text, timeout, phrases)
    if example.kind == "good":
        return f'good example fires on {_on(found)}: "{example.text}"' if found else None
    if not found:
        return f'bad example does not fire: "{example.marked}"'
    if example.spans:
        want = sorted(_span(doc, s, e) for s, e in example.spans)
        got = sorted((f.line, f.column, f.end_line, f.end_column) for f in found)
        if want != got:
            spans = " and ".join(f'"{example.text[s:e]}"' for s, e in example.spans)
            return f'bad example fires on {_on(found)}, not exactly on the marked {spans}: "{example.marked}"'
    fixed = example.fixed
    if fixed is not None:
        _, still = _lint(rule, fixed, timeout, phrases)
        if still:
            return f'the fix "{example.fix}" still fires on {_on(still)}: "{fixed}"'
    return None


def run_examples(
    rules: Iterable[Rule], *, timeout: float = engine.DEFAULT_TIMEOUT
) -> list[ExampleResult]:
    """Every example of every rule, in rule-file order."""
    rules = list(rules)
    index = PhraseIndex(p for rule in rules for p in rule.scanned)  # as a check builds it
    return [
        ExampleResult(rule, example, check_example(rule, example, timeout=timeout, phrases=index))
        for rule in rules
        for example in rule.examples.cases
    ]


# -- fixture pages -------------------------------------------------------------------------------


class SidecarError(ValueError):
    """A malformed ``.expected`` file (reported as ``path:line: what``)."""


@dataclass(frozen=True)
class Expected:
    packs: tuple[str, ...]
    findings: tuple[tuple[int, int, str], ...]  # (line, column, rule id), sorted


def parse_expected(path: Path) -> Expected:
    """A sidecar: an optional ``# packs: core pk`` line, then ``LINE:COLUMN rule-id`` lines."""
    packs: tuple[str, ...] = DEFAULT_PACKS
    found = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("# packs:"):
            packs = tuple(line.split(":", 1)[1].split())
        if not line or line.startswith("#"):
            continue
        try:
            place, rule = line.split()[:2]
            row, col = place.split(":")
            found.append((int(row), int(col), rule))
        except ValueError:
            raise SidecarError(
                f"{relative(str(path))}:{number}: expected 'LINE:COLUMN rule-id', got {line!r}"
            ) from None
    return Expected(packs, tuple(sorted(found)))


def find_pages(folders: Iterable[Path]) -> list[Path]:
    """Pages that have a sidecar, under each folder."""
    return sorted(
        p.with_suffix("") for folder in folders for p in folder.rglob("*" + EXPECTED_SUFFIX)
    )


@dataclass(frozen=True)
class PageResult:
    page: Path
    missing: tuple[tuple[int, int, str], ...] = ()
    unexpected: tuple[tuple[int, int, str], ...] = ()
    errors: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return not (self.missing or self.unexpected or self.errors)

    def lines(self) -> list[str]:
        """One line per wrong finding, ``page:LINE:COLUMN: rule 'id': …``."""
        name = relative(str(self.page))
        out = [
            f"{name}:{r}:{c}: rule '{rule}': expected finding is missing"
            for r, c, rule in self.missing
        ]
        out += [
            f"{name}:{r}:{c}: rule '{rule}': unexpected finding (not in {name}{EXPECTED_SUFFIX})"
            for r, c, rule in self.unexpected
        ]
        return out + list(self.errors)  # errors name their file already


def check_page(
    page: Path, expected: Expected, ruleset: RuleSet, *, timeout: float = engine.DEFAULT_TIMEOUT
) -> PageResult:
    """Lint ``page`` with ``ruleset`` and compare with its sidecar."""
    from lint.api import Linter

    result = Linter(ruleset, timeout=timeout).check_file(page)
    got = sorted((f.line, f.column, f.rule) for f in result.findings)
    want = list(expected.findings)
    return PageResult(
        page,
        tuple(e for e in want if e not in got),
        tuple(g for g in got if g not in want),
        tuple(result.errors),
    )


def run_pages(
    folders: Iterable[Path], extra: Sequence[Path] = (), *, timeout: float = engine.DEFAULT_TIMEOUT
) -> list[PageResult]:
    """Every fixture page under ``folders``, each with the packs its sidecar names plus ``extra``.

    Raises ``rules.RuleError`` when a sidecar names an unknown pack or a rule file is malformed.
    """
    from lint import rules

    loaded: dict[tuple[str, ...], RuleSet] = {}
    results = []
    for page in find_pages(folders):
        try:
            expected = parse_expected(Path(str(page) + EXPECTED_SUFFIX))
        except SidecarError as exc:
            results.append(PageResult(page, errors=(str(exc),)))
            continue
        if expected.packs not in loaded:
            loaded[expected.packs] = rules.load(extra, expected.packs)
        results.append(check_page(page, expected, loaded[expected.packs], timeout=timeout))
    return results


_PLURALS = {Status.GAP: "known gaps", Status.GAP_PASSES: "known gaps now pass"}


def _plural(status: Status, count: int) -> str:
    return _PLURALS.get(status, status.value) if count != 1 else status.value


def summary(examples: Sequence[ExampleResult], pages: Sequence[PageResult]) -> str:
    """``12 rules, 96 examples: 94 passed, 1 failed, 1 known gap; 3 fixture pages: 3 passed``."""
    counts = {status: 0 for status in Status}
    for result in examples:
        counts[result.status] += 1
    rules = len({r.rule.id for r in examples})
    always = (Status.PASSED, Status.FAILED)
    parts = [f"{counts[s]} {_plural(s, counts[s])}" for s in Status if counts[s] or s in always]
    text = f"{rules} rule{'s' * (rules != 1)}, {len(examples)} examples: {', '.join(parts)}"
    if pages:
        failed = sum(not p.passed for p in pages)
        pages_word = "fixture page" if len(pages) == 1 else "fixture pages"
        text += f"; {len(pages)} {pages_word}: {len(pages) - failed} passed, {failed} failed"
    return text


# -- coverage: patterns and shapes no bad example exercises (LanguageTool's check) ---------------


@dataclass(frozen=True)
class Untested:
    rule: Rule
    key: str  # "match", "when" or "concepts"
    pattern: str  # as written in the rule file (a shape: its concepts)
    line: int

    def __str__(self) -> str:
        what = "shape" if self.key == "concepts" else f"{self.key} pattern"
        return (
            f"{relative(self.rule.source)}:{self.line}: rule '{self.rule.id}': note: "
            f"no bad example exercises the {what} {self.pattern!r}"
        )


def _written(rule: Rule) -> tuple[str, Any]:
    """Which key holds the rule's trigger patterns, and its value as written."""
    key = "match" if "match" in rule.raw else "when"
    return key, rule.raw.get(key)


def coverage(ruleset: RuleSet) -> tuple[list[Untested], int]:
    """Every pattern (of a concept rule: every shape) no bad example exercises, and how many
    patterns and shapes there are in all."""
    untested: list[Untested] = []
    total = 0
    for rule in ruleset:
        if rule.concepts is not None:
            untested += untested_shapes(rule)
            total += len(rule.concepts.shapes)
            continue
        untested += untested_patterns(rule, ruleset.vocabularies)
        raw = _written(rule)[1]
        total += 1 if isinstance(raw, str) else len(raw or [])
    return untested, total


def _bad_texts(rule: Rule) -> list[str]:
    return [e.text for e in rule.examples.cases if e.kind == "bad" and e.todo is None]


def untested_shapes(rule: Rule) -> list[Untested]:
    """The shapes of a concept rule that make a claim in none of its bad examples (each shape
    tried alone, uncounted: a count rule's examples name several claims)."""
    assert rule.concepts is not None
    raw = rule.raw.get("concepts")
    several = len(rule.concepts.shapes) > 1
    docs = [documents.from_text("example.txt", text, kind="txt") for text in _bad_texts(rule)]
    found = []
    for i, shape in enumerate(rule.concepts.shapes):
        alone = replace(rule, concepts=replace(rule.concepts, shapes=(shape,)), count=None)
        if any(engine.check_rule(doc, alone) for doc in docs):
            continue
        written = raw[i] if several and isinstance(raw, list) else raw
        if isinstance(written, dict):
            written = written.get("concepts")
        names = written if isinstance(written, list) else [written]
        where = ("concepts", i) if several else ("concepts",)
        text = "[" + ", ".join(str(n) for n in names) + "]"
        found.append(Untested(rule, "concepts", text, rule.lines.get(where, rule.line)))
    return found


def untested_patterns(rule: Rule, vocabularies: Mapping[str, str]) -> list[Untested]:
    """The rule's ``match`` (or ``when``) patterns that match in none of its bad examples."""
    from lint import patterns

    key, raw = _written(rule)
    written = [raw] if isinstance(raw, str) else list(raw or [])
    texts = [documents.from_text("example.txt", t, kind="txt").text for t in _bad_texts(rule)]
    found = []
    for i, pattern in enumerate(written):
        body = patterns.expand(patterns.prepare(pattern), vocabularies)
        compiled = patterns.compile_bounded([body])
        if not any(compiled.search(text) for text in texts):
            where = (key, i) if isinstance(raw, list) else (key,)
            found.append(Untested(rule, key, pattern, rule.lines.get(where, rule.line)))
    return found
