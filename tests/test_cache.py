"""The rule cache (lint/cache.py): a rule set served from disk finds what the loaded one finds,
a corrupt or stale cache is rebuilt, and the bare hook path matches the typer path."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from lint import rules
from lint.api import Linter

PAGES = sorted(
    p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".md", ".html", ".htm") and p.is_file()
)


def _facts(findings: list) -> list[tuple[object, ...]]:
    return [
        (f.line, f.column, f.end_line, f.end_column, f.rule, f.match, f.message, f.context)
        for f in findings
    ]


def test_rules_served_from_the_cache_are_the_rules_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs = tmp_path / "rules"  # a private copy: rule authors edit the shipped packs meanwhile
    shutil.copytree(ROOT / "rules", packs)
    monkeypatch.setenv("CLINIC_LINT_NO_CACHE", "1")
    uncached = rules.load([packs], shipped=False)
    monkeypatch.delenv("CLINIC_LINT_NO_CACHE")
    monkeypatch.setenv("CLINIC_LINT_CACHE_DIR", str(tmp_path / "cache"))
    rules.load([packs], shipped=False)  # builds and stores
    assert len(list((tmp_path / "cache").glob("rules-*.pickle"))) == 1
    cached = rules.load([packs], shipped=False)  # served from disk
    assert cached.rules == uncached.rules
    assert cached.vocabularies == uncached.vocabularies
    linter, reference = Linter(cached), Linter(uncached)
    # and pickled again, as a process pool started by spawn sends it to its workers
    respawned = pickle.loads(pickle.dumps(linter))
    for page in PAGES[:25]:
        expected = _facts(reference.check_file(page).findings)
        assert _facts(linter.check_file(page).findings) == expected
        assert _facts(respawned.check_file(page).findings) == expected
    # a check's load leaves the rules' details (examples, raw YAML, lines) in the cache
    light = rules.load([packs], shipped=False, details=False)
    assert [r.id for r in light.rules] == [r.id for r in uncached.rules]
    assert not any(r.examples.cases or r.raw or r.lines for r in light.rules)
    assert all(r.examples.cases and r.raw for r in cached.rules)
    light_linter = Linter(light)
    for page in PAGES[:25]:
        expected = _facts(reference.check_file(page).findings)
        assert _facts(light_linter.check_file(page).findings) == expected


def test_a_corrupt_cache_is_ignored_and_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs = tmp_path / "rules"
    for part in ("core", "vocab"):
        shutil.copytree(ROOT / "rules" / part, packs / part)
    monkeypatch.setenv("CLINIC_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CLINIC_LINT_NO_CACHE", raising=False)
    first = rules.load([packs], shipped=False)
    (stored,) = (tmp_path / "cache").glob("rules-*.pickle")
    stored.write_bytes(stored.read_bytes()[:1000])  # a write cut short
    again = rules.load([packs], shipped=False)
    assert again.rules == first.rules
    assert stored.stat().st_size > 1000  # rewritten whole


def test_a_changed_rule_file_misses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLINIC_LINT_CACHE_DIR", str(tmp_path / "cache"))
    pack = tmp_path / "mine"
    pack.mkdir()
    rule = pack / "one.yaml"
    body = (
        "category: hype\nseverity: warning\nmessage: m\nwhy: w\nreferences: [r]\nsuggest: s\n"
        "match: ['{word}']\nexamples:\n  bad: ['{word}']\n  good: ['y']\n"
    )
    rule.write_text(body.format(word="marvel"), encoding="utf-8")
    assert Linter(rules.load([pack], packs=(), shipped=False)).check_text("a marvel")
    rule.write_text(body.format(word="wonder"), encoding="utf-8")
    linter = Linter(rules.load([pack], packs=(), shipped=False))
    assert not linter.check_text("a marvel") and linter.check_text("a wonder")


def test_check_with_only_paths_matches_the_typer_path(tmp_path: Path) -> None:
    """``check PATH...`` skips typer's option parsing; ``check -- PATH...`` goes through it."""
    pages = [str(p) for p in PAGES[:6]]
    env = {**os.environ, "CLINIC_LINT_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-m", "lint", "check", *extra, *pages],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=False,
        )
        for extra in ([], ["--"])
    ]
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stderr == runs[1].stderr
    assert runs[0].returncode == runs[1].returncode
