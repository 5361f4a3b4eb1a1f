"""The learned rule kind: a claim detector trained on labelled real copy judges each sentence.

A rule file with ``model:`` (see docs/rule-format.md) names a weights file (``lint.model``).
For every sentence of a document the model gives the probability that it is a violation; a
sentence at or above the rule's threshold becomes one finding that covers the sentence, names
the model's most likely category, carries the probability, and says which phrases weighed most.

How it combines with the hand-written rules (``merge``), so false alarms do not simply add up:
the rule's ``unless`` qualifiers (hedges, negations, citations, distancing) silence a sentence
as they silence a rule, and a sentence that a hand-written rule already flags is reported once,
by that rule, whose span, message and suggestion are exact.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from lint.findings import Finding

if TYPE_CHECKING:
    from lint.documents import Document
    from lint.model import Model
    from lint.rules import Rule

# A sentence shorter than this is a heading, a menu item or a button: too little for the model.
DEFAULT_MIN_WORDS = 4
REASONS = 3  # phrases named in a finding's message


@functools.lru_cache(maxsize=8)
def load(path: str) -> Model:
    """The model in ``path``, read once per process (raises ``lint.model.ModelError``/OSError)."""
    from lint.model import Model

    return Model.load(path)


def reasons(model: Model, text: str) -> str:
    """The phrases that weighed most, as a reviewer reads them: 'success rate' + '96%'."""
    found = model.explain(text, REASONS)
    return " + ".join(f"'{r.phrase}'" for r in found) or "the sentence as a whole"


def _words(text: str) -> int:
    return len(text.split())


def findings(
    doc: Document,
    rule: Rule,
    on_topic: Callable[[int, int], bool],
    cancelled: Callable[[int, int], bool],
) -> list[Finding]:
    """One finding per sentence of ``doc`` that is ``on_topic`` (the rule's ``model.topics``)
    and that the model judges a violation, unless ``cancelled`` (the rule's ``unless``
    qualifiers); the engine applies both to the sentence span, as it does for a match."""
    assert rule.model is not None
    model = load(rule.model.path)
    found = []
    for start, end in doc.sentences:
        excerpt = doc.excerpt(start, end)
        lead = len(excerpt) - len(excerpt.lstrip())
        text = excerpt.strip()
        if _words(text) < rule.model.min_words or not on_topic(start, end):
            continue
        probability = model.probability(text)
        if probability < rule.model.threshold:
            continue
        start += lead
        end = start + len(text)
        if cancelled(start, end):
            continue
        found.append(_finding(doc, rule, model, text, start, end, probability))
    return found


def _finding(
    doc: Document, rule: Rule, model: Model, text: str, start: int, end: int, probability: float
) -> Finding:
    top = model.top_category(text)
    category = top[0] if top is not None else rule.category
    span = doc.span(start, end)
    shown = " ".join(text.split())
    message = (
        rule.message.replace("{category}", category)
        .replace("{probability}", f"{probability:.2f}")
        .replace("{reasons}", reasons(model, text))
        .replace("{match}", shown)
    )
    return Finding(
        path=doc.path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        rule=rule.id,
        category=category,
        severity=rule.severity,
        message=message,
        match=shown,
        suggestion=rule.suggest,
        context=shown,
        probability=round(probability, 3),
    )


def merge(
    findings: Sequence[Finding], learned: frozenset[str], page_level: frozenset[str]
) -> list[Finding]:
    """The findings with every learned finding dropped whose sentence a hand-written sentence
    rule already flags (a finding that starts inside the learned one's span). Page-level
    findings (a missing disclaimer, placed at its trigger) say nothing of that sentence."""
    if not learned:
        return list(findings)
    others = learned | page_level
    starts = [(f.line, f.column) for f in findings if f.rule not in others]
    kept = []
    for f in findings:
        if f.rule in learned:
            first, last = (f.line, f.column), (f.end_line, f.end_column)
            if any(first <= s < last for s in starts):
                continue
        kept.append(f)
    return kept


def checker(model: Model, threshold: float) -> Callable[[str], list[tuple[str, str]]]:
    """The model alone as the scorer's checker: a text at or above ``threshold`` is one hit of
    its most likely category (rule id ``model``)."""

    def check(text: str) -> list[tuple[str, str]]:
        if model.probability(text) < threshold:
            return []
        top = model.top_category(text)
        return [("model", top[0] if top is not None else "")]

    return check
