"""``clinic-lint rules`` (the listing) and ``clinic-lint explain``, as a reviewer runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from authoring import clinic_lint, rule_yaml, write

from lint import rules


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """A reviewer's folder 'mine' with two rules, in a fresh working directory."""
    write(
        tmp_path / "mine" / "guaranteed.yaml",
        rule_yaml(
            "['guaranteed results', 'results guaranteed']",
            """
            bad:
              - text: "We promise [[guaranteed results]]."
                fix: "results that vary"
            good:
              - "Results vary."
              - text: "No guaranteed results."
                todo: "negation not handled"
            """,
        ),
    )
    write(
        tmp_path / "mine" / "wonder.yaml",
        rule_yaml("wonder", 'bad: ["A wonder cure."]\ngood: ["I wonder."]', category="hype")
        .replace("severity: error", "severity: info")
        .replace("'{match}' guarantees a result.", "'{match}' is hype."),
    )
    return tmp_path


def test_listing_one_pack(mine: Path) -> None:
    run = clinic_lint("rules", "--pack", "mine", "--rules", "mine", cwd=mine)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == (
        "mine (2 rules)\n"
        "  mine/guaranteed  guarantee  error    '…' guarantees a result.\n"
        "  mine/wonder      hype       info     '…' is hype.\n"
    )


def test_listing_as_json(mine: Path) -> None:
    run = clinic_lint("rules", "-p", "mine", "--rules", "mine", "--format", "json", cwd=mine)
    assert json.loads(run.stdout) == {
        "version": 1,
        "packs": ["mine"],
        "rules": [
            {
                "id": "mine/guaranteed",
                "pack": "mine",
                "category": "guarantee",
                "severity": "error",
                "message": "'{match}' guarantees a result.",
                "source": "mine/guaranteed.yaml",
            },
            {
                "id": "mine/wonder",
                "pack": "mine",
                "category": "hype",
                "severity": "info",
                "message": "'{match}' is hype.",
                "source": "mine/wonder.yaml",
            },
        ],
    }


def test_listing_by_category_covers_every_shipped_pack() -> None:
    run = clinic_lint("rules", "--category", "cure-claim", "--format", "json")
    listed = json.loads(run.stdout)["rules"]
    shipped = [r.id for r in rules.load(packs=None) if r.category == "cure-claim"]
    assert sorted(r["id"] for r in listed) == sorted(shipped)
    assert {r["category"] for r in listed} == {"cure-claim"}


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("rules", "--pack", "cor"), "unknown pack 'cor' (packs: "),
        (("rules", "--category", "cure"), "unknown category 'cure' — did you mean 'cure-claim'?"),
        (("explain", "core/cur"), "unknown rule 'core/cur' — did you mean 'core/cure'?"),
        (("explain", "cure"), "unknown rule 'cure' — did you mean 'core/cure'?"),
    ],
)
def test_unknown_names_exit_2_with_a_suggestion(args: tuple[str, ...], line: str) -> None:
    run = clinic_lint(*args)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.startswith("clinic-lint: error: " + line)
    assert len(run.stderr.splitlines()) == 1


def test_explain_shows_everything_a_reviewer_needs(mine: Path) -> None:
    run = clinic_lint("explain", "mine/guaranteed", "--rules", "mine", cwd=mine)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == (
        "mine/guaranteed  (guarantee, error; pack mine)\n"
        "  defined in mine/guaranteed.yaml\n"
        "\n"
        "  What it flags\n"
        "    '{match}' guarantees a result.\n"
        "\n"
        "  Why\n"
        "    No treatment works for everyone.\n"
        "\n"
        "  References\n"
        "    - Competition Act 2010 (Pakistan), s. 10\n"
        "\n"
        "  Say instead\n"
        "    Say that results vary.\n"
        "\n"
        "  Flags (bad examples; [[…]] marks the exact words)\n"
        "    ✗ We promise [[guaranteed results]].  →  fix: results that vary\n"
        "\n"
        "  Leaves alone (good examples)\n"
        "    ✓ Results vary.\n"
        "    ✓ No guaranteed results.  (known gap: negation not handled)\n"
        "\n"
        "  Patterns\n"
        "    match:\n"
        "    - guaranteed results\n"
        "    - results guaranteed\n"
    )


def test_explain_as_json_carries_the_patterns_as_written() -> None:
    run = clinic_lint("explain", "core/cure", "--format", "json")
    data = json.loads(run.stdout)
    rule = rules.load(packs=None).get("core/cure")
    assert rule is not None
    assert data["patterns"]["concepts"] == rule.raw["concepts"]
    assert data["references"] == list(rule.references)
    bad = [e.marked for e in rule.examples.cases if e.kind == "bad"]  # [[…]] kept, as written
    assert [e["text"] for e in data["examples"]["bad"]] == bad
    assert (data["pack"], data["category"], data["source"]) == (
        "core",
        "cure-claim",
        "rules/core/cure.yaml",
    )


def test_help_names_the_authoring_commands() -> None:
    run = clinic_lint("rules", "--help")
    assert run.returncode == 0
    for command in ("test", "schema", "docs", "--pack", "--category", "--format"):
        assert command in run.stdout
    assert "A rule id, e.g. core/cure." in clinic_lint("explain", "--help").stdout


def test_the_configuration_file_brings_a_teams_rules_into_explain_and_rules(mine: Path) -> None:
    (mine / ".clinic-lint.yaml").write_text("rules: [mine]\n", encoding="utf-8")
    explained = clinic_lint("explain", "mine/wonder", cwd=mine)
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.startswith("mine/wonder  (hype, info; pack mine)\n")
    listed = clinic_lint(
        "rules", "--pack", "mine", "--rules", "mine", cwd=mine
    )  # named twice: once
    assert listed.stdout.count("mine/wonder") == 1, listed.stderr
