"""The learned rule kind: a claim detector trained on labelled real copy judges each sentence.

A rule file with ``model:`` (see docs/rule-format.md) names a weights file (``lint.model``).
For every sentence of a document the model gives the probability that it is a violation; a
sentence at or above the rule's threshold becomes one finding that covers the sentence, names
the model's most likely category, carries the probability, and says which phrases weighed most.

How it combines with the hand-written rules, so false alarms do not simply add up: the rule's
``unless`` qualifiers (hedges, negations, citations, distancing) silence a sentence as they
silence a rule, and a sentence that a hand-written rule already flags is reported once, by that
rule, whose span, message and suggestion are exact (the engine runs learned rules last).
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from lint.features import vectorize
from lint.findings import Finding
from lint.model import sigmoid

if TYPE_CHECKING:
    from lint.documents import Document
    from lint.documents.model import Span
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


def reasons(model: Model, text: str, vec: dict[int, float] | None = None) -> str:
    """The phrases that weighed most, as a reviewer reads them: 'success rate' + '96%'."""
    # A name's initial or a stray letter ('r') tells a reviewer nothing: asked for a few more,
    # phrases of fewer than three characters are left out.
    found = [r for r in model.explain(text, REASONS + 3, vec) if len(r.phrase) >= 3]
    return " + ".join(f"'{r.phrase}'" for r in found[:REASONS]) or "the sentence as a whole"


def _words(text: str) -> int:
    return len(text.split())


def findings(
    doc: Document,
    rule: Rule,
    on_topic: Callable[[int, int], bool],
    cancelled: Callable[[int, int], bool],
    taken: Collection[tuple[int, int]] = (),
) -> list[Finding]:
    """One finding per sentence of ``doc`` that the model judges a violation.

    The engine passes what decides whether a sentence is judged at all, as it does for a match:
    ``on_topic`` (the rule's ``model.topics``), ``cancelled`` (its ``unless`` qualifiers) and
    ``taken``, the (line, column) starts of pattern-rule findings: a sentence that holds one is
    reported once, by that rule, with its exact words.
    """
    assert rule.model is not None
    model = load(rule.model.path)
    starts = sorted(taken)  # searched by bisection: a long page has thousands of both
    found = []
    for start, end in doc.sentences:
        excerpt = doc.excerpt(start, end)
        lead = len(excerpt) - len(excerpt.lstrip())
        text = excerpt.strip()
        if _words(text) < rule.model.min_words or not on_topic(start, end):
            continue
        start += lead
        end = start + len(text)
        span = doc.span(start, end)
        first, last = (span.line, span.column), (span.end_line, span.end_column)
        i = bisect_left(starts, first)
        if i < len(starts) and starts[i] < last:
            continue
        vec = vectorize(text, model.config)
        probability = sigmoid(model.logit_of(vec))
        if probability < rule.model.threshold or cancelled(start, end):
            continue
        found.append(_finding(doc.path, rule, model, text, span, probability, vec))
    return found


def _finding(
    path: str,
    rule: Rule,
    model: Model,
    text: str,
    span: Span,
    probability: float,
    vec: dict[int, float],
) -> Finding:
    top = model.top_category(text, vec)
    category = top[0] if top is not None else rule.category
    shown = " ".join(text.split())
    message = (
        rule.message.replace("{category}", category)
        .replace("{probability}", f"{probability:.2f}")
        .replace("{reasons}", reasons(model, text, vec))
        .replace("{match}", shown)
    )
    return Finding(
        path=path,
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


def checker(model: Model, threshold: float) -> Callable[[str], list[tuple[str, str]]]:
    """The model alone as the scorer's checker: a text at or above ``threshold`` is one hit of
    its most likely category (rule id ``model``)."""

    def check(text: str) -> list[tuple[str, str]]:
        if model.probability(text) < threshold:
            return []
        top = model.top_category(text)
        return [("model", top[0] if top is not None else "")]

    return check
