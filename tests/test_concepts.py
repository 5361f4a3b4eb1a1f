"""Concept rules (``concepts:``, lint/concepts.py): scope, order, clause-scoped qualifiers, the
reported span, ``confirm``, shared concept patterns, the phrase automaton, and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint import concepts, engine, rules
from lint.documents import from_text

HEAD = """\
category: unproven-indication
severity: error
message: "Offers {match}."
why: "A test rule."
references: ["none"]
suggest: "Say less."
"""
VOCAB = {
    "told": "terms: ['the advert said', 'posters? (?:\\w+ ){0,3}said']",
    "cells": "terms: ['stem cells?', 'exosomes?']",
    "verbs": "terms: ['treats?', 'heals?', 'helps?']",
    "ills": "terms: ['diabetes', 'autism', 'arthritis']",
    "maybe": "terms: ['may', 'might', 'not']",
}


def load(tmp_path: Path, **bodies: str) -> rules.RuleSet:
    """A pack ``t`` of one rule per body (with the test vocabularies), no shipped packs."""
    folder = tmp_path / "t"
    (folder / "vocab").mkdir(parents=True, exist_ok=True)
    for name, terms in VOCAB.items():
        (folder / "vocab" / f"{name}.yaml").write_text(terms + "\n", encoding="utf-8")
    for name, body in bodies.items():
        (folder / f"{name}.yaml").write_text(
            HEAD + body + "\nexamples:\n  bad: ['Stem cells treat diabetes.']\n"
            "  good: ['Parking is free.']\n",
            encoding="utf-8",
        )
    return rules.load([folder], packs=())


def found(ruleset: rules.RuleSet, text: str, rule: str = "t/r") -> list[str]:
    doc = from_text("x.txt", text, kind="txt")
    r = ruleset.get(rule)
    assert r is not None
    plain = [f.match for f in engine.check_rule(doc, r)]  # every concept by its regex
    fast = [f.match for f in engine.check_rule(doc, r, phrases=ruleset.phrases)]
    assert fast == plain  # the phrase automaton finds what the regexes find
    return plain


def messages(ruleset: rules.RuleSet, text: str, rule: str = "t/r", kind: str = "txt") -> list[str]:
    """The messages of one rule's findings (a count rule's name what it counted)."""
    r = ruleset.get(rule)
    assert r is not None
    doc = from_text(f"x.{kind}", text, kind=kind)
    return [f.message for f in engine.check_rule(doc, r, phrases=ruleset.phrases)]


def test_concepts_meet_in_a_sentence_in_any_order(tmp_path: Path) -> None:
    rs = load(tmp_path, r="concepts: [cells, verbs, ills]")
    assert found(rs, "Stem cells treat diabetes.") == ["Stem cells treat diabetes"]
    assert found(rs, "Diabetes? Our stem cells help it.") == []  # two sentences
    assert found(rs, "Diabetes helps nobody, said the stem cells poster.") == [
        "Diabetes helps nobody, said the stem cells"
    ]
    assert found(rs, "Stem cells are stored here. Diabetes is treated upstairs.") == []


def test_in_order(tmp_path: Path) -> None:
    rs = load(tmp_path, r="concepts: [cells, verbs, ills]\nin-order: true")
    assert found(rs, "Exosomes heal arthritis.") == ["Exosomes heal arthritis"]
    assert found(rs, "Arthritis heals with exosomes.") == []


def test_clause_and_window_scopes(tmp_path: Path) -> None:
    rs = load(
        tmp_path,
        r="concepts: [cells, ills]\nscope: clause",
        w="concepts: [cells, ills]\nscope: {window: 4}",
        s="concepts: [cells, ills]",
    )
    text = "We store stem cells; diabetes care is on floor two."
    assert found(rs, text) == []
    assert found(rs, text, "t/s") == ["stem cells; diabetes"]
    assert found(rs, "Stem cells, and only them, for autism.", "t/w") == []
    assert found(rs, "Stem cells for autism.", "t/w") == ["Stem cells for autism"]


def test_clauses_split_at_punctuation_and_conjunctions_not_plain_and() -> None:
    text = "Stem cells and PRP help; results vary, but many improve whereas some do not"
    parts = [text[a:b].strip() for a, b in concepts.clauses(text, 0, len(text))]
    assert parts == [
        "Stem cells and PRP help",
        "results vary",
        "but many improve",
        "whereas some do not",
    ]


def test_an_opening_subordinate_clause_ends_at_its_comma() -> None:
    text = "While exosomes help some, stem cells treat diabetes"
    parts = [text[a:b].strip() for a, b in concepts.clauses(text, 0, len(text))]
    assert parts == ["While exosomes help some", "stem cells treat diabetes"]
    text = "Stem cells treat diabetes while you rest, at home"  # not at the start: no split
    assert [text[a:b] for a, b in concepts.clauses(text, 0, len(text))] == [text]


def test_reported_speech_governs_the_sentence(tmp_path: Path) -> None:
    rs = load(
        tmp_path,
        r="concepts: [cells, verbs, ills]\nscope: clause\nunless: {concepts: [maybe], reported: [told]}",
    )
    assert found(rs, "The advert said that stem cells treat diabetes.") == []
    assert found(rs, "The advert said it was new; stem cells treat diabetes.") == []
    assert found(rs, "The advert was new. Stem cells treat diabetes.") == [
        "Stem cells treat diabetes"
    ]


def test_a_quoted_claim_in_a_sentence_that_reports_it(tmp_path: Path) -> None:
    rs = load(tmp_path, r="concepts: [cells, verbs, ills]\nscope: clause\nunless: [maybe]")
    # a qualifier outside the quotation cancels the claim inside it, whatever the clauses
    assert found(rs, "Not every poster is true — “stem cells treat diabetes”.") == []
    # a quotation that is the whole sentence is the page's own claim
    assert found(rs, "“Stem cells treat diabetes.”") == ["Stem cells treat diabetes"]
    # a quotation with no qualifier or cue around it (a testimonial) is still a claim
    assert found(rs, "Our patients say “stem cells treat diabetes” every day.") == [
        "stem cells treat diabetes"
    ]


def test_a_qualifier_governs_its_clause_not_the_next(tmp_path: Path) -> None:
    rs = load(
        tmp_path,
        r="concepts: [cells, verbs, ills]\nscope: clause\nunless: [maybe]",
        s="concepts: [cells, verbs, ills]\nscope: clause\nunless: {concepts: [maybe], scope: sentence}",
    )
    text = "Exosomes may help arthritis; stem cells treat diabetes."
    assert found(rs, text) == ["stem cells treat diabetes"]
    assert found(rs, text, "t/s") == []
    assert found(rs, "Exosomes may help arthritis.") == []


def test_the_closest_unqualified_reading_is_reported(tmp_path: Path) -> None:
    rs = load(
        tmp_path, r="concepts: [cells, verbs, ills]\nunless: {concepts: [maybe], scope: clause}"
    )
    # Sentence scope: the first clause is qualified, the second stands on its own.
    assert found(rs, "Stem cells may help autism; exosomes heal arthritis.") == [
        "exosomes heal arthritis"
    ]


def test_a_window_qualifier(tmp_path: Path) -> None:
    rs = load(
        tmp_path, r="concepts: [cells, ills]\nunless: {concepts: [maybe], scope: {window: 3}}"
    )
    assert found(rs, "Stem cells for autism, which is a long story that may bore you.") == [
        "Stem cells for autism"
    ]
    assert found(rs, "It may be that stem cells help autism.") == []


def test_a_qualifier_inside_a_concept_hit_does_not_cancel_it(tmp_path: Path) -> None:
    rs = load(tmp_path, r="concepts: ['not a single side effect', cells]\nunless: [maybe]")
    assert found(rs, "Not a single side effect with stem cells.") == [
        "Not a single side effect with stem cells"
    ]


def test_report_picks_the_span(tmp_path: Path) -> None:
    rs = load(tmp_path, r="concepts: [cells, verbs, ills]\nreport: [verbs, ills]")
    assert found(rs, "Our famous stem cells now treat autism.") == ["treat autism"]
    ruleset = load(tmp_path, r="concepts: [cells, verbs, ills]\nreport: ills")
    assert found(ruleset, "Autism is what our stem cells treat.") == ["Autism"]


def test_confirm_is_checked_on_the_candidate_sentence(tmp_path: Path) -> None:
    rs = load(tmp_path, r="concepts: [cells, ills]\nconfirm: 'our (?:clinic|centre)'")
    assert found(rs, "Stem cells for autism.") == []
    assert found(rs, "Stem cells for autism at our clinic.") == ["Stem cells for autism"]


def test_except_drops_a_concept_hit(tmp_path: Path) -> None:
    rs = load(tmp_path, r="concepts: [cells, ills]\nexcept: 'stem cells? research'")
    assert found(rs, "Stem cell research on autism.") == []


def test_a_concept_is_one_pattern_shared_by_the_rules_that_name_it(tmp_path: Path) -> None:
    rs = load(tmp_path, r="concepts: [cells, ills]", s="concepts: [ills, verbs]")
    r, s = rs.get("t/r"), rs.get("t/s")
    assert r is not None and r.concepts is not None and s is not None and s.concepts is not None
    assert r.concepts.concepts[1].pattern is s.concepts.concepts[0].pattern


def test_a_rule_has_several_shapes_and_any_one_makes_a_claim(tmp_path: Path) -> None:
    rs = load(
        tmp_path,
        r="concepts:\n  - [cells, verbs, ills]\n  - {concepts: ['miracle cures?'], scope: clause}\n"
        "report: [verbs, ills]\nunless: [maybe]",
    )
    assert found(rs, "Stem cells treat diabetes.") == ["treat diabetes"]
    assert found(rs, "A miracle cure, at last.") == ["miracle cure"]
    assert found(rs, "It may be a miracle cure; stem cells heal autism.") == ["heal autism"]
    # one finding where two shapes claim the same words
    assert found(rs, "Exosomes, a miracle cure, heal arthritis.") == [
        "miracle cure",
        "heal arthritis",
    ]


def test_one_concept_is_a_shape_with_scoped_qualifiers(tmp_path: Path) -> None:
    rs = load(tmp_path, r="concepts: ['miracle cures?']\nunless: [maybe]")
    assert found(rs, "A miracle cure may be near.") == []  # the qualifier's clause
    assert found(rs, "Results may vary; our miracle cure works.") == ["miracle cure"]


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (
            "concepts: [cels, ills]",
            7,
            "unknown concept 'cels': no vocabulary of that name — did you mean 'cells'? (to match the word itself, write '(?:cels)')",
        ),
        ("concepts: [[cells, ills], {scope: clause}]", 7, "a shape needs 'concepts'"),
        (
            "concepts: [[cells, ills], {concepts: [verbs], near: 3}]",
            7,
            "unknown key 'concepts.1.near'",
        ),
        ("concepts: [cells, ills]\nreport: [verbs]", 8, "'report' names 'verbs'"),
        (
            "concepts: [[cells, ills], {concepts: [verbs, ills], report: [cells]}]",
            7,
            "'report' names 'cells', which is not one of the shape's concepts (ills, verbs)",
        ),
        (
            "concepts: [cells, ills]\nreport: [verbs]",
            8,
            "'report' names 'verbs', which is not one of the rule's concepts",
        ),
        (
            "concepts: [cells, ills]\nscope: page",
            8,
            "'scope' is 'page'; expected one of sentence, clause, paragraph, section or {window: N}",
        ),
        ("concepts: [cells, ills]\nin-order: 2", 8, "'in-order' must be true or false"),
        (
            "concepts: [cells, ills]\nunless: {patterns: [maybe]}",
            8,
            "unknown key 'unless.patterns'",
        ),
        (
            "concepts: [cells, ills]\nnear: {patterns: [cure]}",
            8,
            "'near' does not go with 'concepts'",
        ),
        ("match: cure\nscope: clause", 8, "'scope' goes with 'concepts' (a concept rule)"),
        ("concepts: [cells, ills]\nmatch: cure", 1, "a rule needs exactly one body"),
        ("concepts: [cells, '(unclosed']", 7, "bad pattern '(unclosed'"),
    ],
)
def test_bad_concept_rules_are_located_errors(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    with pytest.raises(rules.RuleError) as caught:
        load(tmp_path, r=body)
    lines = [str(p) for p in caught.value.problems]
    assert any(f"r.yaml:{line}: rule 't/r': {message}" in x for x in lines), lines


def _md(ruleset: rules.RuleSet, text: str) -> list[str]:
    doc = from_text("x.md", text, kind="md")
    r = ruleset.get("t/r")
    assert r is not None
    return [f.match for f in engine.check_rule(doc, r)]


def test_a_lead_in_carries_its_claim_to_the_list_items_under_it(tmp_path: Path) -> None:
    rs = load(tmp_path, r="concepts: [cells, verbs, ills]\nunless: [maybe]")
    page = "Our stem cells help with:\n\n- Autism\n- Diabetes, in adults\n- Parking on site\n"
    assert _md(rs, page) == ["Autism", "Diabetes"]
    # a qualifier in the lead-in governs its items; so does one in the item
    assert _md(rs, "Stem cells may help with:\n\n- Autism\n") == []
    assert _md(rs, "Stem cells help with:\n\n- Autism (not proven)\n") == []
    # a heading without a colon leads nothing; a long block ends the list
    assert _md(rs, "# Stem cells help\n\nAutism\n") == []
    long = "A long paragraph " + "word " * 20 + "follows.\n\n- Autism\n"
    assert _md(rs, "Stem cells help with:\n\n" + long) == []
    # an item that makes the claim alone is found once, sentence by sentence
    assert _md(rs, "Our offer:\n\n- Stem cells treat autism\n") == ["Stem cells treat autism"]


def test_paragraph_scopes_for_shapes_and_qualifiers(tmp_path: Path) -> None:
    rs = load(
        tmp_path,
        r="concepts: [cells, verbs, ills]\nscope: paragraph\nunless: {concepts: [maybe], scope: paragraph}",
        s="concepts: [cells, verbs, ills]\nunless: {concepts: [maybe], scope: paragraph}",
    )
    assert found(rs, "Autism? Stem cells treat it.") == ["Autism? Stem cells treat"]
    assert found(rs, "Autism? Stem cells treat it.\n\nNext one.", "t/s") == []
    assert found(rs, "Stem cells treat autism. Results might differ.", "t/s") == []
    assert found(rs, "Stem cells treat autism.\n\nResults might differ.", "t/s") == [
        "Stem cells treat autism"
    ]


def test_count_makes_a_concept_rule_an_aggregate_of_its_claims(tmp_path: Path) -> None:
    rs = load(
        tmp_path,
        r="concepts: [cells, ills]\nreport: ills\ncount: {distinct: 3}",
        s="concepts: [cells, ills]\nreport: ills\ncount: {distinct: 2, scope: paragraph}",
    )

    listed = "Stem cells for diabetes. Stem cells for autism. Exosomes for arthritis."
    assert messages(rs, listed) == ["Offers diabetes, autism, arthritis."]  # one finding names all
    found(rs, listed)  # the automaton and the regexes agree
    # the same disease twice is one term; a disease without a therapy is no claim
    assert messages(rs, "Stem cells for autism. Exosomes for Autism. Arthritis, diabetes.") == []
    assert messages(rs, "Stem cells for autism.\n\nExosomes for diabetes.", "t/s") == []
    assert messages(rs, "Stem cells for autism or diabetes.\n\nNo more.", "t/s") == [
        "Offers autism, diabetes."
    ]


def test_a_one_sided_qualifier_window(tmp_path: Path) -> None:
    rs = load(
        tmp_path,
        r="concepts: [cells, ills]\nunless: {concepts: [maybe], scope: {before: 2}}",
        s="concepts: [cells, ills]\nunless: {concepts: [maybe], scope: {before: 0, after: 3}}",
    )
    assert found(rs, "We may use stem cells for autism.") == []  # "may" leads the claim
    assert found(rs, "It may be that stem cells treat autism.") == ["stem cells treat autism"]
    assert found(rs, "Stem cells for autism, we may say.") == ["Stem cells for autism"]
    assert found(rs, "Stem cells for autism, we may say.", "t/s") == []  # "may" follows it
    assert found(rs, "May stem cells help autism?", "t/s") == ["stem cells help autism"]


def test_count_per_claim_scope_takes_a_lead_in_with_its_items(tmp_path: Path) -> None:
    rs = load(
        tmp_path, r="concepts: [cells, ills]\nreport: ills\ncount: {distinct: 3, scope: claim}"
    )

    # three in one sentence, or under one lead-in; not one a sentence across a page
    assert messages(rs, "Stem cells for autism, diabetes and arthritis.") == [
        "Offers autism, diabetes, arthritis."
    ]
    assert messages(
        rs, "Our stem cells help with:\n\n- Autism\n- Diabetes\n- Arthritis\n", kind="md"
    ) == ["Offers Autism, Diabetes, Arthritis."]
    assert (
        messages(rs, "Stem cells for autism. Exosomes for diabetes. Stem cells for arthritis.")
        == []
    )
