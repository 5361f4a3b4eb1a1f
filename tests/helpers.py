"""Test helpers: small rule packs written to disk (tests that must not depend on the shipped packs), and the command run in a fresh process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from lint import rules

RULE_HEAD = """\
category: {category}
severity: {severity}
message: "Found '{{match}}'"
why: A test rule.
references: [test]
suggest: Say it differently.
examples:
  bad: [x]
  good: [y]
"""


def write_rule(
    folder: Path, name: str, body: str, *, category: str = "hype", severity: str = "error"
) -> Path:
    """A rule file ``folder/name.yaml`` with the common keys and ``body`` (match, unless …)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(
        RULE_HEAD.format(category=category, severity=severity) + textwrap.dedent(body),
        encoding="utf-8",
    )
    return path


def write_vocab(root: Path, name: str, terms: list[str]) -> None:
    folder = root / "vocab"
    folder.mkdir(parents=True, exist_ok=True)
    lines = "\n".join(f"  - '{t}'" for t in terms)
    (folder / f"{name}.yaml").write_text(f"description: test\nterms:\n{lines}\n", encoding="utf-8")


def load_only(root: Path) -> rules.RuleSet:
    """The rules under ``root`` alone (no shipped packs)."""
    return rules.load([root], shipped=False)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``clinic-lint ARGS`` in a fresh process (``python -m lint``), its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "lint", *args], capture_output=True, text=True, timeout=300
    )
