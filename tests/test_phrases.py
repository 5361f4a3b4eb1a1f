"""The phrase automaton (lint/phrases.py): which terms are phrases, what they spell, and that its
one pass over a text finds what each pattern's regular expression finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint import patterns, phrases, rules
from lint.documents import DecodeError, from_bytes

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("term", "spelled"),
    [
        ("stem cells?", ["stem cell", "stem cells"]),
        ("side[- ]effects?", ["side effect", "side effects", "side-effect", "side-effects"]),
        ("cur(?:e|es|ed)", ["cure", "cured", "cures"]),
        (r"baanjh\s*pan", ["baanjh pan", "baanjhpan"]),
        (r"no\.? ?1", ["no 1", "no. 1", "no.1", "no1"]),
        ("(?:100|hundred) (?:%|percent)", ["100 %", "100 percent", "hundred %", "hundred percent"]),
        (r"NAD\+", ["NAD+"]),
    ],
)
def test_a_phrase_term_spells_a_finite_set(term: str, spelled: list[str]) -> None:
    found = phrases.expand(patterns.prepare(term))
    assert sorted(" ".join(p.split()) for p in found) == sorted(spelled)


@pytest.mark.parametrize(
    "term",
    [
        r"cur(?:e|es) (?:\w+ ){0,3}diabetes",
        r"\d+ ?%",
        "treat.*",
        "(?<!not )safe",
        "(?-i:ASD)",
        "[a-z]+cell",
        "[^.]{0,30} safe",
        "stem cells*",
        "before and after the ",
    ],
)
def test_a_term_that_is_not_a_finite_phrase_is_left_to_its_regex(term: str) -> None:
    with pytest.raises(phrases.NotPhrase):
        phrases.expand(patterns.prepare(term))


def test_a_vocabulary_body_is_judged_term_by_term() -> None:
    body = patterns.alternation(["(?:a|b)c", "d(?:e|f)?", r"x\w+"])
    assert phrases.terms(body) == ["(?:a|b)c", "d(?:e|f)?", r"x\w+"]


def test_one_pass_finds_each_patterns_hits_as_its_regex_does() -> None:
    cells = patterns.compile_bounded([patterns.prepare("stem cells?"), "PRP"])
    cure = patterns.compile_bounded([patterns.prepare("cur(?:e|es|ed)")])
    gap = patterns.compile_bounded([patterns.prepare(r"cur(?:e|es) (?:\w+ ){0,3}diabetes")])
    number = patterns.compile_bounded([patterns.prepare(r"\d+ ?%")])
    index = phrases.PhraseIndex([cells, cure, gap, number])
    assert index.covers(cells) and index.covers(cure)
    # a term that is no phrase but starts with one (its anchor) or with a number is tried only
    # where that starts
    assert index.covers(gap) and index.covers(number)
    text = "Stem\ncells cure. STEM CELL-based PRP cured; stemcells, precured, curettage."
    text += " It cures type 1 diabetes; cure diabetes; curest diabetes."
    hits = index.scan(text, regex_search(text))
    assert [text[a:b] for a, b in hits[cells]] == ["Stem\ncells", "STEM CELL", "PRP"]
    assert [text[a:b] for a, b in hits[cure]] == ["cure", "cured", "cures", "cure"]
    assert [text[a:b] for a, b in hits[gap]] == ["cures type 1 diabetes", "cure diabetes"]
    assert hits[gap] == [m.span() for m in gap.finditer(text)]
    with_numbers = "Up to 85 % of 1,000 patients; x85%; 12%."
    found = index.scan(with_numbers, regex_search(with_numbers))[number]
    assert found == [m.span() for m in number.finditer(with_numbers)] and len(found) == 2


@pytest.mark.parametrize(
    ("term", "led"),
    [
        (r"cur(?:e|es) (?:\w+ ){0,3}diabetes", ["cure", "cures"]),
        (r"(?:the )?best (?:\w+ ){0,2}clinic", ["best", "the best"]),
        (r"Pakistan['’]s (?:\w+ )?best", ["Pakistan"]),  # a mark that is no word character
        # an optional group that starts with white space: what follows it decides
        (r"stem cells?(?: therapy)? (?:\w+ ){0,2}for", ["stem"]),  # the shortest
        (r"stem\w* (?:\w+ ){0,2}for", None),  # "stemcell": no phrase ends inside it
        # a case-sensitive piece is read folded: more starts, never fewer
        (r"(?:autism|(?-i:ASD)) (?:\w+ )?therapy", ["ASD", "autism"]),
        (r"cur(?:e|es)\w*", None),  # "cured" is one token: no phrase ends inside it
        (r"stem\s?\w+", None),  # "stemcell": the white space may be missing
        (r"\d+ ?%", ["\x00digits"]),  # tried at every number
        (r"x\d+", None),
        (r"\d{1,3} ?%", ["\x00digits"]),
        (r"\d* ?(?:days|weeks)", None),  # the number may be missing: no anchor
        (r"\d{0,2} ?(?:days|weeks)", None),
        (r"(?<!not )safe\w*", None),
    ],
)
def test_an_anchor_is_a_leading_phrase_that_ends_at_a_words_edge(
    term: str, led: list[str] | None
) -> None:
    found = phrases.anchors(patterns.prepare(term))
    assert (sorted(" ".join(p.split()) for p, _, _ in found) if found else None) == led


def regex_search(text: str):  # type: ignore[no-untyped-def]
    """The engine's search for a pattern's other terms: a scan, or tried at anchors' starts."""

    def search(pattern, starts):  # type: ignore[no-untyped-def]
        if starts is None:
            return [m.span() for m in pattern.finditer(text)]
        return phrases.anchored(pattern, text, starts)

    return search


def test_case_sensitive_terms_and_the_rest_of_a_pattern() -> None:
    """``(?-i:ASD)`` matches as written; a term that is no phrase stays a regex whose hits
    join the phrase hits of its pattern."""
    ills = patterns.compile_bounded(
        [patterns.alternation(["autism", "(?-i:ASD)", patterns.prepare(r"stage \d+ cancer")])]
    )
    index = phrases.PhraseIndex([ills])
    assert index.covers(ills) and len(index.rest) == 1
    text = "Autism (ASD), not asd; stage 4 cancer."
    hits = index.scan(text, regex_search(text))[ills]
    assert [text[a:b] for a, b in hits] == ["Autism", "ASD", "stage 4 cancer"]


def _fixture_texts() -> list[str]:
    texts = []
    for page in sorted((ROOT / "fixtures").rglob("*")):
        if page.is_file() and page.suffix in (".txt", ".md", ".html", ".htm"):
            try:
                texts.append(from_bytes(page.name, page.read_bytes()).text)
            except (DecodeError, ValueError):
                continue
    return texts


def test_the_automaton_finds_what_each_regex_finds() -> None:
    """On every fixture page, every covered pattern of every shipped pack: the one pass gives
    exactly the hits of the pattern's own regex (leftmost; at one place the first term that
    matches, its longest spelling)."""
    ruleset = rules.load(packs=None)
    index = ruleset.phrases
    assert index is not None and len(index.numbers) > 100
    checked = 0
    for text in _fixture_texts():
        hits = index.scan(text, regex_search(text))
        for pattern, found in hits.items():
            assert found == [m.span() for m in pattern.finditer(text)], pattern.bodies[0][:80]
            checked += len(found)
    assert checked > 1000


def test_a_phrase_at_a_punctuation_mark_keeps_the_word_bound() -> None:
    """As the word-bounded regex: a phrase that starts (or ends) with a punctuation mark does
    not match right after (or before) a word character."""
    number_one = patterns.compile_bounded([patterns.prepare("#1"), patterns.prepare("100%")])
    index = phrases.PhraseIndex([number_one])
    text = "We are #1. Not a#1, 100%, 100%x."
    hits = index.scan(text, regex_search(text))[number_one]
    assert [text[a:b] for a, b in hits] == ["#1", "100%"]
    assert hits == [m.span() for m in number_one.finditer(text)]
