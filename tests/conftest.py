"""Shared test helpers: a rule cache folder of the session's own, the shipped rules loaded once
per session, and fixture discovery."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from lint import rules
from lint.api import Linter

# Property tests run a short budget in the suite; contributors fuzz longer with
# HYPOTHESIS_PROFILE=fuzz (see README, "Fuzzing").
settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile("fuzz", max_examples=50_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
RULES = ROOT / "rules"

_CACHE = pytest.StashKey[tuple[str, str | None]]()


def pytest_configure(config: pytest.Config) -> None:
    """Every test session gets a rule cache folder of its own, empty at the start and removed at
    the end (each pytest-xdist worker is a session): no test reads a rule set a developer's
    earlier run, another branch or another session stored, and the tests of one session share
    the rule sets they build (compiling the shipped packs takes seconds; once a session, not
    once a test). Set before collection, which already loads rules; subprocesses inherit it.
    Tests of the cache itself point CLINIC_LINT_CACHE_DIR at a folder of their own."""
    folder = tempfile.mkdtemp(prefix="clinic-lint-test-cache-")
    config.stash[_CACHE] = (folder, os.environ.get("CLINIC_LINT_CACHE_DIR"))
    os.environ["CLINIC_LINT_CACHE_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder, before = config.stash[_CACHE]
    if before is None:
        os.environ.pop("CLINIC_LINT_CACHE_DIR", None)
    else:
        os.environ["CLINIC_LINT_CACHE_DIR"] = before
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def all_rules() -> rules.RuleSet:
    """Every shipped pack."""
    return rules.load(packs=None)


@pytest.fixture(scope="session")
def linter_for():
    """A cached Linter per pack selection."""
    cache: dict[tuple[str, ...], Linter] = {}

    def get(packs: tuple[str, ...]) -> Linter:
        if packs not in cache:
            cache[packs] = Linter(rules.load(packs=packs))
        return cache[packs]

    return get
