"""The learned claim detector: stable features, weights file, inference == scikit-learn.

Training tests use the small self-written set below (shapes like clinic copy, none taken from
the corpus); they skip when scikit-learn (the ``train`` extra) is not installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lint.features import FeatureConfig, grams, ngrams_in_bucket, tokens, vectorize
from lint.model import Model, ModelError
from lint.scoring import Item, read_corpus

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "rules" / "learned" / "claims.model"
CORPUS = ROOT.parent / "shared" / "corpus" / "corpus.jsonl"
SMALL = FeatureConfig(buckets=1 << 12)

VIOLATIONS = [
    ("Our regenerative therapy cures arthritis for good.", ["cure-claim"]),
    ("Stem cell injections with zero side effects, guaranteed.", ["absolute-safety", "guarantee"]),
    ("A 97% success rate in treating autism and cerebral palsy.", ["unsupported-statistic"]),
    ("Patients walk again after one session of our cell treatment.", ["efficacy-claim"]),
    ("The best stem cell clinic in Lahore, trusted by thousands.", ["superlative"]),
    ("Completely safe and natural, no risks at all.", ["absolute-safety"]),
    ("Reverse diabetes permanently with our exosome infusion.", ["cure-claim"]),
    ("Skip surgery: our injections heal torn ligaments in weeks.", ["discourages-care"]),
    ("Clinically proven breakthrough that doctors don't want you to know.", ["hype"]),
    ("Book now, only three slots left at this price!", ["urgency-inducement"]),
    ("We treat over 50 diseases including MS, ALS and Parkinson's.", ["many-diseases"]),
    ("Guaranteed results or your money back.", ["guarantee"]),
    ("سٹیم سیل تھراپی سے شوگر کا مکمل علاج۔", ["cure-claim"]),
    ("100% safe treatment with a 98% success rate.", ["absolute-safety", "unsupported-statistic"]),
]
COMPLIANT = [
    "Stem cell treatments for arthritis are still being studied in clinical trials.",
    "Ask your doctor about the risks and benefits before any procedure.",
    "Side effects can include pain, swelling and infection at the injection site.",
    "There is no proven stem cell cure for autism.",
    "Our clinic is open Monday to Saturday from 9 am to 5 pm.",
    "Results vary and no treatment works for everyone.",
    "Please bring your previous reports to the first appointment.",
    "The regulator has warned the public about unapproved cell therapies.",
    "Evidence for exosome infusions in diabetes is limited.",
    "ڈاکٹر سے مشورہ کیے بغیر کوئی علاج شروع نہ کریں۔",
    "Surgery remains the standard treatment for torn ligaments.",
    "Success rates depend on age and the cause of the condition.",
]


def small_items() -> list[Item]:
    """The self-written training set, as the scorer's reader gives it."""
    items = [
        Item(f"v{k:02d}", text, "violation", tuple(cats), site=f"site{k % 7}.example", split="dev")
        for k, (text, cats) in enumerate(VIOLATIONS)
    ]
    items += [
        Item(f"c{k:02d}", text, "compliant", (), site=f"site{k % 5}.example", split="dev")
        for k, text in enumerate(COMPLIANT)
    ]
    return items


@pytest.fixture(scope="module")
def small_model() -> Model:
    pytest.importorskip("sklearn")
    from lint.training import train

    return train(small_items(), config=SMALL, C=10.0, category_C=10.0, min_category_items=2)


# -- features ---------------------------------------------------------------------------------


def test_features_normalise_case_and_urdu_variants() -> None:
    assert vectorize("NO SIDE EFFECTS", SMALL) == vectorize("no side effects", SMALL)
    arabic_yeh = "\u0645\u0631\u064a\u0636"  # Arabic yeh: folded to Urdu yeh like the rules do
    assert vectorize(arabic_yeh, SMALL) == vectorize("\u0645\u0631\u06cc\u0636", SMALL)
    assert tokens("A 96% success-rate, don't wait!", SMALL) == [
        "a",
        "96%",
        "success",
        "rate",
        "don't",
        "wait",
    ]


def test_features_are_l2_normalised_blocks() -> None:
    vec = vectorize("stem cells cure everything", FeatureConfig(char_weight=0.0))
    assert sum(v * v for v in vec.values()) == pytest.approx(1.0)
    assert vectorize("", SMALL) == {}


BUCKET_SCRIPT = (
    "import json, sys; from lint.features import FeatureConfig, vectorize; "
    "print(json.dumps(sorted(vectorize(sys.argv[1], FeatureConfig()))))"
)
FIXED_TEXT = "A 96% success rate with no side effects — سٹیم سیل علاج"


def test_buckets_stable_across_processes() -> None:
    """Buckets come from crc32, not the salted hash(): two hash seeds, the same buckets."""
    runs = []
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", BUCKET_SCRIPT, FIXED_TEXT],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=ROOT,
        )
        runs.append(json.loads(out.stdout))
    assert runs[0] == runs[1] == sorted(vectorize(FIXED_TEXT, FeatureConfig()))
    # Pinned: a change to the feature function must come with retrained weights.
    assert runs[0][:5] == PINNED_FIRST_BUCKETS


PINNED_FIRST_BUCKETS = [3751, 5171, 5876, 7757, 9525]  # the 2**18-bucket default


def test_grams_agree_with_vectorize() -> None:
    text = "Guaranteed results: 100% safe, guaranteed."
    _, occurrences = grams(text, SMALL)
    assert {g.bucket for g in occurrences} == set(vectorize(text, SMALL))
    some = occurrences[0]
    assert some.text in ngrams_in_bucket(text, some.bucket, SMALL)


# -- training and inference ---------------------------------------------------------------------


def test_training_is_byte_reproducible(small_model: Model) -> None:
    from lint.training import train

    again = train(small_items(), config=SMALL, C=10.0, category_C=10.0, min_category_items=2)
    assert again.to_bytes() == small_model.to_bytes()
    shuffled = list(reversed(small_items()))  # the order of items does not matter either
    third = train(shuffled, config=SMALL, C=10.0, category_C=10.0, min_category_items=2)
    assert third.to_bytes() == small_model.to_bytes()


def test_inference_equals_sklearn_predict_proba() -> None:
    """The stdlib scorer reproduces scikit-learn's probabilities on the same features."""
    pytest.importorskip("sklearn")
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from lint.training import matrix

    items = small_items()
    texts = [i.text for i in items]
    y = np.array([int(i.violation) for i in items])
    clf = LogisticRegression(C=10.0, max_iter=5000, tol=1e-8).fit(matrix(texts, SMALL), y)
    model = Model.build(SMALL, float(clf.intercept_[0]), clf.coef_[0].tolist(), {}, {})
    unseen = ["No side effects and a cure for arthritis.", "Open on Sundays.", *texts]
    expected = clf.predict_proba(matrix(unseen, SMALL))[:, 1]
    got = model.probabilities(unseen)
    assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) < 1e-6


def test_trained_model_matches_full_fit(small_model: Model) -> None:
    """train() fits on the used columns only; that is the same optimum as the full fit."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from lint.training import matrix

    items = sorted(small_items(), key=lambda i: i.id)
    texts = [i.text for i in items]
    y = np.array([int(i.violation) for i in items])
    clf = LogisticRegression(C=10.0, max_iter=5000, tol=1e-8, class_weight="balanced")
    clf.fit(matrix(texts, SMALL), y)
    expected = clf.predict_proba(matrix(texts, SMALL))[:, 1]
    got = small_model.probabilities(texts)
    assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) < 1e-3


def test_learns_the_small_set(small_model: Model) -> None:
    assert small_model.probability("Guaranteed cure with zero side effects.") > 0.5
    assert small_model.probability("Ask your doctor about the risks first.") < 0.5
    top = small_model.top_category("Guaranteed results or your money back.")
    assert top is not None and top[0] == "guarantee"
    assert small_model.metadata["items"] == len(small_items())


def test_save_load_round_trip(small_model: Model, tmp_path: Path) -> None:
    path = tmp_path / "m.model"
    small_model.save(path)
    loaded = Model.load(path)
    assert loaded.to_bytes() == path.read_bytes() == small_model.to_bytes()
    text = "Stem cell therapy cures autism with a 97% success rate."
    assert loaded.probability(text) == small_model.probability(text)
    assert loaded.category_probabilities(text) == small_model.category_probabilities(text)
    assert loaded.metadata == small_model.metadata
    assert loaded.config == SMALL


def test_bad_file_is_a_model_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.model"
    path.write_bytes(b"not a model at all")
    with pytest.raises(ModelError):
        Model.load(path)


def test_explain_names_ngrams_of_the_text(small_model: Model) -> None:
    text = "Our therapy cures diabetes with zero side effects, guaranteed."
    reasons = small_model.explain(text, n=3)
    assert 0 < len(reasons) <= 3
    words = " ".join(tokens(text, SMALL))
    for reason in reasons:
        assert reason.score > 0
        assert reason.phrase in words
        for gram in reason.grams:
            assert gram.strip() in words
    assert [r.score for r in reasons] == sorted((r.score for r in reasons), reverse=True)
    assert small_model.explain("", n=3) == []


# -- the shipped weights ---------------------------------------------------------------------------


def test_shipped_model_loads_and_is_small() -> None:
    assert SHIPPED.stat().st_size < 3_000_000
    model = Model.load(SHIPPED)
    assert model.metadata["holdout"] == "test"
    assert model.metadata["splits"] == ["background", "dev"]
    assert model.probability("Our stem cell therapy is 100% safe with no side effects.") > 0.5
    assert model.probability("Ask your doctor about the risks.") < 0.5
    assert model.categories


def _training_items() -> list[Item]:
    """What the documented command trains the shipped weights on (training/README.md)."""
    if not CORPUS.exists():
        pytest.skip(f"the evaluation corpus is not here ({CORPUS}); it lives outside the repo")
    background = read_corpus(ROOT / "training" / "background.jsonl").items
    return [*read_corpus(CORPUS).split("dev").items, *background]


def test_shipped_model_trained_on_current_dev_split() -> None:
    from lint.training import corpus_hash

    assert Model.load(SHIPPED).metadata["corpus_sha256"] == corpus_hash(_training_items())


def test_shipped_weights_are_reproduced_by_the_documented_command() -> None:
    """Retraining gives the same model: the same probabilities and categories on our own
    sentences (bytes may differ with another scikit-learn or BLAS, figures must not)."""
    pytest.importorskip("sklearn")
    from lint.training import train

    rebuilt, shipped = train(_training_items(), holdout="test"), Model.load(SHIPPED)
    texts = [text for text, _ in VIOLATIONS] + COMPLIANT
    for text in texts:
        assert rebuilt.probability(text) == pytest.approx(shipped.probability(text), abs=1e-3)
        assert rebuilt.top_category(text)[0] == shipped.top_category(text)[0]  # type: ignore[index]
