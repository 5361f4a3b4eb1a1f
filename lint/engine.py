"""Compiled rules applied to a Document -> Findings. Pure: no I/O, no printing."""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lint import concepts, patterns
from lint.documents import Document
from lint.findings import Finding
from lint.phrases import anchored
from lint.rules import Rule, RuleSet

if TYPE_CHECKING:
    from lint.phrases import PhraseIndex

WORD = patterns.WORDS
# Bound on the time one pattern may spend on one document (catastrophic backtracking).
DEFAULT_TIMEOUT = 5.0


class RuleTimeout(Exception):
    """A rule's pattern exceeded the time bound on a document."""

    def __init__(self, rule: str, path: str, seconds: float) -> None:
        super().__init__(f"{path}: rule '{rule}' took longer than {seconds:g} s and was stopped")
        self.rule = rule
        self.path = path


@dataclass(frozen=True)
class Hit:
    start: int
    end: int


def check(
    doc: Document,
    ruleset: RuleSet,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[list[Finding], list[str]]:
    """All findings of all rules on ``doc``, sorted, and the rules that timed out (as messages)."""
    findings: list[Finding] = []
    errors: list[str] = []
    # One for all rules: a concept is searched once, the phrase patterns all in one pass.
    search = _Search(doc, timeout, ruleset.phrases)
    # Learned rules last: they skip the sentences the pattern rules already flag.
    for rule in sorted(ruleset, key=lambda r: r.model is not None):
        taken = _sentence_starts(findings) if rule.model is not None else ()
        try:
            findings.extend(_check_rule(doc, rule, search, taken))
        except TimeoutError:
            errors.append(str(RuleTimeout(rule.id, doc.path, timeout)))
        except LearnedError as exc:
            errors.append(f"{doc.path}: rule '{rule.id}': {exc}")
    findings.sort()
    return findings, errors


def _sentence_starts(findings: list[Finding]) -> set[tuple[int, int]]:
    """Where the pattern rules' sentence-level findings start (a document-level finding, a
    missing disclaimer placed at its trigger, says nothing of that sentence)."""
    return {(f.line, f.column) for f in findings if not f.document}


def check_rule(
    doc: Document,
    rule: Rule,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    taken: Collection[tuple[int, int]] = (),
    phrases: PhraseIndex | None = None,
) -> list[Finding]:
    """The findings of one rule (raises TimeoutError when a pattern runs past ``timeout``);
    ``taken``: where other rules' findings start, for a learned rule (see lint.learned);
    ``phrases``: the phrase automaton its rule set searches with (lint.phrases)."""
    return _check_rule(doc, rule, _Search(doc, timeout, phrases), taken)


def _check_rule(
    doc: Document, rule: Rule, search: _Search, taken: Collection[tuple[int, int]] = ()
) -> list[Finding]:
    if rule.concepts is not None:
        return _concept_rule(doc, rule, search)
    if rule.model is not None:
        return _learned_rule(doc, rule, search, taken)
    if rule.match is None:
        return _document_rule(doc, rule, search)
    hits = list(_hits(doc, rule, rule.match, search))
    if rule.count is not None:
        return _count(doc, rule, hits)
    return [_finding(doc, rule, hit) for hit in hits]


class _Search:
    """Pattern searches over one document, each bounded by the timeout."""

    def __init__(
        self,
        doc: Document,
        timeout: float,
        phrases: PhraseIndex | None = None,
    ) -> None:
        self.text = doc.text
        self.timeout = timeout
        self.phrases = phrases  # the rule set's phrase automaton (lint.phrases)
        self._phrase_hits: dict[Any, list[tuple[int, int]]] | None = None
        self._doc = doc
        self._lead_ins: dict[tuple[int, int], tuple[int, int]] | None = None
        # Per (pattern, start, end): hits in one sentence share its qualifier's search.
        self._spans: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        self._firsts: dict[tuple[int, int, int], bool] = {}

    def finditer(self, pattern: Any, start: int = 0, end: int | None = None) -> Iterator[Any]:
        stop = len(self.text) if end is None else end
        return pattern.finditer(self.text, start, stop, timeout=self.timeout)  # type: ignore[no-any-return]

    def lead_ins(self) -> dict[tuple[int, int], tuple[int, int]]:
        """The document's list items and their lead-ins (lint.concepts), found once."""
        if self._lead_ins is None:
            self._lead_ins = concepts.lead_ins(self._doc)
        return self._lead_ins

    def whole(self, pattern: Any) -> list[tuple[int, int]]:
        """The pattern's hits over the whole text: for a phrase pattern, from the one pass of
        the phrase automaton over the document (made at the first such call)."""
        if self.phrases is not None and self.phrases.covers(pattern):
            if self._phrase_hits is None:
                self._phrase_hits = self.phrases.scan(self.text, self._rest)
            return self._phrase_hits[pattern]
        return self.spans(pattern, 0, len(self.text))

    def _rest(self, pattern: Any, starts: list[int] | None) -> list[tuple[int, int]]:
        """A phrase pattern's other terms: over the whole text, or tried only at ``starts``
        (where one of their leading phrases starts, lint.phrases)."""
        if starts is None:
            return self.spans(pattern, 0, len(self.text))
        return anchored(pattern, self.text, starts, self.timeout)

    def spans(self, pattern: Any, start: int, end: int) -> list[tuple[int, int]]:
        """The spans ``finditer`` finds in [start, end), remembered for the next call."""
        key = (id(pattern), start, end)
        found = self._spans.get(key)
        if found is None:
            found = self._spans[key] = [m.span() for m in self.finditer(pattern, start, end)]
        return found

    def occurs(self, pattern: Any, start: int, end: int) -> bool:
        """Whether ``pattern`` matches in [start, end), remembered for the next call (over the
        whole text, a phrase pattern's answer comes from the automaton's pass)."""
        if (
            self.phrases is not None
            and (start, end) == (0, len(self.text))
            and self.phrases.covers(pattern)
        ):
            return bool(self.whole(pattern))
        key = (id(pattern), start, end)
        found = self._firsts.get(key)
        if found is None:
            found = self._firsts[key] = self.search(pattern, start, end) is not None
        return found

    def search(self, pattern: Any, start: int = 0, end: int | None = None) -> Any:
        stop = len(self.text) if end is None else end
        return pattern.search(self.text, start, stop, timeout=self.timeout)


def _hits(doc: Document, rule: Rule, pattern: Any, search: _Search) -> Iterator[Hit]:
    excluded: list[tuple[int, int]] | None = None  # found at the first match: most find none
    for start, end in search.whole(pattern):
        if start == end:
            continue
        if rule.exclude is not None:
            if excluded is None:
                excluded = search.whole(rule.exclude)
            if _overlaps(excluded, start, end):
                continue
        if rule.near is not None and not _near(doc, rule, start, end, search):
            continue
        if rule.unless is not None and _cancelled(doc, rule, start, end, search):
            continue
        yield Hit(start, end)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of ``spans`` (finditer's: sorted, disjoint)."""
    i = bisect_right(spans, (start, sys.maxsize))  # the first span starting after ``start``
    # Only it and the one before it can overlap (quadratic no more on long documents).
    return any(s < end and start < e for s, e in spans[max(i - 1, 0) : i + 1])


def _cancelled(doc: Document, rule: Rule, start: int, end: int, search: _Search) -> bool:
    cond = rule.unless
    assert cond is not None
    s_start, s_end = doc.sentence_of(start) if cond.scope == "sentence" else doc.paragraph_of(start)
    s_end = max(s_end, end)
    if cond.before is None and cond.after is None:
        return search.occurs(cond.pattern, s_start, s_end)
    for u_start, u_end in search.spans(cond.pattern, s_start, s_end):
        if u_start <= start and end <= u_end:
            return True  # the qualifier contains the claim ("no cure" around "cure")
        if u_start < end and start < u_end:
            continue  # a negator inside the claim ("no side effects") does not cancel it
        if (
            cond.before is not None
            and u_end <= start
            and concepts.words(doc.text, u_end, start) <= cond.before
        ):
            return True
        if (
            cond.after is not None
            and u_start >= end
            and concepts.words(doc.text, end, u_start) <= cond.after
        ):
            return True
    return False


def _window(doc: Document, start: int, end: int, words: int) -> tuple[int, int]:
    """Offsets ``words`` words before ``start`` and after ``end``, inside the paragraph."""
    p_start, p_end = doc.paragraph_of(start)
    p_end = max(p_end, end)
    before = [m.start() for m in WORD.finditer(doc.text, p_start, start)]
    lo = before[-words] if len(before) >= words else p_start
    hi = p_end
    for i, m in enumerate(WORD.finditer(doc.text, end, p_end)):
        if i + 1 == words:
            hi = m.end()
            break
    return lo, hi


def _near(doc: Document, rule: Rule, start: int, end: int, search: _Search) -> bool:
    near = rule.near
    assert near is not None
    if near.scope == "paragraph":
        lo, hi = _window(doc, start, end, near.within)
    elif near.scope == "section":
        lo, hi = doc.section_of(start)
    else:
        lo, hi = 0, len(doc.text)
    return search.search(near.pattern, lo, max(hi, end)) is not None


def _count(doc: Document, rule: Rule, hits: list[Hit]) -> list[Finding]:
    """One finding per scope whose hits name at least ``distinct`` different terms."""
    assert rule.count is not None
    groups: dict[tuple[int, int], list[Hit]] = {}
    for hit in sorted(set(hits), key=lambda h: (h.start, h.end)):
        if rule.count.scope == "paragraph":
            key = doc.paragraph_of(hit.start)
        elif rule.count.scope == "section":
            key = doc.section_of(hit.start)
        else:
            key = (0, 0)
        groups.setdefault(key, []).append(hit)
    return _counted(doc, rule, list(groups.values()))


def _counted(doc: Document, rule: Rule, groups: list[list[Hit]]) -> list[Finding]:
    """One finding per group of hits that name at least ``distinct`` different terms."""
    assert rule.count is not None
    findings = []
    for group in groups:
        firsts = _first_per_term(doc, group)  # one hit per distinct term
        if len(firsts) >= rule.count.distinct:
            listed = ", ".join(" ".join(doc.excerpt(h.start, h.end).split()) for h in firsts)
            findings.append(_finding(doc, rule, group[0], quoted=listed))
    return findings


def _first_per_term(doc: Document, hits: list[Hit]) -> list[Hit]:
    seen: dict[str, Hit] = {}
    for hit in hits:
        seen.setdefault(" ".join(doc.text[hit.start : hit.end].split()).casefold(), hit)
    return list(seen.values())


def _document_rule(doc: Document, rule: Rule, search: _Search) -> list[Finding]:
    """``when`` a trigger appears and no ``require`` pattern does: one finding at the first trigger."""
    assert rule.when is not None and rule.require is not None
    if search.occurs(rule.require, 0, len(doc.text)):
        return []
    first = next(_hits(doc, rule, rule.when, search), None)
    return [_finding(doc, rule, first, document=True)] if first is not None else []


def _concept_rule(doc: Document, rule: Rule, search: _Search) -> list[Finding]:
    """Where the concepts of one of the rule's shapes meet (lint.concepts); ``except`` drops a
    concept's hit; with ``count``, one finding per scope whose claims name enough distinct
    terms."""
    body = rule.concepts
    assert body is not None
    excluded = search.whole(rule.exclude) if rule.exclude is not None else []
    hits = {}
    for concept in body.concepts:
        found = search.whole(concept.pattern)
        hits[concept] = [h for h in found if not _overlaps(excluded, *h)] if excluded else found
    args = (doc, body, hits, search.spans, search.occurs, search.lead_ins)
    if rule.count is None:
        return [_finding(doc, rule, Hit(*span)) for span in concepts.claims(*args)]
    named = concepts.counted(*args)  # per claim scope, every hit of the reported concepts
    if rule.count.scope == "claim":
        return _counted(doc, rule, [[Hit(*h) for h in hs] for hs in named.values()])
    return _count(doc, rule, [Hit(*h) for hs in named.values() for h in hs])


class LearnedError(Exception):
    """A learned rule's weights file went missing or bad after the rules were loaded."""


def _learned_rule(
    doc: Document, rule: Rule, search: _Search, taken: Collection[tuple[int, int]]
) -> list[Finding]:
    """The model's findings, each sentence cancelled by the rule's ``unless`` as a match is."""

    assert rule.model is not None
    topics = rule.model.topics

    def on_topic(start: int, end: int) -> bool:
        return topics is None or search.occurs(topics, start, end)

    def cancelled(start: int, end: int) -> bool:
        return rule.unless is not None and _cancelled(doc, rule, start, end, search)

    # Imported here: the model's code (features, weights, dataclasses) is ~12 ms of a one-page
    # run that has no learned rule.
    from lint import learned
    from lint.model import ModelError

    try:
        return learned.findings(doc, rule, on_topic, cancelled, taken)
    except (OSError, ModelError) as exc:
        raise LearnedError(f"cannot read its model file: {exc}") from None


def _surroundings(doc: Document, start: int, end: int) -> str:
    """The match with the word before and the word after it in its sentence (a finding's
    fingerprint: edits elsewhere in the sentence do not change it, edits to the claim do)."""
    s_start, s_end = doc.sentence_of(start)
    # the word before: the last one in the sentence before the match (looked for close by)
    befores = [m.start() for m in WORD.finditer(doc.text, max(s_start, start - 80), start)]
    after = WORD.search(doc.text, end, max(s_end, end))
    lo = befores[-1] if befores else start
    hi = after.end() if after is not None else end
    return " ".join(doc.excerpt(lo, hi).split())


def _finding(
    doc: Document, rule: Rule, hit: Hit, *, quoted: str | None = None, document: bool = False
) -> Finding:
    span = doc.span(hit.start, hit.end)
    matched = " ".join(doc.excerpt(hit.start, hit.end).split())
    return Finding(
        path=doc.path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        message=rule.message.replace("{match}", quoted if quoted is not None else matched),
        match=matched,
        suggestion=rule.suggest,
        context="" if document else _surroundings(doc, hit.start, hit.end),
        document=document,
    )
