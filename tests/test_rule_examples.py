"""Every example of every shipped rule, run by the same code as ``clinic-lint rules test``:
each `bad` fires that rule (exactly on its `[[…]]` span, and its `fix` stays silent), each `good`
stays silent; `todo` examples are known gaps and skip."""

from __future__ import annotations

import pytest

from lint import rules, selftest
from lint.examples import Example

RULESET = rules.load(packs=None)
CASES = [
    pytest.param(rule, example, id=f"{rule.id}:{example.kind}:{example.line}")
    for rule in RULESET
    for example in rule.examples.cases
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(rule: rules.Rule, example: Example) -> None:
    problem = selftest.check_example(rule, example, phrases=RULESET.phrases)
    result = selftest.ExampleResult(rule, example, problem)
    if result.status is selftest.Status.GAP:
        pytest.skip(str(result))
    if result.status is not selftest.Status.PASSED:
        pytest.fail(str(result), pytrace=False)


def test_every_rule_has_near_miss_material() -> None:
    """Every rule carries at least one bad and one good example that must pass."""
    for rule in RULESET:
        cases = [c for c in rule.examples.cases if c.todo is None]
        assert {c.kind for c in cases} == {"bad", "good"}, rule.id
