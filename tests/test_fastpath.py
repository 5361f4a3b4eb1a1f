"""The fast path finds exactly what the plain path finds.

Plain: every pattern of every rule runs over the whole text (``Linter(fast=False)``). Fast: the
literal prefilter (lint/prefilter.py) picks where patterns run, and rules come from the on-disk
cache (lint/cache.py). Compared on every fixture page, every rule example and a generated corpus.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from lint import engine, patterns, prefilter, rules
from lint.api import Linter
from lint.documents import from_text

RULESET = rules.load(packs=None)
PLAIN = Linter(RULESET, fast=False)
FAST = Linter(RULESET, fast=True)
PAGES = sorted(
    p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".md", ".html", ".htm") and p.is_file()
)


def _facts(findings: list) -> list[tuple[object, ...]]:
    return [
        (f.line, f.column, f.end_line, f.end_column, f.rule, f.match, f.message, f.context)
        for f in findings
    ]


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(FIXTURES)) for p in PAGES])
def test_fixture_pages_give_the_same_findings(page: Path) -> None:
    plain, fast = PLAIN.check_file(page), FAST.check_file(page)
    assert _facts(fast.findings) == _facts(plain.findings)
    assert fast.errors == plain.errors


def test_every_rule_example_gives_the_same_findings() -> None:
    pre = prefilter.build(RULESET)
    for rule in RULESET:
        for text in (*rule.examples.bad, *rule.examples.good):
            doc = from_text("example.txt", text, kind="txt")
            plain = engine.check_rule(doc, rule)
            fast = engine.check_rule(doc, rule, scan=pre.scan(doc.text))
            assert _facts(fast) == _facts(plain), (rule.id, text)


def _sentences() -> list[str]:
    found = [s for r in RULESET for s in (*r.examples.bad, *r.examples.good)]
    for page in PAGES:
        try:
            text = page.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # the fixtures include binary and legacy-encoded pages
            continue
        found += [line for line in text.splitlines() if line.strip()]
    return found


# Noise that stresses the prefilter: case, white-space runs, block breaks, Urdu folding, marks.
_GLUE = [" ", "  ", "\n", "\n\n", "\u00a0", "\t", " — ", ". ", "; ", "\u200c", "\u0640", ""]
_MUTATE = [str.upper, str.lower, str.title, lambda s: s, lambda s: s, lambda s: s]


def corpus(seed: int, size: int) -> str:
    """A deterministic page of mixed, mutated sentences, about ``size`` characters long."""
    rnd = random.Random(seed)
    pool = _sentences()
    parts: list[str] = []
    length = 0
    while length < size:
        text = rnd.choice(_MUTATE)(rnd.choice(pool))
        if rnd.random() < 0.2:  # cut a sentence anywhere: literals split across the glue
            cut = rnd.randrange(len(text) + 1)
            text = text[:cut] + rnd.choice(_GLUE) + text[cut:]
        parts.append(text + rnd.choice(_GLUE))
        length += len(parts[-1])
    return "".join(parts)


@pytest.mark.parametrize("kind", ["txt", "md", "html"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_corpus_gives_the_same_findings(seed: int, kind: str) -> None:
    text = corpus(seed * 10 + len(kind), 12_000)
    doc = from_text(f"corpus.{kind}", text, kind=kind)
    assert _facts(FAST.check_document(doc).findings) == _facts(PLAIN.check_document(doc).findings)


def _same_findings(pack: Path, shapes: dict[str, list[str]], texts: list[str]) -> None:
    """Rules of one ``match`` list each (several bodies): fast and plain find the same."""
    pack.mkdir()
    for name, bodies in shapes.items():
        (pack / f"{name}.yaml").write_text(
            "category: hype\nseverity: warning\nmessage: m\nwhy: w\nreferences: [r]\n"
            f"suggest: s\nmatch: {json.dumps(bodies)}\n"  # JSON: YAML's double-quoted form
            "examples:\n  bad: ['x']\n  good: ['y']\n",
            encoding="utf-8",
        )
    ruleset = rules.load([pack], packs=(), shipped=False)
    plain, fast = Linter(ruleset, fast=False), Linter(ruleset, fast=True)
    for text in texts:
        for kind in ("txt", "md"):
            doc = from_text(f"t.{kind}", text, kind=kind)
            want = _facts(plain.check_document(doc).findings)
            assert _facts(fast.check_document(doc).findings) == want, text


def test_tricky_patterns_give_the_same_findings(tmp_path: Path) -> None:
    """Shapes the analysis must treat with care: unbounded widths, lookarounds, classes that
    cross block breaks, optional prefixes, regex-only syntax."""
    shapes = {
        "gap": [r"without (?:\w+ ){0,3}side effects?"],
        "run": [r"cures? [^.]{0,40}forever"],
        "any": [r"miracle.*cure"],
        "look": [r"cure(?! free)s?"],
        "behind": [r"(?<=our )clinic"],
        "optional-head": [r"(?:very )?safe(?:ly)?"],
        "class": [r"[sz]afe"],
        "unicode": [r"\p{Lu}{3,} cures?"],
        "urdu": [r"مکمل علاج"],
        "digits": [r"\d+ ?% success"],
        "fuzzy": [r"(?:miracle){e<=1} cure"],
    }
    texts = [
        "It works without   any\n\nreal side effects. Without side effect!",
        "It cures you, truly and forever. Cures\x00 forever.",
        "A miracle for you.\n\nA cure for all. Miracle, cure. A mirakle cure, a miracl cure.",
        "No cure free of risk; cures galore; CURE.",
        "Visit our clinic; our  clinic; clinic.",
        "Very safe, safely, zafe, SAFE.",
        "THE BEST CURES. ABC cure.",
        "یہ مکمل علاج ہے۔ مکمل عــلاج",
        "۹۵٪ success and 95 % success, 12% success.",
        corpus(7, 4000),
    ]
    _same_findings(tmp_path / "tricky", shapes, texts)


def test_anchored_bodies_with_a_second_literal_give_the_same_findings(tmp_path: Path) -> None:
    """Candidate starts are kept per body: a body's own prefix there (a closed prefix only before
    a non-word character) and its other literal after it, in reach: in the same block, or
    anywhere later for a body that crosses blocks."""
    shapes = {
        "shared-prefix": [r"cure (?:\w+ ){0,2}forever", r"cure\w* (?:\w+ )?completely"],
        "crossing": [r"miracle[^.]{0,40}remedies", r"miracles? (?:\w+ )?healing"],
        "unbounded": [r"wonder\w* (?:\w+ )*treatment", r"wonders? never cease"],
        "plain-and-checked": [r"stem cells?", r"stemming (?:\w+ )?tide"],
    }
    texts = [
        "A cure forever. A cure that lasts forever. Cure a b c forever. Cures forever.",
        "cure\n\nforever. cures\n\ncompletely. cure it completely; cure-all completely.",
        "forever cure. completely cures. curesome completely, curesome forever. cure, completely.",
        "A miracle\n\nremedies. Miracle, a remedies. Miracles of healing. miracle. remedies.",
        "miracle for all\x00 remedies here. Miracle healing, miracles healing.",
        "Wonderful new gentle treatment. wonder\n\ntreatment. Wonders never cease.",
        "stem cell, stemming the tide, stemming tide. Stem\n\ncells. stemming\n\ntide.",
        corpus(11, 3000),
    ]
    _same_findings(tmp_path / "anchored", shapes, texts)


def test_bodies_searched_one_by_one_give_the_same_findings(tmp_path: Path) -> None:
    """Several bodies, each searched alone where it can match: at one position the first body
    that matches wins, even if a later one is longer; a body that fails at the trailing word
    bound lets the next one match there; starts and windows interleave (bodies without a
    prefix, such as ``\\d``); a match hides the others' starts inside it; and bodies that count
    groups across the alternation (a back-reference) or set a global flag run as a whole."""
    shapes = {
        "first-wins": [r"cure(?:s|d)?", r"cures? (?:\w+ )?forever", r"cure"],
        "trailing-bound": [r"miracle cure", r"miracle cures?(?: daily)?", r"miracle"],
        "interleaved": [
            r"\d+ ?% success(?: rates?)?",
            r"success rates? (?:of|above) \d+ ?%",
            r"(?:very )?high success",
            r"\d+ (?:happy )?patients",
        ],
        "inside": [r"stem cells? (?:\w+ ){0,4}cure", r"cure \w+", r"cells? cure"],
        "crossing": [r"results? [^.]{0,60}guaranteed", r"\d+ (?:\w+ )?guaranteed"],
        "back-reference": [r"(very) \1 safe", r"(so) \1 safe", r"safe(?:ly)?"],
        "global-flag": [r"(?i)proven cure", r"proven"],
    }
    texts = [
        "A cure forever. Cures a b forever. Cured. cures  forever; cure-all; CURE, cures\n\nforever",
        "A miracle cures daily. Miracle cure. Miracle cured. miracle cures. Miracles.",
        "95% success rates, 95 % success, success rate of 95%, very high success. 12 patients,"
        " 12 happy patients 95% success rate above 90%.",
        "stem cell cure for all; stem cells a b c d cure x. cells cure it. Stem cells cure you.",
        "results are\n\nguaranteed. Results, truly, guaranteed; 3 results guaranteed, 3 guaranteed",
        "very very safe, so so safe, very so safe, safely, so very safe.",
        "Proven cure; PROVEN CURE; proven; proven cures.",
        corpus(17, 4000),
        # one block longer than a short one (searched whole): windows of tokens there
        " ".join(["95% success, a high success rate of 90 % for 12 happy patients."] * 40),
        corpus(23, 3000).replace("\n", " "),
    ]
    _same_findings(tmp_path / "bodies", shapes, texts)


def test_qualifiers_searched_body_by_body_give_the_same_findings(tmp_path: Path) -> None:
    """``unless`` patterns search one sentence at a time: bodies with prefixes at their starts
    there, one without (``\\w*\\?``, a citation) over the sentence where its literal occurs;
    hits in one sentence share that search, with and without a word distance."""
    pack = tmp_path / "qualified"
    pack.mkdir()
    unless = [r"\w*\?", r"not (?:yet )?proven", r"\((?:[^()]{1,40}) (?:19|20)\d\d\)", "may"]
    for name, extra in {"any": "", "before": "  before: 3\n", "after": "  after: 2\n"}.items():
        (pack / f"{name}.yaml").write_text(
            "category: hype\nseverity: warning\nmessage: m\nwhy: w\nreferences: [r]\n"
            f"suggest: s\nmatch: {json.dumps(['cures?', 'heals?'])}\n"
            f"unless:\n  patterns: {json.dumps(unless)}\n  scope: sentence\n{extra}"
            "examples:\n  bad: ['x']\n  good: ['y']\n",
            encoding="utf-8",
        )
    ruleset = rules.load([pack], packs=(), shipped=False)
    plain, fast = Linter(ruleset, fast=False), Linter(ruleset, fast=True)
    texts = [
        "It cures, heals and cures again. Does it cure? It may heal. Not proven: cures, heals.",
        "It cures all (Smith et al. 2019) and heals. Cures it, not yet proven, heals, cure, cure.",
        "cure heal cure heal; may cure; cure may; cures not proven heals\n\nmay heal cure?",
        corpus(19, 3000),
    ]
    for text in texts:
        doc = from_text("t.txt", text, kind="txt")
        want = _facts(plain.check_document(doc).findings)
        assert _facts(fast.check_document(doc).findings) == want, text


def test_bodies_ending_in_a_long_look_ahead_give_the_same_findings(tmp_path: Path) -> None:
    """``A(?=[\\s\\S]{0,N}?X)``: an attempt is made only where X matches within reach (A's
    tokens, then N characters), X searched once for a run of attempts: the same findings when X
    is just in reach, just out of it, before A only, inside A, across a block, or nowhere."""
    price = r"(?:Rs\.? ?\d+|call us (?:now|today)|(?<![\w/])0?3\d{2}-?\d{7}(?!\d))"
    shapes = {
        "ahead": [rf"(?:stem cells?|prp(?: therapy)?)(?=[\s\S]{{0,40}}?{price})", r"exosomes?"],
        "greedy": [rf"stem cells? (?:\w+ ){{0,2}}therapy(?=[\s\S]{{0,25}}{price})", r"prp"],
    }
    filler = "x " * 17  # 34 characters
    texts = [
        "Stem cell therapy: Rs 5000. Stem cells, call us now. PRP therapy " + filler + "Rs 9.",
        "Stem cells " + filler + "and more Rs 400. stem cell " + filler + "xx Rs 1",
        "Rs 300 for stem cells. call us today. PRP. prp therapy Rs. 7",
        "stem cells\n\nRs 20. stem cells\x00call us now. stem cell 0312-1234567 prp 03121234567",
        "stem cells Rs5 prp therapy a call us now b stem cell therapy x y Rs 3 exosomes",
        "stem cells for all, prp for some, exosomes for none.",
        corpus(29, 3000),
    ]
    for gap in (38, 39, 40, 41):  # the price just in reach, and just out of it
        texts.append(
            f"stem cells {'y' * (gap - 2)} Rs 5. PRP therapy {'y' * (gap - 2)} call us now"
        )
        texts.append(f"stem cells are a therapy{' ' * (gap - 15)}Rs 5 stem cell therapy Rs")
    _same_findings(tmp_path / "ahead", shapes, texts)
    ruleset = rules.load([tmp_path / "ahead"], packs=(), shipped=False)
    for rule in ruleset:  # both shapes are seen, and guarded
        assert prefilter.Prefilter([rule.match], []).aheads[0][0] is not None, rule.id


def test_dispatch_applies_to_the_shapes_meant() -> None:
    """Which patterns the engine searches body by body (the tests above compare the results)."""

    def plan(*bodies: str) -> tuple[bool, bool]:
        pattern = patterns.compile_bounded([patterns.prepare(b) for b in bodies])
        pre = prefilter.Prefilter([pattern], [])
        return pre.parts[0] is not None, pre.plans[0].anchored

    assert plan(r"stem cells? (?:\w+ ){0,3}diabetes", r"exosomes? (?:\w+ ){0,2}autism") == (
        True,
        True,
    )
    assert plan(r"\d+% success", r"success rates? of \d+") == (True, False)  # one starts with \d
    assert plan(r"conditions (?:we treat|treated) (?:\w+ ){0,3}include") == (False, True)


def test_lookarounds_in_windows_give_the_same_findings(tmp_path: Path) -> None:
    """A look-ahead can read further than its match reaches: windows make room for it."""
    shapes = {
        "far-look": [r"\d+% success(?!(?: \w+){0,20} rates)", r"success(?! (?:\w+ ){0,6}rates)s"],
        "behind": [r"(?<!not )\d+% (?:\w+ )?success(?=,)"],
    }
    texts = [
        "95% success a b c d e f g h rates. 95% success a b c d e f g h.",
        "95% success\n\nrates. 95% successs a b c d rates; successs, successs.",
        "not 9% real success, 9% real success, 9% success. Not 9% success,",
        corpus(13, 3000),
    ]
    _same_findings(tmp_path / "look", shapes, texts)


def test_rules_served_from_the_cache_are_the_rules_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs = tmp_path / "rules"  # a private copy: rule authors edit the shipped packs meanwhile
    shutil.copytree(ROOT / "rules", packs)
    monkeypatch.setenv("CLINIC_LINT_NO_CACHE", "1")
    uncached = rules.load([packs], shipped=False)
    monkeypatch.delenv("CLINIC_LINT_NO_CACHE")
    monkeypatch.setenv("CLINIC_LINT_CACHE_DIR", str(tmp_path / "cache"))
    rules.load([packs], shipped=False)  # builds and stores
    assert len(list((tmp_path / "cache").glob("rules-*.pickle"))) == 1
    cached = rules.load([packs], shipped=False)  # served from disk
    assert cached.rules == uncached.rules
    assert cached.vocabularies == uncached.vocabularies
    linter, reference = Linter(cached), Linter(uncached, fast=False)
    # and pickled again, as a process pool started by spawn sends it to its workers
    import pickle

    respawned = pickle.loads(pickle.dumps(linter))
    # patterns searched body by body are cached without their whole code: compiled from
    # source when the plain engine runs them
    assert any(p._compiled is None for p in prefilter.build(cached).dispatched())
    plain_cached = Linter(cached, fast=False)
    for page in PAGES[:25]:
        expected = _facts(reference.check_file(page).findings)
        assert _facts(linter.check_file(page).findings) == expected
        assert _facts(respawned.check_file(page).findings) == expected
    for page in PAGES[:3]:
        expected = _facts(reference.check_file(page).findings)
        assert _facts(plain_cached.check_file(page).findings) == expected
    # a check's load leaves the rules' details (examples, raw YAML, lines) in the cache
    light = rules.load([packs], shipped=False, details=False)
    assert [r.id for r in light.rules] == [r.id for r in uncached.rules]
    assert not any(r.examples.cases or r.raw or r.lines for r in light.rules)
    assert all(r.examples.cases and r.raw for r in cached.rules)
    light_linter = Linter(light)
    for page in PAGES[:25]:
        expected = _facts(reference.check_file(page).findings)
        assert _facts(light_linter.check_file(page).findings) == expected


def test_a_corrupt_cache_is_ignored_and_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs = tmp_path / "rules"
    for part in ("core", "vocab"):
        shutil.copytree(ROOT / "rules" / part, packs / part)
    monkeypatch.setenv("CLINIC_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CLINIC_LINT_NO_CACHE", raising=False)
    first = rules.load([packs], shipped=False)
    (stored,) = (tmp_path / "cache").glob("rules-*.pickle")
    stored.write_bytes(stored.read_bytes()[:1000])  # a write cut short
    again = rules.load([packs], shipped=False)
    assert again.rules == first.rules
    assert stored.stat().st_size > 1000  # rewritten whole


def test_a_changed_rule_file_misses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLINIC_LINT_CACHE_DIR", str(tmp_path / "cache"))
    pack = tmp_path / "mine"
    pack.mkdir()
    rule = pack / "one.yaml"
    body = (
        "category: hype\nseverity: warning\nmessage: m\nwhy: w\nreferences: [r]\nsuggest: s\n"
        "match: ['{word}']\nexamples:\n  bad: ['{word}']\n  good: ['y']\n"
    )
    rule.write_text(body.format(word="marvel"), encoding="utf-8")
    assert Linter(rules.load([pack], packs=(), shipped=False)).check_text("a marvel")
    rule.write_text(body.format(word="wonder"), encoding="utf-8")
    linter = Linter(rules.load([pack], packs=(), shipped=False))
    assert not linter.check_text("a marvel") and linter.check_text("a wonder")


def test_check_with_only_paths_matches_the_typer_path(tmp_path: Path) -> None:
    """``check PATH...`` skips typer's option parsing; ``check -- PATH...`` goes through it."""
    pages = [str(p) for p in PAGES[:6]]
    env = {**os.environ, "CLINIC_LINT_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-m", "lint", "check", *extra, *pages],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=False,
        )
        for extra in ([], ["--"])
    ]
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stderr == runs[1].stderr
    assert runs[0].returncode == runs[1].returncode
