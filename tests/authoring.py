"""Helpers for the rule-authoring tests: run the real ``clinic-lint`` and write rule files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clinic_lint(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The command as a reviewer types it (``python -m lint`` is the console script's target)."""
    return subprocess.run(
        [sys.executable, "-m", "lint", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        timeout=120,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def rule_yaml(match: str, examples: str, *, category: str = "guarantee") -> str:
    """A complete rule file; ``examples`` is the YAML under ``examples:`` (indented two spaces)."""
    return (
        f"category: {category}\n"
        "severity: error\n"
        "message: \"'{match}' guarantees a result.\"\n"
        "why: No treatment works for everyone.\n"
        "references: ['Competition Act 2010 (Pakistan), s. 10']\n"
        "suggest: Say that results vary.\n"
        f"match: {match}\n"
        "examples:\n" + textwrap.indent(textwrap.dedent(examples).strip("\n"), "  ") + "\n"
    )
