"""Settings for a run, and rule selection (``--select`` / ``--ignore``: ids, prefixes, packs,
categories). Configuration files are found and merged here too (see ``Settings``)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lint.findings import Severity
from lint.rules import CATEGORIES, DEFAULT_PACKS, Rule, RuleSet


class ConfigError(Exception):
    """A usage or configuration problem: reported as one line, exit code 2."""


@dataclass(frozen=True)
class Settings:
    """Everything that decides what a run checks and how strictly."""

    packs: tuple[str, ...] = DEFAULT_PACKS
    extra_rules: tuple[Path, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR

    def merged(self, **overrides: Any) -> Settings:
        """These settings with every override that is not None (command-line wins)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def split_tokens(values: Sequence[str]) -> tuple[str, ...]:
    """``--select a,b --select c`` -> ('a', 'b', 'c')."""
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def _token_matches(token: str, rule: Rule) -> bool:
    if token in (rule.id, rule.category, rule.pack):
        return True
    return rule.id.startswith(token)  # "core/", "core/no-"


def _check_tokens(tokens: Sequence[str], ruleset: RuleSet, option: str) -> None:
    for token in tokens:
        if token in CATEGORIES or any(_token_matches(token, r) for r in ruleset):
            continue
        choices = [r.id for r in ruleset] + list(CATEGORIES) + list(ruleset.packs)
        close = difflib.get_close_matches(token, choices, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        raise ConfigError(f"{option} '{token}' matches no rule id, pack or category{hint}")


def select_rules(ruleset: RuleSet, settings: Settings) -> RuleSet:
    """The rules ``select`` keeps (all when empty) minus those ``ignore`` drops, with overrides."""
    _check_tokens(settings.select, ruleset, "--select")
    _check_tokens(settings.ignore, ruleset, "--ignore")
    kept = []
    for rule in ruleset:
        if settings.select and not any(_token_matches(t, rule) for t in settings.select):
            continue
        if any(_token_matches(t, rule) for t in settings.ignore):
            continue
        override = settings.severity.get(rule.id)
        kept.append(rule.with_severity(override) if override else rule)
    return RuleSet(tuple(kept), ruleset.vocabularies, ruleset.packs)
