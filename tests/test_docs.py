"""docs/rules.md is generated from the rule files and must never drift from them."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from authoring import ROOT, clinic_lint, rule_yaml, write

from lint.catalog import DOCS_COMMAND

PAGE = ROOT / "docs" / "rules.md"


def test_the_committed_rule_reference_is_up_to_date() -> None:
    run = clinic_lint("rules", "docs")
    assert run.returncode == 0, run.stderr
    committed = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
    if run.stdout != committed:
        diff = list(
            difflib.unified_diff(
                committed.splitlines(),
                run.stdout.splitlines(),
                "docs/rules.md",
                "rule files",
                n=0,
                lineterm="",
            )
        )
        shown = "\n".join(diff[:12])
        pytest.fail(
            f"docs/rules.md is out of date with the rule files; regenerate it with\n\n"
            f"    {DOCS_COMMAND}\n\nand commit it. First differences:\n{shown}",
            pytrace=False,
        )


def test_a_reviewers_folder_gets_its_own_page(tmp_path: Path) -> None:
    write(
        tmp_path / "mine" / "guaranteed.yaml",
        rule_yaml(
            "'guaranteed results'",
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
    run = clinic_lint("rules", "docs", "mine", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "- [mine](#mine): 1 rule\n" in run.stdout
    assert "#### `mine/guaranteed`\n\n**error** · guarantee · [mine/guaranteed.yaml]" in run.stdout
    assert "'…' guarantees a result." in run.stdout
    assert "- We promise **guaranteed results**. → fix: results that vary\n" in run.stdout
    assert "- No guaranteed results. *(known gap: negation not handled)*\n" in run.stdout
    assert "**Why.** No treatment works for everyone." in run.stdout
