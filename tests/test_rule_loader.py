"""Every malformed rule file in fixtures/bad-rules/ gives exactly these lines and exit code 2,
through the real command — never a traceback, never a constructed Python object."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from authoring import ROOT, clinic_lint

BAD = ROOT / "fixtures" / "bad-rules"
TAG_SIDE_EFFECT = Path("/tmp/clinic-lint-python-tag-ran")  # what python-tag.yaml would create

# file -> the exact lines the loader prints for it (after "clinic-lint: error: ")
EXPECTED = {
    "bad-regex.yaml": [
        "fixtures/bad-rules/bad-regex.yaml:10: rule 'bad-rules/bad-regex': bad pattern"
        " 'cure(s|d for good': missing ) at position 17",
    ],
    "fix-on-good.yaml": [
        "fixtures/bad-rules/fix-on-good.yaml:12: rule 'bad-rules/fix-on-good': 'examples.good'"
        " item 1: 'fix' belongs to bad examples",
    ],
    "missing-examples.yaml": [
        "fixtures/bad-rules/missing-examples.yaml:9: rule 'bad-rules/missing-examples': missing"
        " 'examples.good': every rule needs examples that must stay silent",
    ],
    "not-a-mapping.yaml": [
        "fixtures/bad-rules/not-a-mapping.yaml:2: rule 'bad-rules/not-a-mapping': a rule file"
        " must be a mapping of keys; this one is a list, not a mapping",
    ],
    "only-known-gaps.yaml": [
        "fixtures/bad-rules/only-known-gaps.yaml:10: rule 'bad-rules/only-known-gaps': every"
        " 'examples.bad' item is a known gap ('todo'); at least one must pass",
    ],
    "python-tag.yaml": [
        "fixtures/bad-rules/python-tag.yaml:2: rule 'bad-rules/python-tag': invalid YAML: could"
        " not determine a constructor for the tag"
        " 'tag:yaml.org,2002:python/object/apply:os.system'",
    ],
    "two-bodies.yaml": [
        "fixtures/bad-rules/two-bodies.yaml:2: rule 'bad-rules/two-bodies': a rule needs exactly"
        " one body: 'match' (sentence rule), 'when' + 'require' (document rule), 'model'"
        " (learned rule) or 'concepts' (concept rule)",
    ],
    "unclosed-marker.yaml": [
        "fixtures/bad-rules/unclosed-marker.yaml:10: rule 'bad-rules/unclosed-marker':"
        " 'examples.bad' item 1: '[[' without a closing ']]'",
    ],
    "unknown-category.yaml": [
        "fixtures/bad-rules/unknown-category.yaml:2: rule 'bad-rules/unknown-category':"
        " 'category' is 'cure-claims'; expected one of absolute-safety, cure-claim, guarantee,"
        " efficacy-claim, unsupported-evidence, unsupported-statistic, regulatory-claim,"
        " unproven-indication, many-diseases, testimonial, before-after, credentials,"
        " endorsement, superlative, hype, discourages-care, fear-appeal, urgency-inducement,"
        " trial-marketing, missing-disclaimer — did you mean 'cure-claim'?",
    ],
    "unknown-key.yaml": [
        "fixtures/bad-rules/unknown-key.yaml:4: rule 'bad-rules/unknown-key': unknown key"
        " 'mesage' — did you mean 'message'?",
        "fixtures/bad-rules/unknown-key.yaml:2: rule 'bad-rules/unknown-key': missing key"
        " 'message'",
    ],
    "unknown-vocabulary.yaml": [
        "fixtures/bad-rules/unknown-vocabulary.yaml:8: rule 'bad-rules/unknown-vocabulary':"
        " unknown vocabulary '{{diseaes}}' — did you mean 'diseases'?",
    ],
    "vocab/bad-vocab.yaml": [
        "fixtures/bad-rules/vocab/bad-vocab.yaml:1: vocabulary 'bad-vocab' needs a 'terms:' list",
    ],
    "word-boundary.yaml": [
        "fixtures/bad-rules/word-boundary.yaml:8: rule 'bad-rules/word-boundary': pattern"
        " '\\\\bmiracle\\\\b' contains \\b; patterns are word-bounded for you",
    ],
    "wrong-type.yaml": [
        "fixtures/bad-rules/wrong-type.yaml:4: rule 'bad-rules/wrong-type': 'message' must be a"
        " non-empty string",
    ],
    "yaml-syntax.yaml": [
        "fixtures/bad-rules/yaml-syntax.yaml:6: rule 'bad-rules/yaml-syntax': invalid YAML:"
        " found unexpected end of stream (while scanning a quoted scalar that starts on line 4)",
    ],
}


@pytest.fixture(scope="module")
def run() -> subprocess.CompletedProcess[str]:
    """One run over the whole folder: the loader reports every problem of every file at once."""
    TAG_SIDE_EFFECT.unlink(missing_ok=True)
    return clinic_lint("rules", "test", "fixtures/bad-rules")


def printed(run: subprocess.CompletedProcess[str]) -> list[str]:
    prefix = "clinic-lint: error: "
    assert all(line.startswith(prefix) for line in run.stderr.splitlines()), run.stderr
    return [line[len(prefix) :] for line in run.stderr.splitlines()]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_malformed_file_gets_its_exact_lines(
    run: subprocess.CompletedProcess[str], name: str
) -> None:
    mine = [line for line in printed(run) if line.startswith(f"fixtures/bad-rules/{name}:")]
    assert mine == EXPECTED[name]


def test_nothing_else_is_printed_and_the_exit_code_is_2(
    run: subprocess.CompletedProcess[str],
) -> None:
    assert run.returncode == 2
    assert run.stdout == ""
    assert sorted(printed(run)) == sorted(line for lines in EXPECTED.values() for line in lines)


def test_every_fixture_file_is_in_the_table() -> None:
    files = sorted(p.relative_to(BAD).as_posix() for p in BAD.rglob("*.yaml"))
    assert files == sorted(EXPECTED)


def test_a_python_tag_constructs_nothing(run: subprocess.CompletedProcess[str]) -> None:
    assert "python/object/apply" in run.stderr
    assert not TAG_SIDE_EFFECT.exists()


def test_one_malformed_file_alone_gives_its_line_and_exit_2(tmp_path: Path) -> None:
    """The same message when the file is a reviewer's only rule (path relative to where they are)."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "unknown-key.yaml").write_bytes((BAD / "unknown-key.yaml").read_bytes())
    result = clinic_lint("rules", "test", "mine", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "clinic-lint: error: mine/unknown-key.yaml:4: rule 'mine/unknown-key': unknown key"
        " 'mesage' — did you mean 'message'?",
        "clinic-lint: error: mine/unknown-key.yaml:2: rule 'mine/unknown-key': missing key"
        " 'message'",
    ]


def test_a_rule_cache_miss_is_announced_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the command line turns this into a note on a terminal: a first run is quiet for seconds
    from helpers import write_rule

    from lint import rules

    monkeypatch.setenv("CLINIC_LINT_CACHE_DIR", str(tmp_path / "cache"))
    write_rule(tmp_path / "mine" / "t", "miracle", "match: ['miracle']")
    calls: list[int] = []
    for _ in range(2):
        rules.load([tmp_path / "mine"], packs=(), building=lambda: calls.append(1))
    assert calls == [1]


def test_a_vocab_folder_among_rule_folders_is_vocabulary_not_a_pack(tmp_path: Path) -> None:
    """``rules test rules/*`` names vocab/ beside the packs: its files are vocabularies."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "vocab").mkdir()
    (tmp_path / "vocab" / "marvels.yaml").write_text("terms: ['marvel', 'wonder']\n")
    (tmp_path / "mine" / "one.yaml").write_text(
        "category: hype\nseverity: warning\nmessage: m\nwhy: w\nreferences: [r]\nsuggest: s\n"
        "concepts: [marvels]\nexamples:\n  bad: ['a wonder']\n  good: ['a cure']\n",
        encoding="utf-8",
    )
    run = clinic_lint("rules", "test", str(tmp_path / "mine"), str(tmp_path / "vocab"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 rule, 2 examples: 2 passed" in run.stdout
