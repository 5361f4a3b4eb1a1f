"""The scorer (``clinic-lint rules score``): reading a labelled corpus, the counts, the command.

Every sentence here is written for the test; the shared corpus is read only by test_accuracy.py.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import run_cli

from lint import scoring

ITEMS = [
    # a violation the core pack finds, with its own category
    {
        "id": "t-1",
        "text": "Our stem cell therapy has no side effects at all.",
        "label": "violation",
        "categories": ["absolute-safety"],
        "split": "dev",
    },
    # a violation labelled with a category the finding does not have: detected, not category-correct
    {
        "id": "t-2",
        "text": "Our stem cell therapy has no side effects at all, ever.",
        "label": "violation",
        "categories": ["efficacy-claim"],
        "split": "dev",
    },
    # a violation nothing finds
    {
        "id": "t-3",
        "text": "Patients walk again within weeks of their first session.",
        "label": "violation",
        "categories": ["efficacy-claim"],
        "split": "test",
        "note": "AMBIGUOUS: a relayed claim",
    },
    # honest text, left alone
    {
        "id": "t-4",
        "text": "Side effects are uncommon but can include pain at the injection site.",
        "label": "compliant",
        "categories": [],
        "split": "dev",
    },
    # honest text the packs flag: a false alarm (a checker below makes it one)
    {
        "id": "t-5",
        "text": "We open at nine on weekdays.",
        "label": "compliant",
        "categories": [],
        "split": "test",
    },
]


def _write(folder: Path, items: list[dict[str, object]]) -> Path:
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def _fake_checker(text: str) -> list[scoring.Hit]:
    """A checker with known answers, so the counts are checked against a hand count."""
    if "side effects at all" in text:
        return [("core/no-side-effects", "absolute-safety")]
    if "weekdays" in text:
        return [("x/open", "hype")]
    return []


def test_counts_match_a_hand_count(tmp_path: Path) -> None:
    corpus = scoring.read_corpus(_write(tmp_path, ITEMS))
    result = scoring.score(corpus, _fake_checker)
    overall = result.overall.as_json()
    assert (overall["violations"], overall["detected"], overall["category_correct"]) == (3, 2, 1)
    assert (overall["compliant"], overall["false_alarms"]) == (2, 1)
    assert overall["precision"] == pytest.approx(2 / 3, abs=0.001)
    # the ambiguous item is scored apart
    assert result.clear.violations == 2 and result.ambiguous.violations == 1
    safety = result.categories["absolute-safety"]
    assert (safety.violations, safety.category_correct, safety.false_alarms) == (1, 1, 0)
    efficacy = result.categories["efficacy-claim"]  # clear items only: t-2
    assert (efficacy.violations, efficacy.detected, efficacy.category_correct) == (1, 1, 0)
    assert result.categories["hype"].false_alarms == 1
    assert [j.item.id for j in result.misses()] == ["t-2", "t-3"]
    assert [j.item.id for j in result.false_alarms()] == ["t-5"]


def test_split_keeps_only_its_items(tmp_path: Path) -> None:
    corpus = scoring.read_corpus(_write(tmp_path, ITEMS))
    result = scoring.score(corpus, _fake_checker, split="test")
    assert sorted(j.item.id for j in result.judged) == ["t-3", "t-5"]


def test_page_level_hits_do_not_count_for_sentences(tmp_path: Path) -> None:
    corpus = scoring.read_corpus(_write(tmp_path, ITEMS[3:4]))
    result = scoring.score(corpus, lambda _: [("core/missing-disclaimer", "missing-disclaimer")])
    assert result.overall.false_alarms == 0


def _pages(folder: Path) -> None:
    pages = folder / "pages"
    pages.mkdir()
    offer = "# url: https://clinic.example/knee\n# disclaimer: no\n\nStem cell therapy for knee pain. Book today.\n"
    honest = "# url: https://clinic.example/about\n\nOur clinic opens at nine.\n"
    (pages / "knee.txt").write_text(offer, encoding="utf-8")
    (pages / "about.txt").write_text(honest, encoding="utf-8")
    index = [
        {"file": "knee.txt", "promotes_cell_or_regenerative_treatment": True, "disclaimer": False},
        {
            "file": "about.txt",
            "promotes_cell_or_regenerative_treatment": False,
            "disclaimer": False,
        },
    ]
    (pages / "index.jsonl").write_text("".join(json.dumps(p) + "\n" for p in index))


def test_pages_are_scored_on_the_missing_disclaimer(tmp_path: Path) -> None:
    _pages(tmp_path)
    corpus = scoring.read_corpus(tmp_path)
    assert not corpus.items and len(corpus.pages) == 2
    assert "# url" not in corpus.pages[0].text  # the label header is not linted

    def check(text: str) -> list[scoring.Hit]:
        return [("core/missing-disclaimer", "missing-disclaimer")] if "therapy" in text else []

    pages = scoring.score(corpus, check).pages
    assert (pages.pages, pages.right, pages.due, pages.found, pages.false_alarms) == (2, 2, 1, 1, 0)
    always = scoring.score(corpus, lambda _: [("r", "missing-disclaimer")]).pages
    assert (always.right, always.false_alarms, always.wrong) == (1, 1, ["about.txt"])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", "corpus.jsonl:2: not JSON"),
        ('{"text": "x", "label": "maybe"}', "corpus.jsonl:2: label must be"),
        ('{"text": "x", "label": "violation", "categories": []}', "needs at least one category"),
        (
            '{"text": "x", "label": "violation", "categories": ["cures"]}',
            "unknown category 'cures'",
        ),
        ('{"label": "compliant"}', "corpus.jsonl:2: missing field 'text'"),
        ("[1, 2]", "must be a JSON object"),
    ],
)
def test_bad_corpus_is_one_located_line(tmp_path: Path, line: str, expected: str) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps(ITEMS[0]) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(scoring.CorpusError, match=expected.replace("(", r"\(")):
        scoring.read_corpus(path)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("rules", "score", *args)


def test_command_scores_the_shipped_packs(tmp_path: Path) -> None:
    """End to end with the real packs: the table, and JSON that agrees with it."""
    path = _write(tmp_path, ITEMS)
    done = _run(str(path), "--isolated")
    assert done.returncode == 0, done.stderr
    assert "all items" in done.stdout and "absolute-safety" in done.stdout
    data = json.loads(_run(str(path), "--isolated", "--format", "json", "--verbose").stdout)
    assert data["all"]["violations"] == 3 and data["all"]["compliant"] == 2
    assert data["categories"]["absolute-safety"]["category_correct"] == 1
    assert {m["id"] for m in data["misses"]} >= {"t-3"}
    assert all(f["rule"] for m in data["misses"] for f in m["found"])
    ids = {f["id"] for f in data["false_alarms"]}
    assert "t-4" not in ids  # the risk disclosure stays quiet


def test_command_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "corpus.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in ([str(bad)], [str(tmp_path / "missing")], [str(_write(empty, [])), "--isolated"]):
        done = _run(*args)
        assert done.returncode == 2, done.stdout
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("clinic-lint: error: ")
