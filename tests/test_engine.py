"""The engine's conditions, each on a tiny text with a rule written to disk (no shipped packs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load_only, write_rule, write_vocab
from hypothesis import given, settings
from hypothesis import strategies as st

from lint.api import Linter
from lint.documents import segment


def findings(tmp_path: Path, body: str, text: str, kind: str = "txt") -> list[tuple[int, int, str]]:
    write_rule(tmp_path / "t", "r", body)
    linter = Linter(load_only(tmp_path))
    return [(f.line, f.column, f.match) for f in linter.check_text(text, kind=kind)]


@pytest.mark.parametrize(
    ("body", "text", "expected"),
    [
        # word bounds: no match inside a word
        ("match: ['cure']", "A secure cure.", [(1, 10, "cure")]),
        # case-insensitive, and a space matches a line break and a no-break space
        ("match: ['side effects']", "It has no SIDE\neffects.", [(1, 11, "SIDE effects")]),
        ("match: ['100% safe']", "It is 100%\u00a0safe.", [(1, 7, "100% safe")]),
        # unless anywhere in the sentence (default scope)
        (
            "match: ['cure']\nunless: ['may']",
            "It may cure you. It will cure you.",
            [(1, 26, "cure")],
        ),
        # unless before N words only
        (
            "match: ['guarantee']\nunless: {patterns: ['not'], before: 2}",
            "We do not guarantee it. Not today, but we guarantee it.",
            [(1, 43, "guarantee")],
        ),
        # a negator inside the claim does not cancel it; one containing the claim does
        (
            "match: ['no side effects', 'cure']\nunless: {patterns: ['no', 'no cure'], before: 2}",
            "It has no side effects. There is no cure.",
            [(1, 8, "no side effects")],
        ),
        # unless after N words (Urdu word order)
        (
            "match: ['ضمانت']\nunless: {patterns: ['نہیں'], after: 2}",
            "ہم ضمانت نہیں دیتے۔ ہم ضمانت دیتے ہیں۔",
            [(1, 24, "ضمانت")],
        ),
        # paragraph scope reaches the next sentence, not the next paragraph
        (
            "match: ['cure']\nunless: {patterns: ['\\[\\d+\\]'], scope: paragraph}",
            "It is a cure. See [1].\n\nIt is a cure.",
            [(3, 9, "cure")],
        ),
        # near: only within N words
        (
            "match: ['stem cells?']\nnear: {patterns: ['autism'], within: 3}",
            "Stem cells for autism. Many labs study stem cells around the world, autism too.",
            [(1, 1, "Stem cells")],
        ),
        # near with scope section: the list item sees its section's lead-in, not the next section
        (
            "match: ['repairs tissue']\nnear: {patterns: ['stem cells'], scope: section}",
            "# Stem cells\n\nOur stem cells help.\n\n- Repairs tissue\n\n# Physio\n\n- Repairs tissue",
            [(5, 3, "Repairs tissue")],
        ),
        # except: an idiom overlapping the hit drops it
        (
            "match: ['breakthrough']\nexcept: ['breakthrough bleeding']",
            "A breakthrough! Breakthrough bleeding is common.",
            [(1, 3, "breakthrough")],
        ),
        # count: distinct terms per document
        (
            "match: ['autism', 'asthma', 'lupus']\ncount: {distinct: 3}",
            "autism, asthma, autism and lupus",
            [(1, 1, "autism")],
        ),
        (
            "match: ['autism', 'asthma', 'lupus']\ncount: {distinct: 3}",
            "autism, asthma, autism",
            [],
        ),
        # document rule: a trigger without the required text
        (
            "when: ['stem cells?']\nrequire: ['disclaimer']",
            "Stem cells.\nMore stem cells.",
            [(1, 1, "Stem cells")],
        ),
        (
            "when: ['stem cells?']\nrequire: ['disclaimer']",
            "Stem cells.\n\nDisclaimer: experimental.",
            [],
        ),
        # a space inside a class also matches a line break (hard-wrapped copy)
        (
            "match: ['no side[- ]?effects']",
            "It has no side\neffects, no side-effects.",
            [(1, 8, "no side effects"), (2, 10, "no side-effects")],
        ),
        # near applies to a document rule's triggers
        (
            "when: ['stem cells?']\nnear: {patterns: ['book|offer'], within: 3}\nrequire: ['disclaimer']",
            "Stem cells are studied.\n\nBook stem cells today.",
            [(3, 6, "stem cells")],
        ),
        # blocks: a phrase does not run from one list item into the next
        ("match: ['no side effects']", "- no side\n- effects", []),
    ],
)
def test_conditions(
    tmp_path: Path, body: str, text: str, expected: list[tuple[int, int, str]]
) -> None:
    assert findings(tmp_path, body, text) == expected


def test_vocabulary_reference_and_urdu_folding(tmp_path: Path) -> None:
    write_vocab(tmp_path, "cures", ["علاج", "ilaa?j"])
    # The pattern uses Arabic yeh (ي); the text uses Urdu yeh (ی) and Urdu digits.
    body = "match: ['{{cures}}', 'يقينی {{cures}}', '100% {{cures}}']"
    got = findings(tmp_path, body, "۱۰۰٪ علاج اور یقینی علاج and 100% ilaaj")
    assert [m for _, _, m in got] == ["۱۰۰٪ علاج", "یقینی علاج", "100% ilaaj"]


def test_message_quotes_the_match(tmp_path: Path) -> None:
    write_rule(tmp_path / "t", "r", "match: ['miracle']")
    (finding,) = Linter(load_only(tmp_path)).check_text("A MIRACLE cure")
    assert finding.message == "Found 'MIRACLE'"
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (1, 3, 1, 10)
    assert finding.rule == "t/r" and finding.category == "hype"


def test_hostile_pattern_is_stopped(tmp_path: Path) -> None:
    write_rule(tmp_path / "t", "slow", "match: ['(?:a|aa)+$']")
    write_rule(tmp_path / "t", "fine", "match: ['b']")
    linter = Linter(load_only(tmp_path), timeout=0.2)
    result = linter.check_document(
        __import__("lint.documents", fromlist=["x"]).from_text("p.txt", "a" * 5000 + "! b")
    )
    assert [f.rule for f in result.findings] == ["t/fine"]
    assert len(result.errors) == 1 and "t/slow" in result.errors[0] and "p.txt" in result.errors[0]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", ".", " ", "\n", "e.g.", "Dr", "x" * 45, "..."])),
    st.integers(0, 400),
    st.integers(0, 400),
)
def test_the_word_before_a_full_stop_is_found_as_a_search_from_the_paragraph_would(
    parts: list[str], floor: int, at: int
) -> None:
    """Sentence splitting looks at the few characters before a full stop first; runs longer
    than that, and none at all, give what searching from the paragraph's start gives."""
    prose = "".join(parts)
    at = min(at, len(prose))
    floor = min(floor, at)
    want = segment._WORD_BEFORE.search(prose, floor, at)
    found = segment._word_before(prose, floor, at)
    assert (found and found.span()) == (want and want.span())
