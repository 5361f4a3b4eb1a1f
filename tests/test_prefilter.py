"""The prefilter's building blocks: case folding that agrees with ``regex``, and literal analysis
that never claims a literal a match can do without."""

from __future__ import annotations

import sys

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from lint import patterns, prefilter
from lint.prefilter import UNKNOWN, Prefilter, analyse, fold_key


def test_fold_key_keeps_every_offset() -> None:
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert len(fold_key(everything)) == len(everything)


def test_fold_key_equates_what_regex_equates_ignoring_case() -> None:
    """Characters case-insensitive ``regex`` treats as equal must fold to the same key (else a
    literal would be missed and a finding dropped). Uses regex's own case table."""
    get_all_cases = getattr(getattr(regex, "_regex", None), "get_all_cases", None)
    if get_all_cases is None:
        pytest.skip("this regex build does not expose its case table")
    flags = int(patterns.FLAGS)
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        keys = {fold_key(chr(c)) for c in get_all_cases(flags, code)} | {fold_key(chr(code))}
        assert len(keys) == 1, (hex(code), keys)


@pytest.mark.parametrize(
    ("body", "prefixes", "literals"),
    [
        ("cures?", ("cure", "cures"), ("cure", "cures")),
        (
            r"no side[- ]?effects?",
            None,
            None,
        ),
        (r"(?:multiple\s+)?myeloma", ("multiple", "myeloma"), ("myeloma",)),
        (r"without (?:\w+\s+){0,3}side", ("without",), ("without",)),
        (r"\d+\s?%", None, ("%",)),
    ],
)
def test_literals_of_common_shapes(
    body: str, prefixes: tuple[str, ...] | None, literals: tuple[str, ...] | None
) -> None:
    info = analyse(patterns.prepare(body))
    if prefixes is not None:
        assert info.prefixes == prefixes
    if literals is not None:
        assert info.literals == literals


def test_spelling_variants_become_alternative_literals() -> None:
    info = analyse(patterns.prepare(r"side-?effects?"))
    assert info.literals is not None
    assert {"sideeffect", "side-effect", "sideeffects", "side-effects"} <= set(info.literals)
    # a space in a class matches any white-space run: no exact literal spans it
    spaced = analyse(patterns.prepare(r"no side[- ]?effects?"))
    assert spaced.prefixes == ("no",) and spaced.literals == ("effect", "effects")


def test_regex_only_syntax_runs_unfiltered() -> None:
    regex_only = (r"\p{Lu}+", r"(?:cure){e<=1}", r"[[:alpha:]]+ cure", r"(?|a|b)", r"(?x)[a b]c")
    for body in regex_only:
        assert analyse(body) == UNKNOWN


def test_lookaheads_widen_windows_and_anchors_are_not_windowed() -> None:
    # a window ends where a search ends, and a look-ahead cannot read past it: its tokens count
    assert analyse(r"cure").units == 4
    assert analyse(r"cure(?! free)").units == 4 + 5 and analyse(r"cure(?! free)").windowable
    assert analyse(r"cure(?=[^.]{0,9}x)").crosses_blocks  # it may read past a block's end
    assert analyse(r"cure(?!.*x)").units is None
    # a look-behind reads before a search's start anyway
    assert analyse(r"(?<=our )clinic").units == 6
    assert not analyse(r"\bcure").windowable and not analyse(r"^cure").windowable


def test_a_body_checks_its_other_literal_runs_after_its_prefix() -> None:
    """Besides its prefix, a claim's verb and its regulator must both follow it, within the
    tokens one match can touch (its gap takes a block separator): the sets checked before a
    match attempt (the last ones first, none implied by another, none too short)."""
    body = patterns.prepare(
        r"stem cells? [^.\n]{0,40}?(?:is|are) approved (?:\w+ ){0,2}(?:DRAP|PMDC)"
    )
    info = analyse(body)
    assert info.prefixes == ("stem",) and info.crosses_blocks and info.units is not None
    checks = prefilter._checks(info)
    assert ("drap", "pmdc") in checks and ("approved",) in checks
    assert ("are", "is") not in checks  # too short to be worth a list walk
    assert len(checks) <= prefilter.MAX_CHECKS
    scan = Prefilter([patterns.compile_bounded([body])], []).scan
    far = "stem cells are approved. " + "x " * 60 + "DRAP"
    assert scan(far)._body_starts(0) == [[]]  # DRAP follows, out of a match's reach
    assert scan("Stem cells are approved by the board.")._body_starts(0) == [[]]
    near = "stem cells \x00are approved by DRAP"
    assert scan(near)._body_starts(0) == [[0]]
    assert regex.search(patterns.bounded(body), near, patterns.FLAGS) is not None


@pytest.mark.parametrize(
    ("body", "ahead"),
    [
        (r"cure(?=[\s\S]{0,90}?Rs \d)", (r"Rs \d", 4, 90)),
        (r"cure(?=[\s\S]{0,90}(?:Rs|PKR))", (r"(?:Rs|PKR)", 4, 90)),  # greedy: the same test
        (r"cure[(](?=[\s\S]{0,5}\)\()", (r"\)\(", 5, 5)),  # parentheses in a set, escaped
        (r"cure(?=[\s\S]{0,9}?Rs)s?", None),  # not at the end: it reads from another place
        (r"cure(?![\s\S]{0,9}?Rs)", None),  # negative: nothing to find
        (r"cure(?=.{0,9}?Rs)", None),  # another gap
        (r"cure(?=[\s\S]{0,9}?\bRs)", None),  # \b and anchors read a search's bounds
        (r"cure(?=[\s\S]{0,9}?Rs$)", None),
        (r"(?=[\s\S]{0,9}?Rs)", None),  # no claim before it
        (r"cure(?=[\s\S]{0,9}?)", None),  # nothing after the gap
    ],
)
def test_a_long_look_ahead_at_the_end_is_found_for_the_scan(body: str, ahead: object) -> None:
    """A body ``A(?=[\\s\\S]{0,N}?X)``: X's source, A's most tokens, N; any other shape: None."""
    assert analyse(body).ahead == ahead


def test_a_scan_with_guarded_attempts_is_freed_at_once() -> None:
    """The look-ahead guard keeps no cycle: a page's scan goes when the page is done, though
    runs pause garbage collection (tests/test_memory.py measures the effect over many files)."""
    import gc
    import weakref

    bodies = [patterns.prepare(r"cure(?=[\s\S]{0,20}?Rs \d)"), patterns.prepare("heal")]
    pre = Prefilter([patterns.compile_bounded(bodies)], [])
    assert pre.aheads[0] is not None and pre.aheads[0][0] is not None
    gc.disable()
    try:
        scan = pre.scan("a cure for Rs 5; a cure, then heal")
        found = [m.span() for m in scan.finditer(pre.patterns[0], 0, len(scan.text), 5.0)]
        assert found == [(2, 6), (30, 34)]
        gone = weakref.ref(scan)
        del scan
        assert gone() is None
    finally:
        gc.enable()


def test_unbounded_gaps_have_no_token_bound() -> None:
    assert analyse(r"miracle.*cure").units is None
    assert analyse(r"miracle.*cure").crosses_blocks
    # 7 letters, a space run, up to 3 x (word, space run), 4 letters
    assert analyse(patterns.prepare("miracle (?:\\w+ ){0,3}cure")).units == 18


_WORDS = st.sampled_from(
    [
        "cure",
        "cures",
        "CURE",
        "side",
        "effects",
        "no",
        "not",
        "stem",
        "cells",
        "ſide",
        "İ",
        "K",
        "is",
        "approved",
        "by",
        "DRAP",
        "PMDC",
    ]
)
_GAPS = st.sampled_from([" ", "  ", "-", "\n", "\u00a0", "", ".", "\x00"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_WORDS, _GAPS), max_size=12))
def test_every_match_contains_a_literal_and_starts_with_a_prefix(
    parts: list[tuple[str, str]],
) -> None:
    text = "".join(w + g for w, g in parts)
    folded = fold_key(text)
    for body in (
        patterns.prepare(r"no side[- ]?effects?"),
        patterns.prepare(r"(?:stem )?cells? cures?"),
        patterns.prepare(r"cures?"),
        patterns.prepare(r"not? (?:\w+ )?cure"),
        patterns.prepare(r"stem cells? [^.]{0,20}?is approved (?:\w+ ){0,2}(?:DRAP|PMDC)"),
    ):
        info = analyse(body)
        for m in regex.finditer(patterns.bounded(body), text, patterns.FLAGS, overlapped=True):
            found = folded[m.start() : m.end()]
            assert info.literals is None or any(lit in found for lit in info.literals)
            assert all(any(lit in found for lit in group) for group in info.groups)
            assert info.prefixes is None or any(found.startswith(p) for p in info.prefixes)


_TOKENS = r"(?:\w+|\s+|[^\w\s])"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab_9 \t\n.,-\x00\u0640\u064e\u200c\u00a0éİ"), max_size=40),
    st.integers(0, 40),
    st.integers(0, 6),
)
def test_window_edges_agree_with_a_token_pattern(text: str, at: int, units: int) -> None:
    """The windows' token arithmetic (bisecting the document's token starts) gives what the
    token pattern gives searched backwards from ``at`` and matched forwards from it."""
    at = min(at, len(text))
    scan = Prefilter([], []).scan(text)
    before = regex.compile(rf"(?r){_TOKENS}{{0,{units}}}").search(text, 0, at)
    after = regex.compile(rf"{_TOKENS}{{0,{units}}}\w*").match(text, at)
    assert scan._left(at, units) == before.start()
    assert scan._right(at, units) == after.end()


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab \x00"), min_size=1, max_size=30),
    st.lists(st.integers(0, 29), max_size=12),
    st.lists(st.integers(0, 29), min_size=1, max_size=12),
    st.booleans(),
)
def test_candidate_starts_keep_those_with_the_other_literal_in_reach(
    text: str, starts: list[int], later: list[int], crosses: bool
) -> None:
    """A start is kept when a later literal lies at or after it with no block separator in
    between (anywhere after it, for a body that crosses blocks), whichever list is walked."""
    n = len(text)
    starts = [s % n for s in starts]
    later = sorted({p % n for p in later})
    scan = Prefilter([], []).scan(text)
    if crosses:
        want = {at for at in starts if at <= later[-1]}
    else:
        want = {
            at for at in starts if any(at <= p and "\x00" not in text[at : p + 1] for p in later)
        }
    assert set(scan._within_reach(sorted(starts), later, crosses)) == want


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab .\x00"), min_size=1, max_size=40),
    st.lists(st.integers(0, 39), max_size=12),
    st.lists(st.integers(0, 39), min_size=1, max_size=12),
    st.integers(0, 6),
)
def test_candidate_starts_of_a_body_crossing_blocks_keep_those_with_the_literal_in_reach(
    text: str, starts: list[int], later: list[int], units: int
) -> None:
    """For a body that crosses blocks but touches at most ``units`` tokens, a start is kept
    whenever a later literal starts where a match from it can still reach (``_right``), and
    never when no literal follows it at all."""
    n = len(text)
    starts = sorted({s % n for s in starts})
    later = sorted({p % n for p in later})
    scan = Prefilter([], []).scan(text)
    kept = set(scan._within_tokens(starts, later, units))
    assert {at for at in starts if any(at <= p < scan._right(at, units) for p in later)} <= kept
    assert kept <= {at for at in starts if at <= later[-1]}


def test_ascii_word_mask_marks_what_the_word_set_holds() -> None:
    """The scan's word mask (built in C) agrees with ``_ASCII_WORD`` on every kind of text."""
    text = "ab_9 Z\u00e9\u00df\u0131 \u0627\u06cc\x00\ud800\U0001f600-é_x" + "".join(
        map(chr, range(300))
    )
    folded = prefilter.fold_key(text)
    mask = prefilter._ascii_words(folded)
    assert len(mask) == len(folded)
    assert [bool(m) for m in mask] == [ch in prefilter._ASCII_WORD for ch in folded]


_SCAN_BODIES = [
    patterns.prepare(r"a (?:safe|good) cure"),  # "a": a whole word, scanned
    patterns.prepare(r"(?:I|we) felt (?:\w+ )?better"),  # "i": a whole word, scanned
    patterns.prepare(r"in (?:\w+ ){0,2}days"),  # "in": a whole word, scanned
    patterns.prepare(r"o\w+ therapy"),  # "o": a word start, scanned
    patterns.prepare(r"x\w* (?:cure|therapy)"),  # "x": a word start…
    patterns.prepare(r"xa\w* cure"),  # "xa" and "x" overlap: both left to the automaton…
    patterns.prepare(r"(?:an?|the) cure"),  # "a", "an": whole words
]


_SCAN_WORDS = ["a", "an", "A", "in", "I", "i", "o", "op", "ozone", "x", "xa", "é", "_", "ab"]
_SCAN_WORDS += [" ", "  ", ".", "\x00", "-", "'", "\n", "cure", "therapy", "days", "felt", "safe"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(_SCAN_WORDS),
        max_size=30,
    )
)
def test_word_scans_find_what_the_automaton_finds(parts: list[str]) -> None:
    """Short word literals found by a word scan, not the automaton: the same occurrences."""
    import copy

    text = "".join(parts)
    scanned = Prefilter([patterns.compile_bounded(_SCAN_BODIES)], [])
    kinds = {kind: set(ids) for _, kind, ids in scanned.word_scans}
    assert kinds == {prefilter.AT_CLOSED: {"a", "an", "i", "in", "we"}, prefilter.AT_START: {"o"}}
    plain = copy.copy(scanned)
    plain.word_scans = ()
    plain.automaton = prefilter._automaton(plain.literals, plain.wants)

    def found(prefilter: Prefilter) -> dict[int, list[tuple[int, int, list[int]]]]:
        return {n: sorted(entries) for n, entries in prefilter.scan(text).found.items()}

    assert found(scanned) == found(plain)
