"""The JSON Schemas for rule and vocabulary files, shipped with the package so editors with the
YAML language server complete and check keys. The loader (lint/rules.py) checks more than a schema
can (patterns compile, vocabularies exist); tests/test_schema.py keeps the two in agreement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMAS = {"rule": "rule.schema.json", "vocab": "vocab.schema.json"}


def text(name: str = "rule") -> str:
    """The schema file's text (``name``: 'rule' or 'vocab')."""
    return (Path(__file__).parent / SCHEMAS[name]).read_text(encoding="utf-8")


def load(name: str = "rule") -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(text(name))
    return schema
