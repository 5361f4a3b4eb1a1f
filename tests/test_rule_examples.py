"""Every example of every shipped rule: each `bad` fires that rule, each `good` stays silent."""

from __future__ import annotations

import pytest

from lint import engine, rules
from lint.documents import from_text

RULESET = rules.load(packs=None)
CASES = [
    pytest.param(rule, kind, i, text, id=f"{rule.id}:{kind}[{i}]")
    for rule in RULESET
    for kind, examples in (("bad", rule.examples.bad), ("good", rule.examples.good))
    for i, text in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "kind", "index", "text"), CASES)
def test_example(rule: rules.Rule, kind: str, index: int, text: str) -> None:
    doc = from_text("example.txt", text, kind="txt")
    fired = engine.check_rule(doc, rule)
    where = f"{rule.source}:{(rule.examples.bad_lines if kind == 'bad' else rule.examples.good_lines)[index]}"
    if kind == "bad":
        assert fired, f"{where}: bad example does not fire {rule.id}: {text!r}"
    else:
        assert not fired, f"{where}: good example fires {rule.id} on {fired[0].match!r}: {text!r}"


def test_every_rule_has_near_miss_material() -> None:
    """Every rule carries at least one bad and one good example (the loader enforces it too)."""
    for rule in RULESET:
        assert rule.examples.bad and rule.examples.good, rule.id
