"""Concept rules (``concepts:``): claim shapes over named concepts, not fixed word orders.

A concept is a vocabulary (``rules/vocab/<name>.yaml``) or a pattern. A rule names the concepts
that must all occur in one scope (a sentence, a clause, or a window of words), in any order or
in the listed one; ``unless`` qualifiers (hedges, denials, distancing …) cancel a claim only in
their own scope around it (its clause by default), so "may" in one clause does not silence a
promise in the next; cues of reported speech (``unless.reported``: "the complaint said", "ads
for") cancel a claim anywhere in its sentence, and a claim inside quotation marks is cancelled by
any qualifier or cue outside the quotation ("ads promising “a cure for arthritis”"); ``confirm``
is a regex checked only on a candidate sentence.

The engine finds each concept's hits once per document (a concept's pattern is one object
shared by every rule that names it, and the engine's search remembers its spans); this module
only decides, sentence by sentence, where a rule's concepts meet. It is pure: the searches are
the engine's callables.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence

from lint import patterns
from lint.documents import Document
from lint.rules import Concept, Concepts, Shape

Span = tuple[int, int]
Spans = Callable[[object, int, int], list[Span]]  # pattern, start, end -> its match spans
Occurs = Callable[[object, int, int], bool]  # pattern, start, end -> whether it matches

# Hits of one concept tried per sentence: enough for any real sentence, and the combinations
# (at most MAX_TRIED ** concepts) stay few.
MAX_TRIED = 8

# A sentence that opens with a subordinate clause ("While new drugs have improved care, …",
# "Although …, …"): that clause ends at its first comma.
_OPENING_CLAUSE = re.compile(
    r"[\s\"“‘'(]*(?:while|although|though|even though|even if|whereas|despite)\b[^,;:]*,",
    re.IGNORECASE,
)
# A quotation: “…”, "…", «…» (single quotes are too often apostrophes).
_QUOTATION = re.compile(r"[“\"«„]([^“”\"«»„\n]{3,}?)[”\"»“]")


def clauses(text: str, start: int, end: int) -> list[Span]:
    """The clauses of the sentence text[start:end]: split at ; : — and at a conjunction that
    starts a new statement (", and", ", while", "but", "whereas", لیکن …). A plain "and" does
    not split: "stem cells and PRP treat arthritis" is one clause."""
    found: list[Span] = []
    at = start
    opening = _OPENING_CLAUSE.match(text, start, end)
    if opening is not None and text[opening.end() : end].strip():
        found.append((start, opening.end() - 1))
        at = opening.end()
    for m in patterns.CLAUSE_BREAKS.finditer(text, start, end):
        if text[at : m.start()].strip():
            found.append((at, m.start()))
        at = max(at, m.end())
    if text[at:end].strip():
        found.append((at, end))
    return found


def words(text: str, start: int, end: int) -> int:
    return len(patterns.WORDS.findall(text, start, end)) if end > start else 0


# A claim: its reported span, every hit of its reported concepts in its scope (what ``count``
# counts), and that scope (a lead-in's claims share the lead-in's: its list is one claim).
Claim = tuple[Span, list[Span], Span]


def claims(
    doc: Document,
    body: Concepts,
    hits: Mapping[Concept, list[Span]],
    spans: Spans,
    occurs: Occurs,
    leads: Callable[[], Mapping[Span, Span]] | None = None,
) -> list[Span]:
    """The reported span of every claim of a concept rule in ``doc``: one per scope (sentence,
    clause) where all concepts of one of its shapes occur, as the shape says; where shapes
    overlap, the first found stands. ``hits`` are each concept's match spans over the whole
    text; ``leads`` gives the document's lead-ins (``lead_ins``: the engine finds them once for
    all rules)."""
    kept: list[Span] = []
    for span in sorted(c[0] for c in _claims(doc, body, hits, spans, occurs, leads)):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def counted(
    doc: Document,
    body: Concepts,
    hits: Mapping[Concept, list[Span]],
    spans: Spans,
    occurs: Occurs,
    leads: Callable[[], Mapping[Span, Span]] | None = None,
) -> dict[Span, list[Span]]:
    """What ``count`` counts, per claim scope: every hit of the reported concepts in the scope
    of each claim ("stem cells for autism, MS and COPD" names three; a lead-in and the items
    under it are one scope)."""
    found: dict[Span, set[Span]] = {}
    for _, named, scope in _claims(doc, body, hits, spans, occurs, leads):
        found.setdefault(scope, set()).update(named)
    return {scope: sorted(named) for scope, named in sorted(found.items())}


def _claims(
    doc: Document,
    body: Concepts,
    hits: Mapping[Concept, list[Span]],
    spans: Spans,
    occurs: Occurs,
    leads: Callable[[], Mapping[Span, Span]] | None,
) -> list[Claim]:
    found: list[Claim] = []
    for shape in body.shapes:
        if not all(hits.get(c) for c in shape.concepts):
            continue
        shape_hits = [hits[c] for c in shape.concepts]
        found += _shape_claims(doc, body, shape, shape_hits, spans, occurs)
        if len(shape.concepts) > 1:
            items = leads() if leads is not None else lead_ins(doc)
            found += _lead_in_claims(doc.text, body, shape, shape_hits, items, spans, occurs)
    return found


def _shape_claims(
    doc: Document,
    body: Concepts,
    shape: Shape,
    hits: Sequence[list[Span]],
    spans: Spans,
    occurs: Occurs,
) -> list[Claim]:
    found: list[Claim] = []
    reported = shape.report or range(len(shape.concepts))
    if shape.scope == "paragraph":
        scopes = doc.paragraphs
    elif shape.scope == "section":
        scopes = sections(doc)
    else:
        scopes = doc.sentences
    for sentence in _candidates(scopes, hits):  # with scope paragraph, section: that
        parts = clauses(doc.text, *sentence)
        units = parts if shape.scope == "clause" else [sentence]
        if body.confirm is not None and not occurs(body.confirm, *sentence):
            continue
        for unit in units:
            inside = [within(hs, *unit) for hs in hits]
            if not all(inside):
                continue
            # The closest reading first; the claim stands if one reading is unqualified.
            for chosen in _readings(doc.text, shape, inside, parts):
                paragraph = doc.paragraph_of(chosen[0][0])
                if not _qualified(doc.text, body, chosen, sentence, paragraph, spans):
                    shown = [chosen[i] for i in reported]
                    span = (min(h[0] for h in shown), max(h[1] for h in shown))
                    found.append((span, [h for i in reported for h in inside[i]], unit))
                    break
    return found


def within(hits: list[Span], start: int, end: int) -> list[Span]:
    """The hits inside [start, end): ``hits`` are sorted and do not overlap, so a slice (a
    long page has thousands of hits of a concept and as many sentences to look them up in)."""
    i = bisect_left(hits, (start, -1))
    j = bisect_left(hits, (end, -1), i)
    return [h for h in hits[i:j] if h[1] <= end]


def sections(doc: Document) -> list[Span]:
    """The document's sections: from each heading to the next (the text before the first
    heading is one too)."""
    bounds = sorted({0, *doc.sections, len(doc.text)})
    return list(itertools.pairwise(bounds))


# A block this long is prose, not a list item a lead-in governs.
LIST_ITEM_WORDS = 15


def lead_ins(doc: Document) -> dict[Span, Span]:
    """Each list item's lead-in: the sentences of the short blocks (list items, table cells)
    that follow a block ending in a colon ("Conditions we treat:", a heading written so), each
    mapped to that block's last sentence. The run ends at a long block, a heading or another
    lead-in. A heading without a colon leads nothing: what follows it is as often a byline or
    a paragraph as a list, and the readers do not tell a list item from a short paragraph."""
    found: dict[Span, Span] = {}
    headings = set(doc.sections)
    starts = [s for s, _ in doc.sentences]
    blocks = doc.paragraphs
    for i, (start, end) in enumerate(blocks):
        if not doc.text[start:end].rstrip().endswith((":", "：")):
            continue
        inside = doc.sentences[bisect_left(starts, start) : bisect_left(starts, end)]
        if not inside:
            continue
        for item_start, item_end in blocks[i + 1 :]:
            item = doc.text[item_start:item_end].rstrip()
            if item_start in headings or item.endswith(":"):
                break
            if words(doc.text, item_start, item_end) > LIST_ITEM_WORDS:
                break
            for sentence in doc.sentences[
                bisect_left(starts, item_start) : bisect_left(starts, item_end)
            ]:
                found[sentence] = inside[-1]
    return found


def _lead_in_claims(
    text: str,
    body: Concepts,
    shape: Shape,
    hits: Sequence[list[Span]],
    leads: Mapping[Span, Span],
    spans: Spans,
    occurs: Occurs,
) -> list[Claim]:
    """Claims a lead-in makes with its list items: "Stem cells can help with:" + "- Autism".
    Each concept occurs in the item or in its lead-in, at least one in the item (a claim the
    item makes alone is found sentence by sentence); a qualifier or a cue of reported speech in
    either cancels it. The span is the item's own hits; the scope, the lead-in's."""
    found: list[Claim] = []
    for item, lead in leads.items():
        own = [within(hs, *item) for hs in hits]
        if all(own) or not any(own):
            continue
        led = [within(hs, *lead) for hs in hits]
        if not all(a or b for a, b in zip(own, led, strict=True)):
            continue
        chosen = [a[0] if a else b[0] for a, b in zip(own, led, strict=True)]
        if body.confirm is not None and not (
            occurs(body.confirm, *item) or occurs(body.confirm, *lead)
        ):
            continue
        qualifiers = [p for p in (body.unless, body.reported) if p is not None]
        if any(_outside(spans(q, *where), chosen) for q in qualifiers for where in (lead, item)):
            continue
        shown = [a[0] for a in own if a]
        span = (min(h[0] for h in shown), max(h[1] for h in shown))
        found.append((span, [h for i in shape.report or range(len(own)) for h in own[i]], lead))
    return found


def _candidates(sentences: list[Span], hits: Sequence[list[Span]]) -> list[Span]:
    """The sentences that hold a hit of every concept (a hit across a sentence break counts for
    none)."""
    starts = [s for s, _ in sentences]
    common: set[int] | None = None
    for concept_hits in hits:
        where = set()
        for start, end in concept_hits:
            i = bisect_right(starts, start) - 1
            if i >= 0 and end <= sentences[i][1]:
                where.add(i)
        common = where if common is None else common & where
        if not common:
            return []
    return [sentences[i] for i in sorted(common or ())]


def _readings(
    text: str, body: Shape, inside: list[list[Span]], parts: list[Span]
) -> list[list[Span]]:
    """Every way to take one hit per concept, none overlapping another, in order if
    ``in-order``, within the window if any; closest first: fewest clauses, shortest span."""
    found: list[tuple[int, int, int, list[Span]]] = []
    for combo in itertools.product(*(hs[:MAX_TRIED] for hs in inside)):
        ordered = sorted(combo)
        if any(a[1] > b[0] for a, b in itertools.pairwise(ordered)):
            continue  # two concepts on the same words
        if body.in_order and list(combo) != ordered:
            continue
        lo, hi = ordered[0][0], max(h[1] for h in combo)
        if body.window is not None and words(text, lo, hi) > body.window:
            continue
        touched = sum(1 for c in parts if c[0] < hi and lo < c[1])
        found.append((touched, hi - lo, lo, list(combo)))
    found.sort(key=lambda r: r[:3])
    return [r[3] for r in found]


def _qualified(
    text: str, body: Concepts, chosen: list[Span], sentence: Span, paragraph: Span, spans: Spans
) -> bool:
    """Whether an ``unless`` qualifier governs the claim: in the clause(s) the claim spans
    (default), its sentence, its paragraph, or a window of words around it. A qualifier inside one of the
    claim's own hits ("no" in "no side effects") does not cancel it. A ``reported`` cue
    anywhere in the sentence cancels it; so does any qualifier or cue outside the quotation marks
    when the claim is quoted inside a sentence that reports it."""
    lo, hi = min(h[0] for h in chosen), max(h[1] for h in chosen)
    if body.reported is not None and _outside(spans(body.reported, *sentence), chosen):
        return True
    quote = _quotation(text, lo, hi, sentence)
    if quote is not None:
        for pattern in (body.unless, body.reported):
            if pattern is not None and any(
                not (quote[0] <= q[0] and q[1] <= quote[1]) for q in spans(pattern, *sentence)
            ):
                return True
    if body.unless is None:
        return False
    if body.unless_scope == "clause":
        parts = clauses(text, *sentence)
        first = next((c for c in parts if c[0] <= lo < c[1]), (lo, lo))
        last = next((c for c in parts if c[0] < hi <= c[1]), (hi, hi))
        region = (min(first[0], lo), max(last[1], hi))
    elif body.unless_scope == "window":
        region = _around(text, lo, hi, sentence, *(body.unless_window or (0, 0)))
    elif body.unless_scope == "paragraph":
        region = (min(paragraph[0], sentence[0]), max(paragraph[1], sentence[1]))
    else:
        region = sentence
    return _outside(spans(body.unless, *region), chosen)


def _outside(found: list[Span], chosen: list[Span]) -> bool:
    """Whether one of the qualifier spans ``found`` lies outside every hit of the claim."""
    return any(not any(h[0] <= q0 and q1 <= h[1] for h in chosen) for q0, q1 in found)


def _quotation(text: str, lo: int, hi: int, sentence: Span) -> Span | None:
    """The quotation marks (with what they hold) around the claim text[lo:hi], if the sentence
    has words outside them; None if the claim is not quoted or the quotation is the sentence."""
    for m in _QUOTATION.finditer(text, *sentence):
        if m.start(1) <= lo and hi <= m.end(1):
            rest = text[sentence[0] : m.start()] + " " + text[m.end() : sentence[1]]
            return (m.start(), m.end()) if words(rest, 0, len(rest)) >= 2 else None
    return None


def _around(text: str, lo: int, hi: int, sentence: Span, before: int, after: int) -> Span:
    """``before`` words before ``lo`` and ``after`` words after ``hi``, inside the sentence."""
    starts = [m.start() for m in patterns.WORDS.finditer(text, sentence[0], lo)]
    start = starts[-before] if before and len(starts) >= before else (sentence[0] if before else lo)
    end = hi
    for i, m in enumerate(patterns.WORDS.finditer(text, hi, sentence[1])):
        if i + 1 > after:
            break
        end = m.end()
    return start, end
