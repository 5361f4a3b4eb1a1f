"""The learned rule kind: a ``model:`` rule loaded, run, combined with pattern rules, selected.

The models here are built by hand (a few weights on known words), so each test knows exactly
which sentences the model flags; the shipped model is exercised by its rule's own examples.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import run_cli

from lint import rules, scoring
from lint.api import Linter
from lint.config import Settings
from lint.features import FeatureConfig, word_bucket
from lint.model import Model

CONFIG = FeatureConfig(buckets=1 << 12)

RULE = """\
severity: warning
message: "Reads like a claim ({category}, p={probability}): {reasons}."
why: "A test rule."
references: ["none"]
suggest: "Say less."
model:
  file: tiny.model
  threshold: 0.5
  topics: ['therapy|clinic|cells?']
unless: ['may', 'studies suggest']
examples:
  bad: ["Our miracle therapy works wonders for everyone."]
  good: ["Our therapy sessions last one hour each time."]
"""

PATTERN_RULE = """\
category: hype
severity: error
message: "Hype: {match}."
why: "A test rule."
references: ["none"]
suggest: "Say less."
match: 'wonder drug'
examples:
  bad: ["A [[wonder drug]] for all."]
  good: ["A drug for some."]
"""


def tiny_model() -> Model:
    """Flags sentences with 'miracle' (hype) or 'guaranteed' (guarantee); the rest score low."""
    weights = [0.0] * CONFIG.buckets
    weights[word_bucket("miracle", CONFIG)] = 40.0
    weights[word_bucket("guaranteed", CONFIG)] = 40.0
    hype = [0.0] * CONFIG.buckets
    hype[word_bucket("miracle", CONFIG)] = 40.0
    guarantee = [0.0] * CONFIG.buckets
    guarantee[word_bucket("guaranteed", CONFIG)] = 40.0
    heads = {"hype": (-2.0, hype), "guarantee": (-2.0, guarantee)}
    return Model.build(CONFIG, -3.0, weights, heads, {"test": True})


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A rule folder with one pack, 'mine': the learned rule and one pattern rule."""
    folder = tmp_path / "rules" / "mine"
    folder.mkdir(parents=True)
    tiny_model().save(folder / "tiny.model")
    (folder / "claims.yaml").write_text(RULE, encoding="utf-8")
    (folder / "wonder.yaml").write_text(PATTERN_RULE, encoding="utf-8")
    return tmp_path / "rules"


def _linter(pack: Path, **settings: object) -> Linter:
    chosen = Settings(packs=(), extra_rules=(pack,)).merged(**settings)
    from lint.api import load_rules

    return Linter(load_rules(chosen), settings=chosen)


def test_a_sentence_the_model_flags_is_one_finding(pack: Path) -> None:
    text = "Welcome to our clinic.\nOur miracle therapy works for everyone who tries it."
    (finding,) = _linter(pack).check_text(text)
    assert finding.rule == "mine/claims" and finding.category == "hype"
    assert (finding.line, finding.column) == (2, 1)
    assert finding.match == "Our miracle therapy works for everyone who tries it."
    assert finding.probability is not None and finding.probability > 0.9
    assert "'miracle'" in finding.message and "(hype, p=" in finding.message
    assert finding.to_json()["probability"] == finding.probability


def test_pattern_findings_have_no_probability_in_json(pack: Path) -> None:
    (finding,) = _linter(pack).check_text("A wonder drug for all of them.")
    assert finding.rule == "mine/wonder" and "probability" not in finding.to_json()


def test_qualifiers_and_topics_silence_the_model(pack: Path) -> None:
    linter = _linter(pack)
    assert not linter.check_text("Our miracle therapy may help some people, in time.")
    assert not linter.check_text("Early studies suggest the miracle cells help a little.")
    assert not linter.check_text("A miracle happened at the bus stop this morning.")  # no topic
    assert not linter.check_text("Miracle therapy!")  # too short to judge


def test_a_sentence_a_pattern_rule_flags_is_reported_once(pack: Path) -> None:
    text = "Our miracle therapy is a wonder drug for everyone.\nThe clinic offers a miracle cure."
    found = _linter(pack).check_text(text)
    assert [(f.rule, f.line) for f in found] == [("mine/wonder", 1), ("mine/claims", 2)]


def test_categories_select_and_ignore_learned_findings(pack: Path) -> None:
    text = "Our miracle therapy heals the clinic's patients.\nResults at our clinic are guaranteed, every time."
    assert {f.category for f in _linter(pack).check_text(text)} == {"hype", "guarantee"}
    only = _linter(pack, select=("guarantee",)).check_text(text)
    assert [f.category for f in only] == ["guarantee"]
    rest = _linter(pack, ignore=("hype",)).check_text(text)
    assert [f.category for f in rest] == ["guarantee"]
    assert not _linter(pack, ignore=("mine/claims",)).check_text(text)


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("model: missing.model", "cannot read model file"),
        ("model: {file: tiny.model, threshold: 1.5}", "'model.threshold' must be a number"),
        ("model: {file: tiny.model, cutoff: 0.5}", "unknown key 'model.cutoff'"),
        ("model: [tiny.model]", "'model' must be a file name or a mapping"),
        ("model: tiny.model\nnear: {patterns: ['x']}", "'near' does not go with 'model'"),
        ("model: tiny.model\nmatch: 'x'", "exactly one body"),
    ],
)
def test_bad_model_rules_are_located_errors(pack: Path, model: str, expected: str) -> None:
    text = RULE.replace(RULE[RULE.index("model:") : RULE.index("unless:")], model + "\n")
    (pack / "mine" / "claims.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(rules.RuleError) as caught:
        rules.load([pack], packs=())
    problems = [str(p) for p in caught.value.problems]
    assert any(expected in p and "claims.yaml:" in p for p in problems), problems


def test_a_corrupt_model_file_is_a_rule_error(pack: Path) -> None:
    (pack / "mine" / "tiny.model").write_bytes(b"not a model")
    with pytest.raises(rules.RuleError, match="cannot read model file"):
        rules.load([pack], packs=())


def test_scorer_lists_what_only_the_model_flags(pack: Path) -> None:
    items = [
        scoring.Item(
            "a", "Our miracle therapy heals the clinic's patients.", "violation", ("hype",)
        ),
        scoring.Item("b", "A wonder drug for all of them.", "violation", ("hype",)),
    ]
    linter = _linter(pack)
    result = scoring.score(
        scoring.Corpus(tuple(items), ()),
        scoring.linter_checker(linter),
        learned=linter.ruleset.learned,
    )
    assert [j.item.id for j in result.learned_only()] == ["a"]
    assert "flagged by a learned rule only" in scoring.table(result, verbose=True)


SMALL_CORPUS = [
    ("Our stem cell therapy cures diabetes for good.", "violation", ["cure-claim"]),
    ("Guaranteed results with zero side effects.", "violation", ["guarantee"]),
    ("The best clinic in the country, with a 98% success rate.", "violation", ["superlative"]),
    ("Patients walk again after one injection of our cells.", "violation", ["efficacy-claim"]),
    ("Stem cell therapy for autism, ALS and Parkinson's.", "violation", ["unproven-indication"]),
    ("Ask your doctor about the risks before any procedure.", "compliant", []),
    ("Side effects can include pain and swelling at the site.", "compliant", []),
    ("There is no proven cure for autism.", "compliant", []),
    ("The clinic is open from nine to five.", "compliant", []),
    ("Results vary and no treatment works for everyone.", "compliant", []),
]


def _train(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("model", "train", *args)


def test_model_train_command_is_deterministic_and_scores_the_holdout(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    lines = [
        {"id": f"s{k}", "text": t, "label": label, "categories": cats, "split": "dev"}
        for k, (t, label, cats) in enumerate(SMALL_CORPUS * 2)
    ]
    for line in lines[len(SMALL_CORPUS) :]:
        line["split"] = "test"
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    outputs = []
    for name in ("a.model", "b.model"):
        done = _train(str(corpus), "-o", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert "trained on 10 items, holding out test" in done.stdout
    assert "split: test" in done.stdout and "all items" in done.stdout
    assert Model.load(tmp_path / "a.model").metadata["splits"] == ["dev"]
    missing = _train(str(corpus), "-o", "x", "--holdout", "nope")
    assert missing.returncode == 2 and "no item is in split 'nope'" in missing.stderr
