"""Shared test helpers: the shipped rules loaded once per session, and fixture discovery."""

from __future__ import annotations

import os
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
