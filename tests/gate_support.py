"""Helpers for the gate tests (formats, configuration, suppressions, baseline): real files in a
temporary site, the real command line in a subprocess, and a small stable rule pack
(tests/data/rules/demo) so the tests do not depend on the shipped packs' wording."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lint import rules
from lint.api import Linter
from lint.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
DEMO_RULES = DATA / "rules"
SARIF_SCHEMA = DATA / "sarif-schema-2.1.0.json"
JUNIT_XSD = DATA / "junit-10.xsd"  # the Jenkins xunit-plugin's JUnit schema (source in the file)
DEMO_CONFIG = f"packs: []\nrules: ['{DEMO_RULES.as_posix()}']\n"


def make_site(root: Path, files: dict[str, str], config: str | None = DEMO_CONFIG) -> Path:
    """Write ``files`` (relative path -> text) under ``root``, plus a .clinic-lint.yaml."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (root / ".clinic-lint.yaml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``clinic-lint ARGS`` in ``cwd``, as a user runs it (not in GitHub Actions unless told)."""
    environment = {
        k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "CI_PROJECT_DIR")
    }
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "lint", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def demo_linter(**settings: object) -> Linter:
    """A Linter over the demo pack only."""
    chosen = Settings(packs=(), extra_rules=(DEMO_RULES,)).merged(**settings)
    return Linter(rules.load(chosen.extra_rules, chosen.packs), settings=chosen)


def column_of(text: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    """1-based (line, column in code points) of ``phrase`` in ``text``, computed, not typed."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1
