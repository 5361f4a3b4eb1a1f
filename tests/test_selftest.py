"""``clinic-lint rules test`` on a reviewer's own rule folder: real files, the real command."""

from __future__ import annotations

from pathlib import Path

import pytest
from authoring import clinic_lint, rule_yaml, write

from lint import rules
from lint.examples import ExampleError, strip_markers


def test_a_passing_folder_exits_0_with_a_summary(tmp_path: Path) -> None:
    write(
        tmp_path / "mine" / "guaranteed.yaml",
        rule_yaml(
            "'guaranteed (?:results|success)'",
            """
            bad:
              - "[[Guaranteed results]] in 3 sessions."
              - text: "We offer [[guaranteed success]] for knees."
                fix: "a chance of improvement"
            good: ["Results are not guaranteed."]
            """,
        ),
    )
    run = clinic_lint("rules", "test", "mine", cwd=tmp_path)
    assert (run.returncode, run.stdout, run.stderr) == (
        0,
        "1 rule, 3 examples: 3 passed, 0 failed\n",
        "",
    )


@pytest.mark.parametrize(
    ("examples", "line"),
    [
        pytest.param(
            'bad: ["Results you can count on."]\ngood: ["Results vary."]',
            "mine/g.yaml:9: rule 'mine/g': bad example does not fire: \"Results you can count on.\"",
            id="bad-silent",
        ),
        pytest.param(
            'bad: ["Guaranteed results."]\ngood: ["No guaranteed results, sorry."]',
            "mine/g.yaml:10: rule 'mine/g': good example fires on \"guaranteed results\" (column 4):"
            ' "No guaranteed results, sorry."',
            id="good-fires",
        ),
        pytest.param(
            'bad: ["Our [[guaranteed results]] and guaranteed results."]\ngood: ["Results vary."]',
            "mine/g.yaml:9: rule 'mine/g': bad example fires on \"guaranteed results\" (column 5) and"
            ' "guaranteed results" (column 28), not exactly on the marked "guaranteed results":'
            ' "Our [[guaranteed results]] and guaranteed results."',
            id="span-count",
        ),
        pytest.param(
            'bad: ["[[Guaranteed]] results."]\ngood: ["Results vary."]',
            "mine/g.yaml:9: rule 'mine/g': bad example fires on \"Guaranteed results\" (column 1),"
            ' not exactly on the marked "Guaranteed": "[[Guaranteed]] results."',
            id="span-too-short",
        ),
        pytest.param(
            'bad:\n  - text: "[[Guaranteed results]]."\n    fix: "guaranteed results, always"\n'
            'good: ["Results vary."]',
            "mine/g.yaml:10: rule 'mine/g': the fix \"guaranteed results, always\" still fires on"
            ' "guaranteed results" (column 1): "guaranteed results, always."',
            id="fix-still-fires",
        ),
    ],
)
def test_a_failing_example_is_named_with_file_and_line(
    tmp_path: Path, examples: str, line: str
) -> None:
    write(tmp_path / "mine" / "g.yaml", rule_yaml("'guaranteed results'", examples))
    run = clinic_lint("rules", "test", "mine", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines()[0] == line
    assert run.stdout.splitlines()[-1].endswith(", 1 failed")


def test_known_gaps_are_reported_and_never_fail(tmp_path: Path) -> None:
    write(
        tmp_path / "mine" / "g.yaml",
        rule_yaml(
            "'guaranteed results'",
            """
            bad:
              - "Guaranteed results."
              - text: "Results guaranteed."
                todo: "word order not handled yet"
              - text: "Guaranteed results, every time."
                todo: "thought to be missed"
            good:
              - "Results vary."
              - text: "We never promise guaranteed results."
                todo: "negation before the claim"
            """,
        ),
    )
    run = clinic_lint("rules", "test", "mine", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines() == [
        "mine/g.yaml:11: rule 'mine/g': known gap (word order not handled yet): bad example does"
        ' not fire: "Results guaranteed."',
        "mine/g.yaml:13: rule 'mine/g': known gap now passes, remove its 'todo' (thought to be"
        ' missed): bad example "Guaranteed results, every time."',
        "mine/g.yaml:17: rule 'mine/g': known gap (negation before the claim): good example fires"
        ' on "guaranteed results" (column 18): "We never promise guaranteed results."',
        "1 rule, 5 examples: 2 passed, 0 failed, 2 known gaps, 1 known gap now passes",
    ]


def test_urdu_span_is_checked_in_characters_and_shipped_vocabularies_are_available(
    tmp_path: Path,
) -> None:
    write(
        tmp_path / "mine" / "shartiya.yaml",
        rule_yaml(
            "'شرطیہ (?:علاج|شفا)'",
            """
            bad: ["ہمارے ہاں [[شرطیہ علاج]] ہوتا ہے۔"]
            good: ["ہم کسی نتیجے کی ضمانت نہیں دیتے۔"]
            """,
        ).replace("match:", "unless: ['{{negations}}']\nmatch:"),
    )
    run = clinic_lint("rules", "test", "mine", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "1 rule, 2 examples: 2 passed, 0 failed\n")


def test_a_malformed_rule_exits_2_with_one_located_line(tmp_path: Path) -> None:
    write(
        tmp_path / "mine" / "g.yaml",
        rule_yaml("'guaranteed results'", 'bad: ["A [[guaranteed results."]\ngood: ["Results."]'),
    )
    run = clinic_lint("rules", "test", "mine", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (
        "clinic-lint: error: mine/g.yaml:9: rule 'mine/g': 'examples.bad' item 1:"
        " '[[' without a closing ']]'\n"
    )


def test_a_missing_folder_exits_2(tmp_path: Path) -> None:
    run = clinic_lint("rules", "test", "nowhere", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (2, "clinic-lint: error: nowhere: folder not found\n")


def test_fixture_pages_compare_with_their_expected_sidecars(tmp_path: Path) -> None:
    """An empty ``# packs:`` line means the reviewer's folder alone, without shipped packs."""
    write(
        tmp_path / "mine" / "g.yaml",
        rule_yaml("'wonder jelly'", 'bad: ["Wonder jelly."]\ngood: ["Jelly."]'),
    )
    write(tmp_path / "pages" / "ok.md", "# Knees\n\nWonder jelly for knees.\n")
    write(tmp_path / "pages" / "ok.md.expected", "# packs:\n3:1 mine/g\n")
    write(tmp_path / "pages" / "bad.txt", "Line one.\nWe sell wonder jelly.\n")
    write(tmp_path / "pages" / "bad.txt.expected", "# packs:\n1:1 mine/g\n")
    run = clinic_lint("rules", "test", "mine", "--fixtures", "pages", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines() == [
        "pages/bad.txt:1:1: rule 'mine/g': expected finding is missing",
        "pages/bad.txt:2:9: rule 'mine/g': unexpected finding (not in pages/bad.txt.expected)",
        "1 rule, 2 examples: 2 passed, 0 failed; 2 fixture pages: 1 passed, 1 failed",
    ]


def test_shipped_packs_are_the_default() -> None:
    """No folder: every example of every shipped rule runs (the counts prove which ran)."""
    shipped = rules.load(packs=None)
    examples = sum(len(r.examples.cases) for r in shipped)
    run = clinic_lint("rules", "test")
    assert run.returncode in (0, 1), run.stderr
    assert run.stdout.splitlines()[-1].startswith(f"{len(shipped)} rules, {examples} examples: ")


@pytest.mark.parametrize(
    ("marked", "plain", "spans"),
    [
        ("no markers", "no markers", ()),
        ("a [[b c]] d [[e]]", "a b c d e", ((2, 5), (8, 9))),
        ("[[سو فیصد]] محفوظ", "سو فیصد محفوظ", ((0, 7),)),
    ],
)
def test_markers_are_stripped_to_spans(
    marked: str, plain: str, spans: tuple[tuple[int, int], ...]
) -> None:
    assert strip_markers(marked) == (plain, spans)


@pytest.mark.parametrize("bad", ["a [[b", "a ]] b", "[[a [[b]] c]]", "a [[]] b"])
def test_stray_markers_are_refused(bad: str) -> None:
    with pytest.raises(ExampleError):
        strip_markers(bad)


def test_a_malformed_sidecar_line_fails_the_page_with_its_place(tmp_path: Path) -> None:
    write(
        tmp_path / "mine" / "g.yaml",
        rule_yaml("'wonder jelly'", 'bad: ["Wonder jelly."]\ngood: ["Jelly."]'),
    )
    write(tmp_path / "pages" / "p.txt", "Wonder jelly.\n")
    write(tmp_path / "pages" / "p.txt.expected", "# packs:\n1 mine/g\n")
    run = clinic_lint("rules", "test", "mine", "--fixtures", "pages", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines()[0] == (
        "pages/p.txt.expected:2: expected 'LINE:COLUMN rule-id', got '1 mine/g'"
    )


def test_a_folder_without_rules_is_an_error_not_a_silent_pass(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = clinic_lint("rules", "test", "empty", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == "clinic-lint: error: empty: no rule files (*.yaml) found\n"


def test_coverage_notes_each_pattern_no_bad_example_exercises(tmp_path: Path) -> None:
    write(
        tmp_path / "mine" / "g.yaml",
        rule_yaml(
            "\n  - 'guaranteed results'\n  - 'assured results'",
            'bad: ["Guaranteed results."]\ngood: ["Results vary."]',
        ),
    )
    run = clinic_lint("rules", "test", "mine", "--coverage", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.splitlines() == [
        "mine/g.yaml:9: rule 'mine/g': note: no bad example exercises the match pattern"
        " 'assured results'",
        "1 rule, 2 examples: 2 passed, 0 failed; 1 of 2 shapes or patterns not exercised by a bad"
        " example",
    ]


def test_coverage_notes_each_shape_no_bad_example_exercises(tmp_path: Path) -> None:
    body = (
        "category: guarantee\nseverity: warning\nmessage: m\nwhy: w\nreferences: [r]\n"
        "suggest: s\nconcepts:\n  - ['(?:guaranteed)', '(?:results)']\n"
        "  - {concepts: ['money back'], scope: clause}\n"
        'examples:\n  bad: ["Guaranteed results."]\n  good: ["Results vary."]\n'
    )
    write(tmp_path / "mine" / "g.yaml", body)
    run = clinic_lint("rules", "test", "mine", "--coverage", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.splitlines() == [
        "mine/g.yaml:9: rule 'mine/g': note: no bad example exercises the shape '[money back]'",
        "1 rule, 2 examples: 2 passed, 0 failed; 1 of 2 shapes or patterns not exercised by a bad"
        " example",
    ]
