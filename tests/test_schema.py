"""The shipped JSON Schemas and the loader agree: every shipped rule and vocabulary file passes
both; every file in fixtures/bad-rules/ is refused by both, except what a schema cannot know."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from authoring import ROOT, clinic_lint
from hypothesis import given
from hypothesis import strategies as st

from lint import rules, schema
from lint.examples import ExampleError, strip_markers
from lint.findings import SEVERITIES

BAD = ROOT / "fixtures" / "bad-rules"
SHIPPED = rules.shipped_rules_dir()
SHIPPED_FILES = sorted(SHIPPED.rglob("*.yaml"))

# What only the loader can refuse, and why a JSON Schema cannot: it neither compiles patterns
# nor knows which vocabularies exist.
LOADER_ONLY = {
    "bad-regex.yaml": "a schema cannot compile a pattern",
    "unknown-vocabulary.yaml": "a schema cannot know the vocabulary folders",
}


def schema_for(path: Path) -> dict[str, Any]:
    return schema.load("vocab" if path.parent.name == rules.VOCAB_FOLDER else "rule")


def schema_errors(path: Path) -> list[str]:
    """What the schema says of ``path``, as an editor would: YAML it cannot read is refused too."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"not YAML: {exc}"]
    validator = jsonschema.Draft7Validator(schema_for(path))
    return [error.message for error in validator.iter_errors(data)]


def loader_problems(path: Path) -> list[str]:
    """The loader's lines for ``path`` when its folder is loaded (shipped vocabularies included)."""
    folder = path.parent.parent if path.parent.name == rules.VOCAB_FOLDER else path.parent
    try:
        rules.load([folder], packs=())
    except rules.RuleError as exc:
        return [str(p) for p in exc.problems if Path(p.path).resolve() == path.resolve()]
    return []


@pytest.mark.parametrize("name", ["rule", "vocab"])
def test_the_schemas_are_valid_draft_7(name: str) -> None:
    jsonschema.Draft7Validator.check_schema(schema.load(name))


def test_the_schema_lists_the_loaders_categories_severities_and_keys() -> None:
    rule = schema.load("rule")
    assert rule["properties"]["category"]["enum"] == list(rules.CATEGORIES)
    assert rule["properties"]["severity"]["enum"] == list(SEVERITIES)
    assert set(rule["properties"]) == set(rules.KEYS)
    assert set(rule["required"]) == set(rules.REQUIRED)
    scopes = {
        "unless": rule["properties"]["unless"]["oneOf"][1]["properties"]["scope"]["enum"],
        "near": rule["properties"]["near"]["properties"]["scope"]["enum"],
        "count": rule["properties"]["count"]["properties"]["scope"]["enum"],
    }
    assert scopes == {
        "unless": list(rules.SCOPES),
        "near": list(rules.NEAR_SCOPES),
        "count": list(rules.COUNT_SCOPES),
    }


@pytest.mark.parametrize(
    "path", SHIPPED_FILES, ids=[p.relative_to(SHIPPED).as_posix() for p in SHIPPED_FILES]
)
def test_every_shipped_file_passes_the_schema(path: Path) -> None:
    assert schema_errors(path) == []


def test_every_shipped_file_passes_the_loader() -> None:
    assert len(rules.load(packs=None)) == sum(p.parent.name != "vocab" for p in SHIPPED_FILES)


BAD_FILES = sorted(BAD.rglob("*.yaml"))


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.relative_to(BAD).as_posix() for p in BAD_FILES])
def test_every_malformed_file_is_refused_by_the_loader_and_the_schema(path: Path) -> None:
    assert loader_problems(path), f"the loader accepts {path.name}"
    name = path.relative_to(BAD).as_posix()
    if name in LOADER_ONLY:
        # Keep the exemption honest: should the schema learn to refuse it, drop it from the list.
        assert schema_errors(path) == [], (
            f"the schema now refuses {name}; remove it from LOADER_ONLY"
        )
    else:
        assert schema_errors(path), f"the schema accepts {name}"


def test_rules_schema_prints_the_shipped_schemas() -> None:
    for args, name in ((("rules", "schema"), "rule"), (("rules", "schema", "--vocab"), "vocab")):
        run = clinic_lint(*args)
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == schema.load(name)


@pytest.mark.parametrize(
    ("snippet", "valid"),
    [
        ('bad: ["A [[miracle]] cure.", {text: "A [[miracle]].", fix: "new"}]', True),
        ('bad: {text: "A miracle.", todo: "later"}', False),  # the only bad example is a gap
        ('bad: ["A miracle."]\n  ugly: ["x"]', False),
        ("bad: []", False),
        ('bad: [{text: "A miracle.", fixx: "x"}]', False),
        ('bad: [{text: "A miracle.", fix: "new"}]', False),  # fix needs a [[…]] span
        ('bad: [{text: "A [[miracle]] [[cure]].", fix: "new"}]', False),  # … exactly one
        ('bad: ["A [[mir[[acle]]]] cure."]', False),
        ('bad: ["A [[]] miracle."]', False),
        ('bad: ["A miracle]] cure."]', False),
        ('bad: ["A [[miracle]]."]\n  good: ["A [[new]] treatment."]', False),
    ],
)
def test_example_forms_agree(tmp_path: Path, snippet: str, valid: bool) -> None:
    path = tmp_path / "pack" / "r.yaml"
    path.parent.mkdir()
    path.write_text(
        "category: hype\nseverity: info\nmessage: m\nwhy: w\nreferences: [r]\nsuggest: s\n"
        f"match: miracle\nexamples:\n  {snippet}\n"
        + ("" if "good:" in snippet else "  good: ['A new treatment.']\n"),
        encoding="utf-8",
    )
    assert (schema_errors(path) == [], loader_problems(path) == []) == (valid, valid)


MARKERS = schema.load("rule")["definitions"]["badText"]["allOf"][0]["pattern"]


@given(st.text(alphabet="[]a ", max_size=12))
def test_the_schema_reads_markers_as_the_loader_does(text: str) -> None:
    """Any string: the schema's marker pattern accepts it exactly when the loader can parse it."""
    try:
        strip_markers(text)
        loader_ok = True
    except ExampleError:
        loader_ok = False
    assert (re.search(MARKERS, text) is not None) == loader_ok


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        ("match: miracle\nnear: {patterns: [cure], scope: section}", True),
        ("match: miracle\nnear: {patterns: [cure], within: 5}", True),
        ("match: miracle\nnear: {patterns: [cure], within: 5, scope: document}", False),
        ("match: miracle\nnear: {patterns: [cure], scope: page}", False),
        ("when: miracle\nrequire: results vary\nnear: {patterns: [cure], scope: document}", True),
        ("when: miracle\nrequire: results vary\ncount: {distinct: 2}", False),
        ("match: miracle\nunless: {patterns: [not], scope: section}", False),
        # concept rules (lint/concepts.py)
        ("concepts: [therapies, diseases]\nscope: clause\nreport: [diseases]", True),
        ("concepts: [therapies, 'miracle cures?']\nscope: {window: 5}\nin-order: true", True),
        ("concepts: [therapies, diseases]\nunless: {concepts: [hedges], scope: {window: 4}}", True),
        ("concepts: [therapies, diseases]\nunless: [hedges, denials]\nconfirm: cure", True),
        ("concepts: [therapies]", True),
        ("concepts: [[therapies, diseases], {concepts: [hype-words], scope: clause}]", True),
        ("concepts: [[therapies, diseases], {scope: clause}]", False),
        ("concepts: [[therapies, diseases], {concepts: [hype-words], near: 3}]", False),
        ("concepts: []", False),
        ("concepts: [therapies, diseases]\nscope: paragraph", True),
        ("concepts: [therapies, diseases]\nscope: page", False),
        ("concepts: [therapies, diseases]\nin-order: yes please", False),
        ("concepts: [therapies, diseases]\nunless: {patterns: [not]}", False),
        ("concepts: [therapies, diseases]\nunless: {concepts: [hedges], scope: paragraph}", True),
        ("concepts: [therapies, diseases]\nunless: {concepts: [hedges], scope: page}", False),
        ("concepts: [therapies, diseases]\nnear: {patterns: [cure]}", False),
        ("concepts: [therapies, diseases]\nmatch: miracle", False),
        ("match: miracle\nscope: clause", False),
        ("match: miracle\nunless: {concepts: [hedges]}", False),
    ],
)
def test_bodies_agree(tmp_path: Path, body: str, valid: bool) -> None:
    path = tmp_path / "pack" / "r.yaml"
    path.parent.mkdir()
    path.write_text(
        "category: hype\nseverity: info\nmessage: m\nwhy: w\nreferences: [r]\nsuggest: s\n"
        f"{body}\nexamples:\n  bad: ['A miracle cure.']\n  good: ['A new treatment.']\n",
        encoding="utf-8",
    )
    assert (schema_errors(path) == [], loader_problems(path) == []) == (valid, valid)
